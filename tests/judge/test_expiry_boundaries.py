"""The judge's expiry boundaries, each held at the exact instant: a credential is expired at its expiry
(not a moment later), a token warns from exactly the warning window, a provisioned credential is due from
exactly the rotation window."""

from __future__ import annotations

from datetime import timedelta

from scm_access.declarations import CredentialKind, Policy
from scm_access.judge import Fact, Observation, Source, Status, judge
from scm_access.plan.slot import Strategy
from tests.verify.conftest import NOW, github_slot

POLICY = Policy(default_max_lifetime_days=90, expiry_warning_days=14, rotate_before_days=7)
INSTANT = timedelta(microseconds=1)


def token_expiring(after: timedelta) -> Observation:
    return Observation(
        kind=CredentialKind.GITHUB_CLASSIC_PAT, owner_login="alice", scopes_granted=["repo"],
        expires_at=NOW + after, never_expires=False,
    )


def provisioned_expiring(after: timedelta) -> Observation:
    return Observation(
        source=Source.PROVIDER, kind=CredentialKind.GITHUB_CLASSIC_PAT, expires_at=NOW + after,
        required=(Fact.EXPIRY,),
    )


def codes_for_token(after: timedelta) -> list[str]:
    return [p.code.value for p in judge(github_slot(), token_expiring(after), POLICY, NOW).problems]


def codes_for_provisioned(after: timedelta) -> list[str]:
    slot = github_slot(strategy=Strategy.PROVISION)
    return [p.code.value for p in judge(slot, provisioned_expiring(after), POLICY, NOW).problems]


def test_a_token_expiring_this_instant_is_expired():
    assert codes_for_token(timedelta(0)) == ["expired"]


def test_a_token_expiring_an_instant_from_now_is_not_yet_expired():
    assert "expired" not in codes_for_token(INSTANT)


def test_a_token_expiring_exactly_at_the_end_of_the_warning_window_warns():
    assert codes_for_token(timedelta(days=POLICY.expiry_warning_days)) == ["expires_soon"]


def test_a_token_expiring_an_instant_after_the_warning_window_is_ok():
    finding = judge(github_slot(), token_expiring(timedelta(days=POLICY.expiry_warning_days) + INSTANT), POLICY, NOW)
    assert finding.status == Status.OK


def test_a_provisioned_credential_expiring_exactly_at_the_end_of_the_rotation_window_is_due():
    assert codes_for_provisioned(timedelta(days=POLICY.rotate_before_days)) == ["expires_soon"]


def test_a_provisioned_credential_expiring_an_instant_after_the_rotation_window_is_not_due():
    assert codes_for_provisioned(timedelta(days=POLICY.rotate_before_days) + INSTANT) == []
