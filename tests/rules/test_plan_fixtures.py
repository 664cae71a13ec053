"""Every rule that judges a plan fires in a plan: one declaration per rule, planned the way the CLI plans."""

from datetime import date
from pathlib import Path

import pytest

from scm_access.declarations import (
    BitbucketAccess,
    Connection,
    CredentialKind,
    GitHubAccess,
    GitLabAccess,
    Platform,
    Policy,
    ServiceIdentity,
)
from scm_access.declarations.loader import Project
from scm_access.plan.planner import plan_project
from scm_access.rules import Stage, rules_for

TODAY = date(2026, 3, 1)

# rule code → (the access entry of a declaration, the policy in force)
FIXTURES = {
    "lifetime_exceeds_policy": (
        GitHubAccess(scopes=["repo"], holder=["alice"], max_lifetime_days=400),
        Policy(default_max_lifetime_days=90),
    ),
    "forbidden_scope": (
        GitHubAccess(scopes=["delete_repo"], holder=["alice"]),
        Policy(forbidden_scopes={Platform.GITHUB: ["delete_repo"]}),
    ),
    "classic_pat_disallowed": (GitHubAccess(scopes=["repo"], holder=["alice"]), Policy(allow_classic_pats=False)),
    "deprecated_credential": (
        BitbucketAccess(
            workspace="acme", scopes=["repository"], holder=["alice"], kind=CredentialKind.BITBUCKET_APP_PASSWORD
        ),
        Policy(),
    ),
    "access_level_above_need": (
        GitLabAccess(scopes=["read_api"], group="acme", access_level="owner", holder=ServiceIdentity(service="ci")),
        Policy(),
    ),
    "high_privilege_scope": (GitHubAccess(scopes=["repo"], holder=["alice"]), Policy()),
    "longest_lifetime_requested": (GitHubAccess(scopes=["repo"], holder=["alice"], max_lifetime_days="longest"), Policy()),
    "org_managed_available": (GitLabAccess(scopes=["read_api"], group="acme", holder=["alice"]), Policy()),
}


def planned_codes(access, policy) -> set[str]:
    connection = Connection(name="demo", integration="Demo", owner="team", purpose="testing", access=[access])
    [slot] = plan_project(Project(root=Path("demo"), connections=[connection], policy=policy), TODAY).slots
    return {v.code for v in slot.violations}


def test_every_rule_that_judges_plans_has_a_fixture():
    assert set(FIXTURES) == {rule.code for rule in rules_for(Stage.PLAN)}


@pytest.mark.parametrize("code", sorted(FIXTURES))
def test_the_rule_fires_in_the_plan(code):
    assert code in planned_codes(*FIXTURES[code])


def test_the_lifetime_is_judged_against_the_kind_the_plan_chooses():
    group_token = GitLabAccess(scopes=["read_api"], group="acme", holder=ServiceIdentity(service="ci"),
                               max_lifetime_days=60)
    assert "lifetime_exceeds_policy" not in planned_codes(
        group_token, Policy(max_lifetime_days={CredentialKind.GITLAB_PAT: 30})
    )
    assert "lifetime_exceeds_policy" in planned_codes(
        group_token, Policy(max_lifetime_days={CredentialKind.GITLAB_GROUP_ACCESS_TOKEN: 30})
    )


def test_a_declared_role_at_the_need_of_its_scopes_is_no_violation():
    access = GitLabAccess(scopes=["write_repository"], group="acme", access_level="developer",
                          holder=ServiceIdentity(service="ci"))
    assert "access_level_above_need" not in planned_codes(access, Policy())
