"""Nothing is sent without --apply, the policy's opt-in and a certain verdict; never more revocations than
the cap in one run."""

from __future__ import annotations

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations import Policy
from scm_access.inventory.decisions import Decision, RequestDecision, RevocationProposal
from scm_access.inventory.decisions.gate import gate_requests, gate_revocations
from tests.inventory.decisions.conftest import request
from tests.inventory.decisions.test_revocation import grant

ENFORCE = Policy(review_token_requests="enforce")
REVOKING = Policy(allow_revocation=True)


def decided(decision: Decision) -> RequestDecision:
    return RequestDecision(request(), decision, "why")


def proposal(cause="undeclared", held=None, **changes) -> RevocationProposal:
    return RevocationProposal(grant(**changes), cause, "detail", "octocat", held=held)


# -- requests -------------------------------------------------------------------------------------------


def test_approvals_and_denials_are_sent_with_apply_under_enforce():
    gated = gate_requests([decided(Decision.APPROVE), decided(Decision.DENY)], ENFORCE, apply=True)
    assert [g.send for g in gated] == [True, True]


def test_nothing_is_sent_without_apply():
    (gated,) = gate_requests([decided(Decision.APPROVE)], ENFORCE, apply=False)
    assert (gated.send, gated.why_not) == (False, "dry run: nothing is sent without --apply")


def test_nothing_is_sent_under_advise_even_with_apply():
    (gated,) = gate_requests([decided(Decision.DENY)], Policy(review_token_requests="advise"), apply=True)
    assert not gated.send and "'advise'" in (gated.why_not or "")


def test_advise_is_the_default():
    assert Policy().review_token_requests == "advise"


def test_an_undecided_request_is_never_sent():
    (gated,) = gate_requests([decided(Decision.UNDECIDED)], ENFORCE, apply=True)
    assert (gated.send, gated.why_not) == (False, "undecided: left for a person")


# -- revocations ----------------------------------------------------------------------------------------


def test_a_revocation_is_sent_with_apply_and_the_opt_in():
    (gated,) = gate_revocations([proposal()], REVOKING, apply=True)
    assert gated.send


def test_nothing_is_revoked_by_default():
    (gated,) = gate_revocations([proposal()], Policy(), apply=True)
    assert not gated.send and "allow_revocation" in (gated.why_not or "")


def test_nothing_is_revoked_without_apply():
    (gated,) = gate_revocations([proposal()], REVOKING, apply=False)
    assert (gated.send, gated.why_not) == (False, "dry run: nothing is sent without --apply")


def test_the_opt_in_for_another_kind_does_not_allow_this_one():
    policy = Policy(allow_revocation=[CredentialKind.GITHUB_CLASSIC_PAT, Platform.GITLAB])
    (gated,) = gate_revocations([proposal()], policy, apply=True)
    assert not gated.send


def test_the_opt_in_for_the_platform_allows_each_of_its_kinds():
    (gated,) = gate_revocations([proposal()], Policy(allow_revocation=[Platform.GITHUB]), apply=True)
    assert gated.send


def test_a_held_proposal_is_never_sent():
    (gated,) = gate_revocations([proposal(held="heuristic")], REVOKING, apply=True)
    assert (gated.send, gated.why_not) == (False, "heuristic")


def test_a_cause_the_policy_does_not_revoke_on_is_not_sent():
    (gated,) = gate_revocations([proposal(cause="excess_scope")], REVOKING, apply=True)
    assert not gated.send and "revoke_when" in (gated.why_not or "")


def test_the_cap_keeps_the_first_proposals_and_holds_the_rest():
    policy = Policy(allow_revocation=True, max_revocations_per_run=2)
    gated = gate_revocations([proposal(id=str(n)) for n in range(4)], policy, apply=True)
    assert [g.send for g in gated] == [True, True, False, False]
    assert "cap of 2" in (gated[2].why_not or "")


def test_held_proposals_do_not_use_up_the_cap():
    policy = Policy(allow_revocation=True, max_revocations_per_run=1)
    gated = gate_revocations([proposal(held="uncertain"), proposal(id="2")], policy, apply=True)
    assert [g.send for g in gated] == [False, True]
