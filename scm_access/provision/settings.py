"""Stack settings for the Pulumi program: what to provision where, read from stack config and the
providers' standard environment variables.

Precedence for every endpoint: the project key (``scm-access:gitlabBaseUrl``), then the provider's own key
(``gitlab:baseUrl``), then the provider's environment variable (``GITLAB_BASE_URL``). Tokens come from the
provider's own secret key (``gitlab:token``) or its environment variable (``GITLAB_TOKEN``) and stay Pulumi
secrets from the moment they are read: only their presence is looked at here. Each platform's provisioner
reads its own keys (:meth:`~scm_access.provision.provisioner.Provisioner.read_settings`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi

from scm_access.core.kinds import Platform


@dataclass(frozen=True)
class PlatformSettings:
    platform: Platform
    requested: bool
    """Listed in ``scm-access:provision``."""
    token: pulumi.Output[str] | None = field(default=None, repr=False)
    """The provider credential, always a Pulumi secret; None when none is configured."""
    endpoint: str | None = None
    """Where the provider connects: an API root, or an organization URL, as the platform's provider wants."""
    owner: str | None = None
    """Default owner (GitHub org, GitLab top-level group) for declarations that name none."""

    @property
    def enabled(self) -> bool:
        return self.requested and self.token is not None and self.endpoint is not None


@dataclass(frozen=True)
class StackSettings:
    platforms: dict[Platform, PlatformSettings]
    """One entry per platform that has a provisioner."""
    policy_overrides: dict[str, Any] = field(default_factory=dict)
    declarations: str | None = None
    """Folder holding ``connections/`` and ``policies/``; the program's folder when None."""
    verify: bool = True
    read_previous_update: bool = True
    """Read the stack's outputs at its last update (a StackReference to itself) to say what a change deletes."""

    def for_platform(self, platform: Platform) -> PlatformSettings | None:
        return self.platforms.get(platform)

    def owner_of(self, platform: Platform) -> str | None:
        """The platform's default owner from stack config, for declarations that name none."""
        settings = self.platforms.get(platform)
        return settings.owner if settings else None


class ConfigSource:
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
    from scm_access.provision.provisioner import provisioners  # the platforms' provisioners import this module

    src = ConfigSource(os.environ if environ is None else environ)
    available = provisioners()
    provision = src.project.get_object("provision")
    requested = {Platform(p) for p in provision} if provision is not None else {p.platform for p in available}
    return StackSettings(
        platforms={p.platform: p.read_settings(src, p.platform in requested) for p in available},
        policy_overrides=policy_overrides(src.project),
        declarations=src.text("declarations"),
        verify=src.project.get_bool("verify") is not False,
        read_previous_update=src.project.get_bool("readPreviousUpdate") is not False,
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


def api_root(value: str, suffix: str) -> str:
    """``https://host<suffix>/`` for a web or API root: the providers want the trailing slash."""
    root = value.rstrip("/")
    if not root.endswith(suffix):
        root += suffix
    return root + "/"


def without_suffix(api_url: str, suffix: str) -> str:
    root = api_url.rstrip("/")
    return root[: -len(suffix)] if root.endswith(suffix) else root


def same_url(a: str, b: str) -> bool:
    return a.rstrip("/").lower() == b.rstrip("/").lower()
