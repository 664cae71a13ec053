"""The review's reports, checked against what others publish: the OASIS SARIF 2.1.0 schema (and Microsoft's
SARIF validator when installed), GitLab's Code Quality fields, the Apache Ant JUnit XML schema, and GitHub's
comment size."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from rich.console import Console

from scm_access.declarations import Connection, GitHubAccess, GitLabAccess, Policy, ServiceIdentity
from scm_access.review.model import Level
from scm_access.outputs import OutputFormat, render
from scm_access.review.render import (
    MARKER,
    SUBJECT,
    LinkTemplate,
    ReviewReport,
    print_table,
    render_codequality,
    render_junit,
    render_markdown,
    render_sarif,
)
from scm_access.review.render.markdown import LIMIT
from scm_access.review.render.table import WIDE_ENOUGH
from tests.review.conftest import planned, reviewed

SCHEMAS = Path(__file__).parent / "schemas"
MULTITOOL = Path(__file__).parent / "sarif-validator/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"


def connection(name: str, *access, integration: str = "Sync") -> Connection:
    return Connection(name=name, integration=integration, owner="platform", purpose="Test.", access=list(access))


@pytest.fixture(scope="module")
def change():
    base = planned(
        [
            connection("sync", GitHubAccess(org="acme", scopes=["repo"], holder=["alice"])),
            connection(
                "deploy",
                GitLabAccess(group="acme/platform", scopes=["read_repository"], holder=ServiceIdentity(service="bot")),
            ),
        ]
    )
    head = planned(
        [
            connection("sync", GitHubAccess(org="acme", scopes=["repo", "admin:org"], holder=["alice"])),
            connection("wiper", GitHubAccess(org="acme", scopes=["delete_repo"], holder=["bob"])),
        ],
        Policy(forbidden_scopes={"github": ["delete_repo", "site_admin"]}),
    )
    return reviewed(base, head)


def test_sarif_is_valid_against_the_official_schema(change):
    document = json.loads(render_sarif(change))
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(document)


def test_sarif_has_one_rule_per_policy_rule_and_review_finding_and_results_at_declaration_lines(change):
    run = json.loads(render_sarif(change))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert {"policy/forbidden_scope", "review/high-privilege-scope-added", "review/provisioned-credential-deleted"} <= set(ids)
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)
    by_rule = {r["ruleId"]: r for r in run["results"]}
    forbidden = by_rule["policy/forbidden_scope"]
    assert forbidden["level"] == "error" and forbidden["baselineState"] == "new"
    assert ids[forbidden["ruleIndex"]] == "policy/forbidden_scope"
    region = forbidden["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == "tests/review/test_render.py"
    line = Path(__file__).read_text().splitlines()[region["region"]["startLine"] - 1]
    assert "delete_repo" in line and "GitHubAccess(" in line
    assert by_rule["review/high-privilege-scope-added"]["level"] == "warning"


def test_fingerprints_do_not_move_with_the_lines(change):
    """An unrelated edit above a declaration shifts its line; the alert must stay the same alert."""
    base = planned([connection("sync", GitHubAccess(org="acme", scopes=["repo"], holder=["alice"]))])
    head = planned([connection("sync", GitHubAccess(org="acme", scopes=["repo", "admin:org"], holder=["alice"]))])
    shifted = json.loads(json.dumps(head))
    for entry in shifted["entries"]:
        entry["line"] += 40
    first = json.loads(render_sarif(reviewed(base, head)))["runs"][0]["results"]
    second = json.loads(render_sarif(reviewed(base, shifted)))["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] + 40 for r in first] == [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in second
    ]
    assert [r["partialFingerprints"] for r in first] == [r["partialFingerprints"] for r in second]
    assert len({r["partialFingerprints"]["primaryLocationLineHash"] for r in first}) == len(first)


@pytest.mark.skipif(not os.access(MULTITOOL, os.X_OK), reason="Microsoft's SARIF validator is not installed (npm)")
def test_microsofts_sarif_validator_finds_no_error(change, tmp_path):
    path = tmp_path / "review.sarif"
    path.write_text(render_sarif(change))
    output = tmp_path / "validation.sarif"
    result = subprocess.run(
        [str(MULTITOOL), "validate", str(path), "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1", "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    validation = json.loads(output.read_text())
    errors = [r for run in validation["runs"] for r in run.get("results", []) if r.get("level") == "error"]
    assert errors == []


def test_code_quality_has_gitlabs_required_fields_and_no_byte_order_mark(change):
    text = render_codequality(change)
    raw = text.encode("utf-8")
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.isascii()
    issues = json.loads(text)
    assert isinstance(issues, list) and issues
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"] and not issue["location"]["path"].startswith("./")
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {"policy/forbidden_scope": "critical"}.items() <= {i["check_name"]: i["severity"] for i in issues}.items()


def test_junit_is_valid_against_the_ant_junit_schema_with_one_case_per_slot(change):
    text = render_junit(change, Level.ERROR)
    xmlschema.XMLSchema(str(SCHEMAS / "JUnit.xsd")).validate(text)
    from xml.etree import ElementTree as ET

    suite = ET.fromstring(text).find("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"sync/github/alice", "wiper/github/bob", "deploy/gitlab/bot"}
    assert cases["wiper/github/bob"].find("failure").get("type") == "policy/forbidden_scope"
    assert cases["deploy/gitlab/bot"].find("skipped") is not None
    assert cases["sync/github/alice"].find("failure") is None  # only a warning: below --fail-on error
    assert suite.get("tests") == "3" and suite.get("failures") == "1" and suite.get("skipped") == "1"


def test_markdown_leads_with_the_verdict_and_carries_the_marker_and_links(change):
    links = LinkTemplate("https://github.example/acme/access/blob/{commit}/{path}#L{line}")
    text = render_markdown(change, Level.ERROR, links)
    first = text.splitlines()[0]
    assert first.startswith("🔴") and "1 new policy error" in first
    assert MARKER in text
    assert f"https://github.example/acme/access/blob/{'b' * 40}/tests/review/test_render.py#L" in text
    assert "`admin:org` **high-privilege** (also grants `write:org`, `read:org`" in text
    assert "Credentials the stack would delete" in text and "`deploy/gitlab/bot`" in text


def test_markdown_stays_under_the_limit_for_a_huge_change():
    many = [
        connection(f"c{i:04d}", GitHubAccess(org="acme", scopes=["repo", "admin:org", "workflow"], holder=[f"p{i}", f"q{i}"]))
        for i in range(600)
    ]
    change = reviewed(planned([]), planned(many))
    text = render_markdown(change, Level.ERROR)
    assert len(text) < LIMIT
    assert MARKER in text and "more change(s)" in text
    assert "600 connections added" in text.splitlines()[0]


def test_markdown_shows_declared_text_as_written_never_as_markup():
    hostile = connection(
        "odd", GitHubAccess(org="acme", scopes=["repo"], holder=["eve"]), integration="<img src=x> **bold** | pipe"
    )
    change = reviewed(planned([]), planned([hostile]))
    text = render_markdown(change, Level.ERROR)
    assert "<img" not in text
    assert "<summary>odd (&lt;img src=x&gt; **bold** | pipe): added</summary>" in text  # in HTML


def on_terminal(review, width: int) -> list[str]:
    buffer = io.StringIO()
    print_table(review, Console(file=buffer, width=width, color_system=None), Level.ERROR)
    return buffer.getvalue().splitlines()


@pytest.mark.parametrize("width", [60, 80, 160])
def test_the_terminal_review_fits_its_width_without_blanks_at_the_lines_ends(change, width):
    lines = on_terminal(change, width)
    assert max(len(line) for line in lines) <= width
    assert not [line for line in lines if line.endswith(" ")]


def test_a_narrow_terminal_shows_each_change_whole_on_lines_of_its_own(change):
    lines = on_terminal(change, 80)
    assert "added wiper · github · bob" in lines
    assert "  + admin:org (high-privilege)" in lines  # never folded inside a scope's name


def test_a_wide_terminal_and_a_report_file_show_the_table(change):
    assert any("┃ Connection" in line for line in on_terminal(change, WIDE_ENOUGH))
    assert "┃ Connection" in render(SUBJECT, OutputFormat.TERMINAL, ReviewReport(change))
