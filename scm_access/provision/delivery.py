"""Deliver a credential where the declaration asks: into a secret store that the platform hosting it writes
(each provisioner names its stores, e.g. GitHub Actions secrets). Always as a Pulumi secret.

A personal token is delivered only when its verification allows it (:func:`held_back`).

When the store's platform has no credentials in this stack, nothing is created and the note says how to
store it by hand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi

from scm_access.declarations.access import SecretStore
from scm_access.declarations.policy import Policy
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


def held_back(finding: Mapping[str, Any], policy: Policy) -> str | None:
    """Why a verified personal token must not be written into its declared store; None when it may be.

    It may when its finding is ``ok``, or when every problem is one the policy lets through
    (:attr:`Policy.deliver_tokens_with`: problems of a token that still works as declared)."""
    status = finding.get("status")
    if status == "ok":
        return None
    problems = finding.get("problems") or []
    codes = [str(p.get("code")) for p in problems]
    if status != "missing" and codes and all(code in policy.deliver_tokens_with for code in codes):
        return None
    if status == "unknown":
        why = finding.get("reason") or ", ".join(codes) or "no verdict"
        return f"its verification reached no verdict ({why}); nothing unverified is delivered"
    if codes:
        return f"its verification found {', '.join(sorted(set(codes)))}"
    return f"it was not verified ({finding.get('reason') or status})"


def secret_name(base: str, credential: Credential) -> str:
    """One slot may mint several credentials (a deploy key per repository): suffix the target."""
    if credential.target is None:
        return base
    suffix = re.sub(r"[^A-Za-z0-9]+", "_", credential.target).strip("_").upper()
    return f"{base}_{suffix}"


def deliver(
    slot: Slot, credentials: list[Credential], providers: Providers, parent: pulumi.Resource, *, protect: bool
) -> Delivered:
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
                protect=protect,
            )
        )
        if isinstance(outcome, str):
            result.notes.append(f"Not delivered ({outcome}): {by_hand}.")
        else:
            result.resources.append(outcome)
    return result
