"""`scm-access plan`: the main job. Slots, strategies with their reasons, policy violations; with `--out`,
every page a person needs, an index, and the plan as JSON."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Optional
from urllib.parse import quote

import typer

from scm_access.cli.console import stdout
from scm_access.cli.options import ProjectOption, TodayOption, UsageError, format_option, load_and_plan, parse_fail_on
from scm_access.declarations.connection import Connection
from scm_access.declarations.loader import POLICY_MODULE, Project
from scm_access.errors import ExitCode
from scm_access.instruct.build import sections_for
from scm_access.instruct.model import Instructions
from scm_access.outputs import OutputFormat, emit, render
from scm_access.outputs.instructions import ConnectionPart, InstructionsView, JsonWriter, connections_html, connections_markdown
from scm_access.outputs.instructions import INDENTED_UP_TO
from scm_access.outputs.instructions import json_document as instructions_json
from scm_access.outputs.plan import PlanView
from scm_access.outputs.plan import write_json as write_plan_json
from scm_access.outputs.terminal import Hanging, plain
from scm_access.outputs.text import markdown_text
from scm_access.plan.planner import Plan
from scm_access.plan.slot import Strategy
from scm_access.rules import Severity

MANIFEST = ".scm-access-manifest.json"
"""In a `--out` folder: the files this program wrote there, so a later run removes only its own."""


class FailOn(StrEnum):
    ERROR = "error"
    """A policy error."""
    WARNING = "warning"
    """A policy warning."""
    PENDING = "pending"
    """A personal token someone must still create."""
    NONE = "none"
    """Never exit 1 (exit 2 and 4 still mean what they mean)."""


DEFAULT_FAIL_ON = "error,pending"


def plan_command(
    format: Annotated[OutputFormat, format_option("plan")] = OutputFormat.TERMINAL,
    out: Annotated[
        Optional[Path],
        typer.Option(
            "--out",
            metavar="DIR",
            help="Write the instructions (a Markdown and an HTML page per declaration module), index.html, index.md, plan.json and"
            " instructions.json to this folder. Files it wrote before that no longer belong are removed;"
            " nothing else is touched.",
            file_okay=False,
        ),
    ] = None,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            metavar="CONDITIONS",
            help="Comma-separated: exit 1 when any of these is found: error (policy error), warning (policy"
            " warning), pending (a personal token to create); none to exit 0 whatever is found.",
        ),
    ] = DEFAULT_FAIL_ON,
    full_table: Annotated[
        bool,
        typer.Option("--full-table", help="List every slot on the terminal, however many (past 200 the terminal"
                     " shows the summary and the problems)."),
    ] = False,
    project_dir: ProjectOption = Path("."),
    today: TodayOption = None,
) -> None:
    """Plan every declared connection: slots, strategies, policy violations.

    Exit 1 when something in --fail-on is found (by default a policy error or a token to create)."""
    conditions = parse_fail_on(fail_on, FailOn)
    project, result = load_and_plan(project_dir, today)
    view = plan_view(project, result, full_table=full_table)
    console = stdout()
    emit("plan", format, view, console)
    if out is not None:
        pages = write_outputs(project, result, out, view)
        if format == OutputFormat.TERMINAL:
            # The folder as typed (control characters shown); wrapped without blanks at the lines' ends.
            written = (
                f"Instructions for {len(project.connections):,} connection(s) written to {out}/ as {pages:,} page(s),"
                f" Markdown and HTML (start at {out / 'index.html'})"
            )
            console.print()
            console.print(Hanging(plain(written), indent=0))
    raise typer.Exit(int(ExitCode.ACTION_REQUIRED if fails(result, conditions) else ExitCode.OK))




def fails(result: Plan, conditions: set[FailOn]) -> bool:
    severities = {v.severity for _, v in result.violations}
    return (
        (FailOn.ERROR in conditions and Severity.ERROR in severities)
        or (FailOn.WARNING in conditions and Severity.WARNING in severities)
        or (FailOn.PENDING in conditions and any(s.strategy == Strategy.USER_PAT for s in result.slots))
    )


def plan_view(project: Project, result: Plan, *, full_table: bool = False, pages: dict[str, str] | None = None) -> PlanView:
    if project.policy_source:
        source, default = project.policy_source, False
    else:
        source = f"BUILT-IN DEFAULTS: no {POLICY_MODULE} in this project"
        default = True
    return PlanView(result, policy_source=source, policy_is_default=default, full_table=full_table, pages=pages or {})


def write_outputs(project: Project, result: Plan, out: Path, view: PlanView | None = None) -> int:
    """Every page, the index, plan.json and instructions.json; then remove what an earlier run wrote that
    no longer belongs (listed in the manifest), and nothing else. Returns how many pages it wrote. Each page is written as soon as it is
    rendered: a large plan's pages are never held in memory together.

    The connections declared in one module share its page (Markdown and HTML), named after the module: a
    team's file of a hundred integrations is one page to read or send, not two hundred files to write."""
    out.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(out)
    pages = page_names(project)
    page_files = set(pages.values())
    names = {f"{page}{suffix}" for page in page_files for suffix in (".md", ".html")}
    names |= {"plan.json", "instructions.json", "index.html", "index.md"}
    # Named before anything is written: a run stopped halfway leaves no file of its own unaccounted for.
    _write_manifest(out, sorted(previous | names))
    by_connection = result.by_connection()
    project_dir = str(project.root)
    # Indented when small enough to read; compact past INDENTED_UP_TO slots (the C encoder: many times faster),
    # and then written item by item.
    indent = 2 if len(result.slots) <= INDENTED_UP_TO else None
    everything: list[Instructions] = []
    with (out / "instructions.json").open("w", encoding="utf-8") as instructions_file:
        streamed = JsonWriter(instructions_file) if indent is None else None
        for page, connections in _grouped(project.connections, pages).items():
            parts = []
            for connection in connections:
                items = sections_for(
                    by_connection.get(connection.name, []), rotate_before_days=project.policy.rotate_before_days,
                    today=result.today, project=project_dir,
                )
                if streamed is not None:
                    streamed.write(items)
                else:
                    everything.extend(items)
                parts.append((connection, items))
            _write_page(out, page, parts, project.sources.get(connections[0].name))
        if streamed is not None:
            streamed.close()
        else:
            instructions_file.write(instructions_json(InstructionsView(everything), indent=indent))
        instructions_file.write("\n")
    view = view or plan_view(project, result)
    with (out / "plan.json").open("w", encoding="utf-8") as plan_file:
        write_plan_json(view, plan_file)
        plan_file.write("\n")
    html_pages = {name: f"{quote(page)}.html" for name, page in pages.items()}
    md_pages = {name: f"{quote(page)}.md" for name, page in pages.items()}
    _write(out / "index.html", render("plan", OutputFormat.HTML, _with_pages(view, html_pages)))
    _write(out / "index.md", render("plan", OutputFormat.MARKDOWN, _with_pages(view, md_pages)))
    _write_manifest(out, sorted(names))
    for stale in previous - names:
        path = out / stale
        if path.is_file() and not path.is_symlink():
            path.unlink()
    return len(page_files)


