"""Judging what an administrator's view found: the same judge as verify, plus what only a view of what
exists shows."""

from __future__ import annotations

from datetime import timedelta

from scm_access.core.kinds import CredentialKind
from scm_access.declarations import Policy
from scm_access.inventory.judging import judge_matched, judge_not_found, judge_undeclared
from scm_access.inventory.model import SourceStatus
from scm_access.judge import Fact, Finding, HolderState, Status
from scm_access.plan.slot import Strategy
from tests.inventory.conftest import POLICY, grant_for, grants_read, scanner_slot
from tests.support.fake_time import NOW


def codes(finding: Finding) -> list[str]:
    return [p.code.value for p in finding.problems]


def test_a_grant_exactly_as_the_instructions_say_is_ok():
    slot = scanner_slot()
    finding = judge_matched(slot, [grant_for(slot)], POLICY, NOW)
    assert (finding.status, codes(finding)) == (Status.OK, [])


def test_a_permission_beyond_the_declaration_is_excess_through_the_catalog():
    slot = scanner_slot()
    found = grant_for(slot, scopes=frozenset({"metadata:read", "contents:write"}))
    assert codes(judge_matched(slot, [found], POLICY, NOW)) == ["excess_scope"]


def test_the_metadata_read_github_adds_by_itself_is_not_excess():
    slot = scanner_slot(scopes=["contents:read"])
    found = grant_for(slot, scopes=frozenset({"contents:read", "metadata:read"}))
    assert judge_matched(slot, [found], POLICY, NOW).status == Status.OK


def test_a_permission_that_contains_the_declared_one_is_not_missing():
    slot = scanner_slot(scopes=["contents:read"])
    found = grant_for(slot, scopes=frozenset({"contents:write"}))
    assert codes(judge_matched(slot, [found], POLICY, NOW)) == ["excess_scope"]


def test_every_repository_where_one_is_declared_is_excess():
    slot = scanner_slot()
    found = grant_for(slot, repository_selection="all", repositories=None)
    finding = judge_matched(slot, [found], POLICY, NOW)
    assert codes(finding) == ["excess_scope"] and "acme/scanner" in finding.problems[0].detail


def test_a_declared_repository_the_grant_does_not_reach_is_missing():
    slot = scanner_slot(repositories=["scanner", "docs"])
    assert codes(judge_matched(slot, [grant_for(slot)], POLICY, NOW)) == ["missing_scope"]


def test_a_subset_whose_repositories_were_not_listed_is_unknown():
    slot = scanner_slot()
    finding = judge_matched(slot, [grant_for(slot, repositories=None)], POLICY, NOW)
    assert (finding.status, codes(finding)) == (Status.UNKNOWN, ["not_observable"])


def test_another_owner_is_wrong_owner():
    slot = scanner_slot()
    assert codes(judge_matched(slot, [grant_for(slot, owner="mallory")], POLICY, NOW)) == ["wrong_owner"]


def test_a_grant_past_its_declared_lifetime_expires_too_late():
    slot = scanner_slot()
    found = grant_for(slot, expires_at=NOW + timedelta(days=300))
    assert codes(judge_matched(slot, [found], POLICY, NOW)) == ["expires_too_late"]


def test_an_expired_grant_reports_only_that():
    slot = scanner_slot()
    found = grant_for(slot, expired=True, expires_at=NOW - timedelta(days=1))
    assert codes(judge_matched(slot, [found], POLICY, NOW)) == ["expired"]


def test_not_used_for_longer_than_the_policy_allows_is_stale():
    slot = scanner_slot()
    found = grant_for(slot, last_used_at=NOW - timedelta(days=61), created_at=NOW - timedelta(days=80))
    assert codes(judge_matched(slot, [found], POLICY, NOW)) == ["stale"]


def test_the_stale_limit_comes_from_the_policy():
    slot = scanner_slot()
    found = grant_for(slot, last_used_at=NOW - timedelta(days=61))
    lenient = POLICY.model_copy(update={"stale_after_days": 90})
    assert codes(judge_matched(slot, [found], lenient, NOW)) == []


def test_never_used_and_older_than_the_stale_limit_is_never_used():
    slot = scanner_slot()
    found = grant_for(slot, last_used_at=None, created_at=NOW - timedelta(days=61))
    assert codes(judge_matched(slot, [found], POLICY, NOW)) == ["never_used"]


def test_a_new_token_not_used_yet_is_no_problem():
    slot = scanner_slot()
    found = grant_for(slot, last_used_at=None, created_at=NOW - timedelta(days=2))
    assert judge_matched(slot, [found], POLICY, NOW).status == Status.OK


def test_a_view_that_does_not_show_use_concludes_nothing_about_it():
    slot = scanner_slot()
    found = grant_for(slot, last_used_at=None, usage_shown=False)
    assert judge_matched(slot, [found], POLICY, NOW).status == Status.OK


def test_a_holder_removed_from_the_organisation_has_departed():
    slot = scanner_slot()
    found = grant_for(slot, owner_state=HolderState.NOT_A_MEMBER)
    assert codes(judge_matched(slot, [found], POLICY, NOW)) == ["holder_departed"]


def test_a_token_valid_in_every_organisation_is_global():
    slot = scanner_slot()
    assert codes(judge_matched(slot, [grant_for(slot, all_organizations=True)], POLICY, NOW)) == ["global_token"]


