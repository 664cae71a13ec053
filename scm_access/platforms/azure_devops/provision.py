"""Azure DevOps provisioner: the integration's Microsoft Entra service principal instead of a PAT.

- a service principal entitlement for the identity's Entra object id (Basic access: Stakeholder cannot
  read repositories), added to each declared project's Readers, or Contributors when a scope writes;
- where the declaration names an Azure target, an Azure Resource Manager service connection with workload
  identity federation: no secret at all, the pipeline exchanges a federated token;
- a service connection that must hold a PAT (GitHub) takes it as a Pulumi secret.

Also the manual equivalent, for stacks without Azure DevOps credentials.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pulumi
import pulumi_azuredevops as azuredevops

from scm_access.declarations.connection import AzureDevOpsAccess
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.instruct.model import Step
from scm_access.plan.slot import Slot
from scm_access.provision.findings import observed_finding
from scm_access.provision.model import ProvisionContext, Provisioned, resource_name, slot_marker
from scm_access.provision.provisioner import Delivery, Provisioner, ResourceInput
from scm_access.provision.resource_facts import (
    ResourceFacts,
    holds_credential,
    plain_properties,
    store_facts,
)
from scm_access.provision.settings import ConfigSource, PlatformSettings

KINDS = frozenset(
    {CredentialKind.AZURE_DEVOPS_SERVICE_PRINCIPAL, CredentialKind.AZURE_DEVOPS_SERVICE_CONNECTION}
)

LICENSE = "express"
"""Basic access ("express" in the API): the least level that can read code."""

_WRITE_LEVELS = ("_write", "_manage", "_execute", "_full", "_use", "_publish", "_interact", "_acquire")


def project_group(scopes: list[str]) -> str:
    """The built-in project group whose rights cover the scopes with the least privilege."""
    return "Contributors" if any(s.endswith(_WRITE_LEVELS) for s in scopes) else "Readers"


def client_id(access: AzureDevOpsAccess) -> str | None:
    """The identity's application (client) id, where the declaration gives one: with it the service
    connection federates that very identity (manual WIF); without it Azure DevOps creates an app
    registration for the connection (automatic WIF)."""
    connection = access.service_connection
    return getattr(connection, "client_id", None) or getattr(access.service, "client_id", None)


def provision(slot: Slot, ctx: ProvisionContext) -> Provisioned:
    access = slot.access
    if slot.kind not in KINDS or not isinstance(access, AzureDevOpsAccess):
        raise ValueError(f"Azure DevOps cannot provision a {slot.kind.label}")
    if access.service is None or not access.service.origin_id:
        raise ValueError("a service principal entitlement needs the identity's Entra object id (origin_id)")
    invoke = pulumi.InvokeOptions(parent=ctx.parent, provider=ctx.provider)
    entitlement = azuredevops.ServicePrincipalEntitlement(
        resource_name(slot, "service-principal"),
        origin="aad",
        origin_id=access.service.origin_id,
        account_license_type=LICENSE,
        opts=ctx.opts(),
    )
    resources: list[pulumi.Resource] = [entitlement]
    group_name = project_group(slot.scopes)
    projects: dict[str, pulumi.Output[str]] = {}

    def project_id(name: str) -> pulumi.Output[str]:
        if name not in projects:
            projects[name] = azuredevops.get_project_output(name=name, opts=invoke).id
        return projects[name]

    for project in slot.resources.get("projects") or []:
        group = azuredevops.get_group_output(project_id=project_id(project), name=group_name, opts=invoke)
        resources.append(
            azuredevops.GroupMembership(
                resource_name(slot, project, "member"),
                group=group.descriptor,
                members=[entitlement.descriptor],
                mode="add",
                opts=ctx.opts(),
            )
        )
    details: dict = {"license": LICENSE, "project_group": group_name}
    target = access.service_connection
    if target is not None:
        known_client = client_id(access)
        endpoint = azuredevops.ServiceEndpointAzureRM(
            resource_name(slot, "azurerm"),
            project_id=project_id(target.project),
            service_endpoint_name=target.name,
            service_endpoint_authentication_scheme="WorkloadIdentityFederation",
            credentials={"serviceprincipalid": known_client} if known_client else None,
            azurerm_spn_tenantid=target.tenant_id,
            azurerm_subscription_id=target.subscription_id,
            azurerm_subscription_name=target.subscription_name,
            description=f"{slot.integration}: {slot.purpose} {slot_marker(slot)}",
            opts=ctx.opts(),
        )
        resources.append(endpoint)
        # For manual WIF these two go into the identity's federated credential in Entra.
        details["workload_identity_federation"] = {
            "mode": "manual" if known_client else "automatic",
            "issuer": endpoint.workload_identity_federation_issuer,
            "subject": endpoint.workload_identity_federation_subject,
            "audience": "api://AzureADTokenExchange",
        }
    observation = entitlement.descriptor.apply(lambda d: {"exists": bool(d) or None, "descriptor": d})
    return Provisioned(
        resources=resources,
        credentials=[],
        finding=observed_finding(slot, [observation], policy=ctx.policy, today=ctx.today, required=("exists",)),
        details=details,
    )


# -- PAT-holding service connections and variable groups -----------------------------------------


def github_service_connection(
    name: str,
    *,
    project_id: pulumi.Input[str],
    connection_name: str,
    personal_access_token: pulumi.Input[str],
    description: str,
    opts: pulumi.ResourceOptions,
) -> azuredevops.ServiceEndpointGitHub:
    """A GitHub service connection holding a PAT. The provider declares nothing secret here, so the PAT is
    wrapped as a secret and the property is kept secret in state."""
    return azuredevops.ServiceEndpointGitHub(
        name,
        project_id=project_id,
        service_endpoint_name=connection_name,
        auth_personal={"personal_access_token": pulumi.Output.secret(personal_access_token)},
        description=description,
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=["authPersonal"])),
    )


def variable_group(
    name: str,
    *,
    project_id: pulumi.Input[str],
    group_name: str,
    variable: str,
    value: pulumi.Input[str],
    description: str,
    opts: pulumi.ResourceOptions,
) -> azuredevops.VariableGroup:
    """A variable group with the credential as a secret variable (``secret_value`` + ``is_secret``)."""
    return azuredevops.VariableGroup(
        name,
        project_id=project_id,
        name=group_name,
        description=description,
        allow_access=False,
        variables=[{"name": variable, "secret_value": pulumi.Output.secret(value), "is_secret": True}],
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=["variables"])),
    )


# -- by hand, when the stack cannot provision ------------------------------------------------------


def manual_link(slot: Slot, organization_url: str) -> str:
    return f"{organization_url}/_settings/users"


def manual_steps(slot: Slot, organization_url: str) -> list[Step]:
    access = slot.access
    assert isinstance(access, AzureDevOpsAccess)
    origin_id = access.service.origin_id if access.service else None
    group = project_group(slot.scopes)
    steps = [
        Step(
            text="As a Project Collection Administrator: **Organization settings** → **Users** → **Add users**;"
            f" search the service principal by its object id `{origin_id}`, **Access level** **Basic**.",
            link=manual_link(slot, organization_url),
        ),
    ]
    for project in slot.resources.get("projects") or []:
        steps.append(
            Step(text=f"Add it to the project **{project}**, group **{project} {group}**.",
                 link=f"{organization_url}/{project}/_settings/permissions")
        )
    target = access.service_connection
    if target is not None:
        steps.append(
            Step(
                text=f"In **{target.project}** → **Project settings** → **Service connections** → **New service"
                f" connection** → **Azure Resource Manager** → **Workload identity federation**; name"
                f" `{target.name}`, subscription **{target.subscription_name}** (`{target.subscription_id}`),"
                f" tenant `{target.tenant_id}`.",
                link=f"{organization_url}/{target.project}/_settings/adminservices",
            )
        )
    steps.append(
        Step(text=f"{slot.integration} authenticates as the service principal with Microsoft Entra tokens: no PAT"
             " to create, store or rotate.")
    )
    return steps


# -- stack settings -------------------------------------------------------------------------------


def organization_url(value: str) -> str:
    """Organization URL (``https://dev.azure.com/acme``) or Azure DevOps Server collection URL, no trailing
    slash; the legacy ``https://acme.visualstudio.com`` form is rewritten to the current one."""
    parts = urlsplit(value.strip())
    if parts.netloc.endswith(".visualstudio.com"):
        return f"https://dev.azure.com/{parts.netloc.split('.')[0]}"
    return value.strip().rstrip("/")


# -- what the policy pack reads -------------------------------------------------------------------

# Service connections that hold a credential in a property the provider does not keep secret by itself.
SECRET_PROPERTIES: dict[str, tuple[str, ...]] = {
    "azuredevops:index/serviceEndpointGitHub:ServiceEndpointGitHub": ("authPersonal",),
    "azuredevops:index/serviceEndpointGitHubEnterprise:ServiceEndpointGitHubEnterprise": ("authPersonal",),
    "azuredevops:index/serviceEndpointGenericGit:ServiceEndpointGenericGit": ("password",),
    "azuredevops:index/serviceEndpointBitBucket:ServiceEndpointBitBucket": ("password",),
    "azuredevops:index/serviceEndpointPipeline:ServiceEndpointPipeline": ("authPersonal",),
}
VARIABLE_GROUP = "azuredevops:index/variableGroup:VariableGroup"


# -- the interface --------------------------------------------------------------------------------


class AzureDevOpsProvisioner(Provisioner):
    platform = Platform.AZURE_DEVOPS
    provider_package = "azuredevops"
    how_to_enable = (
        "set AZDO_PERSONAL_ACCESS_TOKEN and AZDO_ORG_SERVICE_URL, or `pulumi config set --secret"
        " azuredevops:personalAccessToken` (it reads the token from standard input) and `pulumi config set"
        " scm-access:azureDevOpsOrgServiceUrl"
        " https://dev.azure.com/ORG` (Azure DevOps Server: the collection URL), for a Project Collection"
        " Administrator"
    )
    stores = {
        "azure_devops_variable_group": "Azure DevOps variable group",
        "azure_devops_service_connection": "Azure DevOps GitHub service connection",
    }

    def read_settings(self, source: ConfigSource, requested: bool) -> PlatformSettings:
        url = source.text("azureDevOpsOrgServiceUrl", ("azuredevops", "orgServiceUrl"), "AZDO_ORG_SERVICE_URL")
        return PlatformSettings(
            Platform.AZURE_DEVOPS,
            requested,
            source.secret(("azuredevops", "personalAccessToken"), "AZDO_PERSONAL_ACCESS_TOKEN"),
            organization_url(url) if url else None,
        )

    def new_provider(self, key: str, settings: PlatformSettings) -> pulumi.ProviderResource:
        return azuredevops.Provider(
            "azure-devops", org_service_url=settings.endpoint, personal_access_token=settings.token
        )

    def provision(self, slot: Slot, ctx: ProvisionContext) -> Provisioned:
        return provision(slot, ctx)

    def manual(self, slot: Slot, default_owner: str | None) -> tuple[str | None, list[Step]]:
        if not isinstance(slot.access, AzureDevOpsAccess):
            return None, []
        web = self.target_web_url(slot)
        return manual_link(slot, web), manual_steps(slot, web)

    def deliver(self, delivery: Delivery) -> pulumi.Resource | str:
        store, slot = delivery.store, delivery.slot
        provider, reason = delivery.provider_for(Platform.AZURE_DEVOPS, "")
        if provider is None:
            return reason
        if not store.repository:
            return "no project named"
        opts = delivery.opts(provider)
        project_id = azuredevops.get_project_output(
            name=store.repository, opts=pulumi.InvokeOptions(parent=delivery.parent, provider=provider)
        ).id
        described = f"{slot.token_name} {slot_marker(slot)}"
        if store.store == "azure_devops_variable_group":
            return variable_group(
                delivery.resource_name,
                project_id=project_id,
                group_name=f"{slot.connection}-{slot.platform.value}",
                variable=delivery.name,
                value=delivery.credential.value,
                description=described,
                opts=opts,
            )
        return github_service_connection(
            delivery.resource_name,
            project_id=project_id,
            connection_name=delivery.name,
            personal_access_token=delivery.credential.value,
            description=described,
            opts=opts,
        )

    def resource_facts(self, resource: ResourceInput) -> ResourceFacts | None:
        resource_type, props = resource.type, resource.props
        if resource_type in SECRET_PROPERTIES:
            plain = plain_properties(props, SECRET_PROPERTIES[resource_type], resource.secret_outputs)
        elif resource_type == VARIABLE_GROUP:
            # A secret variable keeps its value in secret_value; a credential in value is in plain text.
            plain = tuple(
                f"variables[{i}].value"
                for i, variable in enumerate(props.get("variables") or [])
                if variable.get("value") and holds_credential(variable.get("name"), variable.get("value"))
            )
        else:
            return None
        # Stores stand in with a kind of their platform: only the plaintext rule judges them.
        return store_facts(Platform.AZURE_DEVOPS, CredentialKind.AZURE_DEVOPS_SERVICE_CONNECTION, plain, props)


PROVISIONER = AzureDevOpsProvisioner()
