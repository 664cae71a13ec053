"""`scm-access plan`: readable at any width, exit codes a CI gate can choose, the policy in force named,
and an `--out` folder that holds exactly what this program wrote."""

from __future__ import annotations

import json
import re

import pytest

from tests.cli.project import declare, run, set_policy

AZURE_WIDE = """
CONNECTION = Connection(name="exalate", integration="Exalate", owner="t", purpose="Sync.", access=[
    AzureDevOpsAccess(organization="acme", scopes=["Member Entitlement Management: Read", "Work Items: Read & write"],
                      holder=[Person(name="carla")])])
"""
PROVISIONED_WITH_WARNING = """
CONNECTION = Connection(name="docs", integration="Docs", owner="t", purpose="Publish.", access=[
    GitLabAccess(scopes=["write_repository"], group="acme/docs", holder=ServiceIdentity(service="docs-ci"))])
"""


@pytest.fixture
def project(tmp_path):
    declare(tmp_path, "exalate", AZURE_WIDE)
    set_policy(tmp_path)
    return tmp_path


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_lines_fit_the_width_and_scopes_are_never_split(project, columns):
    result = run(project, "plan", "--today", "2026-11-23", columns=columns)
    assert "vso.memberentitlementmanagement" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= columns


@pytest.mark.parametrize("many", [False, True], ids=["table", "summary"])
def test_a_problem_that_wraps_goes_on_under_its_own_start(tmp_path, many):
    people = ", ".join(f'Person(name="p{i}")' for i in range(210 if many else 1))
    declare(tmp_path, "exalate", AZURE_WIDE.replace('[Person(name="carla")]', f"[{people}]"))
    lines = run(tmp_path, "plan", "--today", "2026-11-23", columns=60).stdout.splitlines()
    problem = next(i for i, line in enumerate(lines) if "personal tokens where" in line)
    assert lines[problem].startswith("  ")
    assert lines[problem + 1].startswith("  ") and lines[problem + 1].strip()


def test_policy_source_is_named(project):
    assert "Policy: policies/credential_policy.py" in run(project, "plan").stdout


def test_built_in_defaults_are_said_loudly(tmp_path):
    declare(tmp_path, "exalate", AZURE_WIDE)
    result = run(tmp_path, "plan")
    assert "BUILT-IN DEFAULTS: no policies/credential_policy.py" in result.stdout
    assert json.loads(run(tmp_path, "plan", "--format", "json").stdout)["policy"]["defaults"] is True


def test_warnings_alone_do_not_fail_by_default(tmp_path):
    declare(tmp_path, "docs", PROVISIONED_WITH_WARNING)
    set_policy(tmp_path)
    assert run(tmp_path, "plan").returncode == 0
    assert run(tmp_path, "plan", "--fail-on", "warning").returncode == 1


def test_fail_on_chooses_what_fails(project):
    assert run(project, "plan").returncode == 1  # a personal token to create
    assert run(project, "plan", "--fail-on", "error").returncode == 0
    assert run(project, "plan", "--fail-on", "none").returncode == 0
    wrong = run(project, "plan", "--fail-on", "typo")
    assert wrong.returncode == 2 and "error, warning, pending, none" in wrong.stderr


def test_summary_counts_what_it_prints(project):
    declare(project, "exalate", AZURE_WIDE.replace('[Person(name="carla")]', '[Person(name="carla"), Person(name="ana")]'))
    result = run(project, "plan")
    printed = len(re.findall(r"^\s+warning ", result.stdout, re.MULTILINE))
    assert f"{printed} warning(s)" in result.stdout


def test_a_large_plan_prints_the_summary_and_the_problems(tmp_path):
    people = ", ".join(f'Person(name="p{i}")' for i in range(210))
    declare(tmp_path, "many", AZURE_WIDE.replace('[Person(name="carla")]', f"[{people}]"))
    result = run(tmp_path, "plan")
    assert "too many to list here" in result.stdout and "p150" not in result.stdout
    assert "org_managed_available" in result.stdout
    assert "p150" in run(tmp_path, "plan", "--full-table").stdout


def many_holders(tmp_path, count: int) -> None:
    people = ", ".join(f'Person(name="p{i}")' for i in range(count))
    declare(tmp_path, "many", AZURE_WIDE.replace('[Person(name="carla")]', f"[{people}]"))


def test_a_large_plan_as_json_is_the_compact_plan_json_of_out(tmp_path):
    many_holders(tmp_path, 210)
    printed = run(tmp_path, "plan", "--format", "json", "--out", str(tmp_path / "out")).stdout
    assert printed == (tmp_path / "out" / "plan.json").read_text(encoding="utf-8")
    assert "\n " not in printed and len(json.loads(printed)["slots"]) == 210


def test_a_small_plan_as_json_is_indented_for_people(tmp_path):
    many_holders(tmp_path, 3)
    printed = run(tmp_path, "plan", "--format", "json").stdout
    assert printed.startswith('{\n  "date"')


def test_large_instructions_as_json_are_compact_and_complete(tmp_path):
    many_holders(tmp_path, 210)
    printed = run(tmp_path, "instructions", "--format", "json").stdout
    assert "\n " not in printed.strip() and len(json.loads(printed)[0]["holders"]) == 210


def test_out_writes_an_index_and_removes_only_its_own_stale_files(project, tmp_path):
    out = tmp_path / "out"
    declare(project, "docs", PROVISIONED_WITH_WARNING)
    run(project, "plan", "--out", str(out))
    assert {"index.html", "index.md", "docs.html", "exalate.md", "plan.json"} <= {p.name for p in out.iterdir()}
    index = (out / "index.html").read_text()
    assert 'href="exalate.html#exalate/azure_devops/carla"' in index and 'href="docs.html#docs/gitlab/docs-ci"' in index
    assert "(<exalate.md#exalate/azure_devops/carla>)" in (out / "index.md").read_text()

    (out / "notes.txt").write_text("mine")
    (project / "connections" / "docs.py").unlink()
    run(project, "plan", "--out", str(out))
    names = {p.name for p in out.iterdir()}
    assert "docs.html" not in names and "docs.md" not in names
    assert {"notes.txt", "exalate.html"} <= names


def test_a_manifest_cannot_make_it_delete_elsewhere(project, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "precious.txt").write_text("keep")
    (out / ".scm-access-manifest.json").write_text(json.dumps({"files": ["../precious.txt", "/etc/hosts"]}))
    run(project, "plan", "--out", str(out))
    assert (tmp_path / "precious.txt").exists()


@pytest.mark.parametrize("columns", [60, 80])
def test_no_line_ends_in_blanks(project, tmp_path, columns):
    out = tmp_path / "a folder with a long name for the instructions"
    lines = run(project, "plan", "--today", "2026-11-23", "--out", str(out), columns=columns).stdout.splitlines()
    assert any("written to" in line for line in lines)
    assert not [line for line in lines if line.endswith(" ")]
