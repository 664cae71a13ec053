"""How the planner chooses a credential kind: a deploy key only where an SSH key goes, and a reason each time."""

from datetime import date

import pytest

from scm_access.declarations import (
    Connection,
    CredentialKind,
    GitHubAccess,
    GitLabAccess,
    IntegrationField,
    Policy,
    SecretStore,
    ServiceIdentity,
)
from scm_access.errors import DeclarationError
from scm_access.plan.planner import plan
from scm_access.plan.slot import Strategy
from scm_access.validate import validate

TODAY = date(2026, 3, 1)


def plan_one(access):
    connection = Connection(name="demo", integration="Demo", owner="team", purpose="testing", access=[access])
    policy = Policy()
    return plan(validate([connection], policy), policy, TODAY).slots


def backstage(**overrides):
    declared = dict(
        scopes=["Contents: Read-only", "Metadata: Read-only"],
        org="acme",
        repositories=["service-catalog", "software-templates", "tech-docs"],
        holder=ServiceIdentity(service="backstage", login="acme-backstage"),
        delivery=IntegrationField(location="Backstage → app-config.yaml → integrations.github", field="token"),
    )
    return GitHubAccess(**{**declared, **overrides})


def test_backstage_reading_three_repositories_through_a_token_field_gets_one_token_not_ssh_keys():
    [slot] = plan_one(backstage())
    assert slot.kind == CredentialKind.GITHUB_FINE_GRAINED_PAT and slot.strategy == Strategy.USER_PAT
    assert slot.reason == (
        "GitHub has no API that mints a token with these scopes for the organisation (a GitHub App is the"
        " org-managed alternative, registered by hand); a GitHub fine-grained personal access token for the"
        " service user 'backstage'"
    )


@pytest.mark.parametrize("delivery", [None, IntegrationField(location="Backstage", field="token")])
def test_git_access_alone_not_delivered_where_an_ssh_key_goes_is_still_a_token(delivery):
    [slot] = plan_one(backstage(scopes=["contents:read"], delivery=delivery))
    assert slot.kind == CredentialKind.GITHUB_FINE_GRAINED_PAT
    assert slot.reason.startswith("git access alone, but a deploy key is an SSH key and the delivery does not take")


def test_git_access_delivered_into_a_secret_that_holds_an_ssh_key_gets_a_deploy_key():
    store = SecretStore(store="github_actions_secret", name="MIRROR_KEY", repository="acme/mirror", holds="ssh_key")
    [slot] = plan_one(backstage(scopes=["contents:read"], delivery=store))
    assert (slot.kind, slot.strategy) == (CredentialKind.GITHUB_DEPLOY_KEY, Strategy.PROVISION)


def test_a_deploy_key_declared_for_a_field_that_takes_a_token_is_refused():
    with pytest.raises(DeclarationError, match=r"access\[0\].delivery.holds: a GitHub deploy key is an SSH key,"
                                               " but the delivery takes a token"):
        plan_one(backstage(scopes=["contents:read"], kind=CredentialKind.GITHUB_DEPLOY_KEY,
                           delivery=IntegrationField(location="Backstage", field="token", holds="token")))


def test_renovate_with_a_gitlab_group_gets_a_group_access_token_with_its_reason():
    renovate = GitLabAccess(
        scopes=["api", "write_repository"],
        group="acme/platform",
        holder=ServiceIdentity(service="renovate"),
        delivery=IntegrationField(location="Renovate → runner environment", field="RENOVATE_TOKEN"),
    )
    [slot] = plan_one(renovate)
    assert (slot.kind, slot.strategy) == (CredentialKind.GITLAB_GROUP_ACCESS_TOKEN, Strategy.PROVISION)
    # The role the plan picks is said, not silent (issue: Renovate silently got developer).
    assert slot.reason == (
        "org-managed: a group is declared: a group access token the stack rotates;"
        " role developer (the least its scopes need)"
    )
    assert slot.role == "developer"


AUTOMATIC = {
    "backstage": backstage(),
    "people on GitHub": GitHubAccess(scopes=["repo"], holder=["alice"]),
    "renovate": GitLabAccess(scopes=["api"], group="acme", holder=ServiceIdentity(service="renovate")),
    "registry pull": GitLabAccess(scopes=["read_registry"], group="acme", holder=ServiceIdentity(service="k8s")),
    "GitLab without a group": GitLabAccess(scopes=["api"], holder=ServiceIdentity(service="bot")),
}


@pytest.mark.parametrize("case", sorted(AUTOMATIC))
def test_every_automatic_choice_says_why_in_one_sentence(case):
    for slot in plan_one(AUTOMATIC[case]):
        assert slot.reason and ". " not in slot.reason and "\n" not in slot.reason
