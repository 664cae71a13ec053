"""Planning: least-privilege scopes, strategy with its reason, expiry, violations."""

from datetime import timedelta

import pytest

from scm_access.declarations import (
    AzureDevOpsAccess,
    Connection,
    CredentialKind,
    GitHubAccess,
    GitLabAccess,
    IntegrationField,
    Platform,
    Policy,
    ServiceIdentity,
)
from scm_access.declarations.loader import load_project
from scm_access.errors import DeclarationError
from scm_access.plan.planner import plan, plan_folder, plan_project
from scm_access.plan.slot import Strategy
from scm_access.validate import validate


def plan_one(access, policy=Policy(), today=None):
    connection = Connection(name="demo", integration="Demo", owner="team", purpose="testing", access=[access])
    return plan(validate([connection], policy), policy, today).slots


def test_one_slot_per_named_person(today):
    slots = plan_one(GitHubAccess(scopes=["repo"], holder=["alice", "bob"]), today=today)
    assert [s.holder for s in slots] == ["alice", "bob"]


def test_scopes_are_the_minimal_cover(today):
    [slot] = plan_one(GitHubAccess(scopes=["repo", "repo:status", "public_repo", "workflow"], holder=["a"]), today=today)
    assert slot.scopes == ["repo", "workflow"]


def test_people_get_personal_tokens_with_the_reason(today):
    [slot] = plan_one(GitHubAccess(scopes=["repo"], holder=["alice"]), today=today)
    assert (slot.strategy, slot.kind) == (Strategy.USER_PAT, CredentialKind.GITHUB_CLASSIC_PAT)
    assert "only they can create" in slot.reason


def test_fine_grained_permissions_choose_a_fine_grained_token(today):
    [slot] = plan_one(GitHubAccess(scopes=["metadata:read"], org="acme", holder=["a"]), today=today)
    assert slot.kind == CredentialKind.GITHUB_FINE_GRAINED_PAT


def test_service_identity_on_a_gitlab_group_gets_a_provisioned_group_token(today):
    access = GitLabAccess(scopes=["read_api"], group="acme", holder=ServiceIdentity(service="ci"))
    [slot] = plan_one(access, today=today)
    assert (slot.strategy, slot.kind) == (Strategy.PROVISION, CredentialKind.GITLAB_GROUP_ACCESS_TOKEN)


def test_read_only_pulls_get_a_deploy_token(today):
    access = GitLabAccess(scopes=["read_repository"], projects=["acme/app"], holder=ServiceIdentity(service="ci"))
    [slot] = plan_one(access, today=today)
    assert slot.kind == CredentialKind.GITLAB_DEPLOY_TOKEN


SSH_KEY_FIELD = IntegrationField(location="Mirror → sources", field="SSH private key", holds="ssh_key")


def test_git_only_github_need_delivered_where_an_ssh_key_goes_gets_a_deploy_key(today):
    access = GitHubAccess(
        scopes=["contents:read"], org="acme", repositories=["app"], holder=ServiceIdentity(service="mirror"),
        delivery=SSH_KEY_FIELD,
    )
    [slot] = plan_one(access, today=today)
    assert (slot.strategy, slot.kind) == (Strategy.PROVISION, CredentialKind.GITHUB_DEPLOY_KEY)
    assert slot.reason == (
        "org-managed: git access to named repositories, delivered where an SSH key goes: a read-only deploy key"
        " per repository"
    )


def test_a_metadata_only_need_gets_no_deploy_key_because_a_key_would_read_the_code(today):
    access = GitHubAccess(
        scopes=["metadata:read"], org="acme", repositories=["app"], holder=ServiceIdentity(service="scanner")
    )
    [slot] = plan_one(access, today=today)
    assert slot.kind != CredentialKind.GITHUB_DEPLOY_KEY


def test_service_identity_without_an_equivalent_falls_back_to_a_token_for_the_machine_user(today):
    access = GitHubAccess(scopes=["repo"], holder=ServiceIdentity(service="bot", login="acme-bot"))
    [slot] = plan_one(access, today=today)
    assert slot.strategy == Strategy.USER_PAT and "service user 'bot'" in slot.reason


