"""A change of any policy setting reads with a direction a reviewer can act on, never as a bare "changed" when
it allows more, and a change that lets scm-access itself revoke or deny more is a warning of its own."""

from __future__ import annotations

import pytest

from scm_access.declarations import Connection, GitHubAccess, GitLabAccess, Policy, ServiceIdentity
from scm_access.review import policy_settings
from scm_access.review.model import Level
from tests.review.conftest import planned, reviewed


def test_every_policy_setting_has_a_reading():
    assert set(Policy.model_fields) == set(policy_settings.READERS) | policy_settings.PER_ITEM


def test_no_setting_is_read_twice():
    assert not set(policy_settings.READERS) & policy_settings.PER_ITEM


@pytest.mark.parametrize(
    ("setting", "old", "new", "direction"),
    [
        ("allow_classic_pats", False, True, "relaxed"),
        ("require_expiry", True, False, "relaxed"),
        ("prefer_org_managed", False, True, "tightened"),
        ("expiry_warning_days", 14, 3, "relaxed"),
        ("expiry_warning_days", 14, 30, "tightened"),
        ("stale_after_days", 90, 365, "relaxed"),
        ("stale_after_days", 90, 30, "tightened"),
        ("deliver_tokens_with", ["expires_soon"], ["expires_soon", "excess_scope"], "relaxed"),
        ("deliver_tokens_with", ["expires_soon", "excess_scope"], ["expires_soon"], "tightened"),
        ("gitlab_prefer_service_accounts", False, True, "changed"),
        ("allow_revocation", False, ["gitlab"], "widened"),
        ("allow_revocation", ["gitlab"], True, "widened"),
        ("allow_revocation", ["gitlab"], ["gitlab", "github_fine_grained_pat"], "widened"),
        ("allow_revocation", True, ["gitlab"], "changed"),
        ("allow_revocation", ["gitlab"], False, "changed"),
        ("revoke_when", ["undeclared"], ["undeclared", "excess_scope"], "widened"),
        ("revoke_when", ["undeclared", "expired"], ["undeclared"], "changed"),
        ("max_revocations_per_run", 5, 50, "widened"),
        ("max_revocations_per_run", 5, 1, "changed"),
        ("review_token_requests", "advise", "enforce", "widened"),
        ("review_token_requests", "advise", "off", "relaxed"),
        ("review_token_requests", "off", "advise", "tightened"),
        ("review_token_requests", "enforce", "advise", "changed"),
    ],
)
def test_a_setting_change_reads_with_its_direction(setting, old, new, direction):
    assert policy_settings.read(setting, old, new).direction == direction


def test_a_set_change_names_what_was_added_and_removed():
    reading = policy_settings.read("revoke_when", ["undeclared", "expired"], ["undeclared", "excess_scope"])
    assert reading.summary == "revoke when + excess_scope, − expired"


def test_allowing_revocation_says_what_scm_access_may_now_revoke():
    reading = policy_settings.read("allow_revocation", False, ["gitlab"])
    assert reading.summary == "scm-access may now revoke or delete: gitlab (before: nothing)"


def test_a_setting_from_a_newer_tool_reads_as_changed():
    assert policy_settings.read("some_future_setting", 1, 2).direction == "changed"


# -- through the review ---------------------------------------------------------------------------------


def _connections() -> list[Connection]:
    return [
        Connection(
            name="deploy",
            integration="Deploy",
            owner="platform",
            purpose="Deploys.",
            access=[GitLabAccess(group="acme/platform", scopes=["read_repository"], holder=ServiceIdentity(service="deploy-bot"))],
        ),
        Connection(
            name="sync",
            integration="Sync",
            owner="platform",
            purpose="Syncs.",
            access=[GitHubAccess(org="acme", repositories=["x"], scopes=["metadata:read"], holder=["alice"])],
        ),
    ]


@pytest.fixture(scope="module")
def revocation_allowed():
    base = planned(_connections(), Policy())
    head = planned(_connections(), Policy(allow_revocation=["gitlab"]))
    return reviewed(base, head)


def test_allowing_revocation_is_a_widened_policy_change(revocation_allowed):
    [change] = revocation_allowed.policy
    assert (change.setting, change.direction) == ("allow_revocation", "widened")


def test_allowing_revocation_names_the_slots_that_become_revocable(revocation_allowed):
    [change] = revocation_allowed.policy
    assert change.affected_slots == ["deploy/gitlab/deploy-bot"]


def test_allowing_revocation_is_a_warning_of_its_own_rule(revocation_allowed):
    [finding] = [f for f in revocation_allowed.findings if f.rule.startswith("review/policy")]
    assert (finding.rule, finding.level) == ("review/policy-writes-widened", Level.WARNING)


def test_the_verdict_line_says_the_policy_lets_scm_access_revoke_more(revocation_allowed):
    from scm_access.review.summary import verdict_line

    assert verdict_line(revocation_allowed, None) == "Policy lets scm-access revoke or deny more (1 setting)."
