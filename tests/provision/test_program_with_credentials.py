"""The real program under mocks, with provider credentials for GitHub, GitLab and Azure DevOps."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from scm_access.declarations.loader import load_project
from scm_access.provision.program import RESERVED_OUTPUTS
from tests.provision.harness import (
    ALL_CREDENTIALS,
    AZDO_TOKEN,
    GITHUB_TOKEN,
    GITLAB_TOKEN,
    FIXTURE_PROJECT,
    Run,
    is_secret,
    run_program,
)

COMPONENT = "scm-access:index:Connection"
GROUP_TOKEN = "gitlab:index/groupAccessToken:GroupAccessToken"
DEPLOY_TOKEN = "gitlab:index/groupDeployToken:GroupDeployToken"
DEPLOY_KEY = "github:index/repositoryDeployKey:RepositoryDeployKey"
PRIVATE_KEY = "tls:index/privateKey:PrivateKey"
ACTIONS_SECRET = "github:index/actionsSecret:ActionsSecret"
ENTITLEMENT = "azuredevops:index/servicePrincipalEntitlement:ServicePrincipalEntitlement"
AZURERM = "azuredevops:index/serviceEndpointAzureRM:ServiceEndpointAzureRM"
MEMBERSHIP = "azuredevops:index/groupMembership:GroupMembership"


@pytest.fixture(scope="module")
def run() -> Run:
    return run_program(ALL_CREDENTIALS)


def token_named(run: Run, connection: str) -> object:
    return next(r for r in run.of_type(GROUP_TOKEN) if r.name.startswith(f"{connection}-"))


def test_one_component_per_declared_connection(run):
    declared = {c.name for c in load_project(FIXTURE_PROJECT).connections}
    assert {r.name for r in run.of_type(COMPONENT)} == declared


def test_every_credential_resource_is_a_child_of_its_connection_component(run):
    credentials = [r for r in run.resources if r.custom and not r.typ.startswith("pulumi:providers:")]
    assert credentials
    for resource in credentials:
        owner = resource.name.split("-gitlab-")[0].split("-github-")[0].split("-azdo-")[0]
        assert resource.parent.endswith(f"{COMPONENT}::{owner}"), resource.name


def test_provider_resources_exist_on_all_three_platforms(run):
    types = {r.typ.split(":")[0] for r in run.resources if r.custom and not r.typ.startswith("pulumi:")}
    assert {"gitlab", "github", "azuredevops", "tls"} <= types


def test_providers_are_explicit_and_every_credential_uses_one(run):
    providers = {r.typ for r in run.of_type("pulumi:providers:gitlab") + run.of_type("pulumi:providers:github")
                 + run.of_type("pulumi:providers:azuredevops")}
    assert len(providers) == 3
    for resource in run.resources:
        if resource.custom and not resource.typ.startswith("pulumi:providers:"):
            assert "pulumi:providers:" in resource.provider, resource.name


def test_provider_tokens_are_secret_inputs(run):
    gitlab = run.named("gitlab").inputs
    github = run.named("github-acme").inputs
    azure = run.named("azure-devops").inputs
    assert is_secret(gitlab["token"]) and gitlab["token"]["value"] == GITLAB_TOKEN
    assert is_secret(github["token"]) and github["token"]["value"] == GITHUB_TOKEN
    assert is_secret(azure["personalAccessToken"]) and azure["personalAccessToken"]["value"] == AZDO_TOKEN


def test_cloud_endpoints_by_default(run):
    assert run.named("gitlab").inputs["baseUrl"] == "https://gitlab.com/api/v4/"
    assert run.named("github-acme").inputs["baseUrl"] == "https://api.github.com/"
    assert run.named("github-acme").inputs["owner"] == "acme"
    assert run.named("azure-devops").inputs["orgServiceUrl"] == "https://dev.azure.com/acme"


def test_gitlab_group_access_token_has_declared_scopes_and_role(run):
    token = token_named(run, "icr")
    assert token.inputs["group"] == "acme/platform"
    assert token.inputs["scopes"] == ["read_api", "read_repository"]
    assert token.inputs["accessLevel"] == "reporter"


def test_gitlab_group_access_token_rotates_before_expiry(run):
    token = token_named(run, "docs-publisher")
    assert token.inputs["rotationConfiguration"] == {"expirationDays": 90.0, "rotateBeforeDays": 7.0}
    # The provider derives expires_at from the rotation configuration; setting both would conflict.
    assert "expiresAt" not in token.inputs


def test_gitlab_token_description_names_its_slot(run):
    assert token_named(run, "docs-publisher").inputs["description"].endswith(
        "[scm-access docs-publisher/gitlab/docs-ci]"
    )


def test_gitlab_token_output_is_declared_secret(run):
    for resource in run.of_type(GROUP_TOKEN) + run.of_type(DEPLOY_TOKEN):
        assert "token" in resource.secret_outputs


def test_read_only_registry_need_gets_a_deploy_token_with_bounded_expiry(run):
    (token,) = run.of_type(DEPLOY_TOKEN)
    assert token.inputs["scopes"] == ["read_registry"]
    expires = datetime.fromisoformat(token.inputs["expiresAt"].replace("Z", "+00:00")).date()
    assert date.today() + timedelta(days=7) < expires <= date.today() + timedelta(days=90)


def test_github_deploy_key_takes_the_public_half_of_a_tls_key(run):
    (key,) = run.of_type(DEPLOY_KEY)
    (pair,) = run.of_type(PRIVATE_KEY)
    assert pair.inputs["algorithm"] == "ED25519"
    assert key.inputs["key"] == f"ssh-ed25519 AAAAFAKE{pair.name}"
    assert key.inputs["repository"] == "platform-config"


def test_github_deploy_key_is_writable_only_when_write_is_declared(run):
    (key,) = run.of_type(DEPLOY_KEY)
    assert key.inputs["readOnly"] is False


def test_private_key_is_delivered_into_the_declared_actions_secret_as_a_secret(run):
    (secret,) = run.of_type(ACTIONS_SECRET)
    assert secret.inputs["repository"] == "release-tools"
    assert secret.inputs["secretName"] == "PLATFORM_CONFIG_DEPLOY_KEY"
    assert is_secret(secret.inputs["value"])
    assert "PRIVATE KEY" in secret.inputs["value"]["value"]
    assert secret.provider.endswith("github-acme::github-acme_id")


def test_azure_devops_service_principal_entitlement_for_the_identity(run):
    (entitlement,) = run.of_type(ENTITLEMENT)
    assert entitlement.inputs == {
        "originId": "7f0c2a51-3a3e-4c0e-9a57-2d8f3c1b9e44",
        "origin": "aad",
        "accountLicenseType": "express",
    }


def test_azure_devops_service_principal_joins_the_least_project_group(run):
    (membership,) = run.of_type(MEMBERSHIP)
    assert membership.inputs == {"group": "vssgp.Readers", "members": ["aadsp.FAKE"], "mode": "add"}


def test_azure_service_connection_uses_workload_identity_federation(run):
    (endpoint,) = run.of_type(AZURERM)
    assert endpoint.inputs["serviceEndpointAuthenticationScheme"] == "WorkloadIdentityFederation"
    assert endpoint.inputs["serviceEndpointName"] == "acme-production"
    assert endpoint.inputs["projectId"] == "project-Platform"
    assert endpoint.inputs["azurermSpnTenantid"] == "5b1c9e2d-0f4a-4d8e-8c3b-7a6e2f1d0c9b"
    assert "credentials" not in endpoint.inputs  # automatic WIF: no secret, no key


def test_azure_lookups_go_through_the_explicit_provider(run):
    assert {c.token for c in run.mocks.calls} == {
        "azuredevops:index/getProject:getProject",
        "azuredevops:index/getGroup:getGroup",
    }
    assert all(c.provider.endswith("azure-devops::azure-devops_id") for c in run.mocks.calls)


def test_outputs_name_every_seed_integration(run):
    integrations = {v["integration"] for v in connection_outputs(run).values()}
    assert {"StackSpot", "iCR", "Exalate", "DeepTraQ"} <= integrations


def test_each_connection_output_has_findings_and_markdown_instructions(run):
    for name in {c.name for c in load_project(FIXTURE_PROJECT).connections}:
        value, secret, known = run.outputs[name]
        assert not secret and known
        assert value["findings"] and all("status" in f for f in value["findings"])
        assert isinstance(value["instructions"], str) and value["instructions"].strip()


def test_instructions_carry_the_prefilled_creation_links(run):
    stackspot = run.value("stackspot")["instructions"]
    assert "<https://github.com/settings/tokens/new?scopes=repo,workflow,write:packages" in stackspot
    assert "<https://gitlab.com/-/user_settings/personal_access_tokens?" in stackspot


def connection_outputs(run: Run) -> dict[str, dict]:
    return {k: v[0] for k, v in run.outputs.items() if k not in RESERVED_OUTPUTS}


def test_provisioned_slots_are_judged_ok_on_what_the_provider_reports(run):
    judged = [
        finding
        for value in connection_outputs(run).values()
        for finding in value["findings"]
        if finding["slot"] in value["provisioned"]
    ]
    assert len(judged) == run.value("summary")["provisioned_slots"] >= 4
    assert {f["status"] for f in judged} == {"ok"}


def test_personal_token_slots_without_a_token_are_missing_with_the_variable_to_set(run):
    findings = run.value("deeptraq")["findings"]
    assert [f["status"] for f in findings] == ["missing"]
    assert "SCM_ACCESS_TOKEN__DEEPTRAQ__GITHUB__DIEGO" in findings[0]["reason"]


def test_minted_tokens_a_person_must_carry_are_exported_as_one_secret(run):
    value, secret, _ = run.outputs["credentials"]
    assert secret
    assert value["icr"]["icr/gitlab/icr-jenkins"]["token"].startswith("glpat-FAKE")
    deploy = value["cluster-image-pull"]["cluster-image-pull/gitlab/prod-cluster"]
    assert deploy["token"].startswith("gldt-FAKE") and deploy["username"] == "gitlab+deploy-token-1"


def test_credentials_delivered_into_a_store_are_not_exported_again(run):
    assert "release-config-sync" not in run.value("credentials")


def test_no_token_value_appears_in_any_plain_output(run):
    plain = json.dumps({k: v[0] for k, v in run.outputs.items() if not v[1]}, default=str)
    for marker in ("glpat-FAKE", "gldt-FAKE", "PRIVATE KEY", GITHUB_TOKEN, GITLAB_TOKEN, AZDO_TOKEN):
        assert marker not in plain


def test_summary_counts_strategies_statuses_and_platforms(run):
    summary, secret, known = run.outputs["summary"]
    assert not secret and known
    assert summary["connections"] == len(load_project(FIXTURE_PROJECT).connections)
    assert summary["provisioned_slots"] == summary["strategy"]["provision"]
    assert summary["status"]["ok"] == summary["provisioned_slots"]
    assert summary["status"]["missing"] == summary["strategy"]["user_pat"]
    assert summary["platforms"] == {
        "github": "provisioning via https://api.github.com/",
        "gitlab": "provisioning via https://gitlab.com/api/v4/",
        "azure_devops": "provisioning via https://dev.azure.com/acme",
    }


def test_nothing_is_skipped_when_every_platform_has_credentials(run):
    assert run.warnings == []
