"""Renderers of the review: Markdown (PR comment), SARIF, GitLab Code Quality, JUnit, JSON, terminal table."""

from scm_access.review.render.codequality import render_codequality
from scm_access.review.render.junit import render_junit
from scm_access.review.render.links import LinkTemplate
from scm_access.review.render.markdown import MARKER, render_markdown
from scm_access.review.render.sarif import render_sarif
from scm_access.review.render.table import print_table, render_table

__all__ = [
    "MARKER",
    "LinkTemplate",
    "print_table",
    "render_codequality",
    "render_junit",
    "render_markdown",
    "render_sarif",
    "render_table",
]
