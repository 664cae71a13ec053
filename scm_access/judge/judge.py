"""The judge: one slot, what was observed of its credential, the policy and the time give one finding.

Pure: nothing here sends a request or reads a token. Every source of observations (the token in hand, the
Pulumi provider after apply, an administrator's inventory) ends here, so a slot is judged the same way
whoever looked at it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache

from scm_access.core.kinds import CredentialKind
from scm_access.declarations.policy import Policy
from scm_access.judge.finding import (
    NO_ANSWER_CODES,
    UNCERTAIN_CODES,
    Finding,
    ObservedFacts,
    Problem,
    ProblemCode,
    RemediationStep,
    Status,
    status_for,
)
from scm_access.judge.observation import DEPARTED, Fact, HolderState, Observation, Source
from scm_access.judge.remediation import remediate
from scm_access.plan.slot import Slot, Strategy
from scm_access.platforms.registry import get_platform
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.registry import all_rules
from scm_access.rules.rule import Rule

# The platforms' expiry dates are days; allow the end of the day and a clock difference.
EXPIRY_GRACE = timedelta(days=1)
_TOKEN_REJECTED = frozenset({ProblemCode.INVALID_TOKEN, ProblemCode.EXPIRED, ProblemCode.REVOKED})
PARTIALLY_VERIFIED_REASON = (
    "everything that could be seen was checked and is right; what cannot be seen from here is listed as not"
    " observable, with where to settle it"
)
_SEEN_BY = {Source.TOKEN: "the platform", Source.PROVIDER: "the provider", Source.INVENTORY: "the inventory"}


def judge(
    slot: Slot, observation: Observation | Sequence[Observation], policy: Policy, now: datetime
) -> Finding:
    """The finding for ``slot`` from what was observed of its credential (several observations when the
    slot's credential is several resources, e.g. one deploy key per repository)."""
    observations = [observation] if isinstance(observation, Observation) else list(observation)
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    problems: list[Problem] = []
    for seen in observations:
        problems += _problems(slot, seen, policy, now)
    facts = _facts(slot, observations)
    return finding_for(slot, status_for(problems, facts.unobservable), remediate(slot, problems), facts)


def finding_for(
    slot: Slot, status: Status, problems: list[Problem], facts: ObservedFacts | None = None, reason: str | None = None
) -> Finding:
    """The one Finding constructor: the reason, unless given, says why a status is not a plain verdict."""
    if reason is None and status == Status.UNKNOWN:
        reason = "; ".join(p.detail for p in problems if p.code in UNCERTAIN_CODES)
    elif reason is None and status == Status.PARTIALLY_VERIFIED:
        reason = PARTIALLY_VERIFIED_REASON
    return Finding(
        slot=slot.id,
        connection=slot.connection,
        platform=slot.platform.value,
        holder=slot.holder,
        status=status,
        problems=problems,
        facts=facts or ObservedFacts(),
        reason=reason,
    )


def missing_finding(slot: Slot, reason: str, token_last_four: str | None = None) -> Finding:
    """No credential (or no token) to look at: no verdict, and the reason says why."""
    return finding_for(slot, Status.MISSING, [], ObservedFacts(token_last_four=token_last_four), reason)


def nothing_found(slot: Slot, problem: Problem) -> Finding:
    """An administrator's views were searched for the slot's credential and show none (``missing``), or
    could not be searched (``api_error``, ``not_observable``): the verdict that gives, by the same rules."""
    return finding_for(slot, status_for([problem]), remediate(slot, [problem]))


def undeclared_problems(seen: Observation, policy: Policy, now: datetime, detail: str) -> list[Problem]:
    """What is wrong with a credential no declaration accounts for: that (``detail`` says what it is),
    and what the policy says of any credential, whoever holds it."""
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    problems = [Problem(code=ProblemCode.UNDECLARED_CREDENTIAL, detail=detail, remediation=[_UNDECLARED_FIX])]
    if seen.revoked is True:
        return problems  # it no longer works: nothing else is worth acting on
    if seen.active is False:
        return [*problems, Problem(code=ProblemCode.EXPIRED, detail="the credential is no longer active")]
    problems += _policy_expiry_problems(seen, policy, now)
    problems += _existence_problems(seen, policy, now, "")
    return problems


_UNDECLARED_FIX = RemediationStep(
    text="If an integration needs it, declare it in `connections/` (its name then carries the slot's tag on the"
    " next token); otherwise revoke it.",
    numbered=False,
)


# -- observations to problems ----------------------------------------------------------------------


def _problems(slot: Slot, seen: Observation, policy: Policy, now: datetime) -> list[Problem]:
    where = f" ({seen.target})" if seen.target else ""
    problems = list(seen.problems)
    if any(p.code in _TOKEN_REJECTED for p in problems):
        return problems  # a rejected credential has no scopes or expiry worth comparing; only a new one fixes it
    if seen.revoked is True:
        return [*problems, Problem(code=ProblemCode.REVOKED, detail=f"the credential was revoked{where}")]
    if seen.active is False:
        detail = f"the credential is no longer active{where}"
        return [*problems, Problem(code=ProblemCode.EXPIRED, detail=detail)]
    kind_problems = _kind_problems(slot, seen)
    problems += kind_problems
    if any(p.code == ProblemCode.WRONG_TOKEN_KIND for p in problems):
        return problems  # another kind of credential: its scopes and expiry mean something else
    if seen.owner_login is None and any(p.code in NO_ANSWER_CODES for p in problems):
        return problems  # the platform did not answer: nothing more was seen to judge
    problems += _not_seen(slot, seen, where)
    problems += _owner_problems(slot, seen)
    problems += _scope_problems(slot, seen, where)
    problems += _reach_problems(slot, seen, where)
    problems += _read_only_problems(seen, where)
    problems += _expiry_problems(slot, policy, seen, now, where)
    problems += _existence_problems(seen, policy, now, where)
    return problems


def _required(slot: Slot, seen: Observation) -> tuple[Fact, ...]:
    if seen.required is not None:
        return seen.required
    # A token in hand must show its kind and expiry, and its owner where the declaration names one.
    facts = [Fact.KIND, Fact.EXPIRY]
    if _owner_expected(slot):
        facts.append(Fact.OWNER)
    return tuple(facts)


def _not_seen(slot: Slot, seen: Observation, where: str) -> list[Problem]:
    present = {
        Fact.KIND: seen.kind is not None or seen.kind_label is not None,
        Fact.OWNER: seen.owner_login is not None,
        Fact.SCOPES: seen.scopes_granted is not None,
        Fact.EXPIRY: seen.expires_at is not None or seen.never_expires is not None,
        Fact.READ_ONLY: seen.read_only is not None,
        Fact.EXISTS: seen.exists is not None,
    }
    absent = [fact for fact in _required(slot, seen) if not present[fact] and fact not in seen.blind_to]
    if not absent:
        return []
    if seen.source == Source.TOKEN:
        return [
            Problem(code=ProblemCode.NOT_OBSERVABLE, detail=_TOKEN_NOT_SEEN.get(fact, f"the token's {fact} could not be read"))
            for fact in absent
        ]
    names = ", ".join(_FACT_NAMES.get(fact, fact.value) for fact in absent)
    detail = f"{_SEEN_BY[seen.source]} did not report {names}{where}; nothing was concluded"
    return [Problem(code=ProblemCode.NOT_OBSERVABLE, detail=detail)]


_TOKEN_NOT_SEEN = {
    Fact.KIND: "the token's kind could not be recognised",
    Fact.OWNER: "the token's owner could not be read",
    Fact.EXPIRY: "the token's expiry could not be read",
}
_FACT_NAMES = {Fact.SCOPES: "scopes", Fact.EXPIRY: "expires_at", Fact.READ_ONLY: "read_only", Fact.EXISTS: "exists"}


def _kind_problems(slot: Slot, seen: Observation) -> list[Problem]:
    if any(p.code == ProblemCode.WRONG_TOKEN_KIND for p in seen.problems):
        return []  # the source already said so, in the platform's own words
    if (seen.kind is None and seen.kind_label is None) or seen.kind == slot.kind:
        return []
    label = seen.kind.label if seen.kind else seen.kind_label
    return [
        Problem(
            code=ProblemCode.WRONG_TOKEN_KIND,
            detail=f"this is a {label}, but the declaration needs a {slot.kind.label}",
        )
    ]


def _owner_expected(slot: Slot) -> bool:
    # A credential the stack makes belongs to whatever account the stack made it for; only a personal token
    # must belong to the person the declaration names.
    return slot.strategy == Strategy.USER_PAT and bool(slot.holder_login)


def _owner_problems(slot: Slot, seen: Observation) -> list[Problem]:
    if not _owner_expected(slot) or seen.owner_login is None or not slot.holder_login:
        return []
    # Platform logins are case-insensitive.
    if seen.owner_login.casefold() == slot.holder_login.casefold():
        return []
    return [
        Problem(
            code=ProblemCode.WRONG_OWNER,
            detail=f"the token belongs to {seen.owner_login!r}, not to the holder {slot.holder_login!r}",
        )
    ]


def _scope_problems(slot: Slot, seen: Observation, where: str) -> list[Problem]:
    if seen.scopes_granted is None:
        return []
    catalog = get_platform(slot.platform).catalog
    declared = frozenset(slot.scopes)
    # What the platform adds by itself (GitHub's Metadata read beside any repository permission) is no excess.
    implicit = get_platform(slot.platform).implicit_scopes(seen.kind or slot.kind, declared) - declared
    granted = [s for s in dict.fromkeys(seen.scopes_granted) if s not in implicit]
    known = [s for s in granted if s in catalog]
    # What a scope contains can depend on the kind (GitLab's api includes Git over HTTP on a personal token only).
    comparison = catalog.compare(known, [s for s in slot.scopes if s in catalog], seen.kind or slot.kind)
    # Scopes the catalog does not know can only be compared literally.
    unknown_missing = sorted(s for s in slot.scopes if s not in catalog and s not in granted)
    unknown_excess = sorted(s for s in granted if s not in catalog and s not in slot.scopes)
    problems = []
    missing = [f"{s} ({catalog.label(s)})" for s in catalog.sorted(comparison.missing)] + unknown_missing
    if missing:
        detail = "missing: " + ", ".join(missing) + where
        problems.append(Problem(code=ProblemCode.MISSING_SCOPE, detail=detail))
    excess = [f"{s} ({catalog.label(s)})" for s in catalog.sorted(comparison.excess)]
    excess += [f"{s} (not in the catalog)" for s in unknown_excess]
    if excess:
        detail = "more than the declaration needs: " + ", ".join(excess) + where
        problems.append(Problem(code=ProblemCode.EXCESS_SCOPE, detail=detail))
    return problems


def _read_only_problems(seen: Observation, where: str) -> list[Problem]:
    if seen.read_only is None or seen.wants_read_only is None:
        return []
    if seen.read_only and not seen.wants_read_only:
        detail = f"the key is read-only but write access is declared{where}"
        return [Problem(code=ProblemCode.MISSING_SCOPE, detail=detail)]
    if not seen.read_only and seen.wants_read_only:
        detail = f"the key can push but only read access is declared{where}"
        return [Problem(code=ProblemCode.EXCESS_SCOPE, detail=detail)]
    return []


def _expiry_problems(slot: Slot, policy: Policy, seen: Observation, now: datetime, where: str) -> list[Problem]:
    if seen.never_expires:
        if policy.require_expiry or policy.max_lifetime_days.get(slot.kind) is not None:
            detail = f"the token never expires; the policy requires an expiry date{where}"
            return [Problem(code=ProblemCode.NO_EXPIRY, detail=detail)]
        return []
    if seen.expires_at is None:
        return []  # not seen: a required expiry is already reported as not observable
    expires_at = seen.expires_at if seen.expires_at.tzinfo else seen.expires_at.replace(tzinfo=UTC)
    if expires_at <= now:
        return [Problem(code=ProblemCode.EXPIRED, detail=f"the token expired on {expires_at:%Y-%m-%d}{where}")]
    # Whenever it was created (today at the latest), a credential expiring after now + its allowed lifetime
    # lives too long.
    ceiling = policy.lifetime_ceiling(slot.kind)
    allowed_days = min(slot.lifetime_days, ceiling)
    latest = now + timedelta(days=allowed_days) + EXPIRY_GRACE
    if expires_at > latest:
        bound = "the policy's ceiling" if ceiling <= slot.lifetime_days else "the declared lifetime"
        return [
            Problem(
                code=ProblemCode.EXPIRES_TOO_LATE,
                detail=f"the token expires on {expires_at:%Y-%m-%d}, beyond {bound} of {allowed_days} days"
                f" (latest acceptable: {latest - EXPIRY_GRACE:%Y-%m-%d}){where}",
            )
        ]
    remaining = expires_at - now
    if slot.strategy == Strategy.PROVISION:
        # The stack rotates its own credentials on `pulumi up`: a problem only once rotation is due.
        if remaining <= timedelta(days=policy.rotate_before_days):
            detail = (
                f"the credential expires on {expires_at:%Y-%m-%d}, in {max(remaining.days, 0)} days,"
                f" and rotation is due{where}"
            )
            return [Problem(code=ProblemCode.EXPIRES_SOON, detail=detail)]
        return []
    if remaining <= timedelta(days=policy.expiry_warning_days):
        return [
            Problem(
                code=ProblemCode.EXPIRES_SOON,
                detail=f"the token expires on {expires_at:%Y-%m-%d}, in {max(remaining.days, 0)} days"
                f" (warning window: {policy.expiry_warning_days} days){where}",
            )
        ]
    return []


def _reach_problems(slot: Slot, seen: Observation, where: str) -> list[Problem]:
    """The repositories a listing shows the credential reaches, against those declared (only when the
    source shows reach at all: :attr:`Observation.all_repositories` set)."""
    if seen.all_repositories is None:
        return []
    declared = get_platform(slot.platform).declared_repositories(slot.access)
    if declared is None:
        if seen.all_repositories:
            return []
        reached = ", ".join(sorted(seen.repositories_reachable or [])) or "none"
        detail = f"it reaches only some repositories ({reached}); the declaration needs all of them{where}"
        return [Problem(code=ProblemCode.MISSING_SCOPE, detail=detail)]
    if seen.all_repositories:
        detail = (
            "it reaches every repository of its owner; the declaration needs only "
            + ", ".join(sorted(declared)) + where
        )
        return [Problem(code=ProblemCode.EXCESS_SCOPE, detail=detail)]
    if seen.repositories_reachable is None:
        detail = f"{_SEEN_BY[seen.source]} did not list which repositories it reaches{where}; nothing was concluded"
        return [Problem(code=ProblemCode.NOT_OBSERVABLE, detail=detail)]
    # Repository names are case-insensitive on every platform that confines tokens to them.
    granted = {name.casefold(): name for name in seen.repositories_reachable}
    wanted = {name.casefold(): name for name in declared}
    problems = []
    unreached = sorted(wanted[key] for key in wanted.keys() - granted.keys())
    if unreached:
        detail = "it cannot reach " + ", ".join(unreached) + where
        problems.append(Problem(code=ProblemCode.MISSING_SCOPE, detail=detail))
    beyond = sorted(granted[key] for key in granted.keys() - wanted.keys())
    if beyond:
        detail = "it also reaches " + ", ".join(beyond) + ", beyond the declaration" + where
        problems.append(Problem(code=ProblemCode.EXCESS_SCOPE, detail=detail))
    return problems


_DEPARTED_DETAIL = {
    HolderState.BLOCKED: "its holder's account is blocked or deactivated",
    HolderState.DELETED: "its holder's account was deleted (on the platform or in its identity provider)",
    HolderState.NOT_A_MEMBER: "its holder is no longer a member of the organisation",
}


def _existence_problems(seen: Observation, policy: Policy, now: datetime, where: str) -> list[Problem]:
    """What only a view of what exists shows: use, the holder's account, reach across organisations, and
    the policy's rules on the kind itself. Silent on whatever the source does not show."""
    problems = []
    if seen.holder_state in DEPARTED:
        detail = _DEPARTED_DETAIL[HolderState(seen.holder_state)] + where
        problems.append(Problem(code=ProblemCode.HOLDER_DEPARTED, detail=detail))
    if seen.all_organizations:
        detail = f"it is valid in every organisation its holder can reach, not only the one it is for{where}"
        problems.append(Problem(code=ProblemCode.GLOBAL_TOKEN, detail=detail))
    problems += _usage_problems(seen, policy, now, where)
    problems += _kind_rule_problems(seen, policy)
    return problems


def _usage_problems(seen: Observation, policy: Policy, now: datetime, where: str) -> list[Problem]:
    if not seen.usage_shown:
        return []
    limit = timedelta(days=policy.stale_after_days)
    if seen.last_used_at is None:
        created = _aware(seen.created_at) if seen.created_at else None
        if created is not None and now - created < limit:
            return []  # new: not using it yet is no sign of anything
        since = f" since it was created on {created:%Y-%m-%d}" if created else ""
        detail = f"it was never used{since} (stale after {policy.stale_after_days} days){where}"
        return [Problem(code=ProblemCode.NEVER_USED, detail=detail)]
    last = _aware(seen.last_used_at)
    if now - last > limit:
        detail = (
            f"last used on {last:%Y-%m-%d}, {(now - last).days} days ago"
            f" (stale after {policy.stale_after_days} days){where}"
        )
        return [Problem(code=ProblemCode.STALE, detail=detail)]
    return []


# Plan rules that also judge a credential as it exists, by the code they share with the problem.
_KIND_RULES = frozenset({ProblemCode.CLASSIC_PAT_DISALLOWED})


def _kind_rule_problems(seen: Observation, policy: Policy) -> list[Problem]:
    if seen.kind is None or not _kind_rules():
        return []
    found = _kind_rule_findings(seen.kind, frozenset(seen.scopes_granted or ()), _Identity(policy))
    return [Problem(code=code, detail=message) for code, message in found]


class _Identity:
    """A policy as a cache key, by identity: a policy is frozen, but its fields hold dicts (it has no hash)."""

    __slots__ = ("policy",)

    def __init__(self, policy: Policy) -> None:
        self.policy = policy

    def __hash__(self) -> int:
        return id(self.policy)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Identity) and other.policy is self.policy


