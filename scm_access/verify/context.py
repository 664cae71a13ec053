"""The interface between the verification runner and each platform's verifier.

A platform verifier lives in ``scm_access/platforms/<platform>/verify.py`` and exposes::

    def api_root(slot: Slot) -> str
        # API root for the slot's host (cloud or self-hosted), e.g. https://api.github.com

    async def verify(ctx: VerifyContext) -> Finding
        # observe the token with read-only requests, then `return ctx.conclude(observation)`

The verifier only *observes*: token kind, owner, scopes, expiry and the platform-specific facts (SSO,
group membership...), adding platform-specific problems. :meth:`VerifyContext.conclude` applies the checks
every platform shares (kind, owner, scopes against the catalog, expiry against the policy), attaches the
remediation and decides the status, failing closed. Errors from :mod:`scm_access.http` may simply
propagate: the runner turns them into an ``unknown`` finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from scm_access.core.kinds import CredentialKind
from scm_access.declarations.policy import Policy
from scm_access.http import Api, ApiClient, ApiError, RateLimited
from scm_access.plan.slot import Slot
from scm_access.verify.finding import (
    NO_ANSWER_CODES,
    UNKNOWN_CODES,
    Finding,
    ObservedFacts,
    Problem,
    ProblemCode,
    Status,
    status_for,
)
from scm_access.verify.remediation import remediate
from scm_access.verify.token import Token

if TYPE_CHECKING:
    from collections.abc import Mapping

# The platforms' expiry dates are days; allow the end of the day and a clock difference.
_EXPIRY_GRACE = timedelta(days=1)
_TOKEN_REJECTED = frozenset({ProblemCode.INVALID_TOKEN, ProblemCode.EXPIRED, ProblemCode.REVOKED})


@dataclass
class Observation:
    """What a platform verifier saw. ``None`` always means *not observed*, never *absent*."""

    kind: CredentialKind | None = None
    kind_label: str | None = None
    """Name of the kind when it is none of ours (e.g. a GitHub OAuth app token)."""
    owner_login: str | None = None
    scopes_granted: list[str] | None = None
    """The full granted set when the platform shows it; None when it cannot be seen (the verifier then
    reports missing permissions itself, from probes)."""
    expires_at: datetime | None = None
    never_expires: bool | None = None
    problems: list[Problem] = field(default_factory=list)
    unobservable: list[str] = field(default_factory=list)
    orgs_authorized: list[str] | None = None
    groups: list[str] | None = None
    repositories_reachable: list[str] | None = None

    def add(self, code: ProblemCode, detail: str) -> None:
        self.problems.append(Problem(code=code, detail=detail))

    def failed(self, error: ApiError) -> None:
        """A request gave no usable answer: keep what was observed so far, and make the verdict unknown."""
        self.add(code_for(error), error.reason)


def code_for(error: ApiError) -> ProblemCode:
    """The problem code of a request that gave no usable answer."""
    return ProblemCode.RATE_LIMITED if isinstance(error, RateLimited) else ProblemCode.API_ERROR


def finding_for(
    slot: Slot, status: Status, problems: list[Problem], facts: ObservedFacts, reason: str | None
) -> Finding:
    return Finding(
        slot=slot.id,
        connection=slot.connection,
        platform=slot.platform.value,
        holder=slot.holder,
        status=status,
        problems=problems,
        facts=facts,
        reason=reason,
    )


@dataclass
class VerifyContext:
    slot: Slot
    token: Token
    policy: Policy
    http: ApiClient
    api_root: str
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def api(self, headers: Mapping[str, str]) -> Api:
        """The HTTP layer rooted at the slot's API, sending ``headers`` (the credential) on each request."""
        return self.http.at(self.api_root, headers)

    def conclude(self, observation: Observation) -> Finding:
        return conclude(self, observation)


def conclude(ctx: VerifyContext, obs: Observation) -> Finding:
    slot, policy = ctx.slot, ctx.policy
    # Details may echo what a server sent back; none may carry the token, whichever verifier wrote them.
    problems = [p.model_copy(update={"detail": ctx.token.scrub(p.detail)}) for p in obs.problems]
    rejected = any(p.code in _TOKEN_REJECTED for p in problems)
    unanswered = obs.owner_login is None and any(p.code in NO_ANSWER_CODES for p in problems)
    if not rejected:
        # A rejected token has no scopes or expiry worth comparing; its only fix is a new one.
        kind_problems = _kind_problems(slot, obs)
        problems += kind_problems
        wrong_kind = any(p.code == ProblemCode.WRONG_TOKEN_KIND for p in kind_problems)
        if not wrong_kind and not unanswered:
            problems += _owner_problems(slot, obs)
            problems += _scope_problems(slot, obs)
            problems += _expiry_problems(slot, policy, obs, ctx.now)
    problems = remediate(slot, problems)
    facts = ObservedFacts(
        token_kind=obs.kind.value if obs.kind else obs.kind_label,
        owner_login=obs.owner_login,
        scopes_granted=obs.scopes_granted,
        expires_at=obs.expires_at,
        never_expires=obs.never_expires,
        token_last_four=ctx.token.last_four or None,
        orgs_authorized=obs.orgs_authorized,
        groups=obs.groups,
        repositories_reachable=obs.repositories_reachable,
        unobservable=obs.unobservable,
    )
    status = status_for(problems)
    reason = None
    if status == Status.UNKNOWN:
        reason = "; ".join(p.detail for p in problems if p.code in UNKNOWN_CODES)
    return finding_for(slot, status, problems, facts, reason)