def test_scopes_a_view_cannot_show_by_nature_make_it_partially_verified():
    slot = scanner_slot()
    found = grant_for(
        slot, scopes=None, blind_to=frozenset({Fact.SCOPES}), unobservable=("scopes: see the token's settings",)
    )
    finding = judge_matched(slot, [found], POLICY, NOW)
    assert (finding.status, finding.facts.unobservable) == (
        Status.PARTIALLY_VERIFIED,
        ["scopes: see the token's settings"],
    )


def test_scopes_a_view_failed_to_show_make_it_unknown():
    slot = scanner_slot()
    finding = judge_matched(slot, [grant_for(slot, scopes=None)], POLICY, NOW)
    assert (finding.status, codes(finding)) == (Status.UNKNOWN, ["not_observable"])


def test_two_credentials_for_one_slot_are_a_duplicate_naming_the_other():
    slot = scanner_slot()
    finding = judge_matched(slot, [grant_for(slot), grant_for(slot, id="25999")], POLICY, NOW)
    assert codes(finding) == ["duplicate"] and "25999" in finding.problems[0].detail


def test_a_classic_token_where_the_policy_forbids_them_is_disallowed():
    slot = scanner_slot(kind=CredentialKind.GITHUB_CLASSIC_PAT, scopes=["repo"])
    found = grant_for(
        slot, kind=CredentialKind.GITHUB_CLASSIC_PAT, scopes=frozenset({"repo"}), repository_selection=None,
        repositories=None,
    )
    strict = POLICY.model_copy(update={"allow_classic_pats": False})
    assert codes(judge_matched(slot, [found], strict, NOW)) == ["classic_pat_disallowed"]


def test_an_undeclared_classic_token_is_judged_by_the_policy_it_is_judged_under_each_time():
    slot = scanner_slot(kind=CredentialKind.GITHUB_CLASSIC_PAT, scopes=["repo"])
    found = grant_for(slot, kind=CredentialKind.GITHUB_CLASSIC_PAT, scopes=frozenset({"repo"}), id="7")
    strict = POLICY.model_copy(update={"allow_classic_pats": False})
    lenient = POLICY.model_copy(update={"allow_classic_pats": True})
    judged = [
        "classic_pat_disallowed" in [p.code.value for p in judge_undeclared(found, policy, NOW)]
        for policy in (strict, lenient, strict, lenient)
    ]
    assert judged == [True, False, True, False]


# -- nothing found ------------------------------------------------------------------------------------


def test_nothing_found_in_a_view_that_was_read_is_missing():
    finding = judge_not_found(scanner_slot(), [grants_read()])
    assert (finding.status, codes(finding)) == (Status.ACTION_REQUIRED, ["missing"])


def test_nothing_found_because_the_view_failed_is_unknown_with_its_reason():
    failed = grants_read(status=SourceStatus.FAILED, detail="GitHub answered HTTP 503")
    finding = judge_not_found(scanner_slot(), [failed])
    assert finding.status == Status.UNKNOWN and "HTTP 503" in (finding.reason or "")


def test_nothing_found_where_no_view_lists_the_kind_is_unknown():
    classic = scanner_slot(kind=CredentialKind.GITHUB_CLASSIC_PAT, scopes=["repo"])
    finding = judge_not_found(classic, [grants_read()])
    assert (finding.status, codes(finding)) == (Status.UNKNOWN, ["not_observable"])


def test_a_view_of_another_organisation_says_nothing_of_the_slot():
    finding = judge_not_found(scanner_slot(), [grants_read(scope="globex")])
    assert finding.status == Status.UNKNOWN


# -- undeclared ---------------------------------------------------------------------------------------


def test_an_undeclared_credential_is_named_and_judged_by_the_policy():
    found = grant_for(scanner_slot(), name="laptop", expires_at=None, never_expires=True)
    problems = judge_undeclared(found, POLICY, NOW)
    assert [p.code.value for p in problems] == ["undeclared_credential", "no_expiry"]
    assert "laptop" in problems[0].detail


def test_an_undeclared_credential_beyond_the_policy_ceiling_expires_too_late():
    found = grant_for(scanner_slot(), expires_at=NOW + timedelta(days=200))
    codes_found = [p.code.value for p in judge_undeclared(found, Policy(default_max_lifetime_days=90), NOW)]
    assert codes_found == ["undeclared_credential", "expires_too_late"]


def test_a_credential_the_stack_made_needs_no_scopes_shown_to_be_ok():
    slot = scanner_slot(strategy=Strategy.PROVISION, kind=CredentialKind.GITHUB_DEPLOY_KEY, scopes=["contents:read"])
    key = grant_for(
        slot, kind=CredentialKind.GITHUB_DEPLOY_KEY, scopes=None, repository_selection=None, repositories=None,
        expires_at=None, never_expires=None, usage_shown=False,
    )
    assert judge_matched(slot, [key], POLICY, NOW).status == Status.OK


def test_a_holder_named_by_email_is_the_declared_holder():
    slot = scanner_slot(holder_email="bruna@acme.example")
    finding = judge_matched(slot, [grant_for(slot, owner="Bruna@Acme.example")], POLICY, NOW)
    assert finding.status == Status.OK
