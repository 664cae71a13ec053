"""The one small interface a platform implements to be provisioned by the stack.

A platform folder that can mint org-managed credentials has a ``provision.py`` exposing ``PROVISIONER``, an
instance of :class:`Provisioner`. Everything the stack knows about that platform goes through it: which
stack settings configure it, how its provider is made, which resources a slot becomes, what a person does
when the stack cannot, which secret stores it hosts, and how the policy pack reads its resources. The
generic code in :mod:`scm_access.provision` never names a platform.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

import pulumi

from scm_access.declarations.access import SecretStore
from scm_access.core.kinds import Platform
from scm_access.instruct.model import Step
from scm_access.plan.slot import Slot
from scm_access.platforms.registry import get_platform, platform_module
from scm_access.provision.model import Credential, ProvisionContext, Provisioned, resource_name
from scm_access.provision.settings import ConfigSource, PlatformSettings

if TYPE_CHECKING:
    from scm_access.provision.resource_facts import DeclaredLevel, ResourceFacts

ProviderFor = Callable[[Platform, str], "tuple[pulumi.ProviderResource | None, str]"]
"""(platform, key) → a provider instance, or None and why not (used by deliveries)."""


@dataclass(frozen=True)
class Delivery:
    """One credential to write into a declared secret store."""

    store: SecretStore
    slot: Slot
    credential: Credential
    name: str
    """The secret's name in the store (the declared name, suffixed when a slot mints several)."""
    provider_for: ProviderFor
    parent: pulumi.Resource
    default_owner: str | None
    """The store platform's default owner from stack config."""
    protect: bool = False
    """Protect the stored copy from deletion (the policy does not allow revocation)."""

    @property
    def resource_name(self) -> str:
        return resource_name(resource_prefix(self.slot.platform), self.slot, "deliver", self.name)

    def opts(self, provider: pulumi.ProviderResource) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self.parent, provider=provider, protect=self.protect)


@dataclass(frozen=True)
class ResourceInput:
    """A resource as the engine shows it to the policy pack: camelCase inputs, secrets unwrapped."""

    type: str
    props: Mapping[str, Any]
    secret_outputs: frozenset[str]
    """Properties declared secret outputs (kept encrypted in state)."""
    today: date
    declared_level: DeclaredLevel | None = None


class Provisioner(ABC):
    platform: Platform
    provider_package: str
    """The Pulumi package whose resources it makes, as in resource types (``gitlab:index/...``)."""
    how_to_enable: str
    """What a user does to let the stack provision here (named in warnings and fallback instructions)."""
    uses_key_pairs: bool = False
    """Needs the pulumi-tls provider for key pairs."""

    @property
    def display_name(self) -> str:
        return get_platform(self.platform).display_name

    @property
    def stores(self) -> Mapping[str, str]:
        """Secret stores on this platform that credentials can be delivered into: store id → label."""
        return get_platform(self.platform).secret_stores

    @property
    def resource_prefix(self) -> str:
        """The platform's part of its resources' logical names. Changing it renames, and so replaces,
        every credential the stack made on the platform."""
        return str(self.platform.value)

    def resource_name(self, slot: Slot, *parts: str) -> str:
        return resource_name(self.resource_prefix, slot, *parts)

    # -- configuration ---------------------------------------------------------------------------

    @abstractmethod
    def read_settings(self, source: ConfigSource, requested: bool) -> PlatformSettings:
        """This platform's endpoint, credential and defaults, from stack config or the provider's env vars."""

    def configured_web_url(self, endpoint: str) -> str:
        """The web root the stack's provider (configured for ``endpoint``) reaches, compared with the web
        root a declaration targets."""
        return endpoint.rstrip("/")

    def target_web_url(self, slot: Slot) -> str:
        """The web root the slot's declaration targets (the platform's own rule, e.g. an organization URL)."""
        return get_platform(self.platform).web_url(slot.access)

    def provider_key(self, slot: Slot, settings: PlatformSettings) -> tuple[str | None, str]:
        """Which provider instance a slot uses ("" for the single one), or None and the reason it has none."""
        return "", ""

    @abstractmethod
    def new_provider(self, key: str, settings: PlatformSettings) -> pulumi.ProviderResource:
        """An explicit provider instance configured from the stack settings."""

    # -- making credentials ----------------------------------------------------------------------

    @abstractmethod
    def provision(self, slot: Slot, ctx: ProvisionContext) -> Provisioned:
        """The slot's provider resources. :class:`~scm_access.provision.model.CannotProvision` when the
        declaration lacks what its kind needs here."""

    @abstractmethod
    def manual(self, slot: Slot, default_owner: str | None) -> tuple[str | None, list[Step]]:
        """The same credential made by hand: the page to open and the steps, for stacks that cannot."""

    def deliver(self, delivery: Delivery) -> pulumi.Resource | str:
        """Write a credential into one of :attr:`stores`; the reason as a string when it cannot."""
        return f"{self.display_name} hosts no {delivery.store.store}"

    # -- policy pack -----------------------------------------------------------------------------

    def declared_level(self, slot: Slot) -> str | None:
        """The role a provisioned credential of this slot carries besides its scopes, where there is one
        (GitLab access tokens); the policy pack compares a resource's role with it."""
        return None

    def resource_facts(self, resource: ResourceInput) -> ResourceFacts | None:
        """What the rules judge about one of this platform's resources; None when it bears no credential."""
        return None


@cache
def provisioner_for(platform: Platform | str) -> Provisioner | None:
    """The platform's provisioner, or None when its folder has no ``provision.py``."""
    module = platform_module(Platform(platform)) + ".provision"
    if find_spec(module) is None:
        return None
    return import_module(module).PROVISIONER


def resource_prefix(platform: Platform) -> str:
    """The platform's part of resource names: its provisioner's, or its own name where it has none (a
    personal token of that platform delivered into another platform's store)."""
    provisioner = provisioner_for(platform)
    return provisioner.resource_prefix if provisioner else str(platform.value)


def provisioners() -> list[Provisioner]:
    return [p for p in (provisioner_for(platform) for platform in Platform) if p is not None]


def provisioner_for_store(store: str) -> Provisioner | None:
    return next((p for p in provisioners() if store in p.stores), None)


def provisioner_for_package(package: str) -> Provisioner | None:
    return _by_package().get(package)


@cache
def _by_package() -> dict[str, Provisioner]:
    return {p.provider_package: p for p in provisioners()}
