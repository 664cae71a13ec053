"""Explicit provider instances, one per platform and key (GitHub: one per owner, sharing the token), created
only for platforms that are enabled and only when a slot needs them; each platform's provisioner makes its own.

A platform without credentials is skipped with one warning saying exactly how to enable it; its slots
fall back to instructions. Nothing fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_tls as tls

from scm_access.core.kinds import Platform
from scm_access.plan.slot import Slot
from scm_access.platforms.registry import get_platform
from scm_access.provision.provisioner import Provisioner, provisioner_for
from scm_access.provision.settings import PlatformSettings, StackSettings, same_url


@dataclass(frozen=True)
class Availability:
    provider: pulumi.ProviderResource | None
    reason: str
    """Why the slot cannot be provisioned and how to change that; empty when it can."""
    provisioner: Provisioner | None = None
    """The platform's provisioner, when the slot can be provisioned."""


@dataclass(frozen=True)
class _Usable:
    provisioner: Provisioner
    settings: PlatformSettings
    endpoint: str


class Providers:
    def __init__(self, settings: StackSettings) -> None:
        self.settings = settings
        self._instances: dict[tuple[Platform, str], pulumi.ProviderResource] = {}
        self._tls: tls.Provider | None = None
        self._warned: set[str] = set()
        self.skipped: dict[str, str] = {}
        """Platform (or platform host) → why it was not provisioned, for the stack summary."""

    # -- the decision ----------------------------------------------------------------------------

    def for_slot(self, slot: Slot) -> Availability:
        usable = self._usable(slot.platform, "to provision")
        if isinstance(usable, Availability):
            return usable
        provisioner, settings = usable.provisioner, usable.settings
        wanted, configured = provisioner.target_web_url(slot), provisioner.configured_web_url(usable.endpoint)
        if not same_url(wanted, configured):
            return self._skip(
                f"{slot.platform.value}:{wanted}",
                f"the stack's {provisioner.display_name} provider is configured for {configured}, but the"
                f" declaration targets {wanted}; run a stack configured for {wanted} to provision it",
            )
        key, reason = provisioner.provider_key(slot, settings)
        if key is None:
            return Availability(None, reason)
        return Availability(self._instance(provisioner, key, settings), "", provisioner)

    def for_delivery(self, platform: Platform, key: str) -> tuple[pulumi.ProviderResource | None, str]:
        """A provider that writes into one of the platform's secret stores, or None and why not."""
        provisioner = provisioner_for(platform)
        stores = " or ".join(f"{label}s" for label in provisioner.stores.values()) if provisioner else ""
        usable = self._usable(platform, f"to deliver into {stores}")
        if isinstance(usable, Availability):
            return None, usable.reason
        return self._instance(usable.provisioner, key, usable.settings), ""

    def _usable(self, platform: Platform, purpose: str) -> _Usable | Availability:
        """The platform's provisioner and settings when the stack may use them; otherwise why not (warned once)."""
        provisioner = provisioner_for(platform)
        settings = self.settings.for_platform(platform)
        if provisioner is None or settings is None:
            return Availability(None, f"{get_platform(platform).display_name} has no provisioner")
        if not settings.requested:
            return self._skip(
                platform.value, f"{platform.value} is not in scm-access:provision; add it to provision there"
            )
        if not settings.enabled or settings.endpoint is None:
            return self._skip(
                platform.value,
                f"no {provisioner.display_name} credentials for this stack: {purpose}, {provisioner.how_to_enable}",
            )
        return _Usable(provisioner, settings, settings.endpoint)

    def _skip(self, key: str, reason: str) -> Availability:
        if key not in self._warned:
            self._warned.add(key)
            self.skipped[key] = reason
            pulumi.log.warn(f"scm-access: not provisioning on {key}: {reason}; its slots get instructions instead.")
        return Availability(None, reason)

    # -- the instances ---------------------------------------------------------------------------

    def _instance(self, provisioner: Provisioner, key: str, settings: PlatformSettings) -> pulumi.ProviderResource:
        """One explicit instance per platform and key (GitHub: per owner), made on first use."""
        slot_key = (provisioner.platform, key)
        if slot_key not in self._instances:
            self._instances[slot_key] = provisioner.new_provider(key, settings)
        return self._instances[slot_key]

    def tls(self) -> tls.Provider:
        """Key pairs are made locally: no credentials, always available."""
        if self._tls is None:
            self._tls = tls.Provider("tls")
        return self._tls
