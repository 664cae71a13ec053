"""The CI templates in examples/ci/ work as shipped, as far as can be told here: the YAML parses into the
jobs each CI system expects, and every scm-access command they run exists and takes the flags given."""

from __future__ import annotations

import re
import shlex
from enum import Enum
from pathlib import Path

import pytest
import yaml
from typer.main import get_command

from scm_access.cli import app

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "examples" / "ci"
# CI expressions stand for values only the CI knows: ${{ github.base_ref }}, $(Build.BuildId), "$VAR".
_EXPRESSION = re.compile(r"\$\{\{[^}]*\}\}|\$\([^)]*\)|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*")


def load(name: str) -> dict:
    return yaml.safe_load((TEMPLATES / name).read_text())


def strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    return []


def scm_access_commands(document: dict) -> list[list[str]]:
    commands = []
    for text in strings(document):
        for line in text.splitlines():
            line = line.strip()
            if not line.startswith("scm-access "):
                continue
            line = re.split(r"\s(?:>|\|\||&&|\|)\s", line)[0]  # the command, not what its output goes to
            commands.append(shlex.split(_EXPRESSION.sub("VALUE", line))[1:])
    return commands


def choices(option) -> list[str] | None:
    annotation = getattr(getattr(option, "type_descriptor", None), "annotation", None)
    return [member.value for member in annotation] if isinstance(annotation, type) and issubclass(annotation, Enum) else None


def check_command(arguments: list[str]) -> None:
    root = get_command(app)
    name, *rest = arguments
    assert name in root.commands, f"scm-access has no command {name!r}"
    command = root.commands[name]
    options = {opt: p for p in command.params for opt in (*p.opts, *p.secondary_opts) if opt.startswith("-")}
    position = 0
    while position < len(rest):
        token = rest[position]
        position += 1
        if not token.startswith("-"):
            continue  # an argument (connection name)
        flag, _, inline = token.partition("=")
        assert flag in options, f"scm-access {name} takes no option {flag}"
        option = options[flag]
        if option.is_flag:
            continue
        value = inline or rest[position]
        position += 0 if inline else 1
        allowed = choices(option)
        if allowed is not None and value != "VALUE":
            assert value in allowed, f"scm-access {name} {flag} {value}: not one of {allowed}"


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml", "azure-pipelines.yml"])
def test_every_scm_access_command_exists_with_its_flags(name):
    commands = scm_access_commands(load(name))
    assert any(c[0] == "review" for c in commands) and any(c[0] == "verify" for c in commands)
    for command in commands:
        check_command(command)


def test_github_workflow_reviews_pull_requests_and_runs_verify_and_pulumi_on_schedule():
    workflow = load("github-actions.yml")
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["schedule"][0]["cron"]
    jobs = workflow["jobs"]
    review_steps = jobs["review"]["steps"]
    assert jobs["review"]["permissions"] == {"contents": "read", "pull-requests": "write", "security-events": "write"}
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in review_steps)
    comment = next(s for s in review_steps if s.get("uses", "").startswith("actions/github-script"))
    assert "<!-- scm-access-review -->" in comment["with"]["script"]
    assert next(s for s in review_steps if s.get("uses", "").startswith("actions/checkout"))["with"]["fetch-depth"] == 0
    assert any(s.get("with", {}).get("command") == "up" for s in jobs["reconcile"]["steps"])


def test_gitlab_ci_reports_code_quality_on_merge_requests_and_runs_on_schedule():
    pipeline = load("gitlab-ci.yml")
    review = pipeline["scm-access-review"]
    assert review["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert "merge_request_event" in review["rules"][0]["if"]
    assert "<!-- scm-access-review -->" in "\n".join(strings(review["script"]))
    assert all("schedule" in pipeline[job]["rules"][0]["if"] for job in ("scm-access-verify", "scm-access-reconcile"))


def test_azure_pipeline_publishes_the_review_and_a_pull_request_status():
    pipeline = load("azure-pipelines.yml")
    assert pipeline["schedules"][0]["always"] is True
    steps = pipeline["stages"][0]["jobs"][0]["steps"]
    tasks = {s.get("task") for s in steps}
    assert {"PublishTestResults@2", "PublishPipelineArtifact@1"} <= tasks
    assert any("/statuses?api-version=7.1" in s.get("script", "") for s in steps)


def test_what_the_templates_rely_on_is_in_the_project():
    for needed in ("requirements.txt", "policies/PulumiPolicy.yaml", "pyproject.toml"):
        assert (ROOT / needed).is_file(), needed
