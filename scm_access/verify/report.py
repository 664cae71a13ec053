"""Findings as a terminal table, Markdown or JSON. Findings hold no token (at most its last four
characters), so nothing here can print one."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from scm_access.errors import ExitCode
from scm_access.judge import Finding, Status, worst_status
from scm_access.judge.finding import RemediationStep

STATUS_STYLE = {
    Status.OK: "green",
    Status.ACTION_REQUIRED: "yellow",
    Status.UNKNOWN: "red",
    Status.PARTIALLY_VERIFIED: "cyan",
    Status.MISSING: "dim",
}


EXIT_CODES = {
    Status.ACTION_REQUIRED: ExitCode.ACTION_REQUIRED,
    Status.UNKNOWN: ExitCode.UNKNOWN,
    Status.PARTIALLY_VERIFIED: ExitCode.PARTIALLY_VERIFIED,
    Status.OK: ExitCode.OK,
}


def exit_code_for(findings: Sequence[Finding]) -> ExitCode:
    """The exit code of the status that decides (the judge's order: a certain problem first, then a fact not
    seen); missing is no verdict: with nothing else, 0."""
    decisive = worst_status(f.status for f in findings)
    return EXIT_CODES[decisive] if decisive is not None else ExitCode.OK


def findings_json(findings: Sequence[Finding]) -> str:
    return json.dumps([f.model_dump(mode="json") for f in findings], indent=2)


def finding_json(finding: Finding) -> str:
    return json.dumps(finding.model_dump(mode="json"), indent=2)


def _facts_lines(finding: Finding) -> list[tuple[str, str]]:
    facts = finding.facts
    if facts.never_expires:
        expiry = "never"
    elif facts.expires_at is not None:
        expiry = facts.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    else:
        expiry = "not observed"
    lines = [
        ("token kind", facts.token_kind or "not observed"),
        ("owner", facts.owner_login or "not observed"),
        ("scopes", ", ".join(facts.scopes_granted) if facts.scopes_granted is not None else "not observable"),
        ("expires", expiry),
        ("token", f"…{facts.token_last_four}" if facts.token_last_four else "—"),
    ]
    if facts.orgs_authorized:
        lines.append(("SSO authorized for", ", ".join(facts.orgs_authorized)))
    if facts.repositories_reachable is not None:
        lines.append(("repositories reached", ", ".join(facts.repositories_reachable) or "none"))
    if facts.groups:
        lines.append(("groups", ", ".join(facts.groups)))
    return lines


def _reason_adds(finding: Finding) -> bool:
    """Whether the reason says more than the problems listed below it (each sentence is said once)."""
    if not finding.reason:
        return False
    return not any(p.detail in finding.reason for p in finding.problems)


def _remediation_markdown(steps: Sequence[RemediationStep]) -> list[str]:
    """Sentences as paragraphs of the problem's list item, steps as a numbered list inside it, each step's
    sub-items as a list inside the step."""
    out: list[str] = []
    number = 0
    for step in steps:
        link = f" <{step.link}>" if step.link else ""
        if step.numbered:
            number += 1
            if number == 1:
                out.append("")
            out.append(f"  {number}. {step.text}{link}")
        else:
            number = 0
            out += ["", f"  {step.text}{link}"]
        indent = "     " if step.numbered else "  "
        if step.items and not step.numbered:
            out.append("")
        out += [f"{indent}- {item}" for item in step.items]
    return out


_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|`([^`]+)`")


def _styled(text: str) -> Text:
    """The steps' Markdown subset shown as terminal styles: **bold** bold, `code` cyan, no asterisks."""
    out = Text()
    position = 0
    for match in _EMPHASIS.finditer(text):
        out.append(text[position : match.start()])
        bold, code = match.groups()
        out.append(bold if bold is not None else code, style="bold" if bold is not None else "cyan")
        position = match.end()
    out.append(text[position:])
    return out


def _remediation_terminal(steps: Sequence[RemediationStep]) -> list[Text]:
    lines: list[Text] = []
    number = 0
    for step in steps:
        if step.numbered:
            number += 1
            line = Text(f"  {number}. ")
        else:
            number = 0
            line = Text("  ")
        line.append_text(_styled(step.text))
        if step.link:
            line.append(" ")
            line.append(step.link, style=f"link {step.link}")
        lines.append(line)
        indent = "       " if step.numbered else "    "
        for item in step.items:
            lines.append(Text(f"{indent}• ").append_text(_styled(item)))
    return lines


def finding_markdown(finding: Finding) -> str:
    out = [f"## `{finding.slot}`: {finding.status.value}", ""]
    if _reason_adds(finding):
        out += [f"**Why:** {finding.reason}", ""]
    out += ["| fact | value |", "|---|---|"]
    out += [f"| {name} | {value.replace('|', '/')} |" for name, value in _facts_lines(finding)]
    out.append("")
    for name in finding.facts.unobservable:
        out.append(f"- Not observable: {name}")
    if finding.facts.unobservable:
        out.append("")
    if finding.problems:
        out += ["### Problems", ""]
        for problem in finding.problems:
            out.append(f"- **`{problem.code.value}`**: {problem.detail}")
            out += _remediation_markdown(problem.remediation)
        out.append("")
    return "\n".join(out)


def findings_markdown(findings: Sequence[Finding]) -> str:
    return "\n".join(finding_markdown(f) for f in findings)


def finding_panel(finding: Finding) -> Panel:
    style = STATUS_STYLE[finding.status]
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    for name, value in _facts_lines(finding):
        facts.add_row(name, escape(value))
    parts: list = [facts]
    for name in finding.facts.unobservable:
        parts.append(Text(f"not observable: {name}", style="dim"))
    if _reason_adds(finding):
        parts.append(Text(f"why: {finding.reason}", style=style))
    for problem in finding.problems:
        parts.append(Text.assemble("\n", (problem.code.value, f"bold {style}"), ": ", problem.detail))
        parts += _remediation_terminal(problem.remediation)
    return Panel(
        Group(*parts),
        title=f"[{style}]{finding.status.value}[/{style}]  {escape(finding.slot)}",
        title_align="left",
    )


def summary_table(findings: Sequence[Finding]) -> Table:
    table = Table(title="scm-access verify", title_justify="left")
    table.add_column("slot", overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column("problems", no_wrap=True)
    table.add_column("owner", overflow="fold")
    table.add_column("expires", no_wrap=True)
    table.add_column("token", no_wrap=True)
    for finding in findings:
        facts = finding.facts
        style = STATUS_STYLE[finding.status]
        problems = "\n".join(dict.fromkeys(p.code.value for p in finding.problems))
        if finding.status == Status.MISSING:
            problems = "no token given"
        expires = (
            "never" if facts.never_expires else facts.expires_at.strftime("%Y-%m-%d") if facts.expires_at else ""
        )
        table.add_row(
            escape(finding.slot),
            Text(finding.status.value, style=style),
            escape(problems),
            escape(facts.owner_login or ""),
            expires,
            f"…{facts.token_last_four}" if facts.token_last_four else "",
        )
    return table


def summary_line(findings: Sequence[Finding]) -> str:
    counts = {status: sum(f.status == status for f in findings) for status in Status}
    return ", ".join(f"{count} {status.value}" for status, count in counts.items() if count)


def print_findings(console: Console, findings: Sequence[Finding]) -> None:
    for finding in findings:
        console.print(finding_panel(finding))
