"""Renderers of the review, registered with the output registry (subject ``review``): terminal table,
Markdown (PR/MR comment), JSON, SARIF, GitLab Code Quality, JUnit."""

from __future__ import annotations

import io
from dataclasses import dataclass

from rich.console import Console

from scm_access.outputs.registry import OutputFormat, printer, renderer
from scm_access.review.model import Level, Review
from scm_access.review.render.codequality import render_codequality
from scm_access.review.render.junit import render_junit
from scm_access.review.render.links import LinkTemplate
from scm_access.review.render.markdown import MARKER, render_markdown
from scm_access.review.render.sarif import render_sarif
from scm_access.review.render.table import print_table, render_table

SUBJECT = "review"
TABLE_WIDTH = 160
"""The terminal table written to a file (--output) as text, at a width CI logs show whole."""


@dataclass(frozen=True)
class ReviewReport:
    """What a review format shows: the review, the level from which a finding fails it (None: never), and
    where declaration lines link to (Markdown; from the CI's variables when None)."""

    review: Review
    threshold: Level | None = Level.ERROR
    link_template: str | None = None


@printer(SUBJECT)
def _print(report: ReviewReport, console: Console) -> None:
    """On a terminal (or piped): at the console's width, as every command prints."""
    print_table(report.review, console, report.threshold)


@renderer(SUBJECT, OutputFormat.TERMINAL)
def _table(report: ReviewReport) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=TABLE_WIDTH, force_terminal=False, highlight=False)
    console.print(render_table(report.review, report.threshold))
    return buffer.getvalue()


@renderer(SUBJECT, OutputFormat.MARKDOWN)
def _markdown(report: ReviewReport) -> str:
    template = report.link_template
    links = LinkTemplate(template) if template else LinkTemplate.from_environment()
    return render_markdown(report.review, report.threshold, links)


@renderer(SUBJECT, OutputFormat.JSON)
def _json(report: ReviewReport) -> str:
    return report.review.model_dump_json(indent=2) + "\n"


@renderer(SUBJECT, OutputFormat.SARIF)
def _sarif(report: ReviewReport) -> str:
    return render_sarif(report.review)


@renderer(SUBJECT, OutputFormat.CODE_QUALITY)
def _codequality(report: ReviewReport) -> str:
    return render_codequality(report.review)


@renderer(SUBJECT, OutputFormat.JUNIT)
def _junit(report: ReviewReport) -> str:
    return render_junit(report.review, report.threshold)


__all__ = [
    "MARKER",
    "SUBJECT",
    "LinkTemplate",
    "ReviewReport",
    "print_table",
    "render_codequality",
    "render_junit",
    "render_markdown",
    "render_sarif",
    "render_table",
]
