"""`scm-access inventory`: what credentials exist, read from the platforms' administrator views with the
administrator credentials in the environment, matched to the declarations and judged.

Exit codes as `verify`: 0 nothing to act on · 1 something to act on · 2 usage or declaration error · 3 no
verdict (a source failed) · 4 a bug · 5 everything seen is right, some facts cannot be seen. `--fail-on`
says which of these count.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

import scm_access.outputs.inventory  # noqa: F401 - registers the inventory's formats before the options ask
from scm_access.cli.console import stderr, stdout
from scm_access.cli.options import PLATFORM_CHOICE, ProjectOption, UsageError, format_option, load_and_plan, parse_fail_on
from scm_access.core.kinds import Platform
from scm_access.errors import ExitCode
from scm_access.outputs import OutputFormat, emit, render

if TYPE_CHECKING:
    from scm_access.declarations.policy import Policy
    from scm_access.inventory.report import InventoryReport
    from scm_access.plan.slot import Slot


class FailOn(StrEnum):
    ACTION = "action"
    """A declared slot whose credential needs something done (exit 1)."""
    UNDECLARED = "undeclared"
    """A credential no declaration accounts for (exit 1)."""
    UNKNOWN = "unknown"
    """No verdict: a source failed, or a slot's view could not be read (exit 3)."""
    PARTIAL = "partial"
    """Everything seen is right, but some facts cannot be seen by the views (exit 5)."""
    NONE = "none"


DEFAULT_FAIL_ON = "action,undeclared,unknown,partial"
OUT_FILES = {OutputFormat.JSON: "inventory.json", OutputFormat.MARKDOWN: "inventory.md", OutputFormat.HTML: "inventory.html"}


def inventory_command(
    platforms: Annotated[
        Optional[list[Platform]],
        typer.Option(
            "--platform", "-p", metavar="PLATFORM", parser=PLATFORM_CHOICE,
            help=f"Read only this platform (repeatable). One of: {PLATFORM_CHOICE.choices()}. Default: every"
            " platform whose administrator credentials are set.",
        ),
    ] = None,
    base_url: Annotated[
        Optional[str],
        typer.Option(
            "--base-url", metavar="URL",
            help="One API root for every reader (GitHub Enterprise Server https://HOST/api/v3, self-managed"
            " GitLab, Azure DevOps Server, a test server). Default: each declaration's, else the cloud service.",
        ),
    ] = None,
    format: Annotated[OutputFormat, format_option("inventory")] = OutputFormat.TERMINAL,
    stale_days: Annotated[
        Optional[int],
        typer.Option(
            "--stale-days", metavar="N", min=1,
            help="A credential unused for more than N days is stale (default: the policy's stale_after_days).",
        ),
    ] = None,
    out: Annotated[
        Optional[Path],
        typer.Option(
            "--out", metavar="DIR", file_okay=False,
            help="Also write inventory.json, inventory.md and inventory.html to this folder.",
        ),
    ] = None,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on", metavar="CONDITIONS",
            help="Comma-separated: action (exit 1), undeclared (exit 1), unknown (exit 3), partial (exit 5), or"
            " none.",
        ),
    ] = DEFAULT_FAIL_ON,
    stack_outputs: Annotated[
        Optional[Path],
        typer.Option(
            "--stack-outputs", metavar="FILE", dir_okay=False,
            help="The JSON of `pulumi stack output --json` (with --show-secrets or without): the credentials"
            " the stack made match their slots by its ids first. Only what the stack made is read from it;"
            " nothing of it is shown.",
        ),
    ] = None,
    revoke: Annotated[
        bool,
        typer.Option(
            "--revoke",
            help="Also propose revoking what nobody declared, what expired, departed holders' and over-scoped"
            " credentials (docs/requests.md). Nothing is revoked without --apply.",
        ),
    ] = False,
    apply: Annotated[
        bool,
        typer.Option(
            "--apply",
            help="With --revoke: revoke, only what the policy allows (allow_revocation, revoke_when), only on a"
            " certain verdict and never more than max_revocations_per_run.",
        ),
    ] = False,
    project_dir: ProjectOption = Path("."),
) -> None:
    """Read which credentials exist (administrator views, no holder's token) and match them to the declarations.

    Administrator credentials come from the environment only (docs/inventory.md lists the variables); a
    platform without them is skipped with one line naming the variable. Read-only unless --revoke --apply.
    Exit 0 nothing to act on, 1 action, 2 usage error, 3 no verdict, 4 a bug, 5 partially verified; with
    --revoke: 0 nothing to revoke or all revoked, 1 proposals left, 3 a revocation failed."""
    if apply and not revoke:
        raise UsageError("--apply acts on revocations: give it with --revoke")
    if revoke and format == OutputFormat.HTML:
        raise UsageError("--revoke prints its proposals as terminal, markdown or json (--out still writes the HTML report)")
    conditions = parse_fail_on(fail_on, FailOn)
    chosen = list(dict.fromkeys(platforms)) if platforms else None
    _check_base_url(base_url)

    import asyncio

    from scm_access.inventory.runner import run_inventory

    made = _stack_made(stack_outputs) if stack_outputs is not None else None
    project, result = load_and_plan(project_dir, None)
    policy = project.policy
    if stale_days is not None:
        policy = policy.model_copy(update={"stale_after_days": stale_days})
    _require_a_reader(chosen)
    with _fewer_collections():
        report = asyncio.run(
            run_inventory(
                result.slots, policy=policy, environ=os.environ, platforms=chosen, api_root=base_url, resource_ids=made
            )
        )
        for line in report.skipped:
            stderr().print(line)
        if revoke:
            if out is not None:
                write_report(report, out, {})
            raise typer.Exit(int(_revoke(report, result.slots, policy, base_url, apply, format)))
        rendered: dict[OutputFormat, str] = {}
        if format in OUT_FILES:
            rendered[format] = render("inventory", format, report)
            _print_text(rendered[format])
        else:
            emit("inventory", format, report, stdout())
        if out is not None:
            write_report(report, out, rendered)
    raise typer.Exit(int(exit_code(report, conditions)))


