"""Findings (the verdicts of `verify`) in every format. Findings hold no token (at most its last four
characters); what a server said (a login, a message) is shown as text, never obeyed or read as markup."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from scm_access.outputs import registry
from scm_access.outputs.registry import OutputFormat
from scm_access.outputs.terminal import Hanging, link_text, plain, subset_text
from scm_access.outputs.text import markdown_code, markdown_link, markdown_subset, markdown_text
from scm_access.judge import Finding, Status
from scm_access.judge.finding import RemediationStep

STATUS_STYLE = {
    Status.OK: "green",
    Status.ACTION_REQUIRED: "yellow",
    Status.UNKNOWN: "red",
    Status.PARTIALLY_VERIFIED: "cyan",
    Status.MISSING: "dim",
}


@dataclass(frozen=True)
class FindingsView:
    findings: Sequence[Finding]
    single: bool = False
    """One token checked (`verify CONNECTION`): the finding itself, without a summary of many."""


def findings_json(findings: Sequence[Finding]) -> str:
    return json.dumps([f.model_dump(mode="json") for f in findings], indent=2)


def finding_json(finding: Finding) -> str:
    return json.dumps(finding.model_dump(mode="json"), indent=2)


@registry.renderer("findings", OutputFormat.JSON)
def _json(view: FindingsView) -> str:
    """One finding as an object (`verify CONNECTION`), several as a list (`verify --all`)."""
    return finding_json(view.findings[0]) if view.single else findings_json(view.findings)


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


def finding_markdown(finding: Finding) -> str:
    out = [f"## {markdown_code(finding.slot)}: {finding.status.value}", ""]
    if finding.reason and _reason_adds(finding):
        out += [f"**Why:** {markdown_text(finding.reason)}", ""]
    out += ["| fact | value |", "|---|---|"]
    out += [f"| {name} | {markdown_text(value)} |" for name, value in _facts_lines(finding)]
    out.append("")
    for name in finding.facts.unobservable:
        out.append(f"- Not observable: {markdown_text(name)}")
    if finding.facts.unobservable:
        out.append("")
    if finding.problems:
        out += ["### Problems", ""]
        for problem in finding.problems:
            out.append(f"- **`{problem.code.value}`**: {markdown_text(problem.detail)}")
            out += _remediation_markdown(problem.remediation)
        out.append("")
    return "\n".join(out)


def findings_markdown(findings: Sequence[Finding]) -> str:
    return "\n".join(finding_markdown(f) for f in findings)


@registry.renderer("findings", OutputFormat.MARKDOWN)
def _markdown(view: FindingsView) -> str:
    return findings_markdown(view.findings)


def _remediation_markdown(steps: Sequence[RemediationStep]) -> list[str]:
    """Sentences as paragraphs of the problem's list item, steps as a numbered list inside it, each step's
    sub-items as a list inside the step; the steps' Markdown subset kept, everything else escaped."""
    out: list[str] = []
    number = 0
    for step in steps:
        link = f" {markdown_link(step.link)}" if step.link else ""
        if step.numbered:
            number += 1
            if number == 1:
                out.append("")
            out.append(f"  {number}. {markdown_subset(step.text)}{link}")
        else:
            number = 0
            out += ["", f"  {markdown_subset(step.text)}{link}"]
        indent = "     " if step.numbered else "  "
        if step.items and not step.numbered:
            out.append("")
        out += [f"{indent}- {markdown_subset(item)}" for item in step.items]
    return out


def _remediation_terminal(steps: Sequence[RemediationStep]) -> list[Hanging]:
    """Numbered steps and their bullets, each wrapping under its own text, not at the panel's edge."""
    lines: list[Hanging] = []
    number = 0
    for step in steps:
        text = subset_text(step.text)
        if step.link:
            text.append(" ")
            text.append_text(link_text(step.link))
        if step.numbered:
            number += 1
            lines.append(Hanging(text, indent=5, marker=f"{number}."))
        else:
            number = 0
            lines.append(Hanging(text, indent=2))
        for item in step.items:
            lines.append(Hanging(subset_text(item), indent=9 if step.numbered else 6, marker="•"))
    return lines


def finding_panel(finding: Finding) -> Panel:
    style = STATUS_STYLE[finding.status]
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    for name, value in _facts_lines(finding):
        facts.add_row(name, plain(value))
    parts: list = [facts]
    for name in finding.facts.unobservable:
        parts.append(plain(f"not observable: {name}", style="dim"))
    if finding.reason and _reason_adds(finding):
        parts.append(Text.assemble(("why: ", style), plain(finding.reason, style=style)))
    for problem in finding.problems:
        parts.append(Text.assemble("\n", (problem.code.value, f"bold {style}"), ": ", plain(problem.detail)))
        parts += _remediation_terminal(problem.remediation)
    return Panel(
        Group(*parts),
        title=Text.assemble((finding.status.value, style), "  ", plain(finding.slot)),
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
            plain(finding.slot),
            Text(finding.status.value, style=style),
            Text(problems),
            plain(facts.owner_login or ""),
            Text(expires),
            plain(f"…{facts.token_last_four}") if facts.token_last_four else Text(""),
        )
    return table


def summary_line(findings: Sequence[Finding]) -> str:
    counts = {status: sum(f.status == status for f in findings) for status in Status}
    return ", ".join(f"{count} {status.value}" for status, count in counts.items() if count)


def print_findings(console: Console, findings: Sequence[Finding]) -> None:
    for finding in findings:
        console.print(finding_panel(finding))


@registry.printer("findings")
def terminal(view: FindingsView, console: Console) -> None:
    """Each finding as a panel; several (`verify --all`) also get a summary table and a count line."""
    findings = view.findings
    if view.single:
        print_findings(console, findings)
        return
    print_findings(console, [f for f in findings if f.status != Status.MISSING])
    console.print(summary_table(findings))
    console.print(Text(summary_line(findings)))
