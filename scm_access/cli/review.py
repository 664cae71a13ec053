"""`scm-access review`: what a change to the declarations does to access, for a pull/merge request."""

from __future__ import annotations

import io
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from scm_access.errors import DeclarationError, ExitCode
from scm_access.review.model import Level, Review


class ReviewFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"
    sarif = "sarif"
    codequality = "codequality"
    junit = "junit"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    note = "note"
    never = "never"

    @property
    def threshold(self) -> Level | None:
        return None if self is FailOn.never else Level(self.value)


def render(review: Review, format: ReviewFormat, threshold: Level | None, link_template: str | None) -> str:
    from scm_access.review.render import (
        LinkTemplate,
        render_codequality,
        render_junit,
        render_markdown,
        render_sarif,
        render_table,
    )

    if format == ReviewFormat.markdown:
        links = LinkTemplate(link_template) if link_template else LinkTemplate.from_environment()
        return render_markdown(review, threshold, links)
    if format == ReviewFormat.json:
        return review.model_dump_json(indent=2) + "\n"
    if format == ReviewFormat.sarif:
        return render_sarif(review)
    if format == ReviewFormat.codequality:
        return render_codequality(review)
    if format == ReviewFormat.junit:
        return render_junit(review, threshold)
    buffer = io.StringIO()
    Console(file=buffer, width=160, force_terminal=False, highlight=False).print(render_table(review, threshold))
    return buffer.getvalue()


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
        format: Annotated[ReviewFormat, typer.Option("--format", "-f", help="Output format.")] = ReviewFormat.table,
        output: Annotated[
            Optional[Path], typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
        ] = None,
        fail_on: Annotated[
            FailOn,
            typer.Option("--fail-on", help="Exit 1 when the change brings a finding at or above this level."),
        ] = FailOn.error,
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

        result = review(project_dir, base=base, head=head, today=_parse_today(today))
        threshold = fail_on.threshold
        text = render(result, format, threshold, link_template)
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        failing = result.failing(threshold)
        raise typer.Exit(int(ExitCode.ACTION_REQUIRED if failing else ExitCode.OK))


def _parse_today(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DeclarationError.single(None, "--today", f"{text!r} is not a date (YYYY-MM-DD)") from None
