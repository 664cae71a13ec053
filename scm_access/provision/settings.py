"""Stack settings for the Pulumi program: what to provision where, read from stack config and the
providers' standard environment variables.

Precedence for every endpoint: the project key (``scm-access:gitlabBaseUrl``), then the provider's own key
(``gitlab:baseUrl``), then the provider's environment variable (``GITLAB_BASE_URL``). Tokens come from the
provider's own secret key (``gitlab:token``) or its environment variable (``GITLAB_TOKEN``) and stay Pulumi
secrets from the moment they are read: only their presence is looked at here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pulumi

from scm_access.declarations.kinds import Platform

PROVISIONABLE: tuple[Platform, ...] = (Platform.GITHUB, Platform.GITLAB, Platform.AZURE_DEVOPS)

GITHUB_CLOUD_API = "https://api.github.com/"
GITLAB_CLOUD_API = "https://gitlab.com/api/v4/"


@dataclass(frozen=True)
class PlatformSettings:
    platform: Platform
    requested: bool
    """Listed in ``scm-access:provision``."""
    token: pulumi.Output[str] | None = field(default=None, repr=False)
    """The provider credential, always a Pulumi secret; None when none is configured."""
    endpoint: str | None = None
    """API root (GitHub, GitLab) or organization/collection URL (Azure DevOps)."""
    owner: str | None = None
    """GitHub: default owner; GitLab: default top-level group."""

    @property
    def enabled(self) -> bool:
        return self.requested and self.token is not None and self.endpoint is not None


@dataclass(frozen=True)
class StackSettings:
    github: PlatformSettings
    gitlab: PlatformSettings
    azure_devops: PlatformSettings
    policy_overrides: dict[str, Any] = field(default_factory=dict)
    declarations: str | None = None
    """Folder holding ``connections/`` and ``policies/``; the program's folder when None."""
    verify: bool = True

    def for_platform(self, platform: Platform) -> PlatformSettings | None:
        return {
            Platform.GITHUB: self.github,
            Platform.GITLAB: self.gitlab,
            Platform.AZURE_DEVOPS: self.azure_devops,
        }.get(platform)


class _Source:
    """Reads one setting through the precedence chain, from Pulumi config or injected values."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.project = pulumi.Config()

    def text(self, key: str, provider: tuple[str, str] | None = None, env: str | None = None) -> str | None:
        value = self.project.get(key)
        if not value and provider:
            value = pulumi.Config(provider[0]).get(provider[1])
        if not value and env:
            value = self.environ.get(env)
        return value.strip() if value and value.strip() else None

    def secret(self, provider: tuple[str, str], env: str) -> pulumi.Output[str] | None:
        value = pulumi.Config(provider[0]).get_secret(provider[1])
        if value is not None:
            return value
        raw = self.environ.get(env, "")
        # Wrapped at once: from here on the value exists only inside a secret Output.
        return pulumi.Output.secret(raw) if raw.strip() else None


def load_settings(environ: Mapping[str, str] | None = None) -> StackSettings:
    src = _Source(os.environ if environ is None else environ)
    provision = src.project.get_object("provision")
    requested = {Platform(p) for p in provision} if provision is not None else set(PROVISIONABLE)

    github_api = src.text("githubBaseUrl", ("github", "baseUrl"), "GITHUB_BASE_URL")
    gitlab_api = src.text("gitlabBaseUrl", ("gitlab", "baseUrl"), "GITLAB_BASE_URL")
    azure_url = src.text("azureDevOpsOrgServiceUrl", ("azuredevops", "orgServiceUrl"), "AZDO_ORG_SERVICE_URL")
    return StackSettings(
        github=PlatformSettings(
            Platform.GITHUB,
            Platform.GITHUB in requested,
            src.secret(("github", "token"), "GITHUB_TOKEN"),
            github_api_url(github_api),
            src.text("githubOwner", ("github", "owner"), "GITHUB_OWNER"),
        ),
        gitlab=PlatformSettings(
            Platform.GITLAB,
            Platform.GITLAB in requested,
            src.secret(("gitlab", "token"), "GITLAB_TOKEN"),
            gitlab_api_url(gitlab_api),
            src.text("gitlabGroup"),
        ),
        azure_devops=PlatformSettings(
            Platform.AZURE_DEVOPS,
            Platform.AZURE_DEVOPS in requested,
            src.secret(("azuredevops", "personalAccessToken"), "AZDO_PERSONAL_ACCESS_TOKEN"),
            azure_devops_url(azure_url) if azure_url else None,
        ),
        policy_overrides=policy_overrides(src.project),
        declarations=src.text("declarations"),
        verify=src.project.get_bool("verify") is not False,
    )


# Typed stack keys for the policy settings a stack most often tightens; ``scm-access:policy`` takes any
# Policy field (structured: `pulumi config set --path policy.max_lifetime_days.gitlab_pat 30`).
POLICY_KEYS: dict[str, tuple[str, type]] = {
    "maxLifetimeDays": ("default_max_lifetime_days", int),
    "rotateBeforeDays": ("rotate_before_days", int),
    "expiryWarningDays": ("expiry_warning_days", int),
    "gitlabPreferServiceAccounts": ("gitlab_prefer_service_accounts", bool),
}


def policy_overrides(config: pulumi.Config) -> dict[str, Any]:
    overrides: dict[str, Any] = dict(config.get_object("policy") or {})
    for key, (field_name, kind) in POLICY_KEYS.items():
        value = config.get_bool(key) if kind is bool else config.get_int(key)
        if value is not None:
            overrides[field_name] = value
    return overrides


# -- endpoints ------------------------------------------------------------------------------------


def github_api_url(value: str | None) -> str:
    """API root with the trailing slash the provider expects: cloud, or ``https://host/api/v3/`` (GHES).
    A bare web root (``https://ghe.example.com``) is completed."""
    if not value or urlsplit(value).netloc in ("github.com", "api.github.com"):
        return GITHUB_CLOUD_API
    root = value.rstrip("/")
    if not root.endswith("/api/v3"):
        root += "/api/v3"
    return root + "/"


def gitlab_api_url(value: str | None) -> str:
    """``https://host/api/v4/``: the GitLab provider needs the trailing slash."""
    if not value:
        return GITLAB_CLOUD_API
    root = value.rstrip("/")
    if not root.endswith("/api/v4"):
        root += "/api/v4"
    return root + "/"


def azure_devops_url(value: str) -> str:
    """Organization URL (``https://dev.azure.com/acme``) or Azure DevOps Server collection URL, no trailing
    slash; the legacy ``https://acme.visualstudio.com`` form is rewritten to the current one."""
    parts = urlsplit(value.strip())
    if parts.netloc.endswith(".visualstudio.com"):
        return f"https://dev.azure.com/{parts.netloc.split('.')[0]}"
    return value.strip().rstrip("/")


def web_root(api_url: str) -> str:
    """The web root a declaration's ``base_url`` names, for an API root (``/api/v3``, ``/api/v4`` cut)."""
    if api_url == GITHUB_CLOUD_API:
        return "https://github.com"
    root = api_url.rstrip("/")
    for suffix in ("/api/v3", "/api/v4"):
        if root.endswith(suffix):
            return root[: -len(suffix)]
    return root


def same_url(a: str, b: str) -> bool:
    return a.rstrip("/").lower() == b.rstrip("/").lower()

