"""The judge: one slot and what was seen of its credential give one finding, whoever looked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scm_access.declarations import CredentialKind, Policy
from scm_access.judge import Fact, Finding, Observation, Problem, ProblemCode, Source, Status, judge, worst_status
from scm_access.plan.slot import Strategy
from scm_access.verify.report import exit_code_for
from tests.verify.conftest import NOW, github_slot

POLICY = Policy(default_max_lifetime_days=90, expiry_warning_days=14, rotate_before_days=7)


def seen_token(**changes) -> Observation:
    fields = dict(
        kind=CredentialKind.GITHUB_CLASSIC_PAT,
        owner_login="alice",
        scopes_granted=["repo"],
        expires_at=NOW + timedelta(days=60),
        never_expires=False,
    )
    fields.update(changes)
    return Observation(**fields)


def codes(finding: Finding) -> list[str]:
    return [p.code.value for p in finding.problems]


# -- the status order ---------------------------------------------------------------------------------


def test_everything_seen_and_right_is_ok():
    assert judge(github_slot(), seen_token(), POLICY, NOW).status == Status.OK


def test_a_certain_problem_decides_even_when_a_request_failed():
    observation = seen_token(scopes_granted=["read:org"])
    observation.add(ProblemCode.API_ERROR, "GitHub answered HTTP 503 to GET /repos/acme/x")
    finding = judge(github_slot(scopes=["repo", "write:packages"]), observation, POLICY, NOW)
    assert finding.status == Status.ACTION_REQUIRED
    assert set(codes(finding)) == {"api_error", "missing_scope", "excess_scope"}


@pytest.mark.parametrize("code", [ProblemCode.API_ERROR, ProblemCode.RATE_LIMITED, ProblemCode.NOT_OBSERVABLE])
def test_a_fact_not_seen_with_nothing_certainly_wrong_is_unknown_with_the_reason(code):
    observation = seen_token()
    observation.add(code, "the answer did not tell")
    finding = judge(github_slot(), observation, POLICY, NOW)
    assert (finding.status, finding.reason) == (Status.UNKNOWN, "the answer did not tell")


def test_a_required_fact_not_seen_is_never_taken_as_right():
    finding = judge(github_slot(), seen_token(owner_login=None), POLICY, NOW)
    assert (finding.status, codes(finding)) == (Status.UNKNOWN, ["not_observable"])


def test_one_order_decides_for_several_findings():
    assert worst_status([Status.OK, Status.UNKNOWN, Status.ACTION_REQUIRED, Status.MISSING]) == Status.ACTION_REQUIRED
    assert worst_status([Status.OK, Status.UNKNOWN, Status.MISSING]) == Status.UNKNOWN
    assert worst_status([Status.MISSING]) is None


def test_the_exit_code_follows_the_status_that_decides():
    def finding(status: Status) -> Finding:
        return Finding(slot="s", connection="c", platform="github", holder="h", status=status)

    assert exit_code_for([finding(Status.UNKNOWN), finding(Status.ACTION_REQUIRED)]) == 1
    assert exit_code_for([finding(Status.OK), finding(Status.UNKNOWN)]) == 3
    assert exit_code_for([finding(Status.MISSING)]) == 0


# -- one judge for every source ---------------------------------------------------------------------------


def provisioned_slot(**changes):
    return github_slot(strategy=Strategy.PROVISION, **changes)


def test_a_provider_observation_is_judged_with_the_same_scope_comparison_as_a_token():
    token = judge(github_slot(scopes=["public_repo"]), seen_token(scopes_granted=["repo"]), POLICY, NOW)
    provider = Observation(
        source=Source.PROVIDER, kind=CredentialKind.GITHUB_CLASSIC_PAT, scopes_granted=["repo"],
        required=(Fact.SCOPES,),
    )
    provisioned = judge(provisioned_slot(scopes=["public_repo"]), provider, POLICY, NOW)
    assert codes(token) == codes(provisioned) == ["excess_scope"]
    assert token.problems[0].detail == provisioned.problems[0].detail


def test_a_provisioned_credential_needs_no_owner_and_is_fixed_by_the_stack():
    observation = Observation(
        source=Source.PROVIDER, kind=CredentialKind.GITHUB_CLASSIC_PAT, owner_login="service_account_7",
        scopes_granted=["read:org"], required=(Fact.SCOPES,),
    )
    finding = judge(provisioned_slot(), observation, POLICY, NOW)
    assert "wrong_owner" not in codes(finding)
    assert all("pulumi up" in p.remediation[0].text for p in finding.problems)


def test_a_provisioned_credential_is_due_only_inside_the_rotation_window():
    def expiring(days):
        return Observation(source=Source.PROVIDER, kind=CredentialKind.GITHUB_CLASSIC_PAT,
                           expires_at=NOW + timedelta(days=days), required=(Fact.EXPIRY,))

    assert judge(provisioned_slot(), expiring(10), POLICY, NOW).status == Status.OK  # a token would warn at 14
    assert codes(judge(provisioned_slot(), expiring(5), POLICY, NOW)) == ["expires_soon"]
    assert codes(judge(github_slot(), seen_token(expires_at=NOW + timedelta(days=10)), POLICY, NOW)) == ["expires_soon"]


def test_observations_of_several_resources_name_the_resource_and_merge_their_facts():
    def key(target, read_only):
        return Observation(source=Source.PROVIDER, kind=CredentialKind.GITHUB_CLASSIC_PAT, read_only=read_only,
                           wants_read_only=True, target=target, required=(Fact.READ_ONLY,))

    finding = judge(provisioned_slot(), [key("acme/a", True), key("acme/b", False)], POLICY, NOW)
    assert [p.detail for p in finding.problems] == ["the key can push but only read access is declared (acme/b)"]


def test_the_source_already_saying_wrong_kind_is_not_said_twice():
    observation = seen_token(kind=None, kind_label="GitHub OAuth app token")
    observation.problems.append(Problem(code=ProblemCode.WRONG_TOKEN_KIND, detail="an OAuth token"))
    assert codes(judge(github_slot(), observation, POLICY, NOW)) == ["wrong_token_kind"]


# -- the expiry: platforms give dates, so a credential may end up to a day past its allowed lifetime -----------


def test_an_expiry_within_a_day_past_the_allowed_lifetime_passes_and_one_beyond_that_day_does_not():
    slot = github_slot(lifetime_days=90)
    within_the_day = judge(slot, seen_token(expires_at=NOW + timedelta(days=90, hours=23)), POLICY, NOW)
    assert ProblemCode.EXPIRES_TOO_LATE.value not in codes(within_the_day)
    past_the_day = judge(slot, seen_token(expires_at=NOW + timedelta(days=91, hours=1)), POLICY, NOW)
    assert codes(past_the_day) == [ProblemCode.EXPIRES_TOO_LATE.value]
