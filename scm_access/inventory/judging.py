"""What an administrator's view found, judged by the one judge.

A found credential becomes an :class:`~scm_access.judge.Observation` (source ``inventory``) and is judged
against its slot exactly as a token in hand is (scopes through the catalog's closures, expiry, owner), plus
what only a view of what exists shows (use, the holder's account, reach across organisations). A slot with
nothing found is ``missing`` when a view that lists its kind was read, ``unknown`` when that view failed or
none lists it. A credential no slot accounts for is ``undeclared_credential``, judged by the policy alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from scm_access.declarations.policy import Policy
from scm_access.inventory.model import FoundCredential, SourceReport, SourceStatus, within
from scm_access.judge import (
    Fact,
    Finding,
    Observation,
    Problem,
    ProblemCode,
    Source,
    judge,
    nothing_found,
    undeclared_problems,
)
from scm_access.plan.slot import Slot, Strategy
from scm_access.platforms.registry import get_platform


def observation_of(found: FoundCredential, slot: Slot | None = None) -> Observation:
    """What the view showed of ``found``, as the judge reads it; ``slot`` sets the facts a verdict needs."""
    expires = found.kind.spec.expires if found.kind is not None else True
    selection = found.repository_selection
    return Observation(
        source=Source.INVENTORY,
        kind=found.kind,
        kind_label=None if found.kind is not None else found.kind_label,
        owner_login=_owner_seen(found, slot),
        scopes_granted=sorted(found.scopes) if found.scopes is not None else None,
        # A kind that has no expiry (a key) is not judged on one.
        expires_at=found.expires_at if expires else None,
        never_expires=found.never_expires if expires else None,
        active=False if found.expired else found.active,
        revoked=found.revoked,
        token_last_four=found.token_last_eight[-4:] if found.token_last_eight else None,
        required=_required(found, slot) if slot is not None else None,
        unobservable=list(found.unobservable) if found.blind_to else [],
        blind_to=set(found.blind_to),
        all_repositories=None if selection is None else selection == "all",
        repositories_reachable=sorted(found.repositories) if found.repositories is not None else (
            [] if selection == "none" else None
        ),
        created_at=found.created_at,
        last_used_at=found.last_used_at,
        usage_shown=found.usage_shown,
        holder_state=found.owner_state,
        all_organizations=found.all_organizations,
    )


def _required(found: FoundCredential, slot: Slot) -> tuple[Fact, ...]:
    facts = [Fact.KIND]
    if slot.kind.spec.expires:
        facts.append(Fact.EXPIRY)
    if slot.strategy == Strategy.USER_PAT:
        # A person chose what to tick: what it grants must be seen. What the stack made was made as declared
        # (the provider's read judges it in `pulumi up`); its scopes are compared when a view shows them.
        facts.append(Fact.SCOPES)
        if slot.holder_login or slot.holder_email:
            facts.append(Fact.OWNER)
    return tuple(facts)


def _owner_seen(found: FoundCredential, slot: Slot | None) -> str | None:
    """The owner as the judge compares it: a view that names the holder by email (Atlassian, Azure DevOps)
    names the declared holder as much as their login does."""
    if slot is None or found.owner is None:
        return found.owner
    names = {name.casefold() for name in (slot.holder_login, slot.holder_email) if name}
    if found.owner.casefold() in names and slot.holder_login:
        return slot.holder_login
    return found.owner


def judge_matched(
    slot: Slot, credentials: Sequence[FoundCredential], policy: Policy, now: datetime
) -> Finding:
    """The slot's finding from the credentials matched to it (the first is judged; any further one is a
    ``duplicate``, named in the problem)."""
    first, *others = credentials
    if others and _one_per_repository(slot, credentials):
        return _judge_per_repository(slot, credentials, policy, now)
    seen = observation_of(first, slot)
    if others:
        names = "; ".join(describe(found) for found in others)
        seen.add(ProblemCode.DUPLICATE, f"{len(credentials)} credentials exist for this slot: besides {describe(first)}, {names}")
    return judge(slot, seen, policy, now)


def _one_per_repository(slot: Slot, credentials: Sequence[FoundCredential]) -> bool:
    """Credentials the stack makes one per repository (deploy keys), each on a different one: together they
    are the slot's credential, not duplicates."""
    if slot.kind.spec.personal:
        return False
    reach = [found.repositories for found in credentials]
    if any(repositories is None or len(repositories) != 1 for repositories in reach):
        return False
    names = [next(iter(repositories)).casefold() for repositories in reach if repositories]
    return len(set(names)) == len(names)


