"""Bitbucket Cloud."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from scm_access.platforms.bitbucket.access import BitbucketAccess
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.instruct.model import Step
from scm_access.platforms.base import PlatformSpec
from scm_access.platforms.bitbucket import names
from scm_access.platforms.bitbucket.scopes import CATALOG

if TYPE_CHECKING:
    from scm_access.declarations.access import Access
    from scm_access.declarations.policy import Policy
    from scm_access.plan.slot import Slot

API_TOKENS_PAGE = "https://id.atlassian.com/manage-profile/security/api-tokens"



def bitbucket_access(access: Access) -> BitbucketAccess:
    """The declaration of a bitbucket slot (anything else reaching this code is a bug in the planner)."""
    if not isinstance(access, BitbucketAccess):
        raise TypeError(f"a bitbucket slot planned from a {type(access).__name__}")
    return access

class Bitbucket(PlatformSpec):
    platform = Platform.BITBUCKET
    display_name = "Bitbucket"
    catalog = CATALOG
    cloud_web_url = "https://bitbucket.org"
    personal_kind = CredentialKind.BITBUCKET_API_TOKEN

    def org_managed_equivalent(
        self, access: Access, scopes: frozenset[str], policy: Policy
    ) -> tuple[CredentialKind | None, str]:
        return (
            None,
            "Bitbucket repository, project and workspace access tokens exist but can only be created in"
            " the web UI, so they cannot be provisioned",
        )

    def name_problems(self, access: Access) -> list[tuple[str, str]]:
        if not isinstance(access, BitbucketAccess):
            raise TypeError(f"{type(access).__name__} is not BitbucketAccess")
        return names.name_problems(access)

    def resources(self, access: Access) -> dict[str, str | list[str] | None]:
        access = bitbucket_access(access)
        return {"workspace": access.workspace, "repositories": list(access.repositories)}

    def instruction_steps(self, slot: Slot, token_name: str, link: str | None) -> list[Step]:
        # No pre-filled form: ``link`` is always None here.
        return list(_steps(token_name, slot.expires_at, slot.lifetime_days, tuple(slot.scopes)))

    def instruction_notes(self, slot: Slot) -> list[str]:
        return [
            "The integration authenticates with your Atlassian account **email** as user name and the token"
            " as password (for git over HTTPS, use your Bitbucket username or `x-bitbucket-api-token-auth`)."
        ]


@lru_cache(maxsize=4096)
def _steps(token_name: str, expires_at: date, lifetime_days: int, scopes: tuple[str, ...]) -> tuple[Step, ...]:
    # These values alone, which declarations made from one template share: built once for all of them.
    return (
        Step(
            text="Open **Atlassian account settings** → **Security** → **Create and manage API tokens**.",
            link=API_TOKENS_PAGE,
        ),
        Step(text="Click **Create API token with scopes**."),
        Step(text=f"**Name**: `{token_name}`; **Expires on**: **{expires_at.isoformat()}** ({lifetime_days} days)."),
        Step(text="Select the app **Bitbucket**, then **Next**."),
        Step(
            text="Tick exactly these scopes (Bitbucket scopes do not include each other: a write scope"
            " does not grant read, so tick both where both are listed):",
            items=[f"**{CATALOG.label(s)}** (`{s}`)" for s in scopes],
        ),
        Step(text="Review, click **Create token**, and copy it now: it is shown only once."),
    )


SPEC = Bitbucket()
