"""The review on a terminal: the verdict, a table of changes, the policy and its verdicts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from scm_access.outputs.terminal import Hanging, plain
from scm_access.review.model import Level, Review, SlotChange
from scm_access.review.summary import status_symbol, verdict_line

_STYLE = {"added": "green", "removed": "red", "changed": "yellow"}


WIDE_ENOUGH = 110
"""Narrower than this, each change is a few lines of its own: six columns would fold names and scopes."""


def render_table(review: Review, threshold: Level | None = Level.ERROR, width: int | None = None) -> RenderableType:
    """The review at a width (``None``: wide enough for the table)."""
    parts: list[RenderableType] = [
        Hanging(Text(f"{status_symbol(review, threshold)} {verdict_line(review, threshold)}", style="bold"), indent=0),
        Hanging(Text(f"base {review.base.label} → head {review.head.label} · as of {review.today}", style="dim"), indent=0),
    ]
    rows = list(_rows(review))
    if width is not None and width < WIDE_ENOUGH:
        parts.extend(_blocks(rows))
    elif rows:
        parts.append(_table(rows))
    for policy_change in review.policy:
        affected = f" (affects {len(policy_change.affected_slots)} slot(s))" if policy_change.affected_slots else ""
        parts.append(Hanging(Text(f"policy {policy_change.direction}: {policy_change.summary}{affected}"), indent=0))
    verdicts = review.verdicts
    parts.append(
        Hanging(
            Text(
                f"Policy verdicts: {len(verdicts.new)} new, {len(verdicts.fixed)} fixed,"
                f" {len(verdicts.updated)} changed, {verdicts.unchanged} unchanged"
            ),
            indent=0,
        )
    )
    for verdict in verdicts.new:
        parts.append(Hanging(Text(f"new {verdict.severity} {verdict.code} · {verdict.slot}: {verdict.message}"), indent=2))
    for verdict in verdicts.updated:
        parts.append(
            Hanging(Text(f"changed {verdict.severity} {verdict.code} · {verdict.slot}: {verdict.message}"), indent=2)
        )
    for verdict in verdicts.fixed:
        parts.append(Hanging(Text(f"fixed {verdict.severity} {verdict.code} · {verdict.slot}"), indent=2))
    for key in review.deleted_credentials:
        parts.append(Hanging(Text(f"the stack would delete the provisioned credential of {key}", style="red"), indent=0))
    return Group(*parts)


def print_table(review: Review, console: Console, threshold: Level | None = Level.ERROR) -> None:
    console.print(render_table(review, threshold, console.width))


def _table(rows: list[_Row]) -> Table:
    table = Table(show_lines=False, title_justify="left")
    for column in ("", "Connection", "Platform", "Holder", "Change", "Declared at"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            Text(row.change, style=_STYLE[row.change]),
            plain(row.connection),
            Text(row.platform),
            plain(row.holder),
            plain(row.what),
            plain(row.location),
        )
    return table


def _blocks(rows: list[_Row]) -> Iterator[RenderableType]:
    """Each change as a few lines: who, what changed, where it is declared."""
    for row in rows:
        who = " · ".join(part for part in (row.connection, row.platform, row.holder) if part)
        yield Hanging(Text.assemble((row.change, _STYLE[row.change]), " ", plain(who, style="bold")), indent=0)
        yield Hanging(plain(row.what), indent=2)
        if row.location:
            yield Hanging(plain(row.location, style="dim"), indent=2)


class _Row(NamedTuple):
    change: str
    connection: str
    platform: str
    holder: str
    what: str
    location: str


def _rows(review: Review) -> Iterator[_Row]:
    """A row per changed slot (a connection without slots: one row of its own)."""
    for connection in review.connections:
        slots: list[SlotChange | None] = [*connection.slots] or [None]
        for slot in slots:
            change = slot.change if slot else connection.change
            what = "; ".join(
                [f"+ {s.scope}" + (" (high-privilege)" if s.high_privilege else "") for s in (slot.scopes_added if slot and slot.change == "changed" else [])]
                + [f"− {s.scope}" for s in (slot.scopes_removed if slot and slot.change == "changed" else [])]
                + [c.summary for c in (slot.fields if slot else [])]
            ) or (f"{slot.kind} {change}" if slot else f"connection {change}")
            location = slot.location if slot else connection.location
            yield _Row(
                change=change,
                connection=connection.name,
                platform=slot.platform if slot else "",
                holder=slot.holder if slot else "",
                what=what,
                location=f"{location.file}:{location.line}" if location.file else "",
            )
