"""The review on a terminal: the verdict, a table of changes, the policy and its verdicts."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from scm_access.review.model import Level, Review, SlotChange
from scm_access.review.summary import status_symbol, verdict_line

_STYLE = {"added": "green", "removed": "red", "changed": "yellow"}


def render_table(review: Review, threshold: Level | None = Level.ERROR) -> RenderableType:
    parts: list[RenderableType] = [
        Text(f"{status_symbol(review, threshold)} {verdict_line(review, threshold)}", style="bold"),
        Text(f"base {review.base.label} → head {review.head.label} · as of {review.today}", style="dim"),
    ]
    if review.connections:
        table = Table(show_lines=False, title_justify="left")
        for column in ("", "Connection", "Platform", "Holder", "Change", "Declared at"):
            table.add_column(column, overflow="fold")
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
                table.add_row(
                    Text(change, style=_STYLE[change]),
                    Text(connection.name),
                    Text(slot.platform if slot else ""),
                    Text(slot.holder if slot else ""),
                    Text(what),
                    Text(f"{location.file}:{location.line}" if location.file else ""),
                )
        parts.append(table)
    for policy_change in review.policy:
        affected = f" (affects {len(policy_change.affected_slots)} slot(s))" if policy_change.affected_slots else ""
        parts.append(Text(f"policy {policy_change.direction}: {policy_change.summary}{affected}"))
    verdicts = review.verdicts
    parts.append(
        Text(
            f"Policy verdicts: {len(verdicts.new)} new, {len(verdicts.fixed)} fixed, {len(verdicts.updated)} changed,"
            f" {verdicts.unchanged} unchanged"
        )
    )
    for verdict in verdicts.new:
        parts.append(Text(f"  new {verdict.severity} {verdict.code} · {verdict.slot}: {verdict.message}"))
    for verdict in verdicts.updated:
        parts.append(Text(f"  changed {verdict.severity} {verdict.code} · {verdict.slot}: {verdict.message}"))
    for verdict in verdicts.fixed:
        parts.append(Text(f"  fixed {verdict.severity} {verdict.code} · {verdict.slot}"))
    for key in review.deleted_credentials:
        parts.append(Text(f"the stack would delete the provisioned credential of {key}", style="red"))
    return Group(*parts)


def print_table(review: Review, console: Console, threshold: Level | None = Level.ERROR) -> None:
    console.print(render_table(review, threshold))
