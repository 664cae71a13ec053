"""GitHub provisioner: deploy keys through pulumi-github, key pairs from pulumi-tls.

GitHub has no API that mints a token for the organisation (PATs are personal; GitHub Apps are registered
by hand), so the only credential the stack provisions is a deploy key: one per repository, because GitHub
refuses a key already used on another repository. Keys do not expire; the stack rotates them by key
generation: a new generation starts every ``lifetime_days``, and the next `pulumi up` replaces the key
(the new key is added before the old one is removed).

Also: an Actions secret as a delivery target, and the manual equivalent for stacks without GitHub
credentials.
"""

from __future__ import annotations

from datetime import timedelta

import pulumi
import pulumi_github as github
import pulumi_tls as tls

from scm_access.declarations.kinds import CredentialKind
from scm_access.instruct.model import Step
from scm_access.plan.slot import Slot
from scm_access.provision.findings import observed_finding
from scm_access.provision.model import (
    Credential,
    ProvisionContext,
    Provisioned,
    generation,
    resource_name,
    slot_marker,
)

KINDS = frozenset({CredentialKind.GITHUB_DEPLOY_KEY})

def writes(slot: Slot) -> bool:
    return "contents:write" in slot.scopes


def owner_of(slot: Slot, default_owner: str | None) -> str | None:
    return slot.resources.get("org") or default_owner  # type: ignore[return-value]


def provision(slot: Slot, ctx: ProvisionContext) -> Provisioned:
    if slot.kind not in KINDS:
        raise ValueError(f"GitHub cannot provision a {slot.kind.label}")
    repositories = list(slot.resources.get("repositories") or [])
    # A key is never older than the slot's lifetime: a new generation starts every lifetime_days.
    number, started = generation(ctx.today, slot.lifetime_days)
    next_rotation = started + timedelta(days=max(1, slot.lifetime_days))
    read_only = not writes(slot)
    resources: list[pulumi.Resource] = []
    credentials: list[Credential] = []
    observations = []
    for repository in repositories:
        key = tls.PrivateKey(
            resource_name(slot, repository, f"key-g{number}"),
            algorithm="ED25519",
            opts=pulumi.ResourceOptions(parent=ctx.parent, provider=ctx.tls),
        )
        deploy_key = github.RepositoryDeployKey(
            resource_name(slot, repository),
            repository=repository,
            key=key.public_key_openssh,
            title=f"{slot.token_name} {slot_marker(slot)}",
            read_only=read_only,
            opts=ctx.opts(),
        )
        resources += [key, deploy_key]
        several = len(repositories) > 1
        credentials.append(
            Credential(slot.id, "private_key", key.private_key_openssh,
                       target=repository if several else None, multiline=True)
        )
        observations.append(
            pulumi.Output.all(read_only=deploy_key.read_only, key=deploy_key.key).apply(
                lambda seen, repository=repository: {
                    "read_only": seen["read_only"],
                    "exists": bool(seen["key"]),
                    "target": repository,
                }
            )
        )
    return Provisioned(
        slot=slot,
        resources=resources,
        credentials=credentials,
        finding=observed_finding(slot, observations, policy=ctx.policy, today=ctx.today, required=("read_only",)),
        details={
            "owner": owner_of(slot, ctx.default_owner),
            "repositories": repositories,
            "read_only": read_only,
            "next_rotation": next_rotation.isoformat(),
        },
    )


# -- delivery -------------------------------------------------------------------------------------


def actions_secret(
    name: str, *, repository: str, secret_name: str, value: pulumi.Output[str], opts: pulumi.ResourceOptions
) -> github.ActionsSecret:
    """A repository Actions secret. The provider encrypts the value for GitHub and keeps it secret in state."""
    return github.ActionsSecret(
        name,
        repository=repository,
        secret_name=secret_name,
        value=pulumi.Output.secret(value),
        opts=opts,
    )


def split_repository(repository: str, default_owner: str | None) -> tuple[str | None, str]:
    """``owner/name`` or a bare ``name`` (owner from the declaration or stack config)."""
    if "/" in repository:
        owner, name = repository.split("/", 1)
        return owner, name
    return default_owner, repository


# -- by hand, when the stack cannot provision ------------------------------------------------------


def manual_link(slot: Slot, web: str, default_owner: str | None = None) -> str | None:
    owner = owner_of(slot, default_owner)
    repositories = slot.resources.get("repositories") or []
    if owner and repositories:
        return f"{web}/{owner}/{repositories[0]}/settings/keys/new"
    return None


def manual_steps(slot: Slot, web: str, default_owner: str | None = None) -> list[Step]:
    owner = owner_of(slot, default_owner) or "<owner>"
    steps = []
    for repository in slot.resources.get("repositories") or []:
        steps += [
            Step(
                text=f"Make a key pair for **{repository}** (one per repository: GitHub refuses a key used"
                " on another one):",
                items=[f"`ssh-keygen -t ed25519 -N '' -C '{slot.token_name}' -f {repository}-deploy-key`"],
            ),
            Step(
                text=f"Open **{owner}/{repository}** → **Settings** → **Deploy keys** → **Add deploy key**;"
                f" **Title** `{slot.token_name} {slot_marker(slot)}`, **Key** the `.pub` file's content,"
                + (" tick **Allow write access**." if writes(slot) else " leave **Allow write access** unticked."),
                link=f"{web}/{owner}/{repository}/settings/keys/new",
            ),
        ]
    steps.append(
        Step(
            text=f"Give the private key to {slot.integration} where the declaration says, then delete the local"
            f" copy; replace the key by **{slot.expires_at.isoformat()}**."
        )
    )
    return steps
