"""`scm-access review`: what a change to the declarations does to access, for a pull/merge request."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from scm_access.cli.console import stdout
from scm_access.cli.options import UsageError, format_option, normalise
from scm_access.errors import DeclarationError, ExitCode
from scm_access.outputs import OutputFormat, emit, render
from scm_access.review.model import Level
from scm_access.review.render import SUBJECT, ReviewReport


NEVER = "never"


def fail_on_choices() -> list[str]:
    """The review's finding levels, most severe first, and never."""
    return [level.value for level in sorted(Level, key=lambda level: -level.rank)] + [NEVER]


def parse_fail_on(text: str) -> Level | None:
    """The level from which a finding the change brings fails the review; None for never."""
    wanted = normalise(text)
    if wanted == NEVER:
        return None
    for level in Level:
        if level.value == wanted:
            return level
    raise UsageError(f"--fail-on: {text.strip()!r} is not one of: {', '.join(fail_on_choices())}")


def register(app: typer.Typer) -> None:
    from scm_access.cli.console import guarded

    @app.command("review")
    @guarded
    def review_command(
        base: Annotated[
            Optional[str],
            typer.Option("--base", help="Revision before the change; default: the merge base with the default branch."),
        ] = None,
        head: Annotated[
            Optional[str], typer.Option("--head", help="Revision after the change; default: the working tree.")
        ] = None,
        format: Annotated[OutputFormat, format_option(SUBJECT)] = OutputFormat.TERMINAL,
        output: Annotated[
            Optional[Path], typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
        ] = None,
        fail_on: Annotated[
            str,
            typer.Option(
                "--fail-on",
                metavar="LEVEL",
                help="Exit 1 when the change brings a finding at or above this level, one of:"
                f" {', '.join(fail_on_choices())}.",
            ),
        ] = Level.ERROR.value,
        link_template: Annotated[
            Optional[str],
            typer.Option(
                "--link-template",
                help="URL of a declaration line, with {path}, {line} and {commit}; default: from the CI's variables.",
            ),
        ] = None,
        project_dir: Annotated[
            Path,
            typer.Option("--project", envvar="SCM_ACCESS_PROJECT", help="Folder holding connections/ and policies/.", file_okay=False),
        ] = Path("."),
        today: Annotated[
            Optional[str], typer.Option("--today", help="Plan both revisions as of this date (YYYY-MM-DD).")
        ] = None,
    ) -> None:
        """Review a change to the declarations: what it grants or removes, how the policy verdicts move.
        Exit 1 when it brings a finding at or above --fail-on (default: a new policy error)."""
        from scm_access.review.run import review

        threshold = parse_fail_on(fail_on)
        result = review(project_dir, base=base, head=head, today=_parse_today(today))
        report = ReviewReport(result, threshold, link_template)
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(render(SUBJECT, format, report), encoding="utf-8")
        else:
            emit(SUBJECT, format, report, stdout())
        failing = result.failing(threshold)
        raise typer.Exit(int(ExitCode.ACTION_REQUIRED if failing else ExitCode.OK))


def _parse_today(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DeclarationError.single(None, "--today", f"{text!r} is not a date (YYYY-MM-DD)") from None