def _judge_per_repository(
    slot: Slot, credentials: Sequence[FoundCredential], policy: Policy, now: datetime
) -> Finding:
    """One observation per repository (its credential judged there); a declared repository without one is
    a missing scope."""
    observations = []
    for found in credentials:
        seen = observation_of(found, slot)
        (seen.target,) = sorted(found.repositories or ())
        seen.all_repositories = None  # each reaches its own repository; the set is compared below
        observations.append(seen)
    declared = get_platform(slot.platform).declared_repositories(slot.access) or frozenset()
    covered = {repository.casefold() for found in credentials for repository in found.repositories or ()}
    uncovered = sorted(name for name in declared if name.casefold() not in covered)
    if uncovered:
        observations[0].add(
            ProblemCode.MISSING_SCOPE, f"no {slot.kind.label} on " + ", ".join(uncovered) + " (one is needed on each)"
        )
    return judge(slot, observations, policy, now)


def judge_not_found(slot: Slot, sources: Sequence[SourceReport]) -> Finding:
    """Nothing matched the slot: ``missing`` if a view that lists its kind for its owner was read;
    ``unknown`` with the reason if such a view failed, was skipped, or none exists."""
    covering = [s for s in sources if covers(s, slot)]
    failed = [s for s in covering if s.status == SourceStatus.FAILED]
    if failed:
        reasons = "; ".join(f"{s.source}: {s.detail}" for s in failed)
        return nothing_found(slot, Problem(code=ProblemCode.API_ERROR, detail=f"not read ({reasons})"))
    read = [s for s in covering if s.status == SourceStatus.READ]
    if read:
        where = ", ".join(dict.fromkeys(s.source + (f" of {s.scope}" if s.scope else "") for s in read))
        detail = f"no {slot.kind.label} named for this slot or held by its holder was found ({where})"
        return nothing_found(slot, Problem(code=ProblemCode.MISSING, detail=detail))
    skipped = [s for s in covering if s.status == SourceStatus.SKIPPED]
    if skipped:
        reasons = "; ".join(f"{s.source}: {s.detail}" for s in skipped)
        detail = f"the view that lists {slot.kind.label}s was not read ({reasons})"
    else:
        detail = f"no administrator's view read here lists {slot.kind.label}s; check it with `scm-access verify`"
    return nothing_found(slot, Problem(code=ProblemCode.NOT_OBSERVABLE, detail=detail))


def covers(source: SourceReport, slot: Slot) -> bool:
    """Whether ``source`` lists credentials of the slot's kind where the slot's credential would be."""
    if source.platform != slot.platform.value or slot.kind not in source.kinds:
        return False
    if source.scope is None:
        return True
    # No home declared: a view of one owner cannot say the credential is absent.
    return any(within(home, source.scope) for home in get_platform(slot.platform).homes(slot.access, slot.kind))



def judge_undeclared(found: FoundCredential, policy: Policy, now: datetime) -> list[Problem]:
    """The problems of a credential no declaration accounts for."""
    detail = f"no declaration accounts for {describe(found)}"
    return undeclared_problems(observation_of(found), policy, now, detail)


def describe(found: FoundCredential) -> str:
    """One line naming a credential for people: what, whose, its name, its id (never a secret)."""
    parts = [found.kind.label if found.kind is not None else found.kind_label]
    if found.owner:
        parts.append(f"of {found.owner}")
    if found.name:
        parts.append(f"named {found.name!r}")
    parts.append(f"(id {found.id} in {found.source})")
    return " ".join(parts)
