"""`scm-access inventory` as a user runs it: formats, --out, --stale-days, exit codes and --fail-on, the
skipped line, usage errors. Platform readers are fakes answering what each test says."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from typer.testing import CliRunner

from scm_access.cli import app
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.inventory.model import FoundCredential, Inventory, SourceReport, SourceStatus
from scm_access.judge import Fact
from scm_access.outputs.text import markdown_text
from tests.cli.project import declare, set_policy
from tests.cli.scanner import SCANNER, SLOT, grant
from tests.inventory.fake_reader import FakeReader, answering, install
from tests.support.fake_time import NOW

READ = SourceReport("github", "fine_grained_grants", SourceStatus.READ, "1 grant", "acme",
                    (CredentialKind.GITHUB_FINE_GRAINED_PAT,))


@pytest.fixture
def project(tmp_path):
    declare(tmp_path, "scanner", SCANNER)
    set_policy(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def inventory(monkeypatch, project, *args, found=(), sources=(READ,), env=None):
    install(monkeypatch, {"github": FakeReader("GH_ADMIN", answering(Inventory(list(found), list(sources))))})
    environment = {"GH_ADMIN": "configured"} if env is None else env
    for name in ("GH_ADMIN",):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return CliRunner().invoke(app, ["inventory", "--project", str(project), *args])


def test_a_token_made_as_the_instructions_say_is_ok_and_exits_0(monkeypatch, project):
    result = inventory(monkeypatch, project, "--format", "json", found=[grant()])
    document = json.loads(result.stdout)
    assert (result.exit_code, document["findings"][0]["status"]) == (0, "ok")


def test_the_json_has_the_documented_keys(monkeypatch, project):
    result = inventory(monkeypatch, project, "--format", "json", found=[grant(), grant(id="9", name="laptop", owner="x")])
    document = json.loads(result.stdout)
    assert {"date", "sources", "findings", "undeclared"} <= document.keys()
    assert {"platform", "source", "status", "detail"} <= document["sources"][0].keys()
    assert {"slot", "connection", "platform", "holder", "status", "problems", "facts", "matched_by"} <= document[
        "findings"
    ][0].keys()
    assert {"platform", "kind", "owner", "name", "scopes", "expires_at", "last_used_at", "source", "problems"} <= document[
        "undeclared"
    ][0].keys()


def test_the_finding_says_how_it_was_matched(monkeypatch, project):
    result = inventory(monkeypatch, project, "--format", "json", found=[grant(name="my scanner token")])
    assert json.loads(result.stdout)["findings"][0]["matched_by"] == "heuristic"


def test_something_to_act_on_exits_1(monkeypatch, project):
    result = inventory(monkeypatch, project, found=[grant(scopes=frozenset({"contents:write"}))])
    assert result.exit_code == 1


def test_nothing_found_for_a_declared_slot_is_missing_and_exits_1(monkeypatch, project):
    result = inventory(monkeypatch, project, "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)["findings"][0]["problems"][0]["code"]) == (1, "missing")


def test_an_undeclared_credential_exits_1(monkeypatch, project):
    assert inventory(monkeypatch, project, found=[grant(), grant(id="9", name="x", owner="x")]).exit_code == 1


def test_fail_on_action_alone_lets_undeclared_credentials_pass(monkeypatch, project):
    found = [grant(), grant(id="9", name="x", owner="x")]
    assert inventory(monkeypatch, project, "--fail-on", "action", found=found).exit_code == 0


def test_a_failed_source_is_no_verdict_and_exits_3(monkeypatch, project):
    failed = SourceReport("github", "fine_grained_grants", SourceStatus.FAILED, "HTTP 502", "acme",
                          (CredentialKind.GITHUB_FINE_GRAINED_PAT,))
    assert inventory(monkeypatch, project, sources=[failed]).exit_code == 3


def test_facts_the_view_cannot_show_exit_5(monkeypatch, project):
    blind = grant(scopes=None, blind_to=frozenset({Fact.SCOPES}), unobservable=("scopes: not listed",))
    assert inventory(monkeypatch, project, found=[blind]).exit_code == 5


def test_fail_on_none_exits_0_whatever_is_found(monkeypatch, project):
    assert inventory(monkeypatch, project, "--fail-on", "none").exit_code == 0


def test_an_unknown_fail_on_condition_is_a_usage_error(monkeypatch, project):
    result = inventory(monkeypatch, project, "--fail-on", "errors")
    assert result.exit_code == 2 and "'errors' is not one of" in result.stderr


def test_stale_days_overrides_the_policy(monkeypatch, project):
    used_long_ago = grant(last_used_at=NOW - timedelta(days=40), created_at=NOW - timedelta(days=50))
    assert inventory(monkeypatch, project, found=[used_long_ago]).exit_code == 0
    assert inventory(monkeypatch, project, "--stale-days", "30", found=[used_long_ago]).exit_code == 1


def test_a_platform_without_credentials_is_skipped_with_one_line_naming_the_variable(monkeypatch, project):
    install(monkeypatch, {
        "github": FakeReader("GH_ADMIN", answering(Inventory([grant()], [READ]))),
        "gitlab": FakeReader("GL_ADMIN", answering(Inventory())),
    })
    monkeypatch.setenv("GH_ADMIN", "configured")
    monkeypatch.delenv("GL_ADMIN", raising=False)
    result = CliRunner().invoke(app, ["inventory", "--project", str(project)])
    assert "gitlab: skipped: set GL_ADMIN to read it" in result.stderr.splitlines()


def test_no_platform_to_read_is_a_usage_error_naming_the_variables(monkeypatch, project):
    result = inventory(monkeypatch, project, env={})
    assert result.exit_code == 2 and "set GH_ADMIN" in result.stderr


def test_out_writes_json_markdown_and_html(monkeypatch, project, tmp_path):
    out = tmp_path / "report"
    inventory(monkeypatch, project, "--out", str(out), found=[grant()])
    assert sorted(p.name for p in out.iterdir()) == ["inventory.html", "inventory.json", "inventory.md"]


HOSTILE_NAME = "[bold]<script>x</script>"


@pytest.mark.parametrize(
    ("format", "shown"),
    [("table", HOSTILE_NAME), ("markdown", markdown_text(HOSTILE_NAME)), ("html", "[bold]&lt;script&gt;x&lt;/script&gt;")],
)
def test_every_format_names_the_slot_and_shows_server_text_as_text(monkeypatch, project, format, shown):
    hostile = grant(id="9", name=HOSTILE_NAME, owner="x")
    result = inventory(monkeypatch, project, "--format", format, found=[grant(), hostile])
    assert SLOT in result.stdout and shown in result.stdout


def test_an_unknown_platform_is_a_usage_error(monkeypatch, project):
    result = inventory(monkeypatch, project, "--platform", "sourceforge")
    assert result.exit_code == 2 and "'sourceforge' is not one of" in result.output


def test_platform_names_are_case_and_dash_insensitive(monkeypatch, project):
    result = inventory(monkeypatch, project, "--platform", "GitHub", "--format", "json", found=[grant()])
    assert json.loads(result.stdout)["findings"][0]["slot"] == SLOT


def test_a_base_url_that_would_send_credentials_in_clear_is_refused(monkeypatch, project):
    result = inventory(monkeypatch, project, "--base-url", "http://example.com")
    assert result.exit_code == 2 and "--base-url" in result.stderr


def test_a_terminal_lists_the_first_undeclared_credentials_and_says_how_many_more(monkeypatch, project):
    from scm_access.outputs.inventory import TERMINAL_ROWS

    strays = [grant(id=str(n), name=f"stray {n}", owner="x") for n in range(TERMINAL_ROWS + 3)]
    result = inventory(monkeypatch, project, found=[grant(), *strays])
    assert "… and 3 more undeclared credential(s)" in result.stdout


RELEASE = """
CONNECTION = Connection(name="release", integration="Release workflow", owner="t", purpose="Pushes version bumps.",
    access=[GitHubAccess(scopes=["contents:write"], org="acme", repositories=["platform-config"],
                         holder=ServiceIdentity(service="release-workflow"), max_lifetime_days=90)])
