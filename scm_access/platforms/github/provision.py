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
from urllib.parse import urlsplit

import pulumi
import pulumi_github as github
import pulumi_tls as tls

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.platforms.github.access import GitHubAccess
from scm_access.instruct.model import Step
from scm_access.instruct.shell import command
from scm_access.plan.slot import Slot
from scm_access.provision.findings import observed_finding
from scm_access.provision.model import (
    CannotProvision,
    Credential,
    ProvisionContext,
    Provisioned,
    generation,
    secret_text,
    slot_marker,
)
from scm_access.provision.provisioner import Delivery, Provisioner, ResourceInput
from scm_access.provision.resource_facts import ResourceFacts
from scm_access.provision.settings import ConfigSource, PlatformSettings, api_root, without_suffix
from scm_access.rules.facts import CredentialFacts

KINDS = frozenset({CredentialKind.GITHUB_DEPLOY_KEY})
CLOUD_API = "https://api.github.com/"
DEPLOY_KEY = "github:index/repositoryDeployKey:RepositoryDeployKey"


def github_access(slot: Slot) -> GitHubAccess:
    """The slot's declaration; a GitHub slot always has one (anything else is a bug in the planner)."""
    if not isinstance(slot.access, GitHubAccess):
        raise TypeError(f"{slot.id}: a GitHub slot planned from a {type(slot.access).__name__}")
    return slot.access


def writes(slot: Slot) -> bool:
    return "contents:write" in slot.scopes


def owner_of(slot: Slot, default_owner: str | None) -> str | None:
    return github_access(slot).org or default_owner


def split_repository(repository: str, default_owner: str | None) -> tuple[str | None, str]:
    """``owner/name`` or a bare ``name`` (owner from the declaration or stack config)."""
    if "/" in repository:
        owner, name = repository.split("/", 1)
        return owner, name
    return default_owner, repository


# -- stack settings -------------------------------------------------------------------------------


def api_url(value: str | None) -> str:
    """API root with the trailing slash the provider expects: cloud, or ``https://host/api/v3/`` (GHES).
    A bare web root (``https://ghe.example.com``) is completed."""
    if not value or urlsplit(value).netloc in ("github.com", "api.github.com"):
        return CLOUD_API
    return api_root(value, "/api/v3")


def web_root(api: str) -> str:
    return "https://github.com" if api == CLOUD_API else without_suffix(api, "/api/v3")


# -- the interface --------------------------------------------------------------------------------


