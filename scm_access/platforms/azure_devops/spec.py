"""Azure DevOps Services and Azure DevOps Server."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote

from scm_access.platforms.azure_devops.access import AzureDevOpsAccess
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.instruct.model import Step
from scm_access.platforms.azure_devops.scopes import CATALOG, FULL_ACCESS
from scm_access.platforms.base import PlatformSpec
from scm_access.platforms.azure_devops import names

if TYPE_CHECKING:
    from scm_access.declarations.access import Access
    from scm_access.declarations.policy import Policy
    from scm_access.plan.slot import Slot



def azure_devops_access(access: Access) -> AzureDevOpsAccess:
    """The declaration of an Azure DevOps slot (anything else reaching this code is a bug in the planner)."""
    if not isinstance(access, AzureDevOpsAccess):
        raise TypeError(f"an Azure DevOps slot planned from a {type(access).__name__}")
    return access


class AzureDevOps(PlatformSpec):
    platform = Platform.AZURE_DEVOPS
    display_name = "Azure DevOps"
    catalog = CATALOG
    cloud_web_url = "https://dev.azure.com"
    personal_kind = CredentialKind.AZURE_DEVOPS_PAT
    secret_stores = {
        "azure_devops_variable_group": "Azure DevOps variable group",
        "azure_devops_service_connection": "Azure DevOps GitHub service connection",
    }

    def owner(self, access: Access) -> str | None:
        return azure_devops_access(access).organization

    def org_managed_equivalent(
        self, access: Access, scopes: frozenset[str], policy: Policy
    ) -> tuple[CredentialKind | None, str]:
        access = azure_devops_access(access)
        service = access.service
        if service is not None and service.origin_id:
            return (
                CredentialKind.AZURE_DEVOPS_SERVICE_PRINCIPAL,
                "a Microsoft Entra service principal added to the organization authenticates with"
                " short-lived Entra tokens instead of a PAT",
            )
        if service is not None:
            return None, "the service identity has no Entra object id (origin_id), so no service principal"
        return (
            CredentialKind.AZURE_DEVOPS_SERVICE_PRINCIPAL,
            "a Microsoft Entra service principal, if the integration can authenticate with one",
        )

    def check_access(self, access: Access, kind: CredentialKind) -> list[tuple[str, str]]:
        access = azure_devops_access(access)
        if kind == CredentialKind.AZURE_DEVOPS_SERVICE_PRINCIPAL and not (access.service and access.service.origin_id):
            return [("holder.origin_id", "a service principal needs the Entra object id of its enterprise app")]
        return []

    def name_problems(self, access: Access) -> list[tuple[str, str]]:
        if not isinstance(access, AzureDevOpsAccess):
            raise TypeError(f"{type(access).__name__} is not AzureDevOpsAccess")
        return names.name_problems(access)

    def resources(self, access: Access) -> dict[str, str | list[str] | None]:
        access = azure_devops_access(access)
        return {"organization": access.organization, "projects": list(access.projects)}

    def web_url(self, access: Access) -> str:
        access = azure_devops_access(access)
        root = str(access.base_url).rstrip("/") if access.base_url else self.cloud_web_url
        if root.rsplit("/", 1)[-1].lower() == access.organization.lower():
            return root  # the base URL already names the collection
        return f"{root}/{quote(access.organization, safe='')}"

    def instruction_steps(self, slot: Slot, token_name: str, link: str | None) -> list[Step]:
        # No pre-filled form: ``link`` is always None here.
        organization = azure_devops_access(slot.access).organization
        org_url = self.web_url(slot.access)
        return list(_steps(organization, org_url, token_name, slot.expires_at, slot.lifetime_days, tuple(slot.scopes)))


@lru_cache(maxsize=4096)
def _steps(
    organization: str, org_url: str, token_name: str, expires_at: date, lifetime_days: int, scopes: tuple[str, ...]
) -> tuple[Step, ...]:
    # These values alone, which declarations made from one template share: built once for all of them.
    scope_step = (
        Step(text="Under **Scopes**, choose **Full access**.")
        if FULL_ACCESS in scopes
        else Step(
            text="Under **Scopes**, choose **Custom defined**, click **Show all scopes**, and tick"
            " exactly these levels (leave every other group unticked):",
            items=[f"**{CATALOG.label(s)}** (`{s}`)" for s in scopes],
        )
    )
    return (
        Step(text=f"Sign in to **{org_url}**."),
        Step(
            text="Open **User settings** (top right) → **Personal access tokens**.",
            link=f"{org_url}/_usersSettings/tokens",
        ),
        Step(text="Click **+ New Token**."),
        Step(text=f"**Name**: `{token_name}`."),
        Step(
            text=f"**Organization**: **{organization}** only — not *All accessible organizations*"
            " (global tokens are being retired)."
        ),
        Step(text=f"**Expiration (UTC)**: **Custom defined**, **{expires_at.isoformat()}** ({lifetime_days} days)."),
        scope_step,
        Step(text="Click **Create** and copy the token now: Azure DevOps shows it only once."),
    )

SPEC = AzureDevOps()
