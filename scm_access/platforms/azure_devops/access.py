"""What an Azure DevOps entry of a connection names: the organization, projects and, optionally, an Azure
Resource Manager service connection."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from scm_access.core.defaults import empty_list
from scm_access.declarations.access import Access, DeclarationModel

__all__ = ["AzureDevOpsAccess", "AzureServiceConnection"]


class AzureServiceConnection(DeclarationModel):
    """An Azure Resource Manager service connection with workload identity federation."""

    name: str
    project: str
    tenant_id: str
    subscription_id: str
    subscription_name: str
    client_id: str | None = Field(
        None,
        description="Application (client) id of the app registration or managed identity the connection"
        " federates (manual workload identity federation); omitted, Azure DevOps creates an app registration"
        " for the connection (automatic).",
    )


class AzureDevOpsAccess(Access):
    platform: Literal["azure_devops"] = "azure_devops"
    organization: str = Field(description="Azure DevOps organization name.")
    projects: list[str] = Field(default_factory=empty_list)
    service_connection: AzureServiceConnection | None = None


ACCESS = AzureDevOpsAccess
