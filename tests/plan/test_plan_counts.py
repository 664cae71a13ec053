"""A plan's counts: slots by strategy, violations by severity, as the terminal, plan.json and the index show."""

from scm_access.declarations import Connection, GitHubAccess, GitLabAccess, Platform, Policy, ServiceIdentity
from scm_access.plan.planner import plan
from scm_access.plan.slot import Strategy
from scm_access.rules import Severity
from scm_access.validate import validate


def test_counts_are_the_slots_and_violations_counted_one_by_one(today):
    policy = Policy(forbidden_scopes={Platform.GITHUB: ["delete_repo"]})
    connections = [
        Connection(name="a", integration="A", owner="t", purpose="p",
                   access=[GitHubAccess(scopes=["repo", "delete_repo"], org="acme", holder=["ana", "bruna"])]),
        Connection(name="b", integration="B", owner="t", purpose="p",
                   access=[GitLabAccess(scopes=["read_api"], group="acme", holder=ServiceIdentity(service="ci"))]),
    ]
    result = plan(validate(connections, policy), policy, today)
    violations = [v for s in result.slots for v in s.violations]
    errors = sum(1 for v in violations if v.severity == Severity.ERROR)
    assert errors and len(violations) > errors  # both severities, and both strategies below
    assert result.counts() == {
        "slots": 3,
        "provision": sum(1 for s in result.slots if s.strategy == Strategy.PROVISION),
        "user_pat": sum(1 for s in result.slots if s.strategy == Strategy.USER_PAT),
        "errors": errors,
        "warnings": len(violations) - errors,
    }
    assert result.counts()["provision"] == 1 and result.counts()["user_pat"] == 2
