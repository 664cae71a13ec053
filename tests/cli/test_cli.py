"""The command line: formats, exit codes, and one-line errors without tracebacks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "scm_access", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_plan_json_prints_only_json_with_every_slot_field(fixture_project):
    result = run("plan", "--format", "json", "--today", "2026-11-23", cwd=fixture_project)
    document = json.loads(result.stdout)
    required = {"connection", "platform", "holder", "kind", "scopes", "strategy", "expires_at", "violations"}
    assert document["slots"] and all(required <= set(slot) for slot in document["slots"])


def test_plan_exits_1_when_tokens_must_be_created(fixture_project):
    assert run("plan", "--format", "json", cwd=fixture_project).returncode == 1


def test_plan_writes_instructions_for_every_connection(fixture_project, tmp_path):
    run("plan", "--out", str(tmp_path), cwd=fixture_project)
    written = {p.name for p in tmp_path.iterdir()}
    assert {"plan.json", "instructions.json", "stackspot.md", "stackspot.html", "deeptraq.html"} <= written


def test_instructions_markdown_for_one_platform(fixture_project):
    result = run("instructions", "stackspot", "--platform", "gitlab", "--format", "markdown", cwd=fixture_project)
    assert result.returncode == 0 and "/-/user_settings/personal_access_tokens?" in result.stdout


@pytest.mark.parametrize("connection", ["deeptraq", "stackspot"])
def test_instructions_on_the_terminal_end_no_line_in_blanks(fixture_project, connection):
    result = subprocess.run(
        [sys.executable, "-m", "scm_access", "instructions", connection], cwd=fixture_project, capture_output=True,
        text=True, timeout=60, env={**os.environ, "COLUMNS": "80"},
    )
    assert result.returncode == 0
    assert not [line for line in result.stdout.splitlines() if line.endswith(" ")]


def test_unknown_connection_is_a_usage_error(fixture_project):
    result = run("instructions", "nope", cwd=fixture_project)
    assert result.returncode == 2 and "no connection named 'nope'" in result.stderr


def test_schema_is_json_schema_of_a_connection(fixture_project):
    schema = json.loads(run("schema", cwd=fixture_project).stdout)
    assert schema["title"] == "Connection" and "access" in schema["properties"]


BAD_DECLARATIONS = {
    "mistyped scope": (
        "dict(platform='github', holder=['alice'], scopes=['repo:stauts'])",
        "access[0].scopes[0]: unknown scope 'repo:stauts' (did you mean 'repo:status'?) on GitHub",
    ),
    "unknown platform": (
        "dict(platform='githab', holder=['alice'], scopes=['repo'])",
        "access[0]: unknown platform 'githab'",
    ),
}


def declare(root: Path, name: str, access: str, module="demo") -> None:
    (root / "connections").mkdir(exist_ok=True)
    (root / "connections" / f"{module}.py").write_text(
        "from scm_access.declarations import Connection\n"
        f"CONNECTION = Connection(name={name!r}, integration='Demo', owner='t', purpose='p', access=[{access}])\n"
    )


@pytest.mark.parametrize("case", sorted(BAD_DECLARATIONS))
def test_bad_declaration_is_one_line_exit_2_without_traceback(tmp_path, case):
    access, expected = BAD_DECLARATIONS[case]
    declare(tmp_path, "demo", access)
    result = run("plan", cwd=tmp_path)
    [line] = result.stderr.strip().splitlines()
    assert result.returncode == 2 and line.startswith(f"error: connection 'demo': {expected}")


def test_duplicate_connection_name_is_one_line_exit_2(tmp_path):
    access = "dict(platform='github', holder=['alice'], scopes=['repo'])"
    declare(tmp_path, "demo", access, module="a")
    declare(tmp_path, "demo", access, module="b")
    result = run("plan", cwd=tmp_path)
    assert (result.returncode, result.stderr.strip()) == (
        2,
        "error: connection 'demo': name: declared twice (connections/a.py and connections/b.py); names must be unique",
    )


def test_a_lifetime_beyond_the_policy_is_the_rules_error_in_the_plan_exit_1(tmp_path):
    declare(tmp_path, "demo", "dict(platform='github', holder=['alice'], scopes=['repo'], max_lifetime_days=400)")
    result = run("plan", "--format", "json", cwd=tmp_path)
    [slot] = json.loads(result.stdout)["slots"]
    assert result.returncode == 1
    assert {"code": "lifetime_exceeds_policy", "severity": "error",
            "message": "lifetime of 400 days exceeds the policy maximum of 90 days for"
                       " GitHub personal access token (classic)"} in slot["violations"]


PORTAL = """
from scm_access.declarations import Connection, GitHubAccess, GitLabAccess, ServiceIdentity
CONNECTION = Connection(name="portal", integration="Portal", owner="team", purpose="testing", access=[
    GitHubAccess(scopes=["repo"], holder=["ana", "bruno"]),
    GitLabAccess(scopes=["read_api"], group="acme", holder=ServiceIdentity(service="portal-ci")),
])
"""


@pytest.fixture
def portal(tmp_path):
    (tmp_path / "connections").mkdir()
    (tmp_path / "connections" / "portal.py").write_text(PORTAL)
    return tmp_path


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--holder", "carlos"], "connection 'portal' has no holder 'carlos' (holders: ana, bruno, portal-ci)"),
        (["--platform", "bitbucket"], "connection 'portal' declares no access on bitbucket (declared: github, gitlab)"),
    ],
)
def test_instructions_for_a_name_that_matches_nothing_is_a_usage_error_with_the_choices(portal, options, expected):
    result = run("instructions", "portal", *options, cwd=portal)
    assert result.returncode == 2 and expected in result.stderr
    assert "No personal token" not in result.stdout


def test_instructions_for_a_provisioned_slot_print_its_hand_off(portal):
    result = run("instructions", "portal", "--platform", "gitlab", cwd=portal)
    assert result.returncode == 0 and "No personal token" not in result.stdout
    assert "made by the stack: hand-off" in result.stdout
    assert "pulumi stack output credentials --show-secrets --json" in result.stdout


def test_verify_help_lists_every_exit_code(tmp_path):
    help_text = " ".join(run("verify", "--help", cwd=tmp_path).stdout.split())
    for code in ("0 ok", "1 action required", "2 usage error", "3 no verdict", "4 a bug", "5 every fact"):
        assert code in help_text
