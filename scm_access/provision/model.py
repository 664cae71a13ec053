"""What a platform provisioner is given and what it gives back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pulumi

from scm_access.declarations.policy import Policy
from scm_access.plan.generations import ROTATION_EPOCH, generation
from scm_access.plan.slot import Slot

__all__ = ["ROTATION_EPOCH", "CannotProvision", "Credential", "ProvisionContext", "Provisioned", "generation",
           "resource_name", "slot_marker"]

class CannotProvision(Exception):
    """The stack cannot make this slot's credential here, for a reason a person can act on (the
    declaration lacks what the kind needs, the platform cannot mint the kind): the slot gets manual steps
    and the reason. Anything else a provisioner raises is a bug and stops the run."""


def resource_name(prefix: str, slot: Slot, *parts: str) -> str:
    """Logical name of a child resource: unique in the stack (URNs of children do not include the
    component's name) and stable, because renaming replaces the credential. ``prefix`` is the slot's
    platform's short name (its provisioner's :attr:`resource_prefix`)."""
    raw = "-".join((slot.connection, prefix, slot.holder, *parts))
    return re.sub(r"[^A-Za-z0-9._-]+", "-", raw)


def slot_marker(slot: Slot) -> str:
    """Appended to descriptions and titles, so an admin looking at the platform, and the policy pack
    looking at the resource, can tell which declared slot a credential serves."""
    return f"[scm-access {slot.id}]"


def secret_text(value: pulumi.Output[str]) -> pulumi.Output[str]:
    """``value`` marked secret (again, whatever marked it before).

    Pulumi annotates ``Output.secret`` with an unbound type variable for an Output argument: only an
    annotated target lets a type checker infer it."""
    marked: pulumi.Output[str] = pulumi.Output.secret(value)
    return marked


@dataclass(frozen=True)
class Credential:
    """A credential the stack minted. Its value only ever exists as a secret Output."""

    name: str
    """What it is: ``token``, ``private_key``."""
    value: pulumi.Output[str] = field(repr=False)
    username: pulumi.Output[str] | str | None = None
    """Deploy tokens and service accounts authenticate with a user name beside the token."""
    target: str | None = None
    """The repository or project it is for, when one slot mints several (one deploy key per repository)."""
    multiline: bool = False
    """Key material: cannot be a masked CI variable."""


@dataclass(frozen=True)
class ProvisionContext:
    parent: pulumi.Resource
    provider: pulumi.ProviderResource
    policy: Policy
    today: date
    tls: pulumi.ProviderResource | None = None
    """pulumi-tls, for key pairs (local: needs no credentials)."""
    default_owner: str | None = None
    """GitHub owner or GitLab top-level group from stack config, for declarations that name none."""
    protect: bool = False
    """Protect the slot's platform resources from deletion (the policy does not allow revocation)."""

    def opts(self, **extra: Any) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(**{"parent": self.parent, "provider": self.provider, "protect": self.protect,
                                         **extra})

    def replaceable_opts(self, generation_started: date, **extra: Any) -> pulumi.ResourceOptions:
        """For a credential the stack rotates by replacing it (a deploy key, a deploy token): unprotected
        during the first ``rotate_before_days`` of its generation, when the `pulumi up` that replaces the
        previous generation runs (the engine replaces a protected resource only when the program unprotects
        it in that same update), protected the rest of the time."""
        rotating = (self.today - generation_started).days < self.policy.rotate_before_days
        return self.opts(protect=self.protect and not rotating, **extra)

    def invoke_opts(self) -> pulumi.InvokeOptions:
        """For the provider's lookups (a group's numeric ID, a project's id)."""
        return pulumi.InvokeOptions(parent=self.parent, provider=self.provider)


@dataclass
class Provisioned:
    resources: list[pulumi.Resource]
    credentials: list[Credential]
    finding: pulumi.Output[dict]
    """The slot's :class:`~scm_access.judge.Finding` (JSON form), judged on what the provider
    reports after apply; unknown during preview."""
    details: dict[str, Any] = field(default_factory=dict)
    """Non-secret facts worth exporting (a service account's user name, WIF issuer and subject)."""
