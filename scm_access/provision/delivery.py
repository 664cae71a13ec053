"""Deliver a credential where the declaration asks: into a secret store that the platform hosting it writes
(each provisioner names its stores, e.g. GitHub Actions secrets). Always as a Pulumi secret.

When the store's platform has no credentials in this stack, nothing is created and the note says how to
store it by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pulumi

from scm_access.declarations.connection import SecretStore
from scm_access.plan.slot import Slot
from scm_access.provision.model import Credential
from scm_access.provision.providers import Providers
from scm_access.provision.provisioner import Delivery, provisioner_for_store


def store_label(store: str) -> str:
    provisioner = provisioner_for_store(store)
    return provisioner.stores[store] if provisioner else "secret store"


@dataclass
class Delivered:
    resources: list[pulumi.Resource] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What a person still has to do, when the stack could not deliver."""


def secret_name(base: str, credential: Credential) -> str:
    """One slot may mint several credentials (a deploy key per repository): suffix the target."""
    if credential.target is None:
        return base
    suffix = re.sub(r"[^A-Za-z0-9]+", "_", credential.target).strip("_").upper()
    return f"{base}_{suffix}"


def deliver(slot: Slot, credentials: list[Credential], providers: Providers, parent: pulumi.Resource) -> Delivered:
    store = slot.delivery
    result = Delivered()
    if not isinstance(store, SecretStore) or not credentials:
        return result
    by_hand = (
        f"store it as **{store.name}** ({store_label(store.store)}) yourself: read it with"
        " `pulumi stack output credentials --show-secrets`"
    )
    if store.store == "external":
        result.notes.append(f"The stack does not write to external stores: {by_hand}.")
        return result
    provisioner = provisioner_for_store(store.store)
    if provisioner is None:
        result.notes.append(f"No platform hosts the store {store.store!r}: {by_hand}.")
        return result
    for credential in credentials:
        outcome = provisioner.deliver(
            Delivery(
                store=store,
                slot=slot,
                credential=credential,
                name=secret_name(store.name, credential),
                provider_for=providers.for_delivery,
                parent=parent,
                default_owner=providers.settings.owner_of(provisioner.platform),
            )
        )
        if isinstance(outcome, str):
            result.notes.append(f"Not delivered ({outcome}): {by_hand}.")
        else:
            result.resources.append(outcome)
    return result
