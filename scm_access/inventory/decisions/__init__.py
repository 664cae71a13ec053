"""Decisions from the declarations about what exists: approve or deny pending token requests, revoke what
nobody declared. Deciding is pure; sending happens only with the policy's opt-in, on a certain verdict and
never in a dry run (:mod:`.gate`), through the platform's own module (:mod:`.actors`)."""

from scm_access.inventory.decisions.model import (
    REASON_LIMIT,
    ActResult,
    Decision,
    Matched,
    Outcome,
    RequestDecision,
    Revocability,
    RevocationCandidate,
    RevocationProposal,
    TokenRequest,
)

__all__ = [
    "REASON_LIMIT",
    "ActResult",
    "Decision",
    "Matched",
    "Outcome",
    "RequestDecision",
    "Revocability",
    "RevocationCandidate",
    "RevocationProposal",
    "TokenRequest",
]
