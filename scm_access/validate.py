"""Validate declarations against the platforms' catalogs, and the policy's own scopes.

What the rules judge (a lifetime beyond the policy, forbidden scopes, ...) is not checked here: the plan
reports it as the rule's violation, so each rule is written once. Validation never asks the planner.

Returns the connections with scopes in canonical form (UI labels resolved to scope strings), or raises one
:class:`DeclarationError` listing every problem, each naming the connection and the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from scm_access.declarations.connection import Connection
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations.policy import Policy
from scm_access.declarations.token_variable import shared_token_variables
from scm_access.errors import DeclarationError
from scm_access.platforms.registry import get_platform
from scm_access.scopes.catalog import UnknownScopeError, normalize_label


def validate(connections: list[Connection], policy: Policy) -> list[Connection]:
    problems: list[tuple[str | None, str, str]] = policy_problems(policy)
    seen: set[str] = set()
    shapes: dict[tuple[Platform, tuple[str, ...]], _ScopeShape] = {}
    result = []
    for connection in connections:
        if connection.name in seen:
            problems.append((connection.name, "name", "declared twice; connection names must be unique"))
            continue
        seen.add(connection.name)
        entries = []
        for index, access in enumerate(connection.access):
            where = f"access[{index}]"
            spec = get_platform(access.platform)
            shape = shapes.get((spec.platform, tuple(access.scopes)))
            if shape is None:
                shape = shapes[(spec.platform, tuple(access.scopes))] = _ScopeShape.of(spec, access.scopes)
            resolved = shape.resolved
            for position, message in shape.unknown:
                problems.append((connection.name, f"{where}.scopes[{position}]", message))
            if not access.scopes:
                problems.append((connection.name, f"{where}.scopes", "list at least one scope"))
            problems.extend((connection.name, f"{where}.{field}", message) for field, message in spec.name_problems(access))
            asked = [*access.guide_asked_for, *shape.guide_names]
            for position, name in enumerate(access.guide_asked_for):
                if kind_named(spec.platform, name) is None and not _is_scope(spec.catalog, name):
                    problems.append(
                        (
                            connection.name,
                            f"{where}.guide_asked_for[{position}]",
                            f"{name!r} is neither a {spec.display_name} credential kind nor a scope",
                        )
                    )
            # From here on the entry speaks in scope strings, as the planner and the platforms expect (a
            # copy only where that changes something: most entries already do).
            scopes, asked = list(dict.fromkeys(resolved)), list(dict.fromkeys(asked))
            entry = access
            if scopes != access.scopes or asked != access.guide_asked_for:
                entry = access.model_copy(update={"scopes": scopes, "guide_asked_for": asked})
            kind = entry.kind
            if kind is not None:
                problems.extend(_kind_problems(connection.name, where, entry, kind, resolved))
            elif shape.mixed:
                problems.append((connection.name, f"{where}.scopes", shape.mixed))
            entries.append(entry)
        unchanged = all(entry is access for entry, access in zip(entries, connection.access))
        result.append(connection if unchanged else connection.model_copy(update={"access": entries}))
    problems.extend(shared_token_variables(result))
    if problems:
        raise DeclarationError(problems)
    return result


@dataclass(frozen=True)
class _ScopeShape:
    """What a platform's catalog says of a list of declared scopes: many entries declare the same list, and
    it is read once per validation."""

    resolved: list[str]
    """The scope strings of the declared scopes that are known (labels resolved), in declared order."""
    unknown: list[tuple[int, str]]
    """(position, problem) for each declared scope the platform does not know."""
    guide_names: list[str]
    mixed: str | None
    """Why no single credential kind holds all the known scopes, if none does."""

    @classmethod
    def of(cls, spec, declared: list[str]) -> _ScopeShape:
        resolved: list[str] = []
        unknown: list[tuple[int, str]] = []
        for position, scope in enumerate(declared):
            try:
                resolved.append(spec.catalog.resolve(scope))
            except UnknownScopeError as error:
                unknown.append((position, f"{error} on {spec.display_name}"))
        return cls(resolved, unknown, _guide_names(spec.catalog, declared), _no_kind_holds_all(spec.catalog, resolved))


def _guide_names(catalog, declared: list[str]) -> list[str]:
    """Declared scopes written as another name the guides use ("All repo options" for `repo`): what the
    guide asked for, to be explained next to the scope the person will actually tick."""
    names = []
    for name in declared:
        if not _is_scope(catalog, name):
            continue
        scope = catalog.resolve(name)
        if name != scope and normalize_label(name) != normalize_label(catalog.label(scope)):
            names.append(name)
    return names


def _is_scope(catalog, name: str) -> bool:
    try:
        catalog.resolve(name)
    except UnknownScopeError:
        return False
    return True


def kind_named(platform, name: str) -> CredentialKind | None:
    """The platform's credential kind called ``name`` (its value or its label), if any."""
    wanted = normalize_label(name)
    return next(
        (k for k in platform.kinds if wanted in {normalize_label(k.value), normalize_label(k.label)}), None
    )


