"""Matching what exists to what is declared: each credential found to at most one slot.

In order of certainty:

1. **By id**: a credential the stack made, by the id its stack outputs name (``resource_ids``).
2. **By name**: the marker ``[scm-access connection/platform/holder]`` the stack writes into what it makes,
   or the slot tag (``scm-xxxxxxxx``) the instructions put in a personal token's name.
3. **Heuristic**: a credential without either, by platform, owner (the slot's holder), kind and reach (the
   slot's organisation, group or workspace); several slots fitting, the one whose scopes it grants exactly
   wins, and a tie matches none.

A slot may end with several credentials (a ``duplicate``); a credential never goes to two slots, and every
credential ends either matched or undeclared.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from scm_access.inventory.model import FoundCredential, within
from scm_access.plan.slot import Slot, Strategy, tags_in
from scm_access.platforms.registry import get_platform

_MARKER = re.compile(r"\[scm-access ([^\]\s]+)\]")
"""What the stack appends to the titles and descriptions of what it makes (``provision.model.slot_marker``)."""


class MatchedBy(StrEnum):
    RESOURCE_ID = "resource_id"
    """The stack's outputs name this credential's id for the slot."""
    NAME = "name"
    """The credential's name carries the slot's tag or the stack's marker."""
    HEURISTIC = "heuristic"
    """Platform, owner, kind and reach fit the slot, and no other slot better."""


_CERTAINTY = {MatchedBy.RESOURCE_ID: 0, MatchedBy.NAME: 1, MatchedBy.HEURISTIC: 2}


@dataclass
class Match:
    slot: Slot
    credentials: list[FoundCredential]
    """Best first: the one judged; any further one is a duplicate."""
    matched_by: MatchedBy
    """How the first credential was matched."""


@dataclass(frozen=True)
class Undeclared:
    credential: FoundCredential
    note: str | None = None
    """Why no slot was chosen when some fit (a tie between several)."""


@dataclass
class Matching:
    matches: dict[str, Match] = field(default_factory=dict)
    """By slot id."""
    undeclared: list[Undeclared] = field(default_factory=list)

    def matched_ids(self) -> list[tuple[str, str, str]]:
        """(platform, source, id) of every matched credential."""
        return [key(c) for m in self.matches.values() for c in m.credentials]


def key(found: FoundCredential) -> tuple[str, str, str]:
    """What tells one found credential from another: the same id can appear in two views."""
    return (found.platform.value, found.source, found.id)


def match(
    slots: Sequence[Slot],
    credentials: Sequence[FoundCredential],
    resource_ids: Mapping[tuple[str, str], str] | None = None,
) -> Matching:
    """Every credential matched to at most one of ``slots`` or left undeclared.

    ``resource_ids`` maps (platform, credential id) to the slot id the stack made it for."""
    by_id = {slot.id: slot for slot in slots}
    by_tag: dict[str, list[Slot]] = defaultdict(list)
    for slot in slots:
        if slot.strategy == Strategy.USER_PAT:
            by_tag[slot.tag].append(slot)
    ids = resource_ids or {}

    claimed: dict[str, list[tuple[MatchedBy, FoundCredential]]] = defaultdict(list)
    unnamed: list[FoundCredential] = []
    for found in credentials:
        named = _named_slot(found, by_id, by_tag, ids)
        if named is None:
            unnamed.append(found)
        else:
            claimed[named[0].id].append((named[1], found))

    undeclared: list[Undeclared] = []
    named_slots = set(claimed)
    # A slot already found by name is not guessed at again: an untagged credential of the same holder is
    # something else (a leftover, another use), and says so as undeclared.
    open_slots = _by_holder(s for s in slots if s.id not in named_slots and s.strategy == Strategy.USER_PAT)
    for found in unnamed:
        holder = (found.platform.value, found.owner.casefold()) if found.owner else None
        chosen, note = _heuristic_slot(found, open_slots.get(holder, []) if holder else [])
        if chosen is None:
            undeclared.append(Undeclared(found, note))
        else:
            claimed[chosen.id].append((MatchedBy.HEURISTIC, found))

    result = Matching(undeclared=undeclared)
    for slot_id, found_list in claimed.items():
        ordered = sorted(found_list, key=lambda item: _preference(*item))
        result.matches[slot_id] = Match(
            slot=by_id[slot_id], credentials=[found for _, found in ordered], matched_by=ordered[0][0]
        )
    return result


