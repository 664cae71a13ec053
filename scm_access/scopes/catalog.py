"""Scope catalogs and the scope algebra shared by every platform.

A catalog is data (one entry per scope string the platform documents, each traced to the platform's own
documentation or data); the algebra is exact and the same for all platforms: closure under implication,
minimal covering set, granted-vs-required comparison, and label lookup both ways.

Implications can hold for some credential kinds only ("``api`` includes Git over HTTP on a personal access
token, not on a group access token"), and can be unconfirmed (no primary source says so). The algebra uses
an implication to fold or compare scopes only when it is confirmed and holds for the kind at hand; with no
kind given, only implications that hold for every kind count. ``reach`` is the wide view (every
implication, whatever the kind or its confirmation) for questions like "could this grant reach a forbidden
scope?".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from scm_access.core.kinds import CredentialKind


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact was read: a URL or ``owner/repository:path@commit`` of the platform's own material."""

    ref: str
    checked: str
    """The date (YYYY-MM-DD) the fact was last held against the source."""

    def __str__(self) -> str:
        return f"{self.ref} (checked {self.checked})"


@dataclass(frozen=True, slots=True)
class Flag:
    """A deprecation or an experimental status: why, since when, and who says so."""

    reason: str
    source: Source
    since: str | None = None
    """The date (YYYY-MM-DD) it took effect, when the source gives one."""

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True, slots=True)
class Implication:
    """``scope`` is contained in the scope that lists this implication."""

    scope: str
    source: Source | None = None
    kinds: frozenset[CredentialKind] | None = None
    """The credential kinds for which it holds; None for every kind that can hold both scopes."""
    unconfirmed: str | None = None
    """Why no primary source confirms it; an unconfirmed implication never folds a requested scope."""

    def holds_for(self, kind: CredentialKind | None) -> bool:
        """Confirmed, and true for ``kind`` (with no kind: true for every kind)."""
        if self.unconfirmed is not None:
            return False
        if self.kinds is None:
            return True
        return kind is not None and kind in self.kinds


@dataclass(frozen=True, slots=True)
class Scope:
    """One scope or permission string as the platform documents it."""

    name: str
    label: str
    """The label the token-creation UI shows, e.g. ``Code: Read & write``."""
    kinds: frozenset[CredentialKind]
    """Credential kinds that can carry this scope."""
    implies: tuple[Implication, ...] = ()
    """Scopes directly contained in this one (transitivity is computed)."""
    description: str = ""
    group: str = ""
    """The UI group or parent heading the checkbox sits under."""
    aliases: tuple[str, ...] = ()
    """Other labels people use for it (seed guides: ``All repo options``)."""
    deprecated: Flag | None = None
    """Why and since when it should not be used; None if current."""
    experimental: Flag | None = None
    """Offered only behind a feature flag or in a preview; None if generally available."""
    high_privilege: bool = False
    ui_selectable: bool = True
    """False for scopes that exist but cannot be ticked in the token dialog."""
    sources: tuple[Source, ...] = ()
    """Where the platform documents that the scope exists and which kinds can hold it."""
    label_source: Source | None = None
    """Where the platform shows the label; None when only others' material does (see ``label_unconfirmed``)."""
    label_unconfirmed: str | None = None
    """Why the label is not confirmed by the platform's own material."""
    unconfirmed: str | None = None
    """Why the scope's existence is not confirmed by a current primary source."""

    @property
    def source(self) -> Source | None:
        return self.sources[0] if self.sources else None


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


class CatalogError(Exception):
    """A catalog's data contradicts itself (a bug in the catalog, found when it is built)."""


_LABEL_PUNCTUATION = re.compile(r"[,;:()\"'“”]")


def normalize_label(text: str) -> str:
    """Fold the spelling differences seen across guides: case, '&' vs 'and', commas, spacing."""
    text = text.lower().replace("&", " and ")
    text = _LABEL_PUNCTUATION.sub(" ", text)
    return " ".join(text.split())


_EVERY_KIND = "every kind"  # the cache key for closures that hold whatever the kind


