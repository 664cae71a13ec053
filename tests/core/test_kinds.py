"""Credential kinds are data in their platform's folder; Platform and CredentialKind are built from them."""

from datetime import date

from scm_access.core.discovery import load_platform_module, platform_folders
from scm_access.core.kinds import CredentialKind, KindSpec, Platform, kind_for_resource_type, kind_for_token
from scm_access.declarations import (
    AzureDevOpsAccess,
    Connection,
    GitHubAccess,
    Policy,
    SecretStore,
    ServiceIdentity,
)
from scm_access.plan.planner import plan
from scm_access.rules import CredentialFacts, no_expiry
from scm_access.validate import validate


def test_every_platform_folder_with_kinds_is_a_platform_and_every_record_a_kind():
    records = {
        spec.value: folder
        for folder in platform_folders()
        if (module := load_platform_module(folder, "kinds")) is not None
        for spec in module.KINDS
    }
    assert {p.value for p in Platform} == set(records.values())
    assert {k.value for k in CredentialKind} == set(records)
    for kind in CredentialKind:
        assert isinstance(kind.spec, KindSpec)
        assert kind.platform.value == records[kind.value]
        assert kind.is_personal is kind.spec.personal
        assert kind.label == kind.spec.label and kind.short_label == kind.spec.short_label


def test_members_keep_their_names():
    assert CredentialKind.GITHUB_CLASSIC_PAT == "github_classic_pat"
    assert CredentialKind.GITHUB_CLASSIC_PAT.platform is Platform.GITHUB
    assert Platform.GITLAB.value == "gitlab"
    assert CredentialKind.GITLAB_GROUP_ACCESS_TOKEN in Platform.GITLAB.kinds


def test_a_token_prefix_reveals_its_kind_and_the_longest_prefix_wins():
    assert kind_for_token("github_pat_11ABC") == CredentialKind.GITHUB_FINE_GRAINED_PAT
    assert kind_for_token("ghp_abc") == CredentialKind.GITHUB_CLASSIC_PAT
    assert kind_for_token("gldt-abc", Platform.GITLAB) == CredentialKind.GITLAB_DEPLOY_TOKEN
    assert kind_for_token("gldt-abc", Platform.GITHUB) is None
    assert kind_for_token("no-prefix") is None


def test_a_provider_resource_type_reveals_the_kind_it_makes():
    assert kind_for_resource_type("gitlab:index/groupDeployToken:GroupDeployToken") == CredentialKind.GITLAB_DEPLOY_TOKEN
    assert kind_for_resource_type("gitlab:index/projectVariable:ProjectVariable") is None


def test_the_policy_ceiling_never_exceeds_what_the_platform_accepts():
    policy = Policy(default_max_lifetime_days=1000)
    for kind in CredentialKind:
        ceiling = kind.spec.lifetime_ceiling_days
        assert policy.lifetime_ceiling(kind) == (min(1000, ceiling) if ceiling else 1000)


def _plan_one(access):
    connection = Connection(name="demo", integration="Demo", owner="team", purpose="testing", access=[access])
    policy = Policy()
    [slot] = plan(validate([connection], policy), policy, date(2026, 1, 1)).slots
    return slot


def test_the_plan_document_and_the_expiry_rule_agree_on_which_kinds_have_no_expiry():
    # Before, the plan gave a deploy key an expiry date while the expiry rule exempted it as never expiring.
    deploy_key = _plan_one(
        GitHubAccess(
            scopes=["contents:write"], org="acme", repositories=["config"], holder=ServiceIdentity(service="ci"),
            kind=CredentialKind.GITHUB_DEPLOY_KEY,
            delivery=SecretStore(store="github_actions_secret", name="DEPLOY_KEY", repository="acme/ci"),
        )
    )
    principal = _plan_one(
        AzureDevOpsAccess(
            organization="acme", scopes=["vso.code"], holder=ServiceIdentity(service="deployer", origin_id="0000-1111")
        )
    )
    assert (deploy_key.kind, principal.kind) == (
        CredentialKind.GITHUB_DEPLOY_KEY, CredentialKind.AZURE_DEVOPS_SERVICE_PRINCIPAL
    )
    for slot in (deploy_key, principal):
        never_expires = slot.summary()["expires_at"] is None
        assert never_expires
        facts = CredentialFacts(platform=slot.platform, kind=slot.kind, lifetime_days=None, holder_is_person=False)
        assert no_expiry.check(facts, Policy(require_expiry=True)) == []
    assert deploy_key.kind.carries_secret and not principal.kind.carries_secret
