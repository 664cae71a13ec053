"""Findings: the verdict on one slot, with stable problem codes, and the one order of statuses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


class Status(StrEnum):
    OK = "ok"
    """Every required fact was observed and matches the declaration and the policy."""
    ACTION_REQUIRED = "action_required"
    """Something observed is certainly wrong; the problems say what and how to fix it."""
    UNKNOWN = "unknown"
    """Nothing observed is wrong, but a required fact could not be seen (API error, rate limit, unreadable
    answer): never treated as ok."""
    PARTIALLY_VERIFIED = "partially_verified"
    """Everything that can be seen was seen and is right; some facts cannot be seen from here by their nature
    (e.g. a fine-grained token's other permissions): the finding says which, and where to settle them."""
    MISSING = "missing"
    """No token or inventory was available to look at."""


class ProblemCode(StrEnum):
    INVALID_TOKEN = "invalid_token"
    EXPIRED = "expired"
    REVOKED = "revoked"
    WRONG_TOKEN_KIND = "wrong_token_kind"
    MISSING_SCOPE = "missing_scope"
    EXCESS_SCOPE = "excess_scope"
    NO_EXPIRY = "no_expiry"
    EXPIRES_TOO_LATE = "expires_too_late"
    EXPIRES_SOON = "expires_soon"
    SSO_NOT_AUTHORIZED = "sso_not_authorized"
    NOT_IN_REQUIRED_GROUP = "not_in_required_group"
    MEMBERSHIP_NOT_PUBLIC = "membership_not_public"
    WRONG_OWNER = "wrong_owner"
    API_ERROR = "api_error"
    RATE_LIMITED = "rate_limited"
    NOT_OBSERVABLE = "not_observable"
    """A required fact was not seen (an unreadable header, an answer that does not tell)."""
    # -- the admin inventory (what exists, read without the holder's token) --
    MISSING = "missing"
    """Declared, but an administrator's view that lists such credentials shows none for the slot."""
    UNDECLARED_CREDENTIAL = "undeclared_credential"
    """A credential exists that no declaration accounts for."""
    STALE = "stale"
    """Not used for longer than the policy's (or ``--stale-days``) limit."""
    NEVER_USED = "never_used"
    """The view shows usage, and this credential was never used (and is older than the stale limit)."""
    HOLDER_DEPARTED = "holder_departed"
    """The account it belongs to was deleted, blocked, or removed from the organisation or its directory."""
    GLOBAL_TOKEN = "global_token"
    """Azure DevOps: valid in every organisation the user can reach, not the one declared."""
    CLASSIC_PAT_DISALLOWED = "classic_pat_disallowed"
    """A kind of token the policy does not allow (the plan rule of the same code, on what exists)."""
    DUPLICATE = "duplicate"
    """Several credentials exist for one declared slot."""


NO_ANSWER_CODES = frozenset({ProblemCode.API_ERROR, ProblemCode.RATE_LIMITED})
"""The platform gave no usable answer: nothing about the token was concluded from that request."""
UNCERTAIN_CODES = NO_ANSWER_CODES | {ProblemCode.NOT_OBSERVABLE}
"""Problems that say a fact was not seen, not that something is wrong: alone they make a finding unknown."""


class RemediationStep(BaseModel):
    """One thing to do about a problem, as structured as the instruction step it repeats; each output
    format renders it its own way (terminal styles, Markdown lists, JSON fields)."""

    model_config = ConfigDict(frozen=True)

    text: str
    """May hold **bold** UI labels and `code` spans, the instructions' Markdown subset."""
    link: str | None = None
    items: list[str] = Field(default_factory=list)
    """Sub-items kept as a nested list: scopes to tick, fields to fill."""
    numbered: bool = True
    """False for a sentence that introduces or closes the numbered steps rather than being one."""


def _as_steps(value: object) -> object:
    # A plain sentence is accepted where a step is expected: it stays a sentence, never a numbered step.
    if isinstance(value, list):
        return [RemediationStep(text=item, numbered=False) if isinstance(item, str) else item for item in value]
    return value


class Problem(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: ProblemCode
    detail: str
    remediation: Annotated[list[RemediationStep], BeforeValidator(_as_steps)] = Field(default_factory=list)

    @property
    def certain(self) -> bool:
        """Something observed is wrong (as opposed to: something could not be seen)."""
        return self.code not in UNCERTAIN_CODES


class ObservedFacts(BaseModel):
    """What was observed about the credential. Never the token itself: at most its last four characters."""

    token_kind: str | None = None
    owner_login: str | None = None
    scopes_granted: list[str] | None = None
    expires_at: datetime | None = None
    never_expires: bool | None = Field(
        None, description="True: the token has no expiry date; None: whether it expires was not observed."
    )
    token_last_four: str | None = None
    orgs_authorized: list[str] | None = None
    groups: list[str] | None = None
    repositories_reachable: list[str] | None = None
    last_used_at: datetime | None = Field(None, description="Last use, where the source shows it (inventory).")
    holder_state: str | None = Field(
        None, description="What the platform says of the holder's account: active, blocked, deleted, not_a_member."
    )
    unobservable: list[str] = Field(default_factory=list)


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    slot: str
    connection: str
    platform: str
    holder: str
    status: Status
    problems: list[Problem] = Field(default_factory=list)
    facts: ObservedFacts = Field(default_factory=ObservedFacts)
    reason: str | None = Field(None, description="Why the status is unknown or missing.")


STATUS_ORDER: tuple[Status, ...] = (
    Status.ACTION_REQUIRED,
    Status.UNKNOWN,
    Status.PARTIALLY_VERIFIED,
    Status.OK,
)
"""Verdicts from the one that decides most to the least: a certain problem outweighs a fact not seen, which
outweighs facts out of sight by nature, which outweigh everything seen and right. ``missing`` is no
verdict and takes no part."""


def status_for(problems: Sequence[Problem], unobservable: Sequence[str] = ()) -> Status:
    """A certain problem decides: ``action_required`` whatever else could not be seen. Otherwise a required
    fact not seen makes the finding ``unknown`` (fail closed). With every problem ruled out, facts that
    cannot be seen from here by their nature make it ``partially_verified``; ``ok`` only with none."""
    if any(p.certain for p in problems):
        return Status.ACTION_REQUIRED
    if problems:
        return Status.UNKNOWN
    return Status.PARTIALLY_VERIFIED if unobservable else Status.OK


def worst_status(statuses: Iterable[Status]) -> Status | None:
    """The status that decides for several findings (e.g. ``verify --all``), None when none is a verdict."""
    seen = set(statuses)
    return next((status for status in STATUS_ORDER if status in seen), None)
