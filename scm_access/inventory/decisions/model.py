"""What the declarations decide about what exists: pending token requests (approve, deny, or leave for a
person) and credentials to revoke; and, for each, whether it was sent and what came back.

Everything here is data: deciding is pure (:mod:`.requests`, :mod:`.revocation`), whether an act may be sent
is one gate (:mod:`.gate`), and sending goes through the platform's own module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations.policy import RevocationCause
from scm_access.inventory.model import FoundCredential, RepositorySelection

REASON_LIMIT = 1024
"""GitHub keeps at most this many characters of a review's reason."""


class Decision(StrEnum):
    APPROVE = "approve"
    """The request is within a declared slot: requester, resources, permissions and expiry."""
    DENY = "deny"
    """The requester holds a declared slot, and the request certainly exceeds every one of theirs."""
    UNDECIDED = "undecided"
    """Left for a person: nobody declared the requester here, or a fact needed to decide was not seen."""


@dataclass(frozen=True, slots=True)
class TokenRequest:
    """A person's pending request for a token to reach an organisation, as the platform lists it.

    ``None`` means *not seen* (never *none*): a decision that needs it is left undecided."""

    platform: Platform
    id: str
    """The platform's id of the request (GitHub ``pat_request_id``): what a review is sent for."""
    org: str
    """The organisation the token asks to reach."""
    requester: str
    """The requester's login."""
    kind: CredentialKind | None
    token_name: str | None = None
    scopes: frozenset[str] | None = None
    """What it asks for, spelled as the platform's scope catalog spells it (``contents:read``)."""
    repository_selection: RepositorySelection | None = None
    repositories: frozenset[str] | None = None
    """Full names (``org/repository``) when the selection is a subset and was read."""
    expires_at: datetime | None = None
    never_expires: bool | None = None
    created_at: datetime | None = None
    reason: str | None = None
    """What the requester wrote; shown, never interpreted."""


@dataclass(frozen=True, slots=True)
class RequestDecision:
    request: TokenRequest
    decision: Decision
    reason: str
    """Why, in one paragraph: for a denial, the text sent with it (at most :data:`REASON_LIMIT` characters)."""
    slot: str | None = None
    """The slot it matched (approve) or came closest to (deny)."""
    exceeds: tuple[str, ...] = ()
    """What goes beyond that slot, one item per fact (deny)."""
    link: str | None = None
    """The pre-filled page to request the declared token instead (deny)."""


class Matched(StrEnum):
    """How the inventory tied a credential to a slot."""

    NAME = "name"
    """By the slot tag in its name, or the id of the resource the stack made: certain."""
    HEURISTIC = "heuristic"
    """By owner, platform and reach alone: a guess, never enough to act on."""


@dataclass(frozen=True, slots=True)
class RevocationCandidate:
    """One credential the inventory found, with what matching and judging said of it."""

    credential: FoundCredential
    slot: str | None = None
    """The declared slot it matched; None: nobody declared it."""
    matched_by: Matched | None = None
    problems: tuple[tuple[str, str], ...] = ()
    """The judge's problems on it, as (code, detail)."""
    certain: bool = True
    """The verdict rests on facts observed: its source was read in full and no fact it needs was unseen.
    False: ``unknown``, never acted on."""
    remedy: str | None = None
    """For an over-scoped credential: how to get the declared one (with the pre-filled link)."""


@dataclass(frozen=True, slots=True)
class Revocability:
    """What revoking a credential through one admin view does."""

    org_access_only: bool
    """True: it removes the organisation's access only (the holder keeps the token elsewhere, e.g. a GitHub
    fine-grained grant); False: the credential itself stops working everywhere."""
    effect: str
    """One sentence for the report, e.g. ``the token loses access to the organisation``."""
    expired_ones_listed: bool = False
    """True: an expired credential stays on this view's list until it is revoked, so revoking it still
    removes something (a GitHub grant: the organisation's approval of the token). False: an expired
    credential already works nowhere and revoking it changes nothing; it is reported (``expired``), never
    proposed."""


@dataclass(frozen=True, slots=True)
class RevocationProposal:
    credential: FoundCredential
    cause: RevocationCause
    detail: str
    """Why, naming the credential and its holder."""
    affected: str
    """The person (or resource) whose credential it is, for the report."""
    slot: str | None = None
    remedy: str | None = None
    held: str | None = None
    """Why it can never be acted on as it stands (an uncertain verdict, a heuristic match); None: it can,
    when the policy and the run allow."""


class Outcome(StrEnum):
    DONE = "done"
    """Sent, and the platform accepted it."""
    FAILED = "failed"
    """Sent, and the platform refused it or gave no usable answer (the reason says which)."""
    NOT_SENT = "not_sent"
    """Not sent: a dry run, the policy, the cap, or an uncertain verdict (the reason says which)."""


@dataclass(frozen=True, slots=True)
class ActResult:
    target: str
    """The id the act was for (a request id, a credential id)."""
    outcome: Outcome
    detail: str = ""
    """What the platform answered (status), or why nothing was sent."""
