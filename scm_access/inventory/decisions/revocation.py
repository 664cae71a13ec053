"""Which credentials the inventory found to propose revoking, and why: pure (candidates + now → proposals).

Proposed: a grant nobody declared, where revoking it removes only the organisation's access (a GitHub
fine-grained grant: the holder keeps their token for everything else); a credential that expired, where the
view keeps listing it until it is revoked (a GitHub grant; an expired GitLab or Azure DevOps token works
nowhere, and revoking it would change nothing: it is reported, not proposed); one whose
holder left (deleted, blocked, no longer a member); one that grants more than its declaration (with the
remedy: get the declared one first). A proposal that rests on an uncertain verdict or on a heuristic match
is still shown, marked as held: it is never acted on. Whether an act is sent is :mod:`.gate`'s question.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from scm_access.declarations.policy import RevocationCause
from scm_access.inventory.decisions.model import Matched, Revocability, RevocationCandidate, RevocationProposal
from scm_access.inventory.model import FoundCredential, HolderState

DEPARTED = {
    HolderState.DELETED: "the account was deleted",
    HolderState.BLOCKED: "the account is blocked",
    HolderState.NOT_A_MEMBER: "the account is no longer a member",
}
EXCESS_CODE = "excess_scope"

CAUSE_ORDER: tuple[RevocationCause, ...] = ("holder_departed", "expired", "undeclared", "excess_scope")
"""The order proposals are acted on when a run's cap cuts the list: the plainest cases first."""


def propose_revocations(
    candidates: Iterable[RevocationCandidate],
    now: datetime,
    revocability: Callable[[FoundCredential], Revocability | None],
) -> list[RevocationProposal]:
    """One proposal per credential (its first cause in :data:`CAUSE_ORDER`), ordered by cause, then platform
    and id. ``revocability`` says what revoking through the credential's view does (None: it cannot be
    revoked through it, and nothing is proposed)."""
    proposals = [p for c in candidates if (p := _propose(c, now, revocability(c.credential))) is not None]
    return sorted(
        proposals, key=lambda p: (CAUSE_ORDER.index(p.cause), p.credential.platform.value, p.credential.id)
    )


def _propose(
    candidate: RevocationCandidate, now: datetime, revocability: Revocability | None
) -> RevocationProposal | None:
    credential = candidate.credential
    if revocability is None or credential.revoked or (credential.active is False and credential.expired is not True):
        return None  # nothing to revoke through this view, or already gone
    expired = bool(credential.expired or (credential.expires_at is not None and credential.expires_at <= now))
    if expired and not revocability.expired_ones_listed:
        return None  # it works nowhere any more: revoking it would change nothing (the finding says expired)
    codes = {code for code, _ in candidate.problems}
    who = credential.owner or "an unknown holder"
    what = _describe(credential)
    cause: RevocationCause
    remedy = None
    if credential.owner_state in DEPARTED:
        cause = "holder_departed"
        detail = f"{what} of {who}: {DEPARTED[credential.owner_state]}"
    elif expired:
        cause = "expired"
        when = f" on {credential.expires_at.date().isoformat()}" if credential.expires_at else ""
        detail = f"{what} of {who} expired{when}"
    elif candidate.slot is None and revocability.org_access_only:
        cause = "undeclared"
        detail = f"{what} of {who}: no declaration covers it; {revocability.effect}"
    elif candidate.slot is not None and EXCESS_CODE in codes:
        cause = "excess_scope"
        excess = next(d for c, d in candidate.problems if c == EXCESS_CODE)
        detail = f"{what} of {who} grants more than {candidate.slot} declares: {excess}"
        remedy = candidate.remedy or f"create the token {candidate.slot} declares first (scm-access instructions)"
    else:
        return None
    return RevocationProposal(
        credential=credential,
        cause=cause,
        detail=detail,
        affected=who,
        slot=candidate.slot,
        remedy=remedy,
        held=_held(candidate),
    )


def _held(candidate: RevocationCandidate) -> str | None:
    if not candidate.certain:
        return "the verdict is not certain (unknown): never acted on"
    if candidate.matched_by == Matched.HEURISTIC:
        return f"matched to {candidate.slot} by owner and reach only (heuristic): never acted on"
    return None


def _describe(credential: FoundCredential) -> str:
    name = f" {credential.name!r}" if credential.name else ""
    return f"{credential.kind_label}{name} (id {credential.id})"
