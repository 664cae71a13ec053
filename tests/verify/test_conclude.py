"""The checks every platform shares: kind, owner, scopes through the catalog, expiry against the policy."""

from __future__ import annotations

from datetime import timedelta

from scm_access.declarations import CredentialKind, Policy
from scm_access.http import ApiClient
from scm_access.verify import Observation, ProblemCode, Status, Token, VerifyContext
from tests.verify.conftest import CANARY, NOW, github_slot


def conclude(observation: Observation, policy: Policy | None = None, **slot_changes):
    ctx = VerifyContext(
        slot=github_slot(**slot_changes),
        token=Token(CANARY),
        policy=policy or Policy(default_max_lifetime_days=90, expiry_warning_days=14),
        http=ApiClient.__new__(ApiClient),  # never used: conclude sends nothing
        api_root="http://127.0.0.1:9",
        now=NOW,
    )
    return ctx.conclude(observation)


def observed(**changes) -> Observation:
    base = dict(
        kind=CredentialKind.GITHUB_CLASSIC_PAT,
        owner_login="alice",
        scopes_granted=["repo"],
        expires_at=NOW + timedelta(days=60),
        never_expires=False,
    )
    base.update(changes)
    return Observation(**base)


def codes(finding) -> list[str]:
    return [p.code.value for p in finding.problems]


def test_a_token_matching_the_declaration_is_ok():
    finding = conclude(observed())
    assert finding.status == Status.OK
    assert finding.problems == []


def test_granting_a_parent_where_a_child_was_needed_is_excess():
    finding = conclude(observed(scopes_granted=["repo"]), scopes=["public_repo"])
    assert codes(finding) == ["excess_scope"]
    assert "repo" in finding.problems[0].detail


def test_a_parent_covers_its_required_children():
    finding = conclude(observed(scopes_granted=["repo"]), scopes=["repo:status", "public_repo"])
    assert "missing_scope" not in codes(finding)


def test_a_required_scope_not_granted_is_missing():
    finding = conclude(observed(scopes_granted=["repo"]), scopes=["repo", "workflow"])
    assert codes(finding) == ["missing_scope"]
    assert finding.status == Status.ACTION_REQUIRED


def test_a_scope_unknown_to_the_catalog_counts_as_excess():
    finding = conclude(observed(scopes_granted=["repo", "brand_new_scope"]))
    assert codes(finding) == ["excess_scope"]
    assert "brand_new_scope" in finding.problems[0].detail


def test_every_problem_carries_remediation_from_the_instructions():
    finding = conclude(observed(scopes_granted=["repo", "workflow"]))
    assert finding.problems[0].remediation
    assert any("`repo`" in item for step in finding.problems[0].remediation for item in step.items)


def test_a_token_of_another_person_is_wrong_owner():
    assert codes(conclude(observed(owner_login="mallory"))) == ["wrong_owner"]


def test_owner_comparison_ignores_case():
    assert conclude(observed(owner_login="Alice")).status == Status.OK


def test_a_token_of_another_kind_is_wrong_token_kind_and_nothing_else():
    finding = conclude(observed(kind=CredentialKind.GITHUB_FINE_GRAINED_PAT, owner_login="mallory"))
    assert codes(finding) == ["wrong_token_kind"]


def test_a_token_without_expiry_is_no_expiry():
    finding = conclude(observed(expires_at=None, never_expires=True))
    assert codes(finding) == ["no_expiry"]


def test_a_token_without_expiry_is_fine_when_the_policy_allows_it():
    policy = Policy(require_expiry=False)
    assert conclude(observed(expires_at=None, never_expires=True), policy).status == Status.OK


def test_expiry_beyond_the_policy_ceiling_is_expires_too_late():
    policy = Policy(default_max_lifetime_days=30)
    finding = conclude(observed(expires_at=NOW + timedelta(days=60)), policy, lifetime_days=30)
    assert codes(finding) == ["expires_too_late"]


def test_expiry_within_the_warning_window_is_expires_soon():
    finding = conclude(observed(expires_at=NOW + timedelta(days=5)))
    assert codes(finding) == ["expires_soon"]


def test_a_past_expiry_is_expired():
    assert codes(conclude(observed(expires_at=NOW - timedelta(days=1)))) == ["expired"]


def test_an_unread_expiry_fails_closed_to_unknown():
    finding = conclude(observed(expires_at=None, never_expires=None))
    assert finding.status == Status.UNKNOWN
    assert codes(finding) == ["not_observable"]
    assert finding.reason


def test_an_unread_owner_fails_closed_to_unknown():
    assert conclude(observed(owner_login=None)).status == Status.UNKNOWN


def test_an_unrecognised_kind_fails_closed_to_unknown():
    assert conclude(observed(kind=None)).status == Status.UNKNOWN


def test_a_rejected_token_reports_only_that():
    observation = Observation(kind=CredentialKind.GITHUB_CLASSIC_PAT)
    observation.add(ProblemCode.INVALID_TOKEN, "rejected")
    finding = conclude(observation)
    assert codes(finding) == ["invalid_token"]
    assert finding.status == Status.ACTION_REQUIRED


def test_facts_show_at_most_the_last_four_characters():
    finding = conclude(observed())
    assert finding.facts.token_last_four == CANARY[-4:]
    assert CANARY not in finding.model_dump_json()