def _revoke(
    report: InventoryReport, slots: list[Slot], policy: Policy, base_url: str | None, apply: bool, format: OutputFormat
) -> ExitCode:
    """The revocation proposals (and, with --apply, the acts) from what the inventory found. In JSON only the
    revocations document is printed (one document on standard output); the report goes to --out."""
    import asyncio

    from scm_access.http import ApiClient
    from scm_access.inventory.decisions.candidates import revocation_candidates
    from scm_access.inventory.decisions.runner import RevocationsRun, revoke_candidates

    async def go() -> RevocationsRun:
        async with ApiClient() as http:
            return await revoke_candidates(
                revocation_candidates(report, slots), slots, policy, os.environ, report.date,
                apply=apply, http=http, api_root=base_url,
            )

    run = asyncio.run(go())
    if format != OutputFormat.JSON:
        emit("inventory", format, report, stdout())
    emit("revocations", format, run.document(report.date, policy, apply), stdout())
    return run.exit_code


def _require_a_reader(chosen: list[Platform] | None) -> None:
    """Reading nothing at all is a setup mistake (the secrets did not reach the job), not a clean result."""
    from scm_access.inventory.runner import readers

    found, skipped = readers(chosen or list(Platform), os.environ)
    if not found:
        raise UsageError(
            "no platform can be read: " + "; ".join(f"{s.platform}: {s.detail}" for s in skipped)
        )


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """An inventory makes a few objects per credential, tens of thousands in all, and frees almost none until
    the end: Python's cyclic collector, run every 700 allocations, walked them again and again (a large part
    of the run's time). While it reads and judges, what was loaded before stays put (frozen, not walked
    again) and the young generation is collected less often; reference counting still frees everything
    that is not a cycle. The collector is as it was afterwards."""
    import gc

    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _stack_made(path: Path) -> dict[tuple[str, str], str]:
    """What the stack made, by (platform, credential id); one line naming the file when it cannot be read
    (never its content: a stack's outputs read with --show-secrets hold the credentials)."""
    from scm_access.inventory.stack_outputs import StackOutputsError, resource_ids

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else type(error).__name__
        raise UsageError(f"--stack-outputs {path}: cannot read it ({reason})") from None
    try:
        return resource_ids(text)
    except StackOutputsError as error:
        raise UsageError(f"--stack-outputs {path}: {error}") from None


def _check_base_url(base_url: str | None) -> None:
    if base_url is None:
        return
    if not base_url.startswith(("http://", "https://")):
        raise UsageError(f"--base-url must be an http(s) URL, got {base_url!r}")
    from scm_access.http import insecure_reason

    refused = insecure_reason(base_url)
    if refused is not None:
        raise UsageError(f"--base-url: {refused}")




def exit_code(report: InventoryReport, conditions: set[FailOn]) -> ExitCode:
    """As `verify`: something to act on (1) before no verdict (3) before facts out of sight (5); only the
    conditions asked for count."""
    from scm_access.judge import Status

    statuses = {f.finding.status for f in report.findings}
    if FailOn.ACTION in conditions and Status.ACTION_REQUIRED in statuses:
        return ExitCode.ACTION_REQUIRED
    if FailOn.UNDECLARED in conditions and report.undeclared:
        return ExitCode.ACTION_REQUIRED
    if FailOn.UNKNOWN in conditions and (Status.UNKNOWN in statuses or report.failed_sources):
        return ExitCode.UNKNOWN
    if FailOn.PARTIAL in conditions and Status.PARTIALLY_VERIFIED in statuses:
        return ExitCode.PARTIALLY_VERIFIED
    return ExitCode.OK


def _print_text(text: str) -> None:
    console = stdout()
    console.file.write(text if text.endswith("\n") else text + "\n")
    console.file.flush()


def write_report(report: InventoryReport, folder: Path, rendered: dict[OutputFormat, str] | None = None) -> None:
    """The report as JSON, Markdown and HTML in ``folder`` (created if needed); only these files are written.
    A format already rendered for the screen is written as it is, not rendered again."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for format, name in OUT_FILES.items():
            text = (rendered or {}).get(format) or render("inventory", format, report)
            (folder / name).write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"--out {folder}: cannot write there ({error.strerror or error})") from None


__all__ = ["DEFAULT_FAIL_ON", "FailOn", "Platform", "exit_code", "inventory_command", "parse_fail_on"]
