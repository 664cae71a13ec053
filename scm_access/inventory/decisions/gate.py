"""The one gate every act passes: nothing is sent without ``--apply``, the policy's opt-in and a certain
verdict, and never more revocations than the policy's cap in one run. Pure: it says, for each decision or
proposal, whether to send it and, if not, why not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from scm_access.declarations.policy import Policy
from scm_access.inventory.decisions.model import Decision, RequestDecision, RevocationProposal

T = TypeVar("T")

DRY_RUN = "dry run: nothing is sent without --apply"


@dataclass(frozen=True, slots=True)
class Gated(Generic[T]):
    item: T
    send: bool
    why_not: str | None = None
    """Why it is not sent; None when it is."""


def gate_requests(decisions: Sequence[RequestDecision], policy: Policy, *, apply: bool) -> list[Gated[RequestDecision]]:
    gated = []
    for decision in decisions:
        if decision.decision == Decision.UNDECIDED:
            gated.append(Gated(decision, False, "undecided: left for a person"))
        elif policy.review_token_requests != "enforce":
            gated.append(
                Gated(
                    decision,
                    False,
                    f"the policy's review_token_requests is {policy.review_token_requests!r}: decisions are shown,"
                    " sent only under 'enforce'",
                )
            )
        elif not apply:
            gated.append(Gated(decision, False, DRY_RUN))
        else:
            gated.append(Gated(decision, True))
    return gated


def gate_revocations(
    proposals: Sequence[RevocationProposal], policy: Policy, *, apply: bool
) -> list[Gated[RevocationProposal]]:
    """In the order given (the cap keeps the first ones): at most ``policy.max_revocations_per_run`` sent."""
    gated = []
    sent = 0
    cap = policy.max_revocations_per_run
    for proposal in proposals:
        credential = proposal.credential
        why_not: str | None = None
        if proposal.held is not None:
            why_not = proposal.held
        elif proposal.cause not in policy.revoke_when:
            why_not = f"the policy revokes only on {', '.join(policy.revoke_when) or 'nothing'} (revoke_when)"
        elif not policy.revocation_allowed(credential.platform, credential.kind):
            what = credential.kind.label if credential.kind else f"{credential.platform.value} {credential.kind_label}"
            why_not = f"the policy does not allow revoking a {what} (allow_revocation)"
        elif not apply:
            why_not = DRY_RUN
        elif sent >= cap:
            why_not = f"the run's cap of {cap} revocations is reached (max_revocations_per_run): next run"
        if why_not is None:
            sent += 1
        gated.append(Gated(proposal, why_not is None, why_not))
    return gated