@lru_cache(maxsize=1024)
def _kind_rule_findings(
    kind: CredentialKind, scopes: frozenset[str], policy: _Identity
) -> tuple[tuple[ProblemCode, str], ...]:
    """What the kind rules say of a credential of this kind and scopes under this policy: asked once per
    distinct pair (an inventory judges tens of thousands of credentials of a few kinds and scope sets)."""
    facts = CredentialFacts(platform=kind.platform, kind=kind, scopes=scopes)
    return tuple(
        (ProblemCode(rule.code), message) for rule in _kind_rules() for message in rule.check(facts, policy.policy)
    )


@cache
def _kind_rules() -> tuple[Rule, ...]:
    """Picked out once: an inventory judges tens of thousands of credentials."""
    return tuple(rule for rule in all_rules() if rule.code in _KIND_RULES)


def _policy_expiry_problems(seen: Observation, policy: Policy, now: datetime) -> list[Problem]:
    """Expiry judged by the policy alone (no declaration to compare with)."""
    if seen.never_expires:
        if policy.require_expiry and (seen.kind is None or seen.kind.spec.expires):
            return [Problem(code=ProblemCode.NO_EXPIRY, detail="it never expires; the policy requires an expiry date")]
        return []
    if seen.expires_at is None:
        return []
    expires_at = _aware(seen.expires_at)
    if expires_at <= now:
        return [Problem(code=ProblemCode.EXPIRED, detail=f"it expired on {expires_at:%Y-%m-%d}")]
    if seen.kind is None:
        return []
    ceiling = policy.lifetime_ceiling(seen.kind)
    latest = now + timedelta(days=ceiling) + EXPIRY_GRACE
    if expires_at > latest:
        detail = (
            f"it expires on {expires_at:%Y-%m-%d}, beyond the policy's ceiling of {ceiling} days for a"
            f" {seen.kind.label} (latest acceptable: {latest - EXPIRY_GRACE:%Y-%m-%d})"
        )
        return [Problem(code=ProblemCode.EXPIRES_TOO_LATE, detail=detail)]
    return []


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# -- facts ---------------------------------------------------------------------------------------------