def _named_slot(
    found: FoundCredential,
    by_id: Mapping[str, Slot],
    by_tag: Mapping[str, list[Slot]],
    resource_ids: Mapping[tuple[str, str], str],
) -> tuple[Slot, MatchedBy] | None:
    slot_id = resource_ids.get((str(found.platform), found.id)) if resource_ids else None
    if slot_id is not None and slot_id in by_id:
        return by_id[slot_id], MatchedBy.RESOURCE_ID
    for text in (found.name, *(value for _, value in found.extra)):
        for marked in _MARKER.findall(text or ""):
            slot = by_id.get(marked)
            if slot is not None and slot.platform == found.platform:
                return slot, MatchedBy.NAME
    for tag in tags_in(found.name):
        tagged = [s for s in by_tag.get(tag, []) if s.platform == found.platform]
        if tagged:
            # Two slots sharing a tag is a 1 in 10^12 chance per pair; the holder settles it if it happens.
            tagged.sort(key=lambda s: (not _same_owner(found, s), s.id))
            return tagged[0], MatchedBy.NAME
    return None


def _by_holder(slots: Iterable[Slot]) -> dict[tuple[str, str], list[Slot]]:
    """Slots by (platform, holder login or email): a heuristic match starts from the credential's owner."""
    index: dict[tuple[str, str], list[Slot]] = defaultdict(list)
    for slot in slots:
        for name in {n.casefold() for n in (slot.holder_login, slot.holder_email) if n}:
            index[(slot.platform.value, name)].append(slot)
    return index


def _heuristic_slot(found: FoundCredential, slots: Sequence[Slot]) -> tuple[Slot | None, str | None]:
    fitting = [s for s in slots if _fits(found, s)]
    if not fitting:
        return None, None
    if len(fitting) == 1:
        return fitting[0], None
    scored = sorted(((_closeness(found, s), s) for s in fitting), key=lambda item: (item[0], item[1].id), reverse=True)
    best, runner_up = scored[0], scored[1]
    if best[0] > runner_up[0]:
        return best[1], None
    tied = sorted(s.id for score, s in scored if score == best[0])
    return None, "it fits several declared slots equally (" + ", ".join(tied) + "); name it with the slot's tag"


def _fits(found: FoundCredential, slot: Slot) -> bool:
    if found.platform != slot.platform or not _same_owner(found, slot):
        return False
    if found.kind is not None and found.kind != slot.kind:
        return False
    homes = get_platform(slot.platform).homes(slot.access, slot.kind)
    return not (homes and found.scope) or any(within(home, found.scope) for home in homes)


def _same_owner(found: FoundCredential, slot: Slot) -> bool:
    if found.owner is None:
        return False
    names = {n.casefold() for n in (slot.holder_login, slot.holder_email) if n}
    return found.owner.casefold() in names


def _closeness(found: FoundCredential, slot: Slot) -> tuple[int, int]:
    """(grants exactly the declared scopes, how many declared scopes it grants)."""
    if found.scopes is None:
        return (0, 0)
    catalog = get_platform(slot.platform).catalog
    granted = [s for s in found.scopes if s in catalog]
    required = [s for s in slot.scopes if s in catalog]
    comparison = catalog.compare(granted, required, slot.kind)
    exact = not comparison.missing and not comparison.excess
    return (int(exact), len(required) - len(comparison.missing))


_LONG_AGO = datetime.min.replace(tzinfo=UTC)


def _preference(matched_by: MatchedBy, found: FoundCredential) -> tuple:
    """Which of a slot's credentials is judged: the most certain match, then one that still works, then the
    most recently used, then the newest."""
    works = not (found.expired or found.revoked or found.active is False)
    return (
        _CERTAINTY[matched_by],
        not works,
        -_timestamp(found.last_used_at),
        -_timestamp(found.created_at),
        found.id,
    )


def _timestamp(moment: datetime | None) -> float:
    if moment is None:
        return _LONG_AGO.timestamp()
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
