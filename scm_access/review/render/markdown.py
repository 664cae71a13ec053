"""The review as a pull/merge request comment.

A one-line verdict first, then a table of changes per connection, the policy and its verdicts, and the details
in collapsible sections. It stays under :data:`LIMIT` characters whatever the size of the change (GitHub
refuses comments over 65,536): past the budget, sections are summarised with a count. The hidden
:data:`MARKER` lets a CI job find and update its earlier comment instead of adding one.
"""

from __future__ import annotations

import html
import re

from scm_access.review.model import ConnectionChange, Level, Location, Review, SlotChange
from scm_access.review.render.links import LinkTemplate
from scm_access.review.summary import status_symbol, verdict_line

MARKER = "<!-- scm-access-review -->"
LIMIT = 60_000
_CELL = 400
"""Longest table cell; longer change lists are cut (the details hold everything)."""

_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def escape(text: object) -> str:
    """Text from declarations is shown as written, never interpreted as Markdown or HTML."""
    return _SPECIAL.sub(r"\\\1", html_text(text))


def html_text(text: object) -> str:
    """Text inside an HTML element (where Markdown escapes do not apply): entities only."""
    return html.escape(_CONTROL.sub(" ", str(text)), quote=False)


def code(text: object) -> str:
    """An inline code span that survives any content (backticks inside are replaced)."""
    content = _CONTROL.sub(" ", str(text)).replace("`", "ʼ")
    return f"`{content}`"


class _Budget:
    """Lines added while they fit; the reserve keeps room for the closing summary and marker."""

    def __init__(self, limit: int) -> None:
        self.lines: list[str] = []
        self.left = limit

    def add(self, line: str) -> bool:
        cost = len(line) + 1
        if cost > self.left:
            return False
        self.lines.append(line)
        self.left -= cost
        return True

    def add_all(self, lines: list[str]) -> bool:
        cost = sum(len(line) + 1 for line in lines)
        if cost > self.left:
            return False
        for line in lines:
            self.add(line)
        return True


def render_markdown(review: Review, threshold: Level | None = Level.ERROR, links: LinkTemplate | None = None) -> str:
    def where(location: Location) -> str:
        if not location.file:
            return ""
        text = f"{location.file}:{location.line}" if location.line else location.file
        url = links.url(review, location) if links else None
        return f"[{escape(text)}]({url})" if url else code(text)

    closing = ["", MARKER]
    budget = _Budget(LIMIT - sum(len(x) + 1 for x in closing) - 200)
    budget.add(f"{status_symbol(review, threshold)} **scm-access review:** {escape(verdict_line(review, threshold))}")
    budget.add("")
    budget.add(
        f"<sub>base {code(review.base.label)} → head {code(review.head.label)} · planned as of {review.today}</sub>"
    )
    verdicts = review.verdicts
    if not review.changes_access and not (verdicts.new or verdicts.fixed or verdicts.updated):
        return "\n".join(budget.lines + closing) + "\n"

    rows: list[tuple[ConnectionChange, SlotChange | None]] = []
    for connection in review.connections:
        if connection.slots:
            rows += [(connection, slot) for slot in connection.slots]
        else:
            rows.append((connection, None))
    if rows:
        budget.add("")
        budget.add("| | Connection | Platform | Holder | Change | Declared at |")
        budget.add("|---|---|---|---|---|---|")
        shown = 0
        for connection, slot in rows:
            if slot is None:
                line = f"| {_mark(connection.change)} | {escape(connection.name)} | | | connection {connection.change} | {where(connection.location)} |"
            else:
                summary = _cut(_slot_summary(slot))
                line = (
                    f"| {_mark(slot.change)} | {escape(connection.name)} | {escape(slot.platform)} |"
                    f" {escape(slot.holder)} | {summary} | {where(slot.location)} |"
                )
            if not budget.add(line):
                budget.add(f"| | … | | | {len(rows) - shown} more change(s): see the JSON report | |")
                break
            shown += 1

    if review.policy:
        budget.add("")
        budget.add(f"**Policy** ({where(review.policy_location) or 'policy file'})")
        budget.add("")
        for index, change in enumerate(review.policy):
            affected = change.affected_slots
            names = ", ".join(code(k) for k in affected[:10]) + (f" and {len(affected) - 10} more" if len(affected) > 10 else "")
            line = f"- **{change.direction}**: {escape(change.summary)}" + (
                f" — affects {len(affected)} slot(s): {names}" if affected else ""
            )
            if not budget.add(line):
                budget.add(f"- … {len(review.policy) - index} more policy change(s)")
                break

    budget.add("")
    budget.add(
        f"**Policy verdicts:** {len(verdicts.new)} new · {len(verdicts.fixed)} fixed · {len(verdicts.updated)} changed"
        f" · {verdicts.unchanged} unchanged"
    )
    listed = (
        [("new", v) for v in verdicts.new]
        + [("changed", v) for v in verdicts.updated]
        + [("fixed", v) for v in verdicts.fixed]
    )
    if listed:
        budget.add("")
    for index, (state, verdict) in enumerate(listed):
        icon = "✅" if state == "fixed" else ("🔴" if verdict.severity == "error" else "🟡")
        icon = "✏️" if state == "changed" else icon
        line = (
            f"- {icon} {state} {escape(verdict.severity)} {code(verdict.code)} · {code(verdict.slot)}:"
            f" {escape(verdict.message)} {where(verdict.location)}"
        )
        if not budget.add(line):
            budget.add(f"- … {len(listed) - index} more verdict(s): see the JSON or SARIF report")
            break

    if review.deleted_credentials:
        budget.add("")
        budget.add("**Credentials the stack would delete** (the next `pulumi up` removes them):")
        for index, key in enumerate(review.deleted_credentials):
            if not budget.add(f"- {code(key)}"):
                budget.add(f"- … {len(review.deleted_credentials) - index} more")
                break

    details_left = 0
    for index, connection in enumerate(review.connections):
        summary = f"{html_text(connection.name)} ({html_text(connection.integration)}): {connection.change}"
        block = ["", f"<details><summary>{summary}</summary>", ""]
        if connection.platforms_added:
            block.append(f"- platforms added: {', '.join(escape(p) for p in connection.platforms_added)}")
        if connection.platforms_removed:
            block.append(f"- platforms removed: {', '.join(escape(p) for p in connection.platforms_removed)}")
        for slot in connection.slots:
            block.extend(_slot_details(slot, where(slot.location)))
        block.extend(["", "</details>"])
        if not budget.add_all(block):
            details_left = len(review.connections) - index
            break
    if details_left:
        budget.add("")
        budget.add(f"… details of {details_left} more connection(s) left out to keep this comment short: see the JSON report.")
    return "\n".join(budget.lines + closing) + "\n"