class GitHubProvisioner(Provisioner):
    platform = Platform.GITHUB
    provider_package = "github"
    how_to_enable = (
        "set GITHUB_TOKEN, or `pulumi config set --secret github:token` (it reads the token from standard"
        " input), to a token that can administer the repositories (fine-grained: Administration and Secrets"
        " read & write); for GitHub Enterprise Server also `pulumi config set scm-access:githubBaseUrl"
        " https://HOST/api/v3/`"
    )
    uses_key_pairs = True

    # -- configuration ---------------------------------------------------------------------------

    def read_settings(self, source: ConfigSource, requested: bool) -> PlatformSettings:
        return PlatformSettings(
            Platform.GITHUB,
            requested,
            source.secret(("github", "token"), "GITHUB_TOKEN"),
            api_url(source.text("githubBaseUrl", ("github", "baseUrl"), "GITHUB_BASE_URL")),
            source.text("githubOwner", ("github", "owner"), "GITHUB_OWNER"),
        )

    def configured_web_url(self, endpoint: str) -> str:
        return web_root(endpoint)

    def provider_key(self, slot: Slot, settings: PlatformSettings) -> tuple[str | None, str]:
        # The provider is bound to one owner: one instance per org, sharing the token.
        owner = owner_of(slot, settings.owner)
        if not owner:
            return None, (
                "the declaration names no GitHub org: set `org` on it, or"
                " `pulumi config set scm-access:githubOwner ORG`"
            )
        return owner, ""

    def new_provider(self, key: str, settings: PlatformSettings) -> pulumi.ProviderResource:
        return github.Provider(f"github-{key}", owner=key, base_url=settings.endpoint, token=settings.token)

    # -- making credentials ----------------------------------------------------------------------

    def provision(self, slot: Slot, ctx: ProvisionContext) -> Provisioned:
        """One deploy key per repository, its key pair made by pulumi-tls. A key is never older than the
        slot's lifetime: a new generation starts every ``lifetime_days`` and the next `pulumi up` replaces
        the key (the new one is added before the old one is removed)."""
        if slot.kind not in KINDS:
            raise CannotProvision(f"GitHub cannot provision a {slot.kind.label}")
        repositories = list(github_access(slot).repositories)
        if not repositories:
            raise CannotProvision("a deploy key belongs to one repository: name the repositories")
        number, started = generation(ctx.today, slot.lifetime_days)
        next_rotation = started + timedelta(days=max(1, slot.lifetime_days))
        read_only = not writes(slot)
        several = len(repositories) > 1
        resources: list[pulumi.Resource] = []
        credentials: list[Credential] = []
        observations = []
        for repository in repositories:
            # Key material made locally: never protected, since a new generation's key pair replaces the
            # old one, and deleting it revokes nothing on GitHub (the deploy key below is what counts).
            key = tls.PrivateKey(
                self.resource_name(slot, repository, f"key-g{number}"),
                algorithm="ED25519",
                opts=pulumi.ResourceOptions(parent=ctx.parent, provider=ctx.tls),
            )
            deploy_key = github.RepositoryDeployKey(
                self.resource_name(slot, repository),
                repository=repository,
                key=key.public_key_openssh,
                title=f"{slot.token_name} {slot_marker(slot)}",
                read_only=read_only,
                opts=ctx.replaceable_opts(started),
            )
            resources += [key, deploy_key]
            credentials.append(
                Credential("private_key", key.private_key_openssh, target=repository if several else None,
                           multiline=True)
            )
            observations.append(self._observed(deploy_key, repository, read_only))
        return Provisioned(
            resources=resources,
            credentials=credentials,
            finding=observed_finding(
                slot, observations, policy=ctx.policy, today=ctx.today, required=("read_only",)
            ),
            details={
                "owner": owner_of(slot, ctx.default_owner),
                "repositories": repositories,
                "read_only": read_only,
                "next_rotation": next_rotation.isoformat(),
            },
        )

    @staticmethod
    def _observed(deploy_key: github.RepositoryDeployKey, repository: str, read_only: bool) -> pulumi.Output[dict]:
        return pulumi.Output.all(read_only=deploy_key.read_only, key=deploy_key.key).apply(
            lambda seen: {
                "read_only": seen["read_only"],
                "wants_read_only": read_only,
                "exists": bool(seen["key"]),
                "target": repository,
            }
        )

    # -- by hand, when the stack cannot provision --------------------------------------------------

    def manual(self, slot: Slot, default_owner: str | None) -> tuple[str | None, list[Step]]:
        web = self.target_web_url(slot)
        owner = owner_of(slot, default_owner)
        repositories = github_access(slot).repositories
        link = f"{web}/{owner}/{repositories[0]}/settings/keys/new" if owner and repositories else None
        steps = []
        for repository in repositories:
            steps += [
                Step(
                    text=f"Make a key pair for **{repository}** (one per repository: GitHub refuses a key used"
                    " on another one):",
                    items=[
                        "`"
                        + command("ssh-keygen", "-t", "ed25519", "-N", "", "-C", slot.token_name,
                                  "-f", f"{repository}-deploy-key")
                        + "`"
                    ],
                ),
                Step(
                    text=f"Open **{owner or '<owner>'}/{repository}** → **Settings** → **Deploy keys** → **Add deploy"
                    f" key**; **Title** `{slot.token_name} {slot_marker(slot)}`, **Key** the `.pub` file's content,"
                    + (" tick **Allow write access**." if writes(slot) else " leave **Allow write access** unticked."),
                    link=f"{web}/{owner or '<owner>'}/{repository}/settings/keys/new",
                ),
            ]
        steps.append(
            Step(
                text=f"Give the private key to {slot.integration} where the declaration says, then delete the local"
                f" copy; replace the key by **{slot.expires_at.isoformat()}**."
            )
        )
        return link, steps

    # -- delivery ----------------------------------------------------------------------------------

    def deliver(self, delivery: Delivery) -> pulumi.Resource | str:
        """A repository Actions secret. The provider encrypts the value for GitHub and keeps it secret in
        state."""
        slot = delivery.slot
        # A bare repository name belongs to the org of a GitHub declaration, else to the stack's default.
        fallback = owner_of(slot, delivery.default_owner) if slot.platform == self.platform else delivery.default_owner
        owner, repository = split_repository(delivery.store.repository or "", fallback)
        if not repository:
            return "no repository named"
        if not owner:
            return "no owner for the Actions secret's repository: write it as OWNER/REPO"
        provider, reason = delivery.provider_for(Platform.GITHUB, owner)
        if provider is None:
            return reason
        return github.ActionsSecret(
            delivery.resource_name,
            repository=repository,
            secret_name=delivery.name,
            value=secret_text(delivery.credential.value),
            opts=delivery.opts(provider),
        )

    # -- policy pack -------------------------------------------------------------------------------

    def resource_facts(self, resource: ResourceInput) -> ResourceFacts | None:
        resource_type, props = resource.type, resource.props
        if resource_type != DEPLOY_KEY:
            return None  # Actions secrets are encrypted by the provider itself
        writable = props.get("readOnly") is False
        return ResourceFacts(
            CredentialFacts(
                platform=Platform.GITHUB,
                kind=CredentialKind.GITHUB_DEPLOY_KEY,
                scopes=frozenset({"contents:write" if writable else "contents:read"}),
                holder_is_person=False,
            ),
        )


PROVISIONER = GitHubProvisioner()
