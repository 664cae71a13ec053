"""The one small interface every platform implements.

Everything a platform knows (scope catalog, token prefixes, credential kinds it can mint, manual steps,
verifier, provisioner) lives in its own folder, named after its :class:`Platform` value, behind this
interface (and, for the Pulumi program, :class:`scm_access.provision.provisioner.Provisioner`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import TYPE_CHECKING

from scm_access.core.kinds import CredentialKind, Platform, kind_for_token
from scm_access.scopes.catalog import ScopeCatalog

if TYPE_CHECKING:
    from scm_access.instruct.model import Step
    from scm_access.declarations.access import Access
    from scm_access.declarations.policy import Policy
    from scm_access.plan.slot import Slot
    from scm_access.platforms.links import LinkTemplate


class PlatformSpec(ABC):
    platform: Platform
    display_name: str
    catalog: ScopeCatalog
    cloud_web_url: str
    """Web root of the cloud service, e.g. ``https://github.com``."""
    personal_kind: CredentialKind
    """The personal token kind a person creates by default."""
    secret_stores: Mapping[str, str] = {}
    """Secret stores this platform hosts, that the stack can deliver credentials into: store id → label."""

    # -- planning ----------------------------------------------------------------------------------

    def default_kind(self, access: Access) -> CredentialKind:
        """The kind to use when the declaration does not name one."""
        return self.personal_kind

    @abstractmethod
    def org_managed_equivalent(
        self, access: Access, scopes: frozenset[str], policy: Policy
    ) -> tuple[CredentialKind | None, str]:
        """An org-managed kind that grants the same access, or None; and the reason either way."""

    def access_levels(
        self, access: Access, kind: CredentialKind, scopes: frozenset[str]
    ) -> tuple[str | None, str | None]:
        """Where a kind carries a role besides its scopes: the role the credential gets and the least role
        its scopes need (the access-level rule compares them). (None, None) where there are no roles."""
        return None, None

    def check_access(self, access: Access, kind: CredentialKind) -> list[tuple[str, str]]:
        """Problems with the declared resources for this kind, as (field, message)."""
        return []

    def name_problems(self, access: Access) -> list[tuple[str, str]]:
        """Declared names (owners, repositories, projects) that break the platform's own naming rules,
        as (field, message): they end up in paths and URLs."""
        return []

    def resources(self, access: Access) -> dict[str, str | list[str] | None]:
        """What the declaration reaches, by field, for reports that compare two plans (the review)."""
        return {}

    def credential_targets(self, slot: Slot) -> list[str]:
        """Where the stack makes one credential each when the slot takes several (a deploy key per
        repository); empty when it makes one. Each is keyed ``<key>:<target>`` in the stack's output."""
        return []

    def owner(self, access: Access) -> str | None:
        """The organisation (group, workspace) the declaration names, where it names one."""
        return None

    def homes(self, access: Access, kind: CredentialKind) -> tuple[str, ...]:
        """Where a credential of ``kind`` made for this declaration lives, as an admin view names its scope
        (an organisation, a group, a project): the declared owner unless the kind lives elsewhere."""
        owner = self.owner(access)
        return (owner,) if owner else ()

    def declared_repositories(self, access: Access) -> frozenset[str] | None:
        """Full names (``owner/repo``) of the repositories a credential of this declaration is confined to;
        None when it reaches everything its owner has (or the platform confines no credential to
        repositories). What an inventory shows a credential reaches is compared with this."""
        return None

    def token_name_limit(self, kind: CredentialKind) -> int | None:
        """The longest name the platform accepts for a credential of this kind, None where it sets none
        that a token name could reach: the slot's name (with its tag) is fitted within it."""
        return None

    def implicit_scopes(self, kind: CredentialKind, scopes: frozenset[str]) -> frozenset[str]:
        """Scopes the platform adds by itself to a credential of this kind created with these scopes: a
        credential carrying them is not broader than declared."""
        return frozenset()

    def web_url(self, access: Access) -> str:
        return str(access.base_url).rstrip("/") if access.base_url else self.cloud_web_url

    # -- recognition -------------------------------------------------------------------------------

    def recognize_token(self, token: str) -> CredentialKind | None:
        """The kind a token's prefix reveals, if any (never logs or returns the token)."""
        return kind_for_token(token, self.platform)

    # -- instructing -------------------------------------------------------------------------------

    def creation_link(self, slot: Slot) -> str | None:
        """Pre-filled token creation page, where the platform supports one."""
        template = self.creation_link_template(slot)
        return None if template is None else template.link(slot.token_name)

    def creation_link_template(self, slot: Slot) -> LinkTemplate | None:
        """The slot's pre-filled creation link but for the token's name, which is each holder's own: the
        same for every holder of a declaration. None where the platform has no such page."""
        return None

    @abstractmethod
    def instruction_steps(self, slot: Slot, token_name: str, link: str | None) -> list[Step]:
        """Numbered steps for a person to create the slot's token (before delivery and verification).

        Built once per declaration: the token is named only as `` `{token_name}` ``, and the step that opens
        the pre-filled form links to ``link`` (a holder's ``creation_link``, None where there is none); each
        holder gets their own name and link there. Steps are immutable: steps built from values many
        declarations share (kind, scopes, expiry) may be built once and returned again."""

    def instruction_notes(self, slot: Slot) -> list[str]:
        return []
