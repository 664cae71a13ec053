"""The pages `plan --out` writes and `instructions` prints: a section for every slot. A credential the stack
makes gets its hand-off (where it lands, or how a person carries it to the integration and when again), one
the policy refuses says so, and every command on a page works from any folder."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from tests.cli.project import declare, plan_out, run, set_policy

TODAY = "2026-11-30"
DECLARATIONS = {
    "jenkins": """
CONNECTION = Connection(name="jenkins", integration="Jenkins", owner="ci", purpose="Builds from GitLab.", access=[
    GitLabAccess(scopes=["read_api"], group="acme/platform", holder=ServiceIdentity(service="ci"),
                 delivery=IntegrationField(location="Jenkins → job → Configure", field="GitLab token"))])
""",
    "release": """
from scm_access.declarations import SecretStore
CONNECTION = Connection(name="release", integration="Release workflow", owner="rel", purpose="Pushes bumps.", access=[
    GitHubAccess(scopes=["contents:write"], org="acme", repositories=["config"], max_lifetime_days=60,
                 holder=ServiceIdentity(service="release"),
                 delivery=SecretStore(store="github_actions_secret", name="DEPLOY_KEY", repository="acme/tools",
                                      holds="ssh_key"))])
""",
    "mirror": """
CONNECTION = Connection(name="mirror", integration="Mirror", owner="m", purpose="Mirrors two repositories.", access=[
    GitHubAccess(scopes=["contents:read"], org="acme", repositories=["one", "two"],
                 holder=ServiceIdentity(service="mirror"),
                 delivery=IntegrationField(location="Mirror → Sources", field="SSH key", holds="ssh_key"))])
""",
    "deployer": """
CONNECTION = Connection(name="deployer", integration="Azure Pipelines", owner="p", purpose="Deploys.", access=[
    AzureDevOpsAccess(organization="acme", projects=["Platform"], scopes=["vso.code"],
                      holder=ServiceIdentity(service="sp", origin_id="7f0c2a51-3a3e-4c0e-9a57-2d8f3c1b9e44"))])
""",
    "docs": """
CONNECTION = Connection(name="docs", integration="Docs", owner="d", purpose="Publishes.", access=[
    GitLabAccess(scopes=["write_repository"], group="acme/docs", holder=ServiceIdentity(service="docs-ci"),
                 max_lifetime_days=400)])
""",
    "backstage": """
CONNECTION = Connection(name="backstage", integration="Backstage", owner="dx", purpose="Reads the catalog.", access=[
    GitHubAccess(scopes=["Contents: Read-only", "Metadata: Read-only"], org="acme",
                 repositories=["service-catalog", "software-templates", "tech-docs"],
                 holder=ServiceIdentity(service="backstage", login="acme-backstage"),
                 delivery=IntegrationField(location="Backstage → app-config.yaml → integrations.github",
                                           field="token"))])
""",
    "renovate": """
CONNECTION = Connection(name="renovate", integration="Renovate", owner="dx", purpose="Updates dependencies.", access=[
    GitLabAccess(scopes=["api", "write_repository"], group="acme/platform", holder=ServiceIdentity(service="renovate"),
                 delivery=IntegrationField(location="Renovate → runner environment", field="RENOVATE_TOKEN"))])
""",
    "portal": """
CONNECTION = Connection(name="portal", integration="Portal", owner="p", purpose="Reads code.", access=[
    GitHubAccess(scopes=["repo"], holder=[Person(name="ana")])])
""",
    "team": """
CONNECTION = Connection(name="team", integration="Team tool", owner="t", purpose="Reads code.", access=[
    GitHubAccess(scopes=["repo"], org="acme", holder=[Person(name="ana", login="ana-a"), Person(name="bo"),
                                                     Person(name="cy")])])
