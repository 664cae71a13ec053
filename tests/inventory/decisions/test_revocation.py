"""What the inventory found is proposed for revocation on a named cause, and held when the verdict is not
certain or the match was a guess."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.inventory.decisions import Matched, Revocability, RevocationCandidate
from scm_access.inventory.decisions.revocation import propose_revocations
from scm_access.inventory.model import FoundCredential, HolderState
from tests.inventory.decisions.conftest import NOW

GRANT = Revocability(org_access_only=True, effect="the token loses access to the organisation", expired_ones_listed=True)
TOKEN = Revocability(org_access_only=False, effect="the token stops working")


def grant(**changes) -> FoundCredential:
    fields = {
        "platform": Platform.GITHUB,
        "source": "fine_grained_grants",
        "id": "25381",
        "kind": CredentialKind.GITHUB_FINE_GRAINED_PAT,
        "kind_label": "fine-grained personal access token",
        "name": "Some Token",
        "owner": "octocat",
        "owner_state": HolderState.ACTIVE,
        "scope": "acme",
        "expires_at": NOW + timedelta(days=10),
        "expired": False,
    }
    fields.update(changes)
    return FoundCredential(**fields)


def propose(*candidates, revocability=GRANT):
    return propose_revocations(candidates, NOW, lambda _: revocability)


def test_an_undeclared_grant_is_proposed_naming_its_holder():
    (proposal,) = propose(RevocationCandidate(grant()))
    assert (proposal.cause, proposal.affected, proposal.held) == ("undeclared", "octocat", None)
    assert "no declaration covers it; the token loses access to the organisation" in proposal.detail


def test_an_undeclared_token_whose_revocation_would_end_it_everywhere_is_not_proposed():
    assert propose(RevocationCandidate(grant()), revocability=TOKEN) == []


def test_an_expired_credential_is_proposed():
    (proposal,) = propose(RevocationCandidate(grant(expired=True), slot="scanner/github/dora", matched_by=Matched.NAME))
    assert proposal.cause == "expired"


def test_an_expired_token_that_works_nowhere_any_more_is_not_proposed():
    # GitLab, Azure DevOps: an expired token already fails everywhere; revoking it would change nothing.
    candidate = RevocationCandidate(grant(expired=True), slot="scanner/gitlab/dora", matched_by=Matched.NAME)
    assert propose(candidate, revocability=TOKEN) == []


def test_an_expired_token_of_a_departed_holder_is_not_proposed_either():
    candidate = RevocationCandidate(grant(owner_state=HolderState.BLOCKED, expires_at=NOW - timedelta(days=1)))
    assert propose(candidate, revocability=TOKEN) == []


def test_a_departed_holders_token_still_in_force_is_proposed_where_revoking_ends_it():
    (proposal,) = propose(RevocationCandidate(grant(owner_state=HolderState.BLOCKED)), revocability=TOKEN)
    assert proposal.cause == "holder_departed"


def test_an_expiry_in_the_past_counts_as_expired_when_the_flag_is_not_shown():
    (proposal,) = propose(RevocationCandidate(grant(expired=None, expires_at=NOW - timedelta(seconds=1))))
    assert proposal.cause == "expired"


def test_a_departed_holders_credential_is_proposed_on_that_cause_first():
    (proposal,) = propose(RevocationCandidate(grant(owner_state=HolderState.DELETED, expired=True)))
    assert (proposal.cause, proposal.detail.endswith("the account was deleted")) == ("holder_departed", True)


def test_an_over_scoped_grant_is_proposed_with_the_remedy():
    candidate = RevocationCandidate(
        grant(),
        slot="scanner/github/dora",
        matched_by=Matched.NAME,
        problems=(("excess_scope", "contents:write beyond contents:read"),),
        remedy="create the declared token: https://github.com/settings/personal-access-tokens/new?contents=read",
    )
    (proposal,) = propose(candidate)
    assert (proposal.cause, proposal.remedy) == ("excess_scope", candidate.remedy)


def test_a_matched_credential_with_nothing_wrong_is_not_proposed():
    assert propose(RevocationCandidate(grant(), slot="scanner/github/dora", matched_by=Matched.NAME)) == []


def test_an_uncertain_verdict_is_proposed_but_held():
    (proposal,) = propose(RevocationCandidate(grant(expired=True), certain=False))
    assert proposal.held is not None and "not certain" in proposal.held


def test_a_heuristic_match_is_proposed_but_held():
    candidate = RevocationCandidate(grant(expired=True), slot="scanner/github/dora", matched_by=Matched.HEURISTIC)
    (proposal,) = propose(candidate)
    assert proposal.held is not None and "heuristic" in proposal.held


def test_a_revoked_credential_is_not_proposed_again():
    assert propose(RevocationCandidate(grant(revoked=True, expired=True))) == []


def test_a_credential_its_view_cannot_revoke_is_not_proposed():
    assert propose_revocations([RevocationCandidate(grant(expired=True))], NOW, lambda _: None) == []


def test_proposals_come_departed_first_then_expired_then_undeclared():
    undeclared = RevocationCandidate(grant(id="1"))
    expired = RevocationCandidate(replace(grant(id="2"), expired=True))
    departed = RevocationCandidate(grant(id="3", owner_state=HolderState.NOT_A_MEMBER))
    assert [p.cause for p in propose(undeclared, expired, departed)] == ["holder_departed", "expired", "undeclared"]
