"""The decision documents: what a server said is shown scrubbed of every credential this process knows."""

from __future__ import annotations

from scm_access.declarations import Policy
from scm_access.inventory.decisions import ActResult, Decision, Outcome, RequestDecision, RevocationProposal
from scm_access.inventory.decisions.report import requests_document, revocations_document
from scm_access.judge.secrets import register_secret
from tests.inventory.decisions.conftest import NOW, request
from tests.inventory.decisions.test_revocation import grant

ECHOED = "glpat-ECHOEDbyTHEserver0123456789"


def test_a_credential_a_server_echoed_into_a_refusal_is_not_in_the_revocations_document():
    register_secret(ECHOED)
    proposal = RevocationProposal(grant(), "expired", "detail", "octocat")
    document = revocations_document(NOW, Policy(), True, [(proposal, ActResult("1", Outcome.FAILED, f"refused: {ECHOED}"))])
    assert ECHOED not in str(document)


def test_a_credential_a_server_echoed_into_a_refusal_is_not_in_the_requests_document():
    register_secret(ECHOED)
    decision = RequestDecision(request(), Decision.DENY, "why")
    document = requests_document(NOW, Policy(), True, [], [(decision, ActResult("101", Outcome.FAILED, ECHOED))])
    assert ECHOED not in str(document)


def test_the_counts_add_up():
    decisions = [
        (RequestDecision(request(id="1"), Decision.APPROVE, "a"), ActResult("1", Outcome.DONE)),
        (RequestDecision(request(id="2"), Decision.UNDECIDED, "u"), ActResult("2", Outcome.NOT_SENT, "left")),
    ]
    counts = requests_document(NOW, Policy(), True, [], decisions)["counts"]
    assert counts == {"approve": 1, "deny": 0, "undecided": 1, "done": 1, "failed": 0, "not_sent": 1}
