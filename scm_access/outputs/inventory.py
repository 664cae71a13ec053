"""The admin inventory in every format: what each source read, a finding per declared slot, and what exists
without a declaration. Names, logins and messages came from servers: shown as text, never read as markup
(escaped in Markdown and HTML, control characters visible). Nothing here is secret: the run scrubbed it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from scm_access.inventory.report import InventoryReport, SlotFinding, UndeclaredCredential
from scm_access.judge import Status
from scm_access.outputs import registry
from scm_access.outputs.findings import STATUS_STYLE, finding_markdown, finding_panel
from scm_access.outputs.instructions import html_page, html_text, inline, table_style
from scm_access.outputs.registry import OutputFormat
from scm_access.outputs.terminal import Hanging, plain
from scm_access.outputs.text import markdown_code, markdown_text

SUBJECT = "inventory"
TERMINAL_ROWS = 200
"""Undeclared credentials listed on a terminal; the other formats list every one."""
_SOURCE_STYLE = {"read": "green", "skipped": "dim", "failed": "red"}


INDENTED_UP_TO = 2000
"""Findings and undeclared credentials up to which the JSON is indented for people; past that it is compact
(the C encoder: an indented document of tens of thousands of entries takes seconds to write)."""


def json_document(report: InventoryReport) -> str:
    document = report.document()
    if len(document["findings"]) + len(document["undeclared"]) <= INDENTED_UP_TO:
        return json.dumps(document, indent=2)
    # A document built afresh holds no cycle: not checking for one spares the encoder a lookup per container.
    return json.dumps(document, separators=(",", ":"), check_circular=False)


@registry.renderer(SUBJECT, OutputFormat.JSON)
def _json(report: InventoryReport) -> str:
    return json_document(report)


def _credential_text(item: SlotFinding) -> str:
    if not item.credentials:
        return ""
    first = item.credentials[0]
    text = first.name or f"id {first.id}"
    return text + (f" (+{len(item.credentials) - 1})" if len(item.credentials) > 1 else "")


def _problem_codes(problems: Sequence) -> str:
    # str() of a string enum is its value, without the enum property's cost (Python 3.11): every undeclared
    # credential's row asks it, in each format.
    return ", ".join(dict.fromkeys(str(p.code) for p in problems))


def summary_line(report: InventoryReport) -> str:
    counts = report.summary()
    parts = [f"{counts[s.value]} {s.value}" for s in Status if s != Status.MISSING and counts.get(s.value)]
    parts.append(f"{len(report.undeclared)} undeclared")
    if report.failed_sources:
        parts.append(f"{len(report.failed_sources)} source(s) failed")
    return f"{len(report.findings)} declared slot(s): " + ", ".join(parts)


# -- terminal -----------------------------------------------------------------------------------------


@registry.printer(SUBJECT)
def terminal(report: InventoryReport, console: Console) -> None:
    wide = console.width >= WIDE
    console.print(_sources_table(report) if wide else _sources_lines(report))
    for item in report.findings:
        if item.finding.status != Status.OK:
            console.print(finding_panel(item.finding))
    console.print(_slots_table(report) if wide else _slots_lines(report))
    if report.undeclared:
        shown = report.undeclared[:TERMINAL_ROWS]
        console.print(_undeclared_table(shown) if wide else _undeclared_lines(shown))
        if len(report.undeclared) > len(shown):
            console.print(Text(
                f"… and {len(report.undeclared) - len(shown)} more undeclared credential(s): every one is in"
                " --format json, markdown or html, and in --out DIR"
            ))
    console.print(Text(summary_line(report)))


WIDE = 120
"""From this width each part is a table; below it, lines (a table of five to seven columns would break
identifiers, dates and problem codes in the middle)."""


def _sources_table(report: InventoryReport) -> Table:
    table = _table("sources", "sources")
    for source in report.sources:
        table.add_row(
            plain(source.platform), plain(source.source), plain(source.scope or "—"), _source_status(source.status.value),
            plain(source.detail),
        )
    return table


def _table(title: str, kind: str) -> Table:
    """An empty terminal table of this kind, with the columns the HTML page gives it."""
    table = Table(title=title, title_justify="left")
    for column in _COLUMNS[kind]:
        table.add_column(column, overflow="fold")
    return table


def _source_status(status: str) -> Text:
    return Text(status, style=_SOURCE_STYLE.get(status, ""))


def _sources_lines(report: InventoryReport) -> Group:
    lines: list[RenderableType] = [Text("sources", style="bold")]
    for source in report.sources:
        head = Text.assemble(plain(source.platform), " · ", plain(source.source))
        if source.scope:
            head.append_text(Text.assemble(" · ", plain(source.scope)))
        lines.append(Hanging(Text.assemble(head, "  ", _source_status(source.status.value)), indent=2))
        lines.append(Hanging(plain(source.detail), indent=4))
    return Group(*lines)


def _slots_table(report: InventoryReport) -> Table:
    table = _table("declared slots", "slots")
    for item in report.findings:
        table.add_row(
            plain(item.finding.slot),
            Text(item.finding.status.value, style=STATUS_STYLE[item.finding.status]),
            Text(_problem_codes(item.finding.problems)),
            Text(item.matched_by or "—"),
            plain(_credential_text(item)),
        )
    return table


def _slots_lines(report: InventoryReport) -> Group:
    lines: list[RenderableType] = [Text("\ndeclared slots", style="bold")]
    for item in report.findings:
        line = Text.assemble(
            plain(item.finding.slot), "  ", (item.finding.status.value, STATUS_STYLE[item.finding.status])
        )
        codes = _problem_codes(item.finding.problems)
        if codes:
            line.append(f"  {codes}")
        if item.credentials:
            line.append_text(Text.assemble("  ", (f"{item.matched_by or 'matched'}: ", "dim"), plain(_credential_text(item))))
        lines.append(Hanging(line, indent=2))
    return Group(*lines)


def _undeclared_table(items: Sequence[UndeclaredCredential]) -> Table:
    table = _table("undeclared credentials", "undeclared")
    for item in items:
        found = item.credential
        table.add_row(
            plain(found.platform.value),
            plain(found.kind.short_label if found.kind is not None else found.kind_label),
            plain(found.owner or "—"),
            plain(found.name or "—"),
            Text(_date(found.expires_at, found.never_expires)),
            Text(_used(found)),
            Text(_problem_codes(item.problems)),
        )
    return table


def _undeclared_lines(items: Sequence[UndeclaredCredential]) -> Group:
    lines: list[RenderableType] = [Text("\nundeclared credentials", style="bold")]
    for item in items:
        found = item.credential
        head = Text.assemble(
            plain(found.platform.value), " · ", plain(found.kind.short_label if found.kind is not None else found.kind_label)
        )
        if found.owner:
            head.append_text(Text.assemble(" of ", plain(found.owner)))
        if found.name:
            head.append_text(Text.assemble(" named ", plain(found.name)))
        lines.append(Hanging(head, indent=2))
        facts = (
            f"expires {_date(found.expires_at, found.never_expires)} · last used {_used(found)}"
            f" · {_problem_codes(item.problems)}"
        )
        lines.append(Hanging(Text(facts, style="dim"), indent=4))
    return Group(*lines)


def _date(moment, never: bool | None = None) -> str:
    if never:
        return "never"
    return moment.date().isoformat() if moment is not None else "not shown"


def _used(found) -> str:
    if found.last_used_at is not None:
        return found.last_used_at.date().isoformat()
    return "never" if found.usage_shown else "not shown"


# -- Markdown -----------------------------------------------------------------------------------------


@registry.renderer(SUBJECT, OutputFormat.MARKDOWN)
def markdown(report: InventoryReport) -> str:
    date = report.date.strftime("%Y-%m-%d %H:%M UTC")
    out = [f"# scm-access inventory, {date}", "", markdown_text(summary_line(report)), ""]
    out += ["## Sources", "", "| platform | source | scope | status | detail |", "|---|---|---|---|---|"]
    for s in report.sources:
        out.append(
            f"| {markdown_code(s.platform, in_table=True)} | {markdown_code(s.source, in_table=True)} | "
            f"{markdown_text(s.scope or '—')} | {s.status.value} | {markdown_text(s.detail)} |"
        )
    out += ["", "## Declared slots", "", "| slot | status | problems | matched by | credential |", "|---|---|---|---|---|"]
    for item in report.findings:
        out.append(
            f"| {markdown_code(item.finding.slot, in_table=True)} | {item.finding.status.value} | "
            f"{_problem_codes(item.finding.problems)} | {item.matched_by or '—'} | {markdown_text(_credential_text(item))} |"
        )
    out.append("")
    for item in report.findings:
        if item.finding.status != Status.OK:
            out.append("#" + finding_markdown(item.finding))
            out += [f"- Not shown by the view: {markdown_text(note)}" for note in item.not_shown]
            out.append("")
    if report.undeclared:
        out += ["## Undeclared credentials", "", "| platform | kind | owner | name | expires | last used | problems |",
                "|---|---|---|---|---|---|---|"]
        for u in report.undeclared:
            found = u.credential
            kind = found.kind.short_label if found.kind is not None else found.kind_label
            out.append(
                f"| {found.platform} | {markdown_text(kind)} | {markdown_text(found.owner or '—')} | "
                f"{markdown_text(found.name or '—')} | {_date(found.expires_at, found.never_expires)} | {_used(found)} | "
                f"{_problem_codes(u.problems)} |"
            )
        out.append("")
        for u in report.undeclared:
            out.append(f"- {markdown_text(u.problems[0].detail)}")
            out += [f"  - **`{p.code}`**: {markdown_text(p.detail)}" for p in u.problems[1:]]
        out.append("")
    return "\n".join(out)


# -- HTML ---------------------------------------------------------------------------------------------


_COLUMNS = {
    "sources": ("platform", "source", "scope", "status", "detail"),
    "slots": ("slot", "status", "problems", "matched by", "credential"),
    "undeclared": ("platform", "kind", "owner", "name", "expires", "last used", "problems"),
}
"""Each table and its columns (the terminal's and the page's headers, and the page's labels on a narrow screen)."""

_HTML_STYLE = "".join(table_style(kind, columns) for kind, columns in _COLUMNS.items())


@registry.renderer(SUBJECT, OutputFormat.HTML)
def html(report: InventoryReport) -> str:
    def row(cells: Sequence[str]) -> str:
        return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"

    def table(kind: str, rows: list[str]) -> str:
        head = "".join(f"<th>{html_text(h)}</th>" for h in _COLUMNS[kind])
        return f'<div class="scroll"><table class="{kind}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'

    body = ["<h2>Sources</h2>", table(
        "sources",
        [row([html_text(s.platform), html_text(s.source), html_text(s.scope or "—"), html_text(s.status.value),
              html_text(s.detail)]) for s in report.sources],
    )]
    body += ["<h2>Declared slots</h2>", table(
        "slots",
        [row([f"<code>{html_text(i.finding.slot)}</code>", html_text(i.finding.status.value),
              html_text(_problem_codes(i.finding.problems)), html_text(i.matched_by or "—"),
              html_text(_credential_text(i))]) for i in report.findings],
    )]
    for item in report.findings:
        if item.finding.status == Status.OK:
            continue
        finding = item.finding
        problems = "".join(
            f"<li><code>{p.code.value}</code>: {html_text(p.detail)}"
            + ("<ol>" + "".join(f"<li>{inline(step.text)}</li>" for step in p.remediation) + "</ol>" if p.remediation else "")
            + "</li>"
            for p in finding.problems
        )
        reason = f"<p>{html_text(finding.reason)}</p>" if finding.reason else ""
        notes = "".join(f"<li>not shown by the view: {html_text(n)}</li>" for n in item.not_shown)
        body.append(
            f"<section><h3><code>{html_text(finding.slot)}</code>: {html_text(finding.status.value)}</h3>"
            f"{reason}<ul>{problems}{notes}</ul></section>"
        )
    if report.undeclared:
        body += ["<h2>Undeclared credentials</h2>", table(
            "undeclared",
            [row([html_text(str(u.credential.platform)),
                  html_text(u.credential.kind.short_label if u.credential.kind is not None else u.credential.kind_label),
                  html_text(u.credential.owner or "—"), html_text(u.credential.name or "—"),
                  html_text(_date(u.credential.expires_at, u.credential.never_expires)),
                  html_text(_used(u.credential)),
                  html_text(_problem_codes(u.problems))]) for u in report.undeclared],
        )]
    date = report.date.strftime("%Y-%m-%d %H:%M UTC")
    intro = f"<p>{html_text(summary_line(report))}</p>"
    return html_page("scm-access inventory", date, intro, "\n".join(body), table_style=_HTML_STYLE)
