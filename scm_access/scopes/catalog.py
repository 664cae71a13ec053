"""Scope catalogs and the scope algebra shared by every platform.

A catalog is data (one entry per scope string the platform documents); the algebra is exact and the same
for all platforms: closure under implication, minimal covering set, granted-vs-required comparison, and
label lookup both ways.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from scm_access.core.kinds import CredentialKind


@dataclass(frozen=True, slots=True)
class Scope:
    """One scope or permission string as the platform documents it."""

    name: str
    label: str
    """The label the token-creation UI shows, e.g. ``Code: Read & write``."""
    kinds: frozenset[CredentialKind]
    """Credential kinds that can carry this scope."""
    implies: tuple[str, ...] = ()
    """Scopes directly contained in this one (transitivity is computed)."""
    description: str = ""
    group: str = ""
    """The UI group or parent heading the checkbox sits under."""
    aliases: tuple[str, ...] = ()
    """Other labels people use for it (seed guides: ``All repo options``)."""
    deprecated: str | None = None
    """Why and since when it should not be used; None if current."""
    high_privilege: bool = False
    ui_selectable: bool = True
    """False for scopes that exist but cannot be ticked in the token dialog."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """Granted versus required, both compared through their closures."""

    missing: frozenset[str]
    """Required scopes (from the minimal required set) the grant does not reach."""
    excess: frozenset[str]
    """Granted scopes (from the minimal granted set) that reach beyond what is required."""

    @property
    def exact(self) -> bool:
        return not self.missing and not self.excess


class UnknownScopeError(ValueError):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" (did you mean {', '.join(repr(s) for s in suggestions)}?)" if suggestions else ""
        super().__init__(f"unknown scope {name!r}{hint}")


def normalize_label(text: str) -> str:
    """Fold the spelling differences seen across guides: case, '&' vs 'and', commas, spacing."""
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[,;:()\"'“”]", " ", text)
    return " ".join(text.split())


@dataclass
class ScopeCatalog:
    platform: str
    scopes: dict[str, Scope] = field(default_factory=dict)
    _closures: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _labels: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, platform: str, entries: Iterable[Scope]) -> ScopeCatalog:
        catalog = cls(platform=platform)
        for entry in entries:
            if entry.name in catalog.scopes:
                raise ValueError(f"{platform}: scope {entry.name!r} listed twice")
            catalog.scopes[entry.name] = entry
        for entry in catalog.scopes.values():
            for implied in entry.implies:
                if implied not in catalog.scopes:
                    raise ValueError(f"{platform}: {entry.name!r} implies unknown {implied!r}")
        for name in catalog.scopes:
            catalog._closures[name] = catalog._close_one(name, ())
        for entry in catalog.scopes.values():
            for label in (entry.label, *entry.aliases):
                key = normalize_label(label)
                if catalog._labels.setdefault(key, entry.name) != entry.name:
                    raise ValueError(f"{platform}: label {label!r} names two scopes")
        return catalog

    def _close_one(self, name: str, path: tuple[str, ...]) -> frozenset[str]:
        if name in path:
            raise ValueError(f"{self.platform}: implication cycle {' -> '.join((*path, name))}")
        known = self._closures.get(name)
        if known is not None:
            return known
        result = {name}
        for implied in self.scopes[name].implies:
            result |= self._close_one(implied, (*path, name))
        return frozenset(result)

    # -- lookup -----------------------------------------------------------------------------------

    def __contains__(self, name: object) -> bool:
        return name in self.scopes

    def __getitem__(self, name: str) -> Scope:
        return self.scopes[name]

    def __len__(self) -> int:
        return len(self.scopes)

    def resolve(self, name_or_label: str) -> str:
        """A scope string from its string or its UI label; UnknownScopeError with suggestions otherwise."""
        text = name_or_label.strip()
        if text in self.scopes:
            return text
        by_label = self._labels.get(normalize_label(text))
        if by_label is not None:
            return by_label
        raise UnknownScopeError(name_or_label, self.suggest(text))

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        names = difflib.get_close_matches(text, self._names_sorted, n=limit, cutoff=0.6)
        if names:
            return names
        labels = difflib.get_close_matches(normalize_label(text), self._labels_sorted, n=limit, cutoff=0.6)
        # A scope's label and its aliases can all be close: name each scope once.
        return list(dict.fromkeys(self.scopes[self._labels[label]].label for label in labels))

    @cached_property
    def _names_sorted(self) -> list[str]:
        return sorted(self.scopes)

    @cached_property
    def _labels_sorted(self) -> list[str]:
        return sorted(self._labels)

    def label(self, name: str) -> str:
        return self.scopes[name].label

    def for_kind(self, kind: CredentialKind) -> list[Scope]:
        return [s for s in self.scopes.values() if kind in s.kinds]

    # -- algebra ----------------------------------------------------------------------------------

    def closure(self, names: Iterable[str]) -> frozenset[str]:
        result: set[str] = set()
        for name in names:
            result |= self._closures[name]
        return frozenset(result)

    def minimal_cover(self, names: Iterable[str]) -> frozenset[str]:
        """The members not contained in another member: same closure, nothing redundant."""
        members = set(names)
        keep: set[str] = set()
        for name in members:
            implied_by_other = any(
                other != name and name in self._closures[other] for other in members
            )
            if not implied_by_other:
                keep.add(name)
        return frozenset(keep)

    def compare(self, granted: Iterable[str], required: Iterable[str]) -> Comparison:
        granted_set, required_set = set(granted), set(required)
        granted_closure = self.closure(granted_set)
        required_closure = self.closure(required_set)
        missing = {s for s in self.minimal_cover(required_set) if s not in granted_closure}
        excess = {
            s for s in self.minimal_cover(granted_set) if not self._closures[s] <= required_closure
        }
        return Comparison(missing=frozenset(missing), excess=frozenset(excess))

    def sorted(self, names: Iterable[str]) -> list[str]:
        """Catalog order (the order the UI lists them in), unknown names last."""
        order = self._order
        return sorted(names, key=lambda n: (order.get(n, len(order)), n))

    @cached_property
    def _order(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.scopes)}
