"""`scm-access review` takes its formats from the output registry, like every command, and its --fail-on
levels from the review's own finding levels."""

from __future__ import annotations

from typer.testing import CliRunner

from scm_access.cli import app
from scm_access.cli.review import fail_on_choices, parse_fail_on
from scm_access.outputs import OutputFormat, formats_for
from scm_access.review.model import Level


def test_the_review_formats_are_those_registered_for_it():
    assert formats_for("review") == [
        OutputFormat.TERMINAL, OutputFormat.MARKDOWN, OutputFormat.JSON,
        OutputFormat.SARIF, OutputFormat.CODE_QUALITY, OutputFormat.JUNIT,
    ]


def test_the_plan_offers_none_of_the_review_only_formats():
    assert not {OutputFormat.SARIF, OutputFormat.CODE_QUALITY, OutputFormat.JUNIT} & set(formats_for("plan"))


def test_fail_on_offers_each_level_most_severe_first_then_never():
    assert fail_on_choices() == ["error", "warning", "note", "never"]


def test_fail_on_reads_a_level_in_any_case_and_never_as_no_threshold():
    assert parse_fail_on("Warning") is Level.WARNING
    assert parse_fail_on("never") is None


def test_an_unknown_format_is_a_usage_error_naming_the_choices():
    result = CliRunner().invoke(app, ["review", "--format", "pdf"])
    assert result.exit_code == 2
    assert "terminal, markdown, json, sarif, codequality, junit" in result.output


def test_an_unknown_fail_on_level_is_one_line_and_exit_2_before_anything_is_read(tmp_path):
    result = CliRunner().invoke(app, ["review", "--fail-on", "fatal", "--project", str(tmp_path)])
    assert result.exit_code == 2
    assert "--fail-on: 'fatal' is not one of: error, warning, note, never" in result.output
