"""Deliver a credential where the declaration asks: a GitHub Actions secret, a GitLab CI/CD variable, an
Azure DevOps variable group or a GitHub service connection in Azure DevOps. Always as a Pulumi secret.

When the store's platform has no credentials in this stack, nothing is created and the note says how to
store it by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pulumi
import pulumi_azuredevops as azuredevops

from scm_access.declarations.connection import SecretStore
from scm_access.plan.slot import Slot
from scm_access.platforms.azure_devops import provision as azure_devops
from scm_access.platforms.github import provision as github
from scm_access.platforms.gitlab import provision as gitlab
from scm_access.provision.model import Credential, resource_name, slot_marker
from scm_access.provision.providers import Providers

STORE_LABELS = {
    "github_actions_secret": "GitHub Actions secret",
    "gitlab_ci_variable": "GitLab CI/CD variable",
    "azure_devops_variable_group": "Azure DevOps variable group",
    "azure_devops_service_connection": "Azure DevOps GitHub service connection",
    "external": "secret store",
}


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


def deliver(
    slot: Slot,
    credentials: list[Credential],
    providers: Providers,
    parent: pulumi.Resource,
    default_github_owner: str | None = None,
) -> Delivered:
    store = slot.delivery
    result = Delivered()
    if not isinstance(store, SecretStore) or not credentials:
        return result
    by_hand = (
        f"store it as **{store.name}** ({STORE_LABELS.get(store.store, store.store)}) yourself: read it with"
        " `pulumi stack output credentials --show-secrets`"
    )
    if store.store == "external":
        result.notes.append(f"The stack does not write to external stores: {by_hand}.")
        return result
    for credential in credentials:
        name = secret_name(store.name, credential)
        parts = ("deliver", name)
        if store.store == "github_actions_secret":
            owner, repository = github.split_repository(
                store.repository or "", slot.resources.get("org") or default_github_owner  # type: ignore[arg-type]
            )
            available = providers.github_for_delivery(owner)
            if available.provider is None or not repository:
                result.notes.append(f"Not delivered ({available.reason or 'no repository named'}): {by_hand}.")
                continue
            result.resources.append(
                github.actions_secret(
                    resource_name(slot, *parts),
                    repository=repository,
                    secret_name=name,
                    value=credential.value,
                    opts=pulumi.ResourceOptions(parent=parent, provider=available.provider),
                )
            )
        elif store.store == "gitlab_ci_variable":
            available = providers.gitlab_for_delivery()
            if available.provider is None or not store.repository:
                result.notes.append(f"Not delivered ({available.reason or 'no project named'}): {by_hand}.")
                continue
            result.resources.append(
                gitlab.ci_variable(
                    resource_name(slot, *parts),
                    project=store.repository,
                    key=name,
                    value=credential.value,
                    masked=not credential.multiline,
                    description_text=f"{slot.token_name} {slot_marker(slot)}",
                    opts=pulumi.ResourceOptions(parent=parent, provider=available.provider),
                )
            )
        elif store.store in ("azure_devops_variable_group", "azure_devops_service_connection"):
            available = providers.azure_devops_for_delivery()
            if available.provider is None or not store.repository:
                result.notes.append(f"Not delivered ({available.reason or 'no project named'}): {by_hand}.")
                continue
            opts = pulumi.ResourceOptions(parent=parent, provider=available.provider)
            project_id = azuredevops.get_project_output(
                name=store.repository, opts=pulumi.InvokeOptions(parent=parent, provider=available.provider)
            ).id
            described = f"{slot.token_name} {slot_marker(slot)}"
            if store.store == "azure_devops_variable_group":
                resource: pulumi.Resource = azure_devops.variable_group(
                    resource_name(slot, *parts),
                    project_id=project_id,
                    group_name=f"{slot.connection}-{slot.platform.value}",
                    variable=name,
                    value=credential.value,
                    description=described,
                    opts=opts,
                )
            else:
                resource = azure_devops.github_service_connection(
                    resource_name(slot, *parts),
                    project_id=project_id,
                    connection_name=name,
                    personal_access_token=credential.value,
                    description=described,
                    opts=opts,
                )
            result.resources.append(resource)
        else:
            result.notes.append(f"Unknown store {store.store!r}: {by_hand}.")
    return result
