"""The real program under mocks against self-hosted instances: GitHub Enterprise Server, self-managed
GitLab and Azure DevOps Server, with declarations that name those hosts."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.provision.harness import GITLAB_TOKEN, Run, is_secret, run_program

DECLARATIONS = '''
from scm_access.declarations import (
    AzureDevOpsAccess, Connection, GitHubAccess, GitLabAccess, IntegrationField, Person, ServiceIdentity,
)

BUILD_FARM = ServiceIdentity(service="build-farm", origin_id="0b5e1f0c-6f5e-4c1e-9e55-0d6a0a7c1a11")

CONNECTIONS = [
    Connection(
        name="build-farm",
        integration="Build farm",
        owner="build",
        purpose="The build farm reads the platform code on every host.",
        access=[
            GitLabAccess(scopes=["read_api", "read_repository"], group="platform", holder=BUILD_FARM,
                         base_url="https://gitlab.example.com"),
            GitHubAccess(scopes=["contents:read"], org="acme", repositories=["app"], holder=BUILD_FARM,
                         base_url="https://ghe.example.com",
                         delivery=IntegrationField(location="Build farm → sources", field="SSH key",
                                                   holds="ssh_key")),
            AzureDevOpsAccess(organization="DefaultCollection", base_url="https://tfs.example.com/tfs",
                              projects=["Platform"], scopes=["Code: Read"], holder=BUILD_FARM),
        ],
    ),
    Connection(
        name="dev-portal",
        integration="Dev portal",
        owner="dx",
        purpose="The dev portal lists each developer's projects.",
        access=[GitLabAccess(scopes=["read_api"], holder=[Person(name="ana", login="ana")],
                             base_url="https://gitlab.example.com")],
    ),
]
'''

SELF_HOSTED = {
    "gitlabBaseUrl": "https://gitlab.example.com",  # a bare web root is completed to the API root
    "githubBaseUrl": "https://ghe.example.com/api/v3",  # the trailing slash is added
    "azureDevOpsOrgServiceUrl": "https://tfs.example.com/tfs/DefaultCollection/",
}
TOKENS = {"GITHUB_TOKEN": "ghp_FAKE", "GITLAB_TOKEN": GITLAB_TOKEN, "AZDO_PERSONAL_ACCESS_TOKEN": "azdoFAKE"}


@pytest.fixture(scope="module")
def declarations(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("self-hosted")
    (root / "connections").mkdir()
    (root / "connections" / "build.py").write_text(textwrap.dedent(DECLARATIONS))
    return root


@pytest.fixture(scope="module")
def run(declarations) -> Run:
    return run_program(TOKENS, config={**SELF_HOSTED, "declarations": str(declarations)})


def test_gitlab_provider_gets_the_api_root_with_trailing_slash(run):
    assert run.named("gitlab").inputs["baseUrl"] == "https://gitlab.example.com/api/v4/"


def test_github_provider_gets_the_enterprise_server_api_root(run):
    assert run.named("github-acme").inputs["baseUrl"] == "https://ghe.example.com/api/v3/"


def test_azure_devops_provider_gets_the_collection_url(run):
    assert run.named("azure-devops").inputs["orgServiceUrl"] == "https://tfs.example.com/tfs/DefaultCollection"


def test_credentials_are_provisioned_on_each_self_hosted_instance(run):
    types = {r.typ for r in run.children_of("build-farm")}
    assert {
        "gitlab:index/groupAccessToken:GroupAccessToken",
        "github:index/repositoryDeployKey:RepositoryDeployKey",
        "azuredevops:index/servicePrincipalEntitlement:ServicePrincipalEntitlement",
    } <= types
    assert run.warnings == []


def test_self_hosted_read_only_deploy_key(run):
    (key,) = run.of_type("github:index/repositoryDeployKey:RepositoryDeployKey")
    assert key.inputs["readOnly"] is True


def test_personal_token_instructions_link_to_the_self_hosted_instance(run):
    markdown = run.value("dev-portal")["instructions"]
    assert "<https://gitlab.example.com/-/user_settings/personal_access_tokens?" in markdown
    assert "gitlab.com/-/" not in markdown


def test_declaration_on_another_host_than_the_stack_is_skipped_with_both_hosts_named(declarations):
    run = run_program(TOKENS, config={**SELF_HOSTED, "gitlabBaseUrl": "https://gitlab.com/api/v4/",
                                      "declarations": str(declarations)})
    (warning,) = run.warnings
    assert "https://gitlab.com" in warning and "https://gitlab.example.com" in warning
    assert not run.of_type("gitlab:index/groupAccessToken:GroupAccessToken")
    (finding,) = [f for f in run.value("build-farm")["findings"] if f["platform"] == "gitlab"]
    assert finding["status"] == "missing"


def test_endpoint_from_the_provider_config_key(declarations):
    config = {**SELF_HOSTED, "gitlabBaseUrl": "", "gitlab:baseUrl": "https://gitlab.example.com/api/v4/"}
    run = run_program(TOKENS, config={**config, "declarations": str(declarations)})
    assert run.named("gitlab").inputs["baseUrl"] == "https://gitlab.example.com/api/v4/"


def test_endpoint_from_the_provider_environment_variable(declarations):
    config = {k: v for k, v in SELF_HOSTED.items() if k != "gitlabBaseUrl"}
    run = run_program({**TOKENS, "GITLAB_BASE_URL": "https://gitlab.example.com/"},
                      config={**config, "declarations": str(declarations)})
    assert run.named("gitlab").inputs["baseUrl"] == "https://gitlab.example.com/api/v4/"


def test_token_from_secret_stack_config_instead_of_the_environment(declarations):
    env = {k: v for k, v in TOKENS.items() if k != "GITLAB_TOKEN"}
    config = {**SELF_HOSTED, "gitlab:token": "glpat-FROMCONFIG", "declarations": str(declarations)}
    run = run_program(env, config=config, secret_keys=("gitlab:token",))
    token = run.named("gitlab").inputs["token"]
    assert is_secret(token) and token["value"] == "glpat-FROMCONFIG"