""",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    for name, body in DECLARATIONS.items():
        declare(root, name, body)
    set_policy(root, "POLICY = Policy(max_lifetime_days={'gitlab_group_access_token': 90})\n")
    return root


@pytest.fixture(scope="module")
def out(project, tmp_path_factory) -> Path:
    return plan_out(project, tmp_path_factory.mktemp("out"), TODAY)


def section(out: Path, connection: str) -> str:
    return (out / f"{connection}.md").read_text()


def test_every_slot_has_a_section_on_its_connections_page(out):
    slots = json.loads((out / "plan.json").read_text())["slots"]
    for slot in slots:
        page = (out / f"{slot['connection']}.html").read_text()
        assert f'id="{slot["connection"]}/{slot["platform"]}/{slot["holder"]}"' in page


def test_a_credential_a_person_pastes_gives_the_command_that_copies_it_from_the_stack(out):
    page = section(out, "jenkins")
    [command] = re.findall(r"`(pulumi stack output credentials[^`]*)`", page)
    stack, pick, clipboard = (shlex.split(part) for part in command.split(" | "))
    assert "--show-secrets" in stack and pick[-1] == ".[$c][$s][$k]" and clipboard == ["pbcopy"]
    assert "Jenkins → job → Configure → **GitLab token**" in page
    assert "Each rotation means copying and pasting again: from **2027-02-21**" in page


def test_a_credential_written_to_a_store_says_where_it_lands_and_when_the_stack_replaces_it(out):
    page = section(out, "release")
    assert "GitHub Actions secret **DEPLOY_KEY** in **acme/tools**" in page
    assert "pulumi stack output credentials" not in page.split("**Notes**")[0]
    assert re.search(r"replaces it every 60 days, on the next `pulumi up` from \d{4}-\d\d-\d\d", page)


def test_one_credential_per_repository_gives_one_command_per_repository(out):
    page = section(out, "mirror")
    keys = [shlex.split(c.split(" | ")[1])[10] for c in re.findall(r"`(pulumi stack output credentials[^`]*)`", page)]
    assert keys == ["private_key:one", "private_key:two"]


def test_an_identity_without_a_secret_has_nothing_to_hand_over(out):
    page = section(out, "deployer")
    assert "Nothing to hand over or rotate" in page and "**Expires:** no secret" in page


def test_a_credential_the_policy_refuses_says_the_stack_does_not_make_it(out):
    page = section(out, "docs")
    assert "not made: refused by the policy" in page and "`lifetime_exceeds_policy`" in page
    assert "made by the stack: hand-off" not in page


def test_the_index_links_every_slot_to_its_section_and_says_what_is_pending(out):
    index = (out / "index.html").read_text()
    assert 'href="jenkins.html#jenkins/gitlab/ci"' in index and 'href="deployer.html#deployer/azure_devops/sp"' in index
    assert "copy from the stack after each rotation" in index and "refused by the policy" in index


def test_the_verify_command_on_a_page_names_the_project_and_works_from_another_folder(project, out, tmp_path):
    [command] = re.findall(r"^   - `(scm-access verify [^`]*)`$", section(out, "portal"), re.MULTILINE)
    argv = shlex.split(command)
    assert argv[argv.index("--project") + 1] == str(project.resolve())
    result = run(tmp_path, *argv[1:])  # from elsewhere, without a token: it gets as far as asking for one
    assert result.returncode == 2 and "no token" in result.stderr and "connections/" not in result.stderr


def test_outside_a_project_the_error_says_how_to_name_one(tmp_path):
    result = run(tmp_path, "plan")
    assert result.returncode == 2 and "--project DIR" in result.stderr and str(tmp_path.resolve()) in result.stderr


@pytest.mark.parametrize("columns", [80, 120])
def test_instructions_for_a_provisioned_slot_print_its_hand_off_whole(project, columns):
    result = run(project, "instructions", "jenkins", "--platform", "GitLab", "--today", TODAY, columns=columns)
    assert result.returncode == 0 and "No personal token" not in result.stdout
    assert "Jenkins on GitLab: GitLab group access token for the service identity ci" in result.stdout
    [line] = [line for line in result.stdout.splitlines() if "pulumi stack output credentials" in line]
    assert line.strip().endswith("| pbcopy")  # one line, never broken: a pasted half would run


def test_backstage_gets_one_token_made_by_its_machine_user_and_pasted_into_its_field(out):
    page = section(out, "backstage")
    assert page.count("\n## ") == 1 and "GitHub fine-grained personal access token" in page
    assert "as the machine user **acme-backstage**" in page and "deploy key" not in page
    assert "Backstage → app-config.yaml → integrations.github, field **token**" in page


def test_renovates_group_token_is_handed_off_with_its_role_and_where_it_goes(out):
    page = section(out, "renovate")
    assert "GitLab group access token for the service identity renovate (made by the stack: hand-off)" in page
    assert "role developer (the least its scopes need)" in page
    assert "Paste it into Renovate: Renovate → runner environment → **RENOVATE_TOKEN**" in page
    assert "pulumi stack output credentials --show-secrets --json" in page


def test_three_holders_of_a_declaration_share_one_section_with_a_row_each(out):
    page = section(out, "team")
    assert page.count("\n## ") == 1 and page.count("In **Note**") == 1
    [record] = [r for r in json.loads((out / "instructions.json").read_text()) if r["connection"] == "team"]
    assert [h["holder"] for h in record["holders"]] == ["ana", "bo", "cy"]
    for holder in record["holders"]:
        [row] = [line for line in page.splitlines() if f'<a id="{holder["slot"]}">' in line]
        assert all(holder[key] in row for key in ("token_name", "creation_link", "token_env_var", "verify_command"))
    index = (out / "index.html").read_text()
    assert 'href="team.html#team/github/bo"' in index and 'id="team/github/bo"' in (out / "team.html").read_text()


def test_instructions_for_one_of_several_holders_print_that_holders_own_values(project, out):
    result = run(project, "instructions", "team", "--holder", "bo", "--today", TODAY)
    [record] = [r for r in json.loads((out / "instructions.json").read_text()) if r["connection"] == "team"]
    bo = record["holders"][1]
    assert result.returncode == 0 and "table above" not in result.stdout
    assert f"In Note, keep or enter {bo['token_name']}." in result.stdout
    assert bo["creation_link"] in result.stdout and bo["verify_command"] in result.stdout