_STRATEGY = {"provision": "provisioned", "user_pat": "personal token"}


def _mark(change: str) -> str:
    return {"added": "➕", "removed": "➖", "changed": "✏️"}[change]


def _cut(text: str) -> str:
    return text if len(text) <= _CELL else text[: _CELL - 1].rsplit(", ", 1)[0] + ", …"


def _slot_summary(slot: SlotChange) -> str:
    parts: list[str] = []
    if slot.change == "added":
        parts.append(f"new {escape(slot.kind)}: " + (", ".join(code(s.scope) for s in slot.scopes_added) or "no scope"))
    elif slot.change == "removed":
        parts.append(f"{escape(slot.kind)} removed")
    else:
        for scope in slot.scopes_added:
            flag = " **high-privilege**" if scope.high_privilege else ""
            also = f" (also grants {', '.join(code(g) for g in scope.grants)})" if scope.grants else ""
            parts.append(f"+ {code(scope.scope)}{flag}{also}")
        for scope in slot.scopes_removed:
            parts.append(f"− {code(scope.scope)}")
        parts.extend(escape(change.summary) for change in slot.fields)
    if slot.deletes_credential:
        parts.append("**deletes the provisioned credential**")
    return "; ".join(parts)


def _slot_details(slot: SlotChange, where: str) -> list[str]:
    strategy = _STRATEGY.get(slot.strategy, slot.strategy)
    lines = [f"- **{escape(slot.key)}** — {escape(slot.kind)}, {escape(strategy)} — {slot.change} {where}"]
    for scope in slot.scopes_added:
        flag = " · high-privilege" if scope.high_privilege else ""
        also = f" · also grants {', '.join(code(g) for g in scope.grants)}" if scope.grants else ""
        lines.append(f"  - + {code(scope.scope)} ({escape(scope.label)}){flag}{also}")
    for scope in slot.scopes_removed:
        lines.append(f"  - − {code(scope.scope)} ({escape(scope.label)})")
    if slot.newly_granted and slot.change == "changed":
        lines.append(f"  - newly reachable: {', '.join(code(s) for s in slot.newly_granted)}")
    if slot.no_longer_granted and slot.change == "changed":
        lines.append(f"  - no longer reachable: {', '.join(code(s) for s in slot.no_longer_granted)}")
    for change in slot.fields:
        lines.append(f"  - {escape(change.summary)}")
    if slot.deletes_credential:
        lines.append("  - the stack deletes the provisioned credential")
    return lines
