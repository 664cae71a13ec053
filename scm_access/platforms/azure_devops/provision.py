"""Azure DevOps provisioner: the integration's Microsoft Entra service principal instead of a PAT.

- a service principal entitlement for the identity's Entra object id (Basic access: Stakeholder cannot
  read repositories), added to each declared project's Readers, or Contributors when a scope writes;
- where the declaration names an Azure target, an Azure Resource Manager service connection with workload
  identity federation: no secret at all, the pipeline exchanges a federated token. With the declared
  identity's client id the connection federates that identity (manual); without, Azure DevOps creates an
  app registration for it (automatic);
- as secret stores: a variable group (the credential as a secret variable), and a GitHub service
  connection, which holds a GitHub token as a Pulumi secret.

Also the manual equivalent, for stacks without Azure DevOps credentials.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pulumi
import pulumi_azuredevops as azuredevops

from scm_access.platforms.azure_devops.access import AzureDevOpsAccess, AzureServiceConnection
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.instruct.model import Step
from scm_access.plan.slot import Slot
from scm_access.provision.findings import observed_finding
from scm_access.provision.model import CannotProvision, Credential, ProvisionContext, Provisioned, slot_marker
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


def azure_devops_access(slot: Slot) -> AzureDevOpsAccess:
    """The slot's declaration; an Azure DevOps slot always has one (anything else is a planner bug)."""
    if not isinstance(slot.access, AzureDevOpsAccess):
        raise TypeError(f"{slot.id}: an Azure DevOps slot planned from a {type(slot.access).__name__}")
    return slot.access


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
        " scm-access:azureDevOpsOrgServiceUrl https://dev.azure.com/ORG` (Azure DevOps Server: the collection"
        " URL), for a Project Collection Administrator"
    )

    @property
    def resource_prefix(self) -> str:
        return "azdo"

    # -- configuration ---------------------------------------------------------------------------

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

    # -- making credentials ----------------------------------------------------------------------

    def provision(self, slot: Slot, ctx: ProvisionContext) -> Provisioned:
        if slot.kind not in KINDS:
            raise CannotProvision(f"Azure DevOps cannot provision a {slot.kind.label}")
        access = azure_devops_access(slot)
        if access.service is None or not access.service.origin_id:
            raise CannotProvision("a service principal entitlement needs the identity's Entra object id (origin_id)")
        entitlement = azuredevops.ServicePrincipalEntitlement(
            self.resource_name(slot, "service-principal"),
            origin="aad",
            origin_id=access.service.origin_id,
            account_license_type=LICENSE,
            opts=ctx.opts(),
        )
        resources: list[pulumi.Resource] = [entitlement]
        group_name = project_group(slot.scopes)
        project_ids = _ProjectIds(ctx.invoke_opts())
        for project in access.projects:
            group = azuredevops.get_group_output(
                project_id=project_ids[project], name=group_name, opts=ctx.invoke_opts()
            )
            resources.append(
                azuredevops.GroupMembership(
                    self.resource_name(slot, project, "member"),
                    group=group.descriptor,
                    members=[entitlement.descriptor],
                    mode="add",
                    opts=ctx.opts(),
                )
            )
        details: dict = {"license": LICENSE, "project_group": group_name}
        if access.service_connection is not None:
            endpoint, details["workload_identity_federation"] = self._azure_connection(
                slot, access.service_connection, project_ids, ctx
            )
            resources.append(endpoint)
        observation = entitlement.descriptor.apply(lambda d: {"exists": bool(d) or None, "descriptor": d})
        return Provisioned(
            resources=resources,
            credentials=[],
            finding=observed_finding(slot, [observation], policy=ctx.policy, today=ctx.today, required=("exists",)),
            details=details,
        )

    def _azure_connection(
        self, slot: Slot, target: AzureServiceConnection, project_ids: _ProjectIds, ctx: ProvisionContext
    ) -> tuple[azuredevops.ServiceEndpointAzureRM, dict]:
        """An Azure Resource Manager service connection with workload identity federation: the declared
        identity's (manual, ``client_id`` given) or an app registration Azure DevOps creates (automatic)."""
        endpoint = azuredevops.ServiceEndpointAzureRM(
            self.resource_name(slot, "azurerm"),
            project_id=project_ids[target.project],
            service_endpoint_name=target.name,
            service_endpoint_authentication_scheme="WorkloadIdentityFederation",
            credentials={"serviceprincipalid": target.client_id} if target.client_id else None,
            azurerm_spn_tenantid=target.tenant_id,
            azurerm_subscription_id=target.subscription_id,
            azurerm_subscription_name=target.subscription_name,
            description=f"{slot.integration}: {slot.purpose} {slot_marker(slot)}",
            opts=ctx.opts(),
        )
        # For manual WIF these go into the identity's federated credential in Entra.
        federation = {
            "mode": "manual" if target.client_id else "automatic",
            "issuer": endpoint.workload_identity_federation_issuer,
            "subject": endpoint.workload_identity_federation_subject,
            "audience": "api://AzureADTokenExchange",
        }
        return endpoint, federation

    # -- by hand, when the stack cannot provision --------------------------------------------------

    def manual(self, slot: Slot, default_owner: str | None) -> tuple[str | None, list[Step]]:
        access = azure_devops_access(slot)
        web = self.target_web_url(slot)
        link = f"{web}/_settings/users"
        origin_id = access.service.origin_id if access.service else None
        group = project_group(slot.scopes)
        steps = [
            Step(
                text="As a Project Collection Administrator: **Organization settings** → **Users** → **Add users**;"
                f" search the service principal by its object id `{origin_id}`, **Access level** **Basic**.",
                link=link,
            ),
        ]
        steps += [
            Step(text=f"Add it to the project **{project}**, group **{project} {group}**.",
                 link=f"{web}/{quote(project, safe='')}/_settings/permissions")
            for project in access.projects
        ]
        target = access.service_connection
        if target is not None:
            identity = (
                f" **App registration or managed identity (manual)** with client id `{target.client_id}`;"
                if target.client_id else ""
            )
            steps.append(
                Step(
                    text=f"In **{target.project}** → **Project settings** → **Service connections** → **New service"
                    f" connection** → **Azure Resource Manager** → **Workload identity federation**;{identity} name"
                    f" `{target.name}`, subscription **{target.subscription_name}** (`{target.subscription_id}`),"
                    f" tenant `{target.tenant_id}`.",
                    link=f"{web}/{quote(target.project, safe='')}/_settings/adminservices",
                )
            )
        steps.append(
            Step(text=f"{slot.integration} authenticates as the service principal with Microsoft Entra tokens: no"
                 " PAT to create, store or rotate.")
        )
        return link, steps

    # -- delivery ----------------------------------------------------------------------------------

    def deliver(self, delivery: Delivery) -> pulumi.Resource | str:
        store, slot = delivery.store, delivery.slot
        if store.store == "azure_devops_service_connection" and not _is_github_token(slot, delivery.credential):
            return "an Azure DevOps GitHub service connection holds a GitHub token, and this is not one"
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

    # -- policy pack -------------------------------------------------------------------------------

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


class _ProjectIds:
    """Project name → its id, looked up once per project and slot."""

    def __init__(self, opts: pulumi.InvokeOptions) -> None:
        self._opts = opts
        self._ids: dict[str, pulumi.Output[str]] = {}

    def __getitem__(self, name: str) -> pulumi.Output[str]:
        if name not in self._ids:
            self._ids[name] = azuredevops.get_project_output(name=name, opts=self._opts).id
        return self._ids[name]


def _is_github_token(slot: Slot, credential: Credential) -> bool:
    return slot.platform == Platform.GITHUB and credential.name == "token"


PROVISIONER = AzureDevOpsProvisioner()
