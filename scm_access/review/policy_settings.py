"""How a change of each credential-policy setting reads in a review: which way it moves, in words.

One entry per `Policy` field (a test holds the two together), so a new setting cannot slip into reviews as a
bare "changed". The lifetime ceilings and forbidden scopes are read per kind and per scope by the diff itself;
every other setting is read here.

Directions:
- ``relaxed``: credentials may do or keep more (a longer tolerance, a check switched off);
- ``tightened``: they may do less;
- ``widened``: scm-access itself may revoke, delete or deny more (a reviewer wants to see that before an
  automation gets it);
- ``changed``: neither (e.g. which kind of token is provisioned, or scm-access may now revoke less).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Direction = Literal["relaxed", "tightened", "widened", "changed"]


@dataclass(frozen=True)
class Reading:
    direction: Direction
    summary: str


Reader = Callable[[str, Any, Any], Reading]


def _words(setting: str) -> str:
    return setting.replace("_", " ")


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return "unset" if value is None else str(value)


def _moved(setting: str, old: Any, new: Any) -> str:
    return f"{_words(setting)} {_value(old)} → {_value(new)}"


def _opposite(direction: Direction) -> Direction:
    """A move the other way: tightened for a relaxation; for a widening of what scm-access may do, changed."""
    return "tightened" if direction == "relaxed" else "changed"


def flag(loose: bool) -> Reader:
    """A switch; ``loose`` is the value that allows more."""

    def read(setting: str, old: Any, new: Any) -> Reading:
        return Reading("relaxed" if new == loose else "tightened", _moved(setting, old, new))

    return read


def number(looser: Literal["higher", "lower"], direction: Direction = "relaxed") -> Reader:
    """A count; ``looser`` is the way that allows more, read as ``direction`` (its opposite as tightened, or as
    changed for a setting that widens what scm-access may do)."""

    def read(setting: str, old: Any, new: Any) -> Reading:
        up = (new or 0) > (old or 0)
        loosens = up if looser == "higher" else not up
        return Reading(direction if loosens else _opposite(direction), _moved(setting, old, new))

    return read


def members(direction: Direction = "relaxed") -> Reader:
    """A set whose every added member allows more (read as ``direction``); only removals: the opposite."""

    def read(setting: str, old: Any, new: Any) -> Reading:
        was, now = set(old or []), set(new or [])
        added, removed = sorted(now - was), sorted(was - now)
        parts = [f"+ {m}" for m in added] + [f"− {m}" for m in removed]
        return Reading(direction if added else _opposite(direction), f"{_words(setting)} {', '.join(parts)}")

    return read


def neutral(setting: str, old: Any, new: Any) -> Reading:
    """Neither allows more nor less (e.g. which kind of credential the stack provisions)."""
    return Reading("changed", _moved(setting, old, new))


EVERYTHING = "every platform and kind"


def revocation_scope(value: Any) -> set[str] | None:
    """What `allow_revocation` covers: None for everything, else the platforms and kinds named."""
    if value is True:
        return None
    if not value:
        return set()
    return {str(v) for v in value}


def allow_revocation(setting: str, old: Any, new: Any) -> Reading:
    was, now = revocation_scope(old), revocation_scope(new)
    widened = (now is None and was is not None) or (now is not None and was is not None and bool(now - was))

    def said(scope: set[str] | None) -> str:
        return EVERYTHING if scope is None else (", ".join(sorted(scope)) or "nothing")

    verb = "may now revoke or delete" if widened else "may revoke or delete only"
    return Reading(
        "widened" if widened else "changed", f"scm-access {verb}: {said(now)} (before: {said(was)})"
    )


def review_token_requests(setting: str, old: Any, new: Any) -> Reading:
    """``enforce`` lets scm-access send denials; ``off`` leaves requests unread."""
    if new == "enforce":
        direction: Direction = "widened"
    elif new == "off":
        direction = "relaxed"
    else:
        direction = "changed" if old == "enforce" else "tightened"
    return Reading(direction, _moved(setting, old, new))


READERS: dict[str, Reader] = {
    "allow_classic_pats": flag(True),
    "prefer_org_managed": flag(False),
    "require_expiry": flag(False),
    "expiry_warning_days": number("lower"),
    "rotate_before_days": number("lower"),
    "stale_after_days": number("higher"),
    "gitlab_prefer_service_accounts": neutral,
    "deliver_tokens_with": members(),
    "allow_revocation": allow_revocation,
    "revoke_when": members("widened"),
    "max_revocations_per_run": number("higher", "widened"),
    "review_token_requests": review_token_requests,
}
"""Every setting but those the diff reads itself (PER_ITEM)."""

PER_ITEM = frozenset({"default_max_lifetime_days", "max_lifetime_days", "forbidden_scopes"})
"""Settings the diff reads per kind or per scope, with the slots each item affects."""


def read(setting: str, old: Any, new: Any) -> Reading:
    """A setting this version does not know (a newer tool planned the other revision) reads as changed."""
    return READERS.get(setting, neutral)(setting, old, new)