def test_azure_devops_service_principal_is_provisioned_for_an_entra_identity(today):
    access = AzureDevOpsAccess(
        organization="acme", scopes=["vso.work"], holder=ServiceIdentity(service="sync", origin_id="0000-1111")
    )
    [slot] = plan_one(access, today=today)
    assert slot.kind == CredentialKind.AZURE_DEVOPS_SERVICE_PRINCIPAL


def test_a_personal_token_slot_names_the_variable_its_token_is_read_from(today):
    [slot] = plan_one(GitHubAccess(scopes=["repo"], holder=["alice"]), today=today)
    assert slot.summary()["token_env_var"] == "SCM_ACCESS_TOKEN__DEMO__GITHUB__ALICE"


def test_a_service_principal_has_no_expiry_in_the_plan_document(today):
    access = AzureDevOpsAccess(
        organization="acme", scopes=["vso.work"], holder=ServiceIdentity(service="sync", origin_id="0000-1111")
    )
    [slot] = plan_one(access, today=today)
    assert slot.summary()["expires_at"] is None


def test_expiry_is_today_plus_the_declared_lifetime(today):
    [slot] = plan_one(GitHubAccess(scopes=["repo"], holder=["a"], max_lifetime_days=30), today=today)
    assert slot.expires_at == today + timedelta(days=30)


def test_longest_lifetime_is_capped_at_the_policy_and_said(today):
    policy = Policy(max_lifetime_days={CredentialKind.AZURE_DEVOPS_PAT: 180})
    access = AzureDevOpsAccess(organization="acme", scopes=["vso.work"], holder=["a"], max_lifetime_days="longest")
    [slot] = plan_one(access, policy=policy, today=today)
    assert slot.lifetime_days == 180
    assert "longest_lifetime_requested" in [v.code for v in slot.violations]


def test_forbidden_scope_reached_through_a_containing_scope_is_an_error(today):
    policy = Policy(forbidden_scopes={Platform.GITLAB: ["read_api"]})
    [slot] = plan_one(GitLabAccess(scopes=["api"], group="acme", holder=["a"]), policy=policy, today=today)
    assert [v.code for v in slot.violations if v.severity == "error"] == ["forbidden_scope"]


def test_classic_tokens_are_errors_when_the_policy_disallows_them(today):
    [slot] = plan_one(GitHubAccess(scopes=["repo"], holder=["a"]), policy=Policy(allow_classic_pats=False), today=today)
    assert "classic_pat_disallowed" in [v.code for v in slot.violations]


def test_personal_tokens_are_flagged_where_an_org_managed_credential_would_do(today):
    [slot] = plan_one(GitLabAccess(scopes=["read_api"], group="acme", holder=["a"]), today=today)
    assert "org_managed_available" in [v.code for v in slot.violations]


def test_seed_integrations_plan_on_every_declared_platform(fixture_project, today):
    project = load_project(fixture_project)
    slots = plan_project(project, today).slots
    planned = {(s.connection, s.platform.value) for s in slots}
    assert {
        ("stackspot", "github"), ("stackspot", "azure_devops"), ("stackspot", "gitlab"),
        ("icr", "github"), ("icr", "gitlab"), ("icr", "bitbucket"),
        ("exalate", "azure_devops"), ("exalate", "github"), ("deeptraq", "github"),
    } <= planned


def test_an_explicit_deploy_key_is_accepted_for_the_need_the_planner_gives_one_on_its_own(today):
    # Before, the planner chose a deploy key for contents:read, but declaring that kind was refused.
    need = dict(scopes=["contents:read"], org="acme", repositories=["app"], holder=ServiceIdentity(service="mirror"),
                delivery=SSH_KEY_FIELD)
    [automatic] = plan_one(GitHubAccess(**need), today=today)
    [explicit] = plan_one(GitHubAccess(**need, kind=CredentialKind.GITHUB_DEPLOY_KEY), today=today)
    assert automatic.kind == explicit.kind == CredentialKind.GITHUB_DEPLOY_KEY
    assert automatic.strategy == explicit.strategy == Strategy.PROVISION


