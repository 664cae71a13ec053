"""`scm-access scopes`: a platform's scope catalog, or one scope explained (what it is, what it contains, who
can hold it, and where each fact comes from)."""

from __future__ import annotations

import difflib
import json
from enum import StrEnum
from typing import Annotated, Any, Optional

import typer
from rich.table import Table
from rich.text import Text

from scm_access.cli.console import stdout
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.errors import ScmAccessError
from scm_access.platforms.registry import get_platform
from scm_access.scopes.catalog import Flag, Scope, ScopeCatalog, Source, UnknownScopeError


class ScopesFormat(StrEnum):
    table = "table"
    json = "json"


class ScopeLookupError(ScmAccessError):
    """An unknown platform, kind or scope on the command line (exit 2, with the nearest valid names)."""


def register(app: typer.Typer) -> None:
    from scm_access.cli.console import guarded as user_errors

    @app.command("scopes")
    @user_errors
    def scopes_command(
        platform: Annotated[str, typer.Argument(help="github, gitlab, azure_devops or bitbucket.")],
        scope: Annotated[
            Optional[str], typer.Argument(help="A scope string or a UI label, e.g. \"Work Items: Read & write\".")
        ] = None,
        kind: Annotated[
            Optional[str],
            typer.Option("--kind", help="Only what this credential kind can hold; containment as it holds for it."),
        ] = None,
        format: Annotated[
            Optional[ScopesFormat],
            typer.Option("--format", "-f", help="table or json (default: table for the catalog, json for a scope)."),
        ] = None,
    ) -> None:
        """The scope catalog of PLATFORM as a table, or one scope (string or UI label) explained as JSON."""
        chosen_platform = _platform(platform)
        catalog = get_platform(chosen_platform).catalog
        chosen_kind = _kind(kind, chosen_platform) if kind is not None else None
        if scope is None:
            entries = [s for s in catalog.scopes.values() if chosen_kind is None or chosen_kind in s.kinds]
            if format == ScopesFormat.json:
                typer.echo(json.dumps([describe(catalog, s.name, chosen_kind) for s in entries], indent=2))
            else:
                _print_table(catalog, entries, chosen_kind)
            return
        try:
            name = catalog.resolve(scope)
        except UnknownScopeError as error:
            hint = f"; nearest: {', '.join(error.suggestions)}" if error.suggestions else ""
            raise ScopeLookupError(f"unknown scope {scope!r} on {chosen_platform.value}{hint}") from None
        document = describe(catalog, name, chosen_kind)
        if format == ScopesFormat.table:
            _print_fields(document)
        else:
            typer.echo(json.dumps(document, indent=2))


def _platform(text: str) -> Platform:
    values = [p.value for p in Platform]
    if text in values:
        return Platform(text)
    nearest = difflib.get_close_matches(text.lower().replace("-", "_"), values, n=3, cutoff=0.4)
    hint = f"; nearest: {', '.join(nearest)}" if nearest else ""
    raise ScopeLookupError(f"unknown platform {text!r} (one of {', '.join(values)}){hint}")


def _kind(text: str, platform: Platform) -> CredentialKind:
    kinds = [k for k in CredentialKind if k.platform == platform]
    for kind in kinds:
        if text in (kind.value, _short(kind, platform)):
            return kind
    names = [_short(k, platform) for k in kinds]
    nearest = difflib.get_close_matches(text, names, n=3, cutoff=0.4)
    hint = f"; nearest: {', '.join(nearest)}" if nearest else ""
    raise ScopeLookupError(f"unknown credential kind {text!r} on {platform.value} (one of {', '.join(names)}){hint}")


def _short(kind: CredentialKind, platform: Platform) -> str:
    return kind.value.removeprefix(f"{platform.value}_")


def _source(source: Source | None) -> dict[str, str] | None:
    return None if source is None else {"ref": source.ref, "checked": source.checked}


def _flag(flag: Flag | None) -> dict[str, Any] | None:
    if flag is None:
        return None
    return {"reason": flag.reason, "since": flag.since, "source": _source(flag.source)}


def describe(catalog: ScopeCatalog, name: str, kind: CredentialKind | None = None) -> dict[str, Any]:
    """Everything the catalog knows about one scope, with the source of each fact."""
    entry: Scope = catalog[name]
    platform = Platform(catalog.platform)
    implied = catalog.closure([name], kind) - {name}
    return {
        "platform": catalog.platform,
        "scope": name,
        "label": entry.label,
        "labels": list(catalog.labels(name)),
        "description": entry.description,
        "group": entry.group,
        "kinds": sorted(_short(k, platform) for k in entry.kinds),
        "for_kind": _short(kind, platform) if kind is not None else None,
        "implies": sorted(implied),
        "implies_unconfirmed": sorted(catalog.reach([name], kind) - implied - {name}),
        "implied_by": sorted(catalog.implied_by(name, kind)),
        "implications": [
            {
                "scope": i.scope,
                "kinds": sorted(_short(k, platform) for k in i.kinds) if i.kinds is not None else None,
                "source": _source(i.source),
                "unconfirmed": i.unconfirmed,
            }
            for i in entry.implies
        ],
        "deprecated": _flag(entry.deprecated),
        "experimental": _flag(entry.experimental),
        "high_privilege": entry.high_privilege,
        "ui_selectable": entry.ui_selectable,
        "source": _source(entry.source),
        "sources": [_source(s) for s in entry.sources],
        "unconfirmed": entry.unconfirmed,
        "label_source": _source(entry.label_source),
        "label_unconfirmed": entry.label_unconfirmed,
    }


def _flags(entry: Scope) -> str:
    flags = []
    if entry.high_privilege:
        flags.append("high privilege")
    if entry.deprecated is not None:
        flags.append(f"deprecated{f' {entry.deprecated.since}' if entry.deprecated.since else ''}")
    if entry.experimental is not None:
        flags.append("experimental")
    if entry.unconfirmed:
        flags.append("unconfirmed")
    if not entry.ui_selectable:
        flags.append("not in the form")
    return ", ".join(flags)


def _print_table(catalog: ScopeCatalog, entries: list[Scope], kind: CredentialKind | None) -> None:
    platform = Platform(catalog.platform)
    console = stdout()
    table = Table(title=Text(f"{catalog.platform} scopes ({len(entries)})"), title_justify="left")
    for column in ("scope", "label", "kinds", "implies", "flags"):
        table.add_column(column, overflow="fold")  # a narrow terminal folds a scope's name, never cuts it
    for entry in entries:
        implies = [
            i.scope
            + ("?" if i.unconfirmed else "")
            + (f" ({', '.join(sorted(_short(k, platform) for k in i.kinds))})" if i.kinds is not None else "")
            for i in entry.implies
            if i.kinds is None or kind is None or kind in i.kinds
        ]
        table.add_row(
            Text(entry.name),
            Text(entry.label),
            Text(", ".join(sorted(_short(k, platform) for k in entry.kinds))),
            Text(", ".join(implies)),
            Text(_flags(entry)),
        )
    console.print(table)
    console.print(
        Text("implies: direct containment; '?' unconfirmed (never used to drop a scope), (kinds) only for those.")
    )


def _print_fields(document: dict[str, Any]) -> None:
    console = stdout()
    table = Table(show_header=False)
    table.add_column("field")
    table.add_column("value")
    for key, value in document.items():
        shown = value if isinstance(value, str) else json.dumps(value)
        table.add_row(Text(key), Text(shown))
    console.print(table)
