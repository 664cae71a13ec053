"""Deciding a pending token request by the declarations: pure (request + slots + policy + now → decision).

A request is **approved** when one declared slot covers it entirely: the requester is the slot's holder
(login), the organisation is the declared one, every repository it asks for is declared (or the declaration
names none: all), every permission is within the closure of the declared scopes (plus what the platform adds
by itself), and its expiry is within both the declaration and the policy. It is **denied** when the requester
holds slots there and every one of them is certainly exceeded; the reason names the closest slot, what
exceeds it, and the pre-filled link to request the declared token instead. Anything else is **undecided**:
nobody declared the requester there, the declaration breaks the policy, or a fact needed was not seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from scm_access.declarations.policy import Policy
from scm_access.inventory.decisions.model import REASON_LIMIT, Decision, RequestDecision, TokenRequest
from scm_access.plan.slot import Slot, Strategy
from scm_access.platforms.registry import get_platform
from scm_access.rules.rule import Severity

EXPIRY_GRACE = timedelta(days=1)
"""A token form counts days from the day it is created and sets the expiry at a time of that day: a token
asked for with the declared number of days may end a few hours past that many days after the request."""

_SHOWN_EXCESSES = 6
"""At most this many exceeding facts are spelled out in a denial; the others are counted."""


@dataclass(frozen=True, slots=True)
class _Fit:
    """How one slot fits a request: what certainly exceeds it, and what could not be told."""

    slot: Slot
    exceeds: tuple[str, ...]
    unknown: tuple[str, ...]


def decide_requests(
    requests: Iterable[TokenRequest], slots: Sequence[Slot], policy: Policy, now: datetime
) -> list[RequestDecision]:
    return [decide_request(request, slots, policy, now) for request in requests]


def decide_request(request: TokenRequest, slots: Sequence[Slot], policy: Policy, now: datetime) -> RequestDecision:
    who = request.requester
    if request.kind is None:
        return _undecided(request, f"the kind of token {who} requests is not shown, so no declaration can cover it")
    held = [
        s
        for s in slots
        if s.platform == request.platform
        and s.strategy == Strategy.USER_PAT
        and s.holder_login is not None
        and s.holder_login.casefold() == who.casefold()
    ]
    if not held:
        return _undecided(
            request, f"no declaration names {who} as the holder of a token on {request.platform.value}: left for a person"
        )
    here = [s for s in held if _org(s) == request.org.casefold() and s.kind == request.kind]
    if not here:
        declared = sorted({f"{s.id} ({s.kind.label}, {get_platform(s.platform).owner(s.access) or 'no org'})" for s in held})
        return _undecided(
            request,
            f"no declaration gives {who} a {request.kind.label} for {request.org}; declared for them: "
            + "; ".join(declared),
        )
    allowed = [s for s in here if not s.blocking]
    if not allowed:
        broken = sorted({f"{s.id}: " + ", ".join(v.code for v in s.violations if v.severity == Severity.ERROR) for s in here})
        return _undecided(
            request, "the declaration for this token breaks the policy, so it cannot approve anything: " + "; ".join(broken)
        )
    fits = sorted((_fit(request, s, policy, now) for s in allowed), key=lambda f: (len(f.exceeds), len(f.unknown), f.slot.id))
    exact = [f for f in fits if not f.exceeds and not f.unknown]
    if exact:
        slot = exact[0].slot
        return RequestDecision(
            request,
            Decision.APPROVE,
            f"within {slot.id} ({slot.integration}): holder, organisation, repositories, permissions and expiry"
            " are declared",
            slot=slot.id,
        )
    unsure = [f for f in fits if not f.exceeds]
    if unsure:
        fit = unsure[0]
        return _undecided(
            request,
            f"may be within {fit.slot.id}, but " + "; ".join(fit.unknown) + ": left for a person",
            slot=fit.slot.id,
        )
    return _deny(request, fits[0])


def _org(slot: Slot) -> str | None:
    owner = get_platform(slot.platform).owner(slot.access)
    return owner.casefold() if owner else None


def _undecided(request: TokenRequest, reason: str, *, slot: str | None = None) -> RequestDecision:
    return RequestDecision(request, Decision.UNDECIDED, reason, slot=slot)


def _fit(request: TokenRequest, slot: Slot, policy: Policy, now: datetime) -> _Fit:
    exceeds: list[str] = []
    unknown: list[str] = []
    _fit_scopes(request, slot, exceeds, unknown)
    _fit_repositories(request, slot, exceeds, unknown)
    _fit_expiry(request, slot, policy, now, exceeds, unknown)
    return _Fit(slot, tuple(exceeds), tuple(unknown))


def _fit_scopes(request: TokenRequest, slot: Slot, exceeds: list[str], unknown: list[str]) -> None:
    if request.scopes is None:
        unknown.append("the permissions requested are not shown")
        return
    platform = get_platform(slot.platform)
    catalog = platform.catalog
    declared = frozenset(slot.scopes)
    allowed = catalog.closure(declared, slot.kind) | platform.implicit_scopes(slot.kind, declared)
    known = {s for s in request.scopes if s in catalog}
    beyond = catalog.sorted(catalog.minimal_cover({s for s in known if s not in allowed}, slot.kind))
    strange = sorted(request.scopes - known)  # a permission the catalog does not know cannot be declared
    if beyond or strange:
        exceeds.append(
            "permissions not declared: " + ", ".join([*beyond, *strange]) + f" (declared: {', '.join(slot.scopes)})"
        )


def _fit_repositories(request: TokenRequest, slot: Slot, exceeds: list[str], unknown: list[str]) -> None:
    selection = request.repository_selection
    if selection is None:
        unknown.append("which repositories it reaches is not shown")
        return
    if selection == "none":
        return
    confined = get_platform(slot.platform).declared_repositories(slot.access)
    declared = None if confined is None else frozenset(name.casefold() for name in confined)
    if declared is None:
        return  # the declaration names no repository: all of the organisation's
    if selection == "all":
        exceeds.append(f"all repositories (declared: {', '.join(sorted(declared))})")
        return
    if request.repositories is None:
        unknown.append("the repositories of its selection were not read")
        return
    beyond = sorted(r for r in request.repositories if r.casefold() not in declared)
    if beyond:
        exceeds.append(f"repositories not declared: {', '.join(beyond)} (declared: {', '.join(sorted(declared))})")


def _fit_expiry(
    request: TokenRequest, slot: Slot, policy: Policy, now: datetime, exceeds: list[str], unknown: list[str]
) -> None:
    if not slot.kind.spec.expires:
        return
    limit = min(slot.lifetime_days, policy.lifetime_ceiling(slot.kind))
    if request.never_expires:
        exceeds.append(f"no expiry (declared: at most {limit} days)")
        return
    if request.expires_at is None:
        unknown.append("its expiry is not shown")
        return
    if request.expires_at <= now:
        exceeds.append(f"the token expired on {request.expires_at.date().isoformat()}")
        return
    start = request.created_at or now
    if request.expires_at - start > timedelta(days=limit) + EXPIRY_GRACE:
        days = (request.expires_at - start).days
        exceeds.append(
            f"expires {request.expires_at.date().isoformat()}, {days} days after the request (declared: at most"
            f" {limit} days)"
        )


def _deny(request: TokenRequest, fit: _Fit) -> RequestDecision:
    slot = fit.slot
    link = get_platform(slot.platform).creation_link(slot)
    reason = deny_reason(slot, fit.exceeds, link)
    return RequestDecision(request, Decision.DENY, reason, slot=slot.id, exceeds=fit.exceeds, link=link)


def deny_reason(slot: Slot, exceeds: Sequence[str], link: str | None) -> str:
    """The denial's reason, within the platform's limit: the closest slot, what exceeds it, and where to
    request the declared token. Details give way first, then the link (to the instructions' command)."""
    head = f"Denied by scm-access: closest declaration {slot.id} ({slot.integration}). Beyond it: "
    where = f" Request the declared token instead: {link}" if link else ""
    fallback = f" The declared token's instructions: scm-access instructions {slot.connection}"
    for shown in range(min(len(exceeds), _SHOWN_EXCESSES), 0, -1):
        listed = "; ".join(exceeds[:shown])
        more = f"; and {len(exceeds) - shown} more" if shown < len(exceeds) else ""
        for tail in (where, fallback):
            text = f"{head}{listed}{more}.{tail}"
            if len(text) <= REASON_LIMIT:
                return text
    text = f"{head}{len(exceeds)} facts (see scm-access requests).{fallback}"
    return text[:REASON_LIMIT]
