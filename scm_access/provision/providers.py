"""Explicit provider instances, one per platform (GitHub: one per owner, sharing the token), created only
for platforms that are enabled and only when a slot needs them.

A platform without credentials is skipped with one warning saying exactly how to enable it; its slots
fall back to instructions. Nothing fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_azuredevops as azuredevops
import pulumi_github as github
import pulumi_gitlab as gitlab
import pulumi_tls as tls

from scm_access.declarations.kinds import Platform
from scm_access.plan.slot import Slot
from scm_access.platforms import get_platform
from scm_access.provision.settings import PlatformSettings, StackSettings, same_url, web_root

HOW_TO_ENABLE: dict[Platform, str] = {
    Platform.GITHUB: (
        "set GITHUB_TOKEN, or `pulumi config set --secret github:token <token>`, to a token that can"
        " administer the repositories (fine-grained: Administration and Secrets read & write); for GitHub"
        " Enterprise Server also `pulumi config set scm-access:githubBaseUrl https://HOST/api/v3/`"
    ),
    Platform.GITLAB: (
        "set GITLAB_TOKEN, or `pulumi config set --secret gitlab:token <token>`, to an `api` token of a group"
        " Owner; for self-managed GitLab also `pulumi config set scm-access:gitlabBaseUrl"
        " https://HOST/api/v4/`"
    ),
    Platform.AZURE_DEVOPS: (
        "set AZDO_PERSONAL_ACCESS_TOKEN and AZDO_ORG_SERVICE_URL, or `pulumi config set --secret"
        " azuredevops:personalAccessToken <token>` and `pulumi config set scm-access:azureDevOpsOrgServiceUrl"
        " https://dev.azure.com/ORG` (Azure DevOps Server: the collection URL), for a Project Collection"
        " Administrator"
    ),
}


@dataclass(frozen=True)
class Availability:
    provider: pulumi.ProviderResource | None
    reason: str
    """Why the slot cannot be provisioned and how to change that; empty when it can."""


class Providers:
    def __init__(self, settings: StackSettings) -> None:
        self.settings = settings
        self._github: dict[str, github.Provider] = {}
        self._gitlab: gitlab.Provider | None = None
        self._azure_devops: azuredevops.Provider | None = None
        self._tls: tls.Provider | None = None
        self._warned: set[str] = set()
        self.skipped: dict[str, str] = {}
        """Platform (or platform host) → why it was not provisioned, for the stack summary."""

    # -- the decision ----------------------------------------------------------------------------

    def for_slot(self, slot: Slot) -> Availability:
        settings = self.settings.for_platform(slot.platform)
        if settings is None:
            return Availability(None, f"{get_platform(slot.platform).display_name} has no provisioner")
        if not settings.requested:
            return self._skip(
                slot.platform.value,
                f"{slot.platform.value} is not in scm-access:provision; add it to provision there",
            )
        if not settings.enabled:
            return self._skip(
                slot.platform.value,
                f"no {get_platform(slot.platform).display_name} credentials for this stack: to provision,"
                f" {HOW_TO_ENABLE[slot.platform]}",
            )
        mismatch = self._host_mismatch(slot, settings)
        if mismatch:
            return self._skip(f"{slot.platform.value}:{mismatch[0]}", mismatch[1])
        if slot.platform == Platform.GITHUB:
            owner = slot.resources.get("org") or settings.owner
            if not owner:
                return Availability(
                    None,
                    "the declaration names no GitHub org: set `org` on it, or"
                    " `pulumi config set scm-access:githubOwner ORG`",
                )
            return Availability(self.github(str(owner)), "")
        if slot.platform == Platform.GITLAB:
            return Availability(self.gitlab(), "")
        return Availability(self.azure_devops(), "")

    def _host_mismatch(self, slot: Slot, settings: PlatformSettings) -> tuple[str, str] | None:
        assert settings.endpoint is not None
        spec = get_platform(slot.platform)
        if slot.platform == Platform.AZURE_DEVOPS:
            wanted, configured = spec.web_url(slot.access), settings.endpoint
        else:
            wanted, configured = slot.base_url or spec.cloud_web_url, web_root(settings.endpoint)
        if same_url(wanted, configured):
            return None
        return wanted, (
            f"the stack's {spec.display_name} provider is configured for {configured}, but the declaration"
            f" targets {wanted}; run a stack configured for {wanted} to provision it"
        )

    def _skip(self, key: str, reason: str) -> Availability:
        if key not in self._warned:
            self._warned.add(key)
            self.skipped[key] = reason
            pulumi.log.warn(f"scm-access: not provisioning on {key}: {reason}; its slots get instructions instead.")
        return Availability(None, reason)

    # -- the instances ---------------------------------------------------------------------------

    def github(self, owner: str) -> github.Provider:
        if owner not in self._github:
            settings = self.settings.github
            self._github[owner] = github.Provider(
                f"github-{owner}",
                owner=owner,
                base_url=settings.endpoint,
                token=settings.token,
            )
        return self._github[owner]

    def gitlab(self) -> gitlab.Provider:
        if self._gitlab is None:
            settings = self.settings.gitlab
            self._gitlab = gitlab.Provider("gitlab", base_url=settings.endpoint, token=settings.token)
        return self._gitlab

    def azure_devops(self) -> azuredevops.Provider:
        if self._azure_devops is None:
            settings = self.settings.azure_devops
            self._azure_devops = azuredevops.Provider(
                "azure-devops", org_service_url=settings.endpoint, personal_access_token=settings.token
            )
        return self._azure_devops

    def tls(self) -> tls.Provider:
        """Key pairs are made locally: no credentials, always available."""
        if self._tls is None:
            self._tls = tls.Provider("tls")
        return self._tls

    def github_for_delivery(self, owner: str | None) -> Availability:
        settings = self.settings.github
        if not settings.requested or not settings.enabled:
            return self._skip("github", f"no GitHub credentials for this stack: to deliver into Actions secrets,"
                              f" {HOW_TO_ENABLE[Platform.GITHUB]}")
        if not owner:
            return Availability(None, "no owner for the Actions secret's repository: write it as OWNER/REPO")
        return Availability(self.github(owner), "")

    def gitlab_for_delivery(self) -> Availability:
        settings = self.settings.gitlab
        if not settings.requested or not settings.enabled:
            return self._skip("gitlab", f"no GitLab credentials for this stack: to deliver into CI/CD variables,"
                              f" {HOW_TO_ENABLE[Platform.GITLAB]}")
        return Availability(self.gitlab(), "")

    def azure_devops_for_delivery(self) -> Availability:
        settings = self.settings.azure_devops
        if not settings.requested or not settings.enabled:
            return self._skip("azure_devops", "no Azure DevOps credentials for this stack: to deliver into"
                              f" variable groups or service connections, {HOW_TO_ENABLE[Platform.AZURE_DEVOPS]}")
        return Availability(self.azure_devops(), "")
