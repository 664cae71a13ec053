"""A pending token request is decided by the declarations: approved within a declared slot, denied with a
reason beyond every slot its requester holds, left undecided when nobody declared the requester or a fact
is not seen."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations import Person, Policy
from scm_access.inventory.decisions import REASON_LIMIT, Decision
from scm_access.inventory.decisions.requests import decide_request
from tests.inventory.decisions.conftest import NOW, request, scanner_access, slots_for


def decide(req, slots=None, policy=None):
    return decide_request(req, slots if slots is not None else slots_for(scanner_access()), policy or Policy(), NOW)


# -- approve ------------------------------------------------------------------------------------------


def test_a_request_for_exactly_the_declared_token_is_approved_naming_the_slot():
    decision = decide(request())
    assert (decision.decision, decision.slot) == (Decision.APPROVE, "scanner/github/dora")


def test_the_requester_login_matches_whatever_its_case():
    assert decide(request(requester="DORA-DEV")).decision == Decision.APPROVE


def test_metadata_read_that_github_adds_to_repository_permissions_is_not_an_excess():
    assert decide(request(scopes=frozenset({"contents:read", "metadata:read"}))).decision == Decision.APPROVE


def test_a_lower_level_of_a_declared_permission_is_within_the_declaration():
    assert decide(request(scopes=frozenset({"issues:read"}))).decision == Decision.APPROVE


def test_fewer_repositories_than_declared_are_within_the_declaration():
    assert decide(request(repositories=frozenset({"acme/Scanner"}))).decision == Decision.APPROVE


def test_all_repositories_are_within_a_declaration_that_names_none():
    slots = slots_for(scanner_access(repositories=[]))
    assert decide(request(repository_selection="all", repositories=None), slots).decision == Decision.APPROVE


def test_an_expiry_a_few_hours_past_the_declared_days_is_within_it():
    assert decide(request(expires_at=NOW + timedelta(days=30, hours=20))).decision == Decision.APPROVE


def test_the_request_is_approved_by_any_one_of_the_requesters_slots():
    slots = slots_for(scanner_access(), scanner_access(scopes=["pull_requests:write"], repositories=["web"]))
    decision = decide(request(scopes=frozenset({"pull_requests:write"}), repositories=frozenset({"acme/web"})), slots)
    assert decision.decision == Decision.APPROVE


# -- deny -----------------------------------------------------------------------------------------------


def test_a_permission_beyond_the_declared_closure_is_denied_naming_it():
    decision = decide(request(scopes=frozenset({"contents:write", "issues:write"})))
    assert decision.decision == Decision.DENY
    assert decision.exceeds == ("permissions not declared: contents:write (declared: contents:read, issues:write)",)


def test_a_repository_not_declared_is_denied_naming_it():
    decision = decide(request(repositories=frozenset({"acme/scanner", "acme/payroll"})))
    assert decision.decision == Decision.DENY
    assert "repositories not declared: acme/payroll" in decision.exceeds[0]


def test_all_repositories_are_denied_where_the_declaration_names_some():
    decision = decide(request(repository_selection="all", repositories=None))
    assert decision.decision == Decision.DENY and decision.exceeds[0].startswith("all repositories")


def test_a_lifetime_longer_than_declared_is_denied():
    decision = decide(request(expires_at=NOW + timedelta(days=60)))
    assert decision.decision == Decision.DENY
    assert decision.exceeds == ("expires 2027-01-30, 60 days after the request (declared: at most 30 days)",)


def test_a_lifetime_within_the_declaration_but_beyond_the_policy_is_denied():
    policy = Policy(max_lifetime_days={CredentialKind.GITHUB_FINE_GRAINED_PAT: 20})
    slots = slots_for(scanner_access(max_lifetime_days=20), policy=policy)
    decision = decide(request(expires_at=NOW + timedelta(days=25)), slots, policy)
    assert decision.decision == Decision.DENY and "at most 20 days" in decision.exceeds[0]


def test_a_token_without_expiry_is_denied():
    decision = decide(request(expires_at=None, never_expires=True))
    assert decision.decision == Decision.DENY and decision.exceeds == ("no expiry (declared: at most 30 days)",)


def test_a_permission_the_catalog_does_not_know_is_denied_as_undeclared():
    decision = decide(request(scopes=frozenset({"contents:read", "teleport:write"})))
    assert decision.decision == Decision.DENY and "teleport:write" in decision.exceeds[0]


def test_the_denial_names_the_closest_slot_of_several():
    slots = slots_for(scanner_access(), scanner_access(scopes=["pull_requests:write"], repositories=["web"]))
    asked = request(scopes=frozenset({"pull_requests:write", "actions:read"}), repositories=frozenset({"acme/web"}))
    decision = decide(asked, slots)
    assert (decision.decision, decision.slot) == (Decision.DENY, "scanner-2/github/dora")
    assert len(decision.exceeds) == 1


def test_the_denial_reason_names_the_slot_the_excess_and_the_link_to_request_instead():
    decision = decide(request(scopes=frozenset({"contents:write"})))
    assert decision.reason.startswith("Denied by scm-access: closest declaration scanner/github/dora (Scanner).")
    assert "contents:write" in decision.reason
    assert decision.link is not None and decision.reason.endswith(f"Request the declared token instead: {decision.link}")


def test_the_link_asks_for_the_declared_permissions_and_lifetime():
    link = decide(request(scopes=frozenset({"contents:write"}))).link
    query = parse_qs(urlsplit(link or "").query)
    assert (query["contents"], query["issues"], query["expires_in"], query["target_name"]) == (
        ["read"], ["write"], ["30"], ["acme"]
    )


def test_the_denial_reason_stays_within_the_platforms_limit_when_the_excess_is_long():
    many = frozenset(f"acme/repository-{n:04}" for n in range(400))
    decision = decide(request(repositories=many))
    assert decision.decision == Decision.DENY and len(decision.reason) <= REASON_LIMIT
    assert "scanner/github/dora" in decision.reason


# -- undecided ------------------------------------------------------------------------------------------


def test_a_requester_nobody_declared_is_left_for_a_person():
    decision = decide(request(requester="mallory"))
    assert decision.decision == Decision.UNDECIDED and "no declaration names mallory" in decision.reason


def test_a_requester_declared_only_for_another_org_is_left_for_a_person():
    assert decide(request(org="other-org")).decision == Decision.UNDECIDED


def test_a_service_identitys_machine_user_is_a_holder_like_a_person():
    from scm_access.declarations import ServiceIdentity

    slots = slots_for(scanner_access(holder=ServiceIdentity(service="scanner-bot", login="scanner-bot")))
    assert decide(request(requester="scanner-bot"), slots).decision == Decision.APPROVE


def test_permissions_not_shown_leave_it_undecided():
    decision = decide(request(scopes=None))
    assert decision.decision == Decision.UNDECIDED and "permissions requested are not shown" in decision.reason


def test_a_subset_of_repositories_not_read_leaves_it_undecided():
    assert decide(request(repositories=None)).decision == Decision.UNDECIDED


def test_an_expiry_not_shown_leaves_it_undecided():
    assert decide(request(expires_at=None, never_expires=None)).decision == Decision.UNDECIDED


def test_a_certain_excess_is_denied_even_when_another_fact_is_not_seen():
    decision = decide(request(scopes=frozenset({"administration:write"}), repositories=None))
    assert decision.decision == Decision.DENY


def test_a_declaration_that_breaks_the_policy_approves_nothing():
    policy = Policy(forbidden_scopes={Platform.GITHUB: ["issues:write"]})
    slots = slots_for(scanner_access(), policy=policy)
    decision = decide(request(), slots, policy)
    assert decision.decision == Decision.UNDECIDED and "forbidden_scope" in decision.reason


def test_a_request_for_another_kind_than_declared_is_left_for_a_person():
    slots = slots_for(scanner_access(scopes=["repo"], repositories=[], holder=[Person(name="dora", login="dora-dev")]))
    assert decide(request(), slots).decision == Decision.UNDECIDED
