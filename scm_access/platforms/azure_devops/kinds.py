"""Azure DevOps' credential kinds."""

from functools import partial

from scm_access.core.kinds import KindSpec

# An identity that authenticates with short-lived Microsoft Entra tokens issued on demand: nothing to hand
# over, nothing that expires.
_SECRETLESS_IDENTITY = partial(KindSpec, personal=False, form="none", expires=False)

KINDS = (
    KindSpec(
        value="azure_devops_pat",
        label="Azure DevOps personal access token",
        short_label="PAT",
        personal=True,
        lifetime_ceiling_days=365,
        verification="It checks the owner, that each declared scope can read, and the group memberships the"
        " declaration asks for. Azure DevOps shows neither the expiry nor extra scopes to the token: at best"
        " the result is `partially_verified`, and those are settled under User settings → Personal access"
        " tokens.",
    ),
    _SECRETLESS_IDENTITY(
        value="azure_devops_service_principal",
        label="Azure DevOps service principal",
        short_label="service principal",
        pulumi_resource_types=("azuredevops:index/servicePrincipalEntitlement:ServicePrincipalEntitlement",),
    ),
    _SECRETLESS_IDENTITY(  # workload identity federation: no client secret
        value="azure_devops_service_connection",
        label="Azure DevOps service connection",
        short_label="service connection",
        pulumi_resource_types=("azuredevops:index/serviceEndpointAzureRM:ServiceEndpointAzureRM",),
    ),
)