def _facts(slot: Slot, observations: list[Observation]) -> ObservedFacts:
    def first(values):
        return next((v for v in values if v is not None), None)

    def merged(lists) -> list[str] | None:
        present = [values for values in lists if values is not None]
        if not present:
            return None
        if len(present) == 1:
            return list(present[0])
        return sorted({v for values in present for v in values})

    kinds = [o.kind.value if o.kind else o.kind_label for o in observations]
    expiries = [o.expires_at for o in observations if o.expires_at is not None]
    used = [o.last_used_at for o in observations if o.last_used_at is not None]
    return ObservedFacts(
        token_kind=first(kinds),
        owner_login=first(o.owner_login for o in observations),
        scopes_granted=merged(o.scopes_granted for o in observations),
        expires_at=max(expiries) if expiries else None,
        never_expires=first(o.never_expires for o in observations),
        token_last_four=first(o.token_last_four for o in observations),
        orgs_authorized=merged(o.orgs_authorized for o in observations),
        groups=merged(o.groups for o in observations),
        repositories_reachable=merged(o.repositories_reachable for o in observations),
        last_used_at=max(used) if used else None,
        holder_state=first(o.holder_state.value if o.holder_state else None for o in observations),
        unobservable=list(dict.fromkeys(item for o in observations for item in o.unobservable)),
    )
