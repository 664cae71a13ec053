"""Errors mean what they say: a user's mistake is one line and exit 2; a bug in scm-access is one line
that says so (traceback only with --debug) and exit 4. Text from users, declarations and servers is shown
as it is: never read as markup, its control characters visible."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from scm_access.cli import app
from scm_access.cli import plan as plan_module
from tests.cli.project import declare, run, set_policy

GITHUB_PERSONAL = """
CONNECTION = Connection(name="demo", integration="Demo", owner="t", purpose="p", access=[
    GitHubAccess(scopes=["repo"], org="acme", holder=[Person(name="alice", login="alice")])])
"""


@pytest.fixture
def project(tmp_path):
    declare(tmp_path, "demo", GITHUB_PERSONAL)
    set_policy(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["verify", "[/x]"], "error: no connection '[/x]' (declared: demo)"),
        (["verify", "demo", "--holder", "[/x]"], "error: connection 'demo' has no holder '[/x]' on github"),
        (["verify", "demo", "--base-url", "[/x]"], "error: --base-url must be an http(s) URL, got '[/x]'"),
        (["instructions", "[/x]"], "error: no connection named '[/x]' (declared: demo)"),
        (["plan", "--today", "[/x]"], "error: --today: '[/x]' is not a date (YYYY-MM-DD)"),
    ],
)
def test_user_text_with_markup_is_printed_as_it_is(project, args, expected):
    result = run(project, *args)
    [line] = result.stderr.strip().splitlines()
    # The wording is the selection's; what matters is one line, exit 2, the text shown as it was given.
    assert result.returncode == 2 and line.startswith("error: ") and "'[/x]'" in line and "Traceback" not in line


def test_a_declaration_raising_markup_is_one_line_with_its_text(tmp_path):
    declare(tmp_path, "broken", 'raise RuntimeError("[/red] x")\n')
    result = run(tmp_path, "plan")
    [line] = result.stderr.strip().splitlines()
    assert result.returncode == 2 and line.endswith("RuntimeError: [/red] x")


def test_an_unknown_scope_with_markup_is_shown_whole(tmp_path):
    declare(tmp_path, "demo", GITHUB_PERSONAL.replace('scopes=["repo"]', 'scopes=["[/bold]"]'))
    result = run(tmp_path, "plan")
    assert result.returncode == 2 and "'[/bold]'" in result.stderr and "Traceback" not in result.stderr


def test_a_pattern_in_a_validation_message_keeps_its_brackets(tmp_path):
    declare(tmp_path, "demo", GITHUB_PERSONAL.replace('name="demo"', 'name="Not A Slug"'))
    result = run(tmp_path, "plan")
    assert result.returncode == 2 and "'^[a-z0-9]" in result.stderr
    assert "Value error," not in result.stderr


def test_control_characters_in_an_error_are_visible(tmp_path):
    declare(tmp_path, "broken", 'raise RuntimeError("\\x1b[2Jcleared")\n')
    result = run(tmp_path, "plan")
    assert "\x1b" not in result.stderr and "\\x1b[2Jcleared" in result.stderr


def test_a_bug_is_one_line_exit_4_and_the_traceback_only_with_debug(project, monkeypatch):
    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("secret detail")

    monkeypatch.setattr(plan_module, "load_and_plan", broken)
    runner = CliRunner()
    result = runner.invoke(app, ["plan", "--project", str(project)])
    assert result.exit_code == 4
    [line] = result.stderr.strip().splitlines()
    assert "bug in scm-access" in line and "ZeroDivisionError" in line and "--debug" in line
    assert "secret detail" not in result.output

    debug = runner.invoke(app, ["--debug", "plan", "--project", str(project)])
    assert debug.exit_code == 4 and "Traceback" in debug.stderr


def test_version(project):
    result = run(project, "--version")
    assert result.returncode == 0 and result.stdout.startswith("scm-access ")


@pytest.mark.parametrize("spelling", ["github", "GitHub", "GITHUB"])
def test_platform_names_are_case_insensitive(project, spelling):
    result = run(project, "instructions", "demo", "--platform", spelling, "--format", "json")
    assert result.returncode == 0 and '"platform": "github"' in result.stdout


def test_platform_accepts_dashes(tmp_path):
    declare(tmp_path, "demo", """
    CONNECTION = Connection(name="demo", integration="Demo", owner="t", purpose="p", access=[
        AzureDevOpsAccess(organization="acme", scopes=["Code: Read"], holder=[Person(name="carol")])])
    """)
    result = run(tmp_path, "instructions", "demo", "--platform", "azure-devops", "--format", "json")
    assert result.returncode == 0 and '"platform": "azure_devops"' in result.stdout


def test_one_name_for_the_terminal_format(project):
    for command in (["plan"], ["instructions"]):
        terminal = run(project, *command, "--format", "terminal")
        table = run(project, *command, "--format", "table")
        assert terminal.returncode in (0, 1) and terminal.stdout == table.stdout


def test_an_unknown_format_lists_the_choices(project):
    result = run(project, "verify", "demo", "--format", "html")
    assert result.returncode == 2 and "terminal, markdown, json" in result.stderr


def test_help_has_no_bool_metavars_and_whole_words(project):
    for command in ([], ["plan"], ["instructions"], ["verify"]):
        text = run(project, *command, "--help", columns=80).stdout
        assert "<bool>" not in text
        assert "azure-devops" in text or "--platform" not in text
        assert "SCM_ACCESS_TOKEN__<" not in text or "SCM_ACCESS_TOKEN__<CONNECTION>" in text