def _no_kind_holds_all(catalog, scopes: list[str]) -> str | None:
    """Scopes that no single credential kind can carry (a classic GitHub scope beside a fine-grained
    permission): the plan would pick one kind and ask for a box its form does not have."""
    if not scopes:
        return None
    common = set(catalog[scopes[0]].kinds)
    for position, scope in enumerate(scopes[1:], start=1):
        kinds = set(catalog[scope].kinds)
        if not common & kinds:
            other = next((s for s in scopes[:position] if not set(catalog[s].kinds) & kinds), None)
            if other is None:
                listed = ", ".join(repr(s) for s in scopes[: position + 1])
                return f"no single credential holds all of {listed}; declare scopes of one kind of credential"
            return (
                f"{other!r} is held only by {_labels(catalog[other].kinds)} and {scope!r} only by"
                f" {_labels(kinds)}: no credential holds both; declare scopes of one kind of credential"
            )
        common &= kinds
    return None


def _labels(kinds) -> str:
    return " or ".join(sorted(kind.label for kind in kinds))


def _kind_problems(name: str, where: str, access, kind: CredentialKind, scopes: list[str]):
    spec = get_platform(access.platform)
    if kind.platform != spec.platform:
        yield name, f"{where}.kind", f"{kind.value} is not a {spec.display_name} credential kind"
        return
    if not kind.is_personal and access.service is None:
        yield name, f"{where}.holder", f"a {kind.label} is org-managed: the holder must be a service identity"
    for scope in scopes:
        if kind not in spec.catalog[scope].kinds:
            yield name, f"{where}.scopes", f"{scope!r} cannot be granted to a {kind.label}"
    held = access.delivery.holds if access.delivery is not None else None
    if held is not None and kind.carries_secret and held != kind.spec.form:
        yield name, f"{where}.delivery.holds", (
            f"a {kind.label} is {_FORMS[kind.spec.form]}, but the delivery takes {_FORMS[held]}"
        )
    for field, message in spec.check_access(access, kind):
        yield name, f"{where}.{field}", message


_FORMS = {"token": "a token", "ssh_key": "an SSH key"}


def policy_problems(policy: Policy) -> list[tuple[str | None, str, str]]:
    """A forbidden scope the platform does not know would silently forbid nothing: refuse it."""
    problems: list[tuple[str | None, str, str]] = []
    for platform, scopes in policy.forbidden_scopes.items():
        catalog = get_platform(platform).catalog
        for position, scope in enumerate(scopes):
            where = f"policy.forbidden_scopes.{platform.value}[{position}]"
            try:
                canonical = catalog.resolve(scope)
            except UnknownScopeError as error:
                problems.append((None, where, f"{error} on {get_platform(platform).display_name}"))
                continue
            if canonical != scope:
                problems.append((None, where, f"{scope!r} is a label: write the scope string {canonical!r}"))
    return problems