def _kind_problems(slot: Slot, obs: Observation) -> list[Problem]:
    if any(p.code == ProblemCode.WRONG_TOKEN_KIND for p in obs.problems):
        return []  # the verifier already said so, with the platform's own words
    if obs.kind is None and obs.kind_label is None:
        return [Problem(code=ProblemCode.NOT_OBSERVABLE, detail="the token's kind could not be recognised")]
    if obs.kind == slot.kind:
        return []
    seen = obs.kind.label if obs.kind else obs.kind_label
    return [
        Problem(
            code=ProblemCode.WRONG_TOKEN_KIND,
            detail=f"this is a {seen}, but the declaration needs a {slot.kind.label}",
        )
    ]


def _owner_problems(slot: Slot, obs: Observation) -> list[Problem]:
    if not slot.holder_login:
        return []
    if obs.owner_login is None:
        return [Problem(code=ProblemCode.NOT_OBSERVABLE, detail="the token's owner could not be read")]
    # Platform logins are case-insensitive.
    if obs.owner_login.casefold() != slot.holder_login.casefold():
        return [
            Problem(
                code=ProblemCode.WRONG_OWNER,
                detail=f"the token belongs to {obs.owner_login!r}, not to the holder {slot.holder_login!r}",
            )
        ]
    return []


def _scope_problems(slot: Slot, obs: Observation) -> list[Problem]:
    if obs.scopes_granted is None:
        return []
    from scm_access.platforms import get_platform

    catalog = get_platform(slot.platform).catalog
    known = [s for s in obs.scopes_granted if s in catalog]
    unknown = sorted(s for s in obs.scopes_granted if s not in catalog)
    required = [s for s in slot.scopes if s in catalog]
    comparison = catalog.compare(known, required)
    problems = []
    if comparison.missing:
        missing = catalog.sorted(comparison.missing)
        problems.append(
            Problem(
                code=ProblemCode.MISSING_SCOPE,
                detail="missing: " + ", ".join(f"{s} ({catalog.label(s)})" for s in missing),
            )
        )
    excess = catalog.sorted(comparison.excess)
    if excess or unknown:
        parts = [f"{s} ({catalog.label(s)})" for s in excess] + [f"{s} (not in the catalog)" for s in unknown]
        problems.append(
            Problem(code=ProblemCode.EXCESS_SCOPE, detail="more than the declaration needs: " + ", ".join(parts))
        )
    return problems


def _expiry_problems(slot: Slot, policy: Policy, obs: Observation, now: datetime) -> list[Problem]:
    if obs.never_expires:
        if policy.require_expiry or policy.max_lifetime_days.get(slot.kind) is not None:
            detail = "the token never expires; the policy requires an expiry date"
            return [Problem(code=ProblemCode.NO_EXPIRY, detail=detail)]
        return []
    if obs.expires_at is None:
        return [Problem(code=ProblemCode.NOT_OBSERVABLE, detail="the token's expiry could not be read")]
    expires_at = obs.expires_at if obs.expires_at.tzinfo else obs.expires_at.replace(tzinfo=UTC)
    if expires_at <= now:
        return [Problem(code=ProblemCode.EXPIRED, detail=f"the token expired on {expires_at:%Y-%m-%d}")]
    # Whenever it was created (today at the latest), a token expiring after now + allowed lifetime lives too long.
    ceiling = policy.lifetime_ceiling(slot.kind)
    allowed_days = min(slot.lifetime_days, ceiling)
    latest = now + timedelta(days=allowed_days) + _EXPIRY_GRACE
    if expires_at > latest:
        bound = "the policy's ceiling" if ceiling <= slot.lifetime_days else "the declared lifetime"
        return [
            Problem(
                code=ProblemCode.EXPIRES_TOO_LATE,
                detail=f"the token expires on {expires_at:%Y-%m-%d}, beyond {bound} of {allowed_days} days"
                f" (latest acceptable: {latest - _EXPIRY_GRACE:%Y-%m-%d})",
            )
        ]
    remaining = expires_at - now
    if remaining <= timedelta(days=policy.expiry_warning_days):
        return [
            Problem(
                code=ProblemCode.EXPIRES_SOON,
                detail=f"the token expires on {expires_at:%Y-%m-%d}, in {max(remaining.days, 0)} days"
                f" (warning window: {policy.expiry_warning_days} days)",
            )
        ]
    return []
