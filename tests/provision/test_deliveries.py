"""Minted credentials delivered into the stores declarations name, always as secrets."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.provision.harness import ALL_CREDENTIALS, Run, is_secret, run_program

DECLARATIONS = '''
from scm_access.declarations import Connection, GitLabAccess, SecretStore, ServiceIdentity

CONNECTIONS = [
    Connection(
        name="registry-pull", integration="Image pull", owner="o", purpose="CI pulls images.",
        access=[GitLabAccess(scopes=["read_registry"], projects=["acme/app", "acme/api"],
                             holder=ServiceIdentity(service="ci"),
                             delivery=SecretStore(store="gitlab_ci_variable", name="REGISTRY_TOKEN",
                                                  repository="acme/deployer"))],
    ),
    Connection(
        name="pipeline-reader", integration="Azure Pipelines", owner="o", purpose="Pipelines read GitLab code.",
        access=[GitLabAccess(scopes=["read_api", "read_repository"], group="acme/platform", access_level="reporter",
                             holder=ServiceIdentity(service="pipelines"),
                             delivery=SecretStore(store="azure_devops_variable_group", name="GITLAB_TOKEN",
                                                  repository="Platform"))],
    ),
]
'''

PAT_CONNECTION_PROGRAM = '''
import pulumi
import pulumi_azuredevops as azuredevops
from scm_access.platforms.azure_devops.provision import github_service_connection

provider = azuredevops.Provider("azure-devops", org_service_url="https://dev.azure.com/acme")
github_service_connection(
    "github-connection",
    project_id="project-Platform",
    connection_name="github-acme",
    personal_access_token="ghp_" + "P" * 36,
    description="GitHub for Azure Pipelines",
    opts=pulumi.ResourceOptions(provider=provider),
)
'''


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("deliveries")
    (root / "connections").mkdir()
    (root / "connections" / "stores.py").write_text(textwrap.dedent(DECLARATIONS))
    return run_program(ALL_CREDENTIALS, config={"declarations": str(root)})


def test_one_deploy_token_per_project_when_no_group_is_declared(run):
    tokens = run.of_type("gitlab:index/projectDeployToken:ProjectDeployToken")
    assert sorted(t.inputs["project"] for t in tokens) == ["acme/api", "acme/app"]


def test_each_token_goes_into_its_own_masked_protected_ci_variable(run):
    variables = run.of_type("gitlab:index/projectVariable:ProjectVariable")
    assert sorted(v.inputs["key"] for v in variables) == ["REGISTRY_TOKEN_ACME_API", "REGISTRY_TOKEN_ACME_APP"]
    for variable in variables:
        assert variable.inputs["project"] == "acme/deployer"
        assert variable.inputs["masked"] is True and variable.inputs["protected"] is True


def test_ci_variable_value_is_secret_in_inputs_and_state(run):
    for variable in run.of_type("gitlab:index/projectVariable:ProjectVariable"):
        assert is_secret(variable.inputs["value"]) and variable.inputs["value"]["value"].startswith("gldt-FAKE")
        assert "value" in variable.secret_outputs


def test_token_goes_into_an_azure_devops_variable_group_as_a_secret_variable(run):
    (group,) = run.of_type("azuredevops:index/variableGroup:VariableGroup")
    assert group.inputs["projectId"] == "project-Platform"
    assert is_secret(group.inputs["variables"])
    (variable,) = group.inputs["variables"]["value"]
    assert variable["name"] == "GITLAB_TOKEN" and variable["isSecret"] is True
    assert variable["secretValue"].startswith("glpat-FAKE") and "value" not in variable
    assert "variables" in group.secret_outputs


def test_delivered_credentials_are_not_exported_for_a_person(run):
    assert run.value("credentials") == {}


def test_pat_held_by_a_service_connection_is_a_secret(tmp_path: Path):
    program = tmp_path / "__main__.py"
    program.write_text(textwrap.dedent(PAT_CONNECTION_PROGRAM))
    run = run_program({}, program=program)
    (endpoint,) = run.of_type("azuredevops:index/serviceEndpointGitHub:ServiceEndpointGitHub")
    assert is_secret(endpoint.inputs["authPersonal"])
    assert endpoint.inputs["authPersonal"]["value"]["personalAccessToken"] == "ghp_" + "P" * 36
    assert "authPersonal" in endpoint.secret_outputs