"""
KEY_SLOT = "release/github/release-workflow"
KEY_URN = "urn:pulumi:prod::scm-access::github:index/repositoryDeployKey:RepositoryDeployKey::release-key"
DEPLOY_KEYS_READ = SourceReport("github", "deploy_keys", SourceStatus.READ, "1 key", "acme",
                                (CredentialKind.GITHUB_DEPLOY_KEY,))


def deploy_key() -> FoundCredential:
    # Retitled by hand: neither the stack's marker nor the slot's tag is left in its name.
    return FoundCredential(
        platform=Platform.GITHUB, source="deploy_keys", id="23824728", kind=CredentialKind.GITHUB_DEPLOY_KEY,
        kind_label="deploy key", name="release key", owner="acme/platform-config", scope="acme",
        repositories=frozenset({"acme/platform-config"}),
    )


def stack_outputs_file(tmp_path, ledger) -> str:
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"stack_credentials": ledger, "credentials": {"release": {"token": "ghp_" + "s" * 36}}}))
    return str(path)


def test_stack_outputs_match_what_the_stack_made_by_its_id(monkeypatch, project, tmp_path):
    declare(project, "release", RELEASE)
    ledger = [{"slot": KEY_SLOT, "platform": "github", "resources": [KEY_URN], "ids": {KEY_URN: "platform-config:23824728"}}]
    result = inventory(monkeypatch, project, "--format", "json", "--stack-outputs", stack_outputs_file(tmp_path, ledger),
                       found=[grant(), deploy_key()], sources=(READ, DEPLOY_KEYS_READ))
    findings = {f["slot"]: f for f in json.loads(result.stdout)["findings"]}
    assert findings[KEY_SLOT]["matched_by"] == "resource_id"
    assert findings[KEY_SLOT]["credentials"][0]["id"] == "23824728"
    assert "s" * 36 not in result.stdout


def test_stack_outputs_that_are_not_a_stacks_are_one_line_naming_the_file_and_exit_2(monkeypatch, project, tmp_path):
    path = tmp_path / "outputs.json"
    path.write_text('{"credentials": {"token": "ghp_' + "s" * 36 + '"}}')
    result = inventory(monkeypatch, project, "--stack-outputs", str(path))
    assert result.exit_code == 2
    assert f"--stack-outputs {path}: no 'stack_credentials' output" in result.output
    assert "s" * 36 not in result.output


def test_the_garbage_collector_is_left_as_it_was(monkeypatch, project):
    # The command collects less often while it reads, judges and writes; whoever runs it in-process gets the
    # collector back as it was.
    import gc

    before = (gc.get_threshold(), gc.get_freeze_count())
    result = inventory(monkeypatch, project, "--format", "json", found=[grant()])
    assert result.exit_code == 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