def test_the_pipeline_loads_applies_overrides_validates_and_plans(tmp_path, today):
    (tmp_path / "connections").mkdir()
    (tmp_path / "connections" / "demo.py").write_text(
        "from scm_access.declarations import Connection, GitHubAccess\n"
        "CONNECTION = Connection(name='demo', integration='Demo', owner='t', purpose='p',"
        " access=[GitHubAccess(scopes=['Full control of private repositories'], holder=['alice'],"
        " max_lifetime_days=60)])\n"
    )
    project, result = plan_folder(tmp_path, policy_overrides={"default_max_lifetime_days": 30}, today=today)
    [slot] = result.slots
    assert project.policy.default_max_lifetime_days == 30 and slot.scopes == ["repo"]
    assert "lifetime_exceeds_policy" in {v.code for v in slot.violations}
    with pytest.raises(DeclarationError, match="stack config.default_max_lifetime_days: Input should be greater than or equal to 1"):
        plan_folder(tmp_path, policy_overrides={"default_max_lifetime_days": 0}, overrides_from="stack config")


# -- what a scope contains depends on the token kind (GitLab's api and Git over HTTP) -------------------


def test_a_provisioned_gitlab_group_token_that_pushes_keeps_write_repository(today):
    # On a group access token api does not include Git over HTTP, so the declared push scope stays.
    access = GitLabAccess(scopes=["api", "write_repository"], group="acme", holder=ServiceIdentity(service="ci"))
    [slot] = plan_one(access, today=today)
    assert (slot.strategy, slot.kind) == (Strategy.PROVISION, CredentialKind.GITLAB_GROUP_ACCESS_TOKEN)
    assert slot.scopes == ["api", "write_repository"]
    assert slot.folded_scopes == {}


def test_a_gitlab_personal_token_needs_no_write_repository_beside_api(today):
    access = GitLabAccess(scopes=["api", "write_repository"], holder=["alice"])
    [slot] = plan_one(access, today=today)
    assert slot.kind == CredentialKind.GITLAB_PAT
    assert slot.scopes == ["api"]
    assert slot.folded_scopes == {"write_repository": "api"}


def test_each_folded_scope_names_the_planned_scope_that_contains_it(today):
    access = GitHubAccess(scopes=["repo", "repo:status", "admin:org", "read:org", "workflow"], holder=["alice"])
    [slot] = plan_one(access, today=today)
    assert slot.scopes == ["repo", "workflow", "admin:org"]
    assert slot.folded_scopes == {"repo:status": "repo", "read:org": "admin:org"}
    assert slot.summary()["folded_scopes"] == {"repo:status": "repo", "read:org": "admin:org"}  # plan --format json


def test_nothing_is_folded_when_no_declared_scope_contains_another(today):
    [slot] = plan_one(GitHubAccess(scopes=["repo:status", "read:org"], holder=["alice"]), today=today)
    assert slot.scopes == ["repo:status", "read:org"] and slot.folded_scopes == {}


def test_an_unconfirmed_containment_never_drops_a_scope_the_declaration_asks_for(today):
    # GitLab's scope table does not say api covers the runner endpoints: both scopes stay.
    access = GitLabAccess(scopes=["api", "create_runner"], holder=["alice"])
    [slot] = plan_one(access, today=today)
    assert slot.scopes == ["api", "create_runner"]


def test_a_policy_that_does_not_prefer_org_managed_credentials_keeps_the_service_users_own_token(today):
    access = GitLabAccess(scopes=["read_api"], group="acme", holder=ServiceIdentity(service="ci"))
    [preferred] = plan_one(access, today=today)
    [not_preferred] = plan_one(access, policy=Policy(prefer_org_managed=False), today=today)
    assert (preferred.kind, preferred.strategy) == (CredentialKind.GITLAB_GROUP_ACCESS_TOKEN, Strategy.PROVISION)
    assert (not_preferred.kind, not_preferred.strategy) == (CredentialKind.GITLAB_PAT, Strategy.USER_PAT)
    assert not_preferred.reason.startswith("the policy does not prefer org-managed credentials")
