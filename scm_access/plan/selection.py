"""Choosing slots by connection, platform and holder, as `instructions` and `verify` do.

A filter that matches nothing is a mistake (a typo in a name), never "nothing to do": it is a usage error
listing the valid choices.
"""

from __future__ import annotations

from collections.abc import Sequence

from scm_access.errors import ScmAccessError
from scm_access.plan.slot import Slot


class SlotSelectionError(ScmAccessError):
    """No slot matches what was asked for (exit 2)."""


def select_slots(
    slots: Sequence[Slot], connection: str | None, platform: str | None, holder: str | None
) -> list[Slot]:
    """The slots of ``connection`` on ``platform`` held by ``holder`` (each filter optional)."""
    chosen = list(slots)
    where = "any connection"
    if connection is not None:
        chosen = [s for s in chosen if s.connection == connection]
        if not chosen:
            raise SlotSelectionError(
                f"no connection named {connection!r} (declared: {_choices(s.connection for s in slots)})"
            )
        where = f"connection {connection!r}"
    if platform is not None:
        on_platform = [s for s in chosen if s.platform == platform]
        if not on_platform:
            raise SlotSelectionError(
                f"{where} declares no access on {platform} (declared: {_choices(s.platform for s in chosen)})"
            )
        chosen = on_platform
        where = f"{where} on {platform}"
    if holder is not None:
        held = [s for s in chosen if s.holder == holder]
        if not held:
            raise SlotSelectionError(
                f"{where} has no holder {holder!r} (holders: {_choices(s.holder for s in chosen)})"
            )
        chosen = held
    return chosen


def select_one_slot(slots: Sequence[Slot], connection: str, platform: str | None, holder: str | None) -> Slot:
    """Exactly one slot, or a usage error saying which option narrows the choice."""
    chosen = select_slots(slots, connection, platform, holder)
    platforms = sorted({str(s.platform) for s in chosen})
    if len(platforms) > 1:
        raise SlotSelectionError(f"connection {connection!r} spans {', '.join(platforms)}: pass --platform")
    if len(chosen) > 1:
        holders = ", ".join(s.holder for s in chosen)
        raise SlotSelectionError(
            f"connection {connection!r} has several holders on {platforms[0]} ({holders}): pass --holder"
        )
    return chosen[0]


def _choices(values) -> str:
    return ", ".join(sorted({str(v) for v in values})) or "none"
