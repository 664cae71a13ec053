"""`scm-access verify` from the command line, against a local GitHub stand-in."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scm_access.cli import app
from tests.support.fake_github import Account, FakeGitHub
from tests.verify.conftest import CANARY, expiring_in

OTHER = "ghp_OTHERother0123456789abcdefOTHERother12"

CONNECTION = textwrap.dedent(
    """
    from scm_access.declarations import Connection, GitHubAccess, Person

    CONNECTION = Connection(
        name="ci-bot",
        integration="CI",
        owner="platform",
        purpose="CI reads the org's repositories.",
        access=[
            GitHubAccess(
                scopes=["repo"],
                org="acme",
                holder=[Person(name="alice", login="alice"), Person(name="bob", login="bob")],
                max_lifetime_days=90,
            )
        ],
    )
    """
)
POLICY = "from scm_access.declarations import Policy\nPOLICY = Policy(default_max_lifetime_days=90)\n"

ALICE_VAR = "SCM_ACCESS_TOKEN__CI_BOT__GITHUB__ALICE"
BOB_VAR = "SCM_ACCESS_TOKEN__CI_BOT__GITHUB__BOB"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "connections").mkdir()
    (tmp_path / "connections" / "ci_bot.py").write_text(CONNECTION)
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "credential_policy.py").write_text(POLICY)
    return tmp_path


@pytest.fixture
def github(serve):
    return serve(
        FakeGitHub(
            {
                CANARY: Account("alice", scopes="repo", expiration=expiring_in(60, now=_now())),
                OTHER: Account("bob", scopes="repo, delete_repo", expiration=expiring_in(60, now=_now())),
            }
        )
    )


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def invoke(project: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None):
    runner = CliRunner()
    return runner.invoke(app, ["verify", *args, "--project", str(project)], env=env or {}, input=stdin)


def test_a_good_token_from_the_environment_exits_0(project, github):
    result = invoke(project, "ci-bot", "--platform", "github", "--holder", "alice", "--base-url", github.url,
                    env={"SCM_ACCESS_TOKEN": CANARY})
    assert result.exit_code == 0, result.output
    assert "ok" in result.output


def test_a_token_piped_on_stdin_is_read(project, github):
    result = invoke(project, "ci-bot", "-p", "github", "--holder", "alice", "--base-url", github.url,
                    stdin=CANARY + "\n", env={"SCM_ACCESS_TOKEN": ""})
    assert result.exit_code == 0, result.output


def test_action_required_exits_1_and_json_lists_the_problems(project, github):
    result = invoke(project, "ci-bot", "-p", "github", "--holder", "bob", "--base-url", github.url,
                    "--format", "json", env={"SCM_ACCESS_TOKEN": OTHER})
    assert result.exit_code == 1
    finding = json.loads(result.stdout)
    assert finding["status"] == "action_required"
    assert [p["code"] for p in finding["problems"]] == ["excess_scope"]
    assert finding["problems"][0]["remediation"]
    assert finding["facts"]["token_last_four"] == OTHER[-4:]


def test_no_verdict_exits_3(project, serve):
    from tests.support.local_server import Reply

    broken = serve(lambda request: Reply(status=500))
    result = invoke(project, "ci-bot", "-p", "github", "--holder", "alice", "--base-url", broken.url,
                    env={"SCM_ACCESS_TOKEN": CANARY})
    assert result.exit_code == 3


def test_markdown_output_is_a_report(project, github):
    result = invoke(project, "ci-bot", "-p", "github", "--holder", "bob", "--base-url", github.url,
                    "--format", "markdown", env={"SCM_ACCESS_TOKEN": OTHER})
    assert result.stdout.startswith("## `ci-bot/github/bob`: action_required")


def test_several_holders_without_holder_is_a_one_line_usage_error(project):
    result = invoke(project, "ci-bot", "-p", "github", env={"SCM_ACCESS_TOKEN": CANARY})
    assert result.exit_code == 2
    assert "--holder" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_connection_is_a_usage_error(project):
    result = invoke(project, "nope", "-p", "github", env={"SCM_ACCESS_TOKEN": CANARY})
    assert result.exit_code == 2
    assert "no connection named 'nope'" in result.output


def test_no_token_is_a_usage_error(project):
    result = invoke(project, "ci-bot", "-p", "github", "--holder", "alice", stdin="", env={"SCM_ACCESS_TOKEN": ""})
    assert result.exit_code == 2
    assert "SCM_ACCESS_TOKEN" in result.output


def test_a_broken_declaration_is_a_usage_error_without_traceback(project):
    (project / "connections" / "ci_bot.py").write_text("CONNECTION = 42\n")
    result = invoke(project, "ci-bot", "-p", "github", env={"SCM_ACCESS_TOKEN": CANARY})
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_all_verifies_every_slot_whose_variable_is_set(project, github):
    env = {ALICE_VAR: CANARY, BOB_VAR: OTHER}
    result = invoke(project, "--all", "--platform", "github", "--base-url", github.url, "--format", "json", env=env)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert {f["slot"]: f["status"] for f in findings} == {
        "ci-bot/github/alice": "ok",
        "ci-bot/github/bob": "action_required",
    }


def test_all_reports_a_slot_without_its_variable_as_missing(project, github):
    result = invoke(project, "--all", "-p", "github", "--base-url", github.url, "--format", "json",
                    env={ALICE_VAR: CANARY})
    assert result.exit_code == 0
    statuses = {f["slot"]: f["status"] for f in json.loads(result.stdout)}
    assert statuses["ci-bot/github/bob"] == "missing"


def test_all_reports_a_variable_that_holds_no_token_on_its_own_slot_and_verifies_the_others(project, github):
    env = {ALICE_VAR: CANARY, BOB_VAR: "ghp_half of a pasted sentence"}
    result = invoke(project, "--all", "-p", "github", "--base-url", github.url, "--format", "json", env=env)
    findings = {f["slot"]: f for f in json.loads(result.stdout)}
    assert findings["ci-bot/github/alice"]["status"] == "ok"
    bob = findings["ci-bot/github/bob"]
    assert (bob["status"], bob["problems"][0]["code"]) == ("action_required", "invalid_token")
    assert BOB_VAR in bob["problems"][0]["detail"]


def test_all_prints_a_summary_table(project, github):
    result = invoke(project, "--all", "-p", "github", "--base-url", github.url, env={ALICE_VAR: CANARY, BOB_VAR: OTHER})
    assert "scm-access verify" in result.output
    assert "ci-bot/github/bob" in result.output


def test_all_without_any_token_is_a_usage_error_naming_the_variables(project):
    result = invoke(project, "--all", env={})
    assert result.exit_code == 2
    assert ALICE_VAR in result.output


def test_the_canary_appears_in_no_cli_output(project, github):
    outputs = []
    for fmt in ("table", "json", "markdown"):
        result = invoke(project, "ci-bot", "-p", "github", "--holder", "bob", "--base-url", github.url,
                        "--format", fmt, env={"SCM_ACCESS_TOKEN": CANARY})
        outputs.append(result.output)
    result = invoke(project, "--all", "-p", "github", "--base-url", github.url, env={ALICE_VAR: CANARY, BOB_VAR: CANARY})
    outputs.append(result.output)
    assert all(CANARY not in text for text in outputs)


FINE_GRAINED_TOKEN = "github_pat_11AAAAAAA0CANARYfinegrained_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
FINE_GRAINED_CONNECTION = textwrap.dedent(
    """
    from scm_access.declarations import Connection, GitHubAccess, Person

    CONNECTION = Connection(
        name="scanner",
        integration="Scanner",
        owner="appsec",
        purpose="Scans one repository.",
        access=[
            GitHubAccess(
                kind="github_fine_grained_pat",
                scopes=["metadata:read"],
                org="acme",
                repositories=["scanner"],
                holder=[Person(name="diego", login="diego")],
                max_lifetime_days=30,
            )
        ],
    )
    """
)


def test_a_correct_fine_grained_token_exits_5_and_says_what_is_left_once(tmp_path, serve):
    (tmp_path / "connections").mkdir()
    (tmp_path / "connections" / "scanner.py").write_text(FINE_GRAINED_CONNECTION)
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "credential_policy.py").write_text(POLICY)
    account = Account("diego", scopes=None, expiration=expiring_in(20, now=_now()),
                      repositories={"acme/scanner": True})
    github = serve(FakeGitHub({FINE_GRAINED_TOKEN: account}))
    outputs = {}
    for fmt in ("table", "markdown", "json"):
        result = invoke(tmp_path, "scanner", "-p", "github", "--base-url", github.url, "--format", fmt,
                        env={"SCM_ACCESS_TOKEN": FINE_GRAINED_TOKEN, "COLUMNS": "400"})
        assert result.exit_code == 5, result.output
        outputs[fmt] = result.output
    assert json.loads(outputs["json"])["status"] == "partially_verified"
    for fmt in ("table", "markdown"):
        text = " ".join(outputs[fmt].split())
        assert text.count("GitHub does not show a fine-grained token's permissions") == 1, outputs[fmt]
        assert "everything that could be seen was checked and is right" in text


RECORDS_ITS_LOADING = CONNECTION + "\nfrom pathlib import Path\nPath(__file__).with_name('loaded').touch()\n"


def test_the_token_is_read_only_after_the_declarations_are_loaded(project, monkeypatch):
    """The project's code runs while the declarations load; the token is not read before that."""
    import scm_access.verify.runner as runner
    import scm_access.verify.token as token_module

    (project / "connections" / "ci_bot.py").write_text(RECORDS_ITS_LOADING)
    marker = project / "connections" / "loaded"
    seen: list[bool] = []

    def read_token_after_loading(*args, **kwargs):
        seen.append(marker.exists())
        raise token_module.NoTokenError("stop here")

    def slot_token_after_loading(slot, environ=None):
        seen.append(marker.exists())
        return runner.SlotToken(slot=slot, token=None)

    monkeypatch.setattr(token_module, "read_token", read_token_after_loading)
    monkeypatch.setattr(runner, "slot_token", slot_token_after_loading)
    assert invoke(project, "ci-bot", "-p", "github", "--holder", "alice").exit_code == 2
    assert invoke(project, "--all").exit_code == 2
    assert seen == [True, True, True]
