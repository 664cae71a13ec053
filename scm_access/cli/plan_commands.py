"""`scm-access plan`, `instructions` and `schema`: everything that works offline."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from scm_access.declarations.connection import Connection
from scm_access.core.kinds import Platform
from scm_access.declarations.loader import Project, load_project
from scm_access.declarations.policy import Policy
from scm_access.errors import DeclarationError, ExitCode
from scm_access.instruct.build import instructions_for
from scm_access.instruct.render import render_html, render_json, render_markdown, render_terminal
from scm_access.plan.planner import Plan, plan_project
from scm_access.plan.selection import select_slots
from scm_access.plan.slot import Slot, Strategy
from scm_access.rules import Severity

ProjectOption = Annotated[
    Path,
    typer.Option(
        "--project",
        envvar="SCM_ACCESS_PROJECT",
        help="Folder holding connections/ and policies/.",
        file_okay=False,
    ),
]
TodayOption = Annotated[
    Optional[str], typer.Option("--today", help="Plan as of this date (YYYY-MM-DD); default today.")
]


class PlanFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class InstructionsFormat(StrEnum):
    terminal = "terminal"
    markdown = "markdown"
    json = "json"
    html = "html"


class SchemaModel(StrEnum):
    connection = "connection"
    policy = "policy"


def load_and_plan(project_dir: Path, today: str | None) -> tuple[Project, Plan]:
    project = load_project(project_dir)
    return project, plan_project(project, _parse_today(today))


def _parse_today(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DeclarationError.single(None, "--today", f"{text!r} is not a date (YYYY-MM-DD)") from None


def register(app: typer.Typer) -> None:
    from scm_access.cli import user_errors

    @app.command("plan")
    @user_errors
    def plan_command(
        format: Annotated[PlanFormat, typer.Option("--format", "-f", help="Output format.")] = PlanFormat.table,
        out: Annotated[
            Optional[Path],
            typer.Option("--out", help="Write instructions (Markdown, HTML, JSON) and plan.json to this folder."),
        ] = None,
        project_dir: ProjectOption = Path("."),
        today: TodayOption = None,
    ) -> None:
        """Plan every declared connection: slots, strategies, policy violations. Exit 1 when a token must be
        created or a rule is broken."""
        project, result = load_and_plan(project_dir, today)
        # Piped output has no terminal width; a plan table is still meant to be read, so give it room.
        console = Console(width=None if sys.stdout.isatty() else 160)
        document = plan_document(result) if format == PlanFormat.json else None
        if document is not None:
            typer.echo(json.dumps(document, indent=2))
        elif format == PlanFormat.markdown:
            typer.echo(plan_markdown(result))
        else:
            print_plan_table(console, result)
        if out is not None:
            written = write_outputs(project, result, out, document)
            if format == PlanFormat.table:
                console.print(f"\nInstructions for {written} connection(s) written to [bold]{out}/[/bold]")
        raise typer.Exit(int(ExitCode.ACTION_REQUIRED if result.action_required else ExitCode.OK))

    @app.command("instructions")
    @user_errors
    def instructions_command(
        connection: Annotated[Optional[str], typer.Argument(help="Connection name; all when omitted.")] = None,
        platform: Annotated[Optional[Platform], typer.Option("--platform", "-p")] = None,
        holder: Annotated[Optional[str], typer.Option("--holder", help="Only this person's steps.")] = None,
        format: Annotated[InstructionsFormat, typer.Option("--format", "-f")] = InstructionsFormat.terminal,
        project_dir: ProjectOption = Path("."),
        today: TodayOption = None,
    ) -> None:
        """Print the manual steps to create each personal token, with pre-filled links where supported."""
        project, result = load_and_plan(project_dir, today)
        # A name that matches nothing is a typo, not "nothing to do": the same choice as verify's.
        slots = select_slots(result.slots, connection, platform.value if platform else None, holder)
        items = instructions_for(slots)
        if format == InstructionsFormat.markdown:
            typer.echo(render_markdown(items), nl=False)
        elif format == InstructionsFormat.json:
            typer.echo(render_json(items))
        elif format == InstructionsFormat.html:
            title = f"Access tokens for {connection}" if connection else "Access tokens to create"
            typer.echo(render_html(items, title=title), nl=False)
        else:
            console = Console()
            if not items:
                console.print("No personal token to create: every matching slot is provisioned.")
            for panel in render_terminal(items):
                console.print(panel)

    @app.command("schema")
    def schema_command(
        model: Annotated[SchemaModel, typer.Argument(help="Which declaration.")] = SchemaModel.connection,
    ) -> None:
        """Print the JSON Schema of the declarations (for editors and reviews)."""
        schema_of = Connection if model == SchemaModel.connection else Policy
        typer.echo(json.dumps(schema_of.model_json_schema(), indent=2))


def plan_document(result: Plan) -> dict:
    return {"date": result.today.isoformat(), "summary": result.counts(), "slots": [s.summary() for s in result.slots]}


def print_plan_table(console: Console, result: Plan) -> None:
    table = Table(title=f"scm-access plan ({result.today.isoformat()})", title_justify="left", show_lines=False)
    for column in ("Connection", "Platform", "Holder", "Credential", "Scopes", "Strategy", "Expires", "Policy"):
        table.add_column(column, overflow="fold", no_wrap=column in {"Expires", "Platform", "Strategy"})
    for slot in result.slots:
        errors = sum(1 for v in slot.violations if v.severity == Severity.ERROR)
        warnings = len(slot.violations) - errors
        verdict = " ".join(
            part
            for part in (f"[red]{errors} error(s)[/red]" if errors else "", f"[yellow]{warnings} warning(s)[/yellow]" if warnings else "")
            if part
        ) or "[green]ok[/green]"
        strategy = "[green]provision[/green]" if slot.strategy == Strategy.PROVISION else "[cyan]user PAT[/cyan]"
        table.add_row(
            slot.connection,
            slot.platform.value,
            slot.holder,
            slot.kind.short_label,
            ", ".join(slot.scopes),
            strategy,
            _expiry(slot),
            verdict,
        )
    console.print(table)
    _print_reasons(console, result)
    summary = result.counts()
    console.print(
        f"\n{summary['slots']} slot(s): {summary['provision']} provisioned, {summary['user_pat']} personal"
        f" token(s) to create; {summary['errors']} policy error(s), {summary['warnings']} warning(s)."
    )


def _expiry(slot: Slot) -> str:
    if slot.kind.spec.expires:
        return slot.expires_at.isoformat()
    return "no expiry" if slot.kind.carries_secret else "no secret"


def _print_reasons(console: Console, result: Plan) -> None:
    seen: set[tuple[str, str]] = set()
    for slot in result.slots:
        key = (slot.connection, slot.platform.value)
        if key in seen:
            continue
        seen.add(key)
        console.print(f"\n[bold]{slot.connection} · {slot.platform.value}[/bold]: {slot.strategy.value} — {slot.reason}")
        for violation in slot.violations:
            colour = "red" if violation.severity == Severity.ERROR else "yellow"
            console.print(f"  [{colour}]{violation.severity.value}[/{colour}] {violation.code}: {violation.message}")


def plan_markdown(result: Plan) -> str:
    lines = [
        f"# scm-access plan ({result.today.isoformat()})",
        "",
        "| Connection | Platform | Holder | Kind | Scopes | Strategy | Expires | Violations |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in result.slots:
        codes = ", ".join(f"{v.severity.value}: {v.code}" for v in s.violations) or "—"
        scopes = ", ".join(f"`{x}`" for x in s.scopes)
        lines.append(
            f"| {s.connection} | {s.platform.value} | {s.holder} | {s.kind.label} | {scopes} |"
            f" {s.strategy.value} | {_expiry(s)} | {codes} |"
        )
    lines.append("")
    for slot in result.slots:
        for v in slot.violations:
            lines.append(f"- **{slot.id}** {v.severity.value} `{v.code}`: {v.message}")
    return "\n".join(lines) + "\n"


def write_outputs(project: Project, result: Plan, out: Path, document: dict | None = None) -> int:
    out.mkdir(parents=True, exist_ok=True)
    (out / "plan.json").write_text(json.dumps(document or plan_document(result), indent=2) + "\n")
    everything = []
    by_connection = result.by_connection()
    for connection in project.connections:
        items = instructions_for(by_connection.get(connection.name, []))
        everything.extend(items)
        subtitle = f"{connection.integration} — {connection.purpose} (owner: {connection.owner})"
        (out / f"{connection.name}.md").write_text(f"# {connection.integration}\n\n" + render_markdown(items))
        (out / f"{connection.name}.html").write_text(
            render_html(items, title=f"{connection.integration}: access tokens", subtitle=subtitle)
        )
    (out / "instructions.json").write_text(render_json(everything) + "\n")
    return len(project.connections)
