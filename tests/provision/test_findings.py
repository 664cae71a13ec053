"""Findings of provisioned slots, judged on what the provider reports (fail closed)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scm_access.declarations import Connection, GitLabAccess, Policy, ServiceIdentity
from scm_access.plan.planner import plan
from scm_access.provision.findings import blocked, judge, missing
from scm_access.validate import validate

TODAY = date(2026, 11, 23)
POLICY = Policy(rotate_before_days=7)


@pytest.fixture(scope="module")
def slot():
    connection = Connection(
        name="docs", integration="Docs", owner="o", purpose="p",
        access=[GitLabAccess(scopes=["read_api", "write_repository"], group="acme",
                             holder=ServiceIdentity(service="ci"), max_lifetime_days=90)],
    )
    (planned,) = plan(validate([connection], POLICY), POLICY, TODAY).slots
    return planned


def seen(**facts):
    return {"scopes": ["read_api", "write_repository"], "expires_at": (TODAY + timedelta(days=80)).isoformat(),
            "active": True, "revoked": False, **facts}


def test_reported_facts_matching_the_slot_are_ok(slot):
    finding = judge(slot, [seen()], policy=POLICY, today=TODAY, required=("scopes", "expires_at"))
    assert finding.status == "ok" and finding.problems == []


def test_the_owner_is_what_the_provider_reported_never_the_declared_holder(slot):
    unreported = judge(slot, [seen()], policy=POLICY, today=TODAY, required=("scopes",))
    reported = judge(slot, [seen(owner="service_account_group_7_abc")], policy=POLICY, today=TODAY, required=("scopes",))
    assert (unreported.facts.owner_login, reported.facts.owner_login) == (None, "service_account_group_7_abc")


def test_a_fact_the_provider_did_not_report_gives_unknown(slot):
    finding = judge(slot, [seen(expires_at=None)], policy=POLICY, today=TODAY, required=("scopes", "expires_at"))
    assert finding.status == "unknown" and finding.problems[0].code == "not_observable"


def test_revoked_token_is_reported(slot):
    finding = judge(slot, [seen(revoked=True)], policy=POLICY, today=TODAY, required=())
    assert [p.code for p in finding.problems] == ["revoked"]


def test_scopes_beyond_the_declaration_are_excess(slot):
    finding = judge(slot, [seen(scopes=["api"])], policy=POLICY, today=TODAY, required=())
    assert "excess_scope" in [p.code for p in finding.problems]


def test_expiry_beyond_the_slot_lifetime_is_too_late(slot):
    late = (TODAY + timedelta(days=200)).isoformat()
    finding = judge(slot, [seen(expires_at=late)], policy=POLICY, today=TODAY, required=())
    assert [p.code for p in finding.problems] == ["expires_too_late"]


def test_expiry_inside_the_rotation_window_says_rotation_is_due(slot):
    soon = (TODAY + timedelta(days=3)).isoformat()
    finding = judge(slot, [seen(expires_at=soon)], policy=POLICY, today=TODAY, required=())
    assert finding.problems[0].code == "expires_soon" and "rotation is due" in finding.problems[0].detail


def test_expiry_before_the_rotation_window_is_not_a_problem(slot):
    later = (TODAY + timedelta(days=10)).isoformat()
    assert judge(slot, [seen(expires_at=later)], policy=POLICY, today=TODAY, required=()).status == "ok"


def test_problems_point_to_pulumi_up(slot):
    finding = judge(slot, [seen(revoked=True)], policy=POLICY, today=TODAY, required=())
    assert "pulumi up" in finding.problems[0].remediation[0].text


def test_missing_finding_carries_the_reason(slot):
    finding = missing(slot, "no credentials")
    assert (finding["status"], finding["reason"]) == ("missing", "no credentials")


def test_blocked_slot_is_missing_and_names_the_broken_rule(slot):
    from scm_access.rules import Severity, Violation

    broken = slot.model_copy(update={"violations": [Violation(code="forbidden_scope", severity=Severity.ERROR,
                                                               message="grants forbidden scope 'api'")]})
    finding = blocked(broken)
    assert finding["status"] == "missing" and "forbidden_scope: grants forbidden scope 'api'" in finding["reason"]