_RESERVED_PAGES = frozenset({"index"})
"""Page names the folder's own files take (index.md, index.html)."""


def page_names(project: Project) -> dict[str, str]:
    """Each connection's page, as a file name without its suffix: the module that declares it (its
    connections share the page), or the connection's own name when the module is not known. A module named
    like one of the folder's own files, or like another page, gets a numbered name."""
    pages: dict[str, str] = {}
    owner: dict[str, str] = {}  # page -> the module (or lone connection) it belongs to
    for connection in project.connections:
        source = project.sources.get(connection.name)
        key = source or f"connection:{connection.name}"
        base = PurePosixPath(source).stem if source else connection.name
        page, number = base, 1
        while page in _RESERVED_PAGES or owner.get(page, key) != key:
            number += 1
            page = f"{base}-{number}"
        owner[page] = key
        pages[connection.name] = page
    return pages


def _grouped(connections: list[Connection], pages: dict[str, str]) -> dict[str, list[Connection]]:
    groups: dict[str, list[Connection]] = {}
    for connection in connections:
        groups.setdefault(pages[connection.name], []).append(connection)
    return groups


def _write_page(
    out: Path, page: str, parts: list[tuple[Connection, list[Instructions]]], source: str | None
) -> None:
    """A page alone for one connection; a page with a heading for each connection when a module declares
    several."""
    if len(parts) == 1:
        connection, items = parts[0]
        subtitle = f"{connection.integration} — {connection.purpose} (owner: {connection.owner})"
        view = InstructionsView(items, title=f"{connection.integration}: credentials", subtitle=subtitle)
        body = render("instructions", OutputFormat.MARKDOWN, view) if items else f"{view.empty}\n"
        _write(out / f"{page}.md", f"# {markdown_text(connection.integration)}\n\n{body}")
        _write(out / f"{page}.html", render("instructions", OutputFormat.HTML, view))
        return
    connection_parts = [
        ConnectionPart(
            name=connection.name,
            heading=connection.integration,
            subtitle=f"{connection.purpose} (owner: {connection.owner}; connection {connection.name})",
            items=items,
        )
        for connection, items in parts
    ]
    title = f"{source or page}: credentials"
    subtitle = f"{len(parts)} connections, each under its own heading."
    _write(out / f"{page}.md", connections_markdown(title, connection_parts))
    _write(out / f"{page}.html", connections_html(title, subtitle, connection_parts))


def _write(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as file:
        file.write(text)
        if not text.endswith("\n"):
            file.write("\n")


def _with_pages(view: PlanView, pages: dict[str, str]) -> PlanView:
    return PlanView(view.plan, view.policy_source, view.policy_is_default, view.full_table, pages)


def _read_manifest(out: Path) -> set[str]:
    """File names an earlier run wrote here: only plain names (no folder, nothing hidden) are trusted."""
    try:
        data: Any = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    names = data.get("files") if isinstance(data, dict) else None
    if not isinstance(names, list):
        return set()
    return {n for n in names if isinstance(n, str) and n and "/" not in n and "\\" not in n and not n.startswith(".")}


def _write_manifest(out: Path, names: list[str]) -> None:
    document = {"written_by": "scm-access plan --out", "files": names}
    (out / MANIFEST).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