@dataclass
class ScopeCatalog:
    platform: str
    scopes: dict[str, Scope] = field(default_factory=dict)
    _closures: dict[object, dict[str, frozenset[str]]] = field(default_factory=dict, repr=False)
    _reach: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _reach_for: dict[CredentialKind, dict[str, frozenset[str]]] = field(default_factory=dict, repr=False)
    _labels: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, platform: str, entries: Iterable[Scope]) -> ScopeCatalog:
        catalog = cls(platform=platform)
        for entry in entries:
            if entry.name in catalog.scopes:
                raise CatalogError(f"{platform}: scope {entry.name!r} listed twice")
            catalog.scopes[entry.name] = entry
        for entry in catalog.scopes.values():
            for implied in entry.implies:
                if implied.scope not in catalog.scopes:
                    raise CatalogError(f"{platform}: {entry.name!r} implies unknown {implied.scope!r}")
        # Cycles are looked for over every implication, whatever its kinds or confirmation.
        for name in catalog.scopes:
            catalog._reach[name] = catalog._reach_one(name, ())
        for entry in catalog.scopes.values():
            for label in (entry.label, *entry.aliases):
                key = normalize_label(label)
                if catalog._labels.setdefault(key, entry.name) != entry.name:
                    raise CatalogError(f"{platform}: label {label!r} names two scopes")
        return catalog

    def _reach_one(self, name: str, path: tuple[str, ...]) -> frozenset[str]:
        if name in path:
            raise CatalogError(f"{self.platform}: implication cycle {' -> '.join((*path, name))}")
        known = self._reach.get(name)
        if known is not None:
            return known
        result = {name}
        for implied in self.scopes[name].implies:
            result |= self._reach_one(implied.scope, (*path, name))
        return frozenset(result)

    def _closures_for(self, kind: CredentialKind | None) -> dict[str, frozenset[str]]:
        key: object = _EVERY_KIND if kind is None else kind
        table = self._closures.get(key)
        if table is None:
            table = {}
            for name in self.scopes:
                self._close_one(name, kind, table)
            self._closures[key] = table
        return table

    def _close_one(
        self, name: str, kind: CredentialKind | None, table: dict[str, frozenset[str]]
    ) -> frozenset[str]:
        known = table.get(name)
        if known is not None:
            return known
        result = {name}
        for implied in self.scopes[name].implies:
            if implied.holds_for(kind):
                result |= self._close_one(implied.scope, kind, table)
        table[name] = frozenset(result)
        return table[name]

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

    def labels(self, name: str) -> tuple[str, ...]:
        """Every label that resolves to the scope: the UI label first, then the aliases."""
        entry = self.scopes[name]
        return (entry.label, *entry.aliases)

    def for_kind(self, kind: CredentialKind) -> list[Scope]:
        return [s for s in self.scopes.values() if kind in s.kinds]

    # -- algebra ----------------------------------------------------------------------------------

    def closure(self, names: Iterable[str], kind: CredentialKind | None = None) -> frozenset[str]:
        """What the scopes grant through confirmed implications that hold for ``kind``.

        With no kind, only the implications that hold for every kind count: the narrowest safe answer.
        """
        closures = self._closures_for(kind)
        result: set[str] = set()
        for name in names:
            result |= closures[name]
        return frozenset(result)

    def reach(self, names: Iterable[str], kind: CredentialKind | None = None) -> frozenset[str]:
        """Everything the scopes might grant, confirmed or not: for ``kind``, or for any kind when None."""
        if kind is None:
            table = self._reach
        else:
            cached = self._reach_for.get(kind)
            if cached is not None:
                table = cached
            else:
                table = {}
                for name in self.scopes:
                    self._reach_one_for(name, kind, table)
                self._reach_for[kind] = table
        result: set[str] = set()
        for name in names:
            result |= table[name]
        return frozenset(result)

    def _reach_one_for(
        self, name: str, kind: CredentialKind, table: dict[str, frozenset[str]]
    ) -> frozenset[str]:
        known = table.get(name)
        if known is not None:
            return known
        result = {name}
        for implied in self.scopes[name].implies:
            if implied.kinds is None or kind in implied.kinds:
                result |= self._reach_one_for(implied.scope, kind, table)
        table[name] = frozenset(result)
        return table[name]

    def implied_by(self, name: str, kind: CredentialKind | None = None) -> frozenset[str]:
        """The scopes whose closure contains ``name`` (``name`` itself excluded)."""
        closures = self._closures_for(kind)
        return frozenset(other for other, closed in closures.items() if other != name and name in closed)

    def minimal_cover(self, names: Iterable[str], kind: CredentialKind | None = None) -> frozenset[str]:
        """The members not contained in another member: same closure, nothing redundant."""
        closures = self._closures_for(kind)
        members = set(names)
        keep: set[str] = set()
        for name in members:
            implied_by_other = any(other != name and name in closures[other] for other in members)
            if not implied_by_other:
                keep.add(name)
        return frozenset(keep)

    def unconfirmed_containers(
        self, names: Iterable[str], kind: CredentialKind | None = None
    ) -> dict[str, str]:
        """Members another member may contain, though no source confirms it for ``kind``: member -> container.

        These are kept (ticking a scope that turns out to be implied costs nothing); instructions say why.
        """
        closures = self._closures_for(kind)
        members = self.sorted(set(names))
        found: dict[str, str] = {}
        for name in members:
            for other in members:
                if other != name and name in self.reach([other], kind) and name not in closures[other]:
                    found.setdefault(name, other)
        return found

    def compare(
        self, granted: Iterable[str], required: Iterable[str], kind: CredentialKind | None = None
    ) -> Comparison:
        closures = self._closures_for(kind)
        granted_set, required_set = set(granted), set(required)
        granted_closure = self.closure(granted_set, kind)
        required_closure = self.closure(required_set, kind)
        missing = {s for s in self.minimal_cover(required_set, kind) if s not in granted_closure}
        excess = {
            s for s in self.minimal_cover(granted_set, kind) if not closures[s] <= required_closure
        }
        return Comparison(missing=frozenset(missing), excess=frozenset(excess))

    def sorted(self, names: Iterable[str]) -> list[str]:
        """Catalog order (the order the UI lists them in), unknown names last."""
        order = self._order
        return sorted(names, key=lambda n: (order.get(n, len(order)), n))

    @cached_property
    def _order(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.scopes)}


def implies(*names: str, source: Source, kinds: Iterable[CredentialKind] | None = None) -> tuple[Implication, ...]:
    """Confirmed implications of several scopes from one source (a shorthand for catalogs)."""
    kind_set = frozenset(kinds) if kinds is not None else None
    return tuple(Implication(scope=name, source=source, kinds=kind_set) for name in names)
