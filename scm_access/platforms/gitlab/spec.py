"""GitLab.com and self-managed GitLab."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from scm_access.platforms.gitlab.access import GitLabAccess
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.instruct.model import Step
from scm_access.platforms.base import PlatformSpec
from scm_access.platforms.gitlab import names
from scm_access.platforms.gitlab.roles import ROLE_KINDS, least_access_level
from scm_access.platforms.gitlab.scopes import CATALOG
from scm_access.platforms.links import LinkTemplate

if TYPE_CHECKING:
    from scm_access.declarations.access import Access
    from scm_access.declarations.policy import Policy
    from scm_access.plan.slot import Slot

# Deploy tokens cannot call the API; they fit needs that are only "pull code or packages/images".
_DEPLOY_TOKEN_READ_SCOPES = frozenset({"read_repository", "read_registry", "read_package_registry"})


def _applies(scopes: frozenset[str], kind: CredentialKind) -> bool:
    return all(s in CATALOG and kind in CATALOG[s].kinds for s in scopes)



def gitlab_access_of(access: Access) -> GitLabAccess:
    """The declaration of a gitlab slot (anything else reaching this code is a bug in the planner)."""
    if not isinstance(access, GitLabAccess):
        raise TypeError(f"a gitlab slot planned from a {type(access).__name__}")
    return access

class GitLab(PlatformSpec):
    platform = Platform.GITLAB
    display_name = "GitLab"
    catalog = CATALOG
    cloud_web_url = "https://gitlab.com"
    personal_kind = CredentialKind.GITLAB_PAT
    secret_stores = {"gitlab_ci_variable": "GitLab CI/CD variable"}

    def owner(self, access: Access) -> str | None:
        """The declared group, else the one declared project (a project access token's home)."""
        access = gitlab_access_of(access)
        if access.group is not None:
            return str(access.group)
        return access.projects[0] if len(access.projects) == 1 else None

    def homes(self, access: Access, kind: CredentialKind) -> tuple[str, ...]:
        """A project access token lives in its project whatever group is declared beside it; deploy tokens in
        the declared group and in each declared project (one is made on each)."""
        access = gitlab_access_of(access)
        if kind == CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN and access.projects:
            return tuple(access.projects)
        if kind == CredentialKind.GITLAB_DEPLOY_TOKEN:
            group = () if access.group is None else (str(access.group),)
            return tuple(dict.fromkeys((*group, *access.projects)))
        return super().homes(access, kind)

    def org_managed_equivalent(
        self, access: Access, scopes: frozenset[str], policy: Policy
    ) -> tuple[CredentialKind | None, str]:
        access = gitlab_access_of(access)
        if scopes and scopes <= _DEPLOY_TOKEN_READ_SCOPES and (access.projects or access.group):
            return CredentialKind.GITLAB_DEPLOY_TOKEN, "read-only repository or registry pulls: a deploy token"
        if access.group and policy.gitlab_prefer_service_accounts and _applies(
            scopes, CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN
        ):
            return (
                CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN,
                "the policy prefers group service accounts: a service-account token the stack rotates",
            )
        if len(access.projects) == 1 and not access.group and _applies(
            scopes, CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN
        ):
            return (
                CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN,
                "one project is declared: a project access token the stack rotates",
            )
        if access.group and _applies(scopes, CredentialKind.GITLAB_GROUP_ACCESS_TOKEN):
            return CredentialKind.GITLAB_GROUP_ACCESS_TOKEN, "a group is declared: a group access token the stack rotates"
        if not access.group and not access.projects:
            return None, "no group or project is declared, so there is nothing to mint an access token on"
        return None, "some scopes can only be held by a personal access token (e.g. read_user)"

    def access_levels(
        self, access: Access, kind: CredentialKind, scopes: frozenset[str]
    ) -> tuple[str | None, str | None]:
        if kind not in ROLE_KINDS or not isinstance(access, GitLabAccess):
            return None, None
        needed = least_access_level(scopes)
        return access.access_level or needed, needed

    def check_access(self, access: Access, kind: CredentialKind) -> list[tuple[str, str]]:
        access = gitlab_access_of(access)
        if kind == CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN and len(access.projects) != 1:
            return [("projects", "a project access token belongs to exactly one project")]
        if kind in (CredentialKind.GITLAB_GROUP_ACCESS_TOKEN, CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN):
            if not access.group:
                return [("group", f"a {kind.label} needs the group")]
        if kind == CredentialKind.GITLAB_DEPLOY_TOKEN and not (access.group or access.projects):
            return [("projects", "a deploy token belongs to a project or a group: name one")]
        return []

    def name_problems(self, access: Access) -> list[tuple[str, str]]:
        if not isinstance(access, GitLabAccess):
            raise TypeError(f"{type(access).__name__} is not GitLabAccess")
        return names.name_problems(access)

    def resources(self, access: Access) -> dict[str, str | list[str] | None]:
        access = gitlab_access_of(access)
        group = None if access.group is None else str(access.group)
        return {"group": group, "projects": list(access.projects), "access_level": access.access_level}

    def credential_targets(self, slot: Slot) -> list[str]:
        # A deploy token per project where no group is declared (a group from the stack's settings makes one).
        access = gitlab_access_of(slot.access)
        several = slot.kind == CredentialKind.GITLAB_DEPLOY_TOKEN and access.group is None and len(access.projects) > 1
        return list(access.projects) if several else []

    def creation_link_template(self, slot: Slot) -> LinkTemplate | None:
        if slot.kind != CredentialKind.GITLAB_PAT:
            return None
        web = slot.base_url or self.cloud_web_url
        # GitLab pre-fills name, description and scopes; it has no expiry parameter.
        rest = _description_and_scopes(slot.purpose, tuple(slot.scopes))
        return LinkTemplate(
            before=f"{web}/-/user_settings/personal_access_tokens?name=", after=f"&{rest}", plus=True, safe=","
        )

    def instruction_steps(self, slot: Slot, token_name: str, link: str | None) -> list[Step]:
        return list(_steps(link, token_name, slot.expires_at, slot.lifetime_days, tuple(slot.scopes)))

    def instruction_notes(self, slot: Slot) -> list[str]:
        if slot.base_url:
            return [
                "Self-managed GitLab older than 17.0 serves this page at `/-/profile/personal_access_tokens`;"
                " change the path if the link answers 404."
            ]
        return []


@lru_cache(maxsize=4096)
def _steps(
    link: str | None, token_name: str, expires_at: date, lifetime_days: int, scopes: tuple[str, ...]
) -> tuple[Step, ...]:
    # These values alone, which declarations made from one template share: built once for all of them.
    return (
        Step(
            text="Open the pre-filled **Personal access tokens** page (sign in if asked); name,"
            " description and scopes are filled in.",
            link=link,
        ),
        Step(
            text="Or by hand: your avatar → **Edit profile** → **Access** → **Personal access tokens**"
            " → **Add new token** (on GitLab 18.10 and later: **Generate token** → **Legacy token**)."
        ),
        Step(text=f"Check **Token name** reads `{token_name}`."),
        Step(
            text=f"Set **Expiration date** to **{expires_at.isoformat()}** ({lifetime_days}"
            " days): the link cannot fill it, and GitLab's default is different."
        ),
        Step(
            text="Under **Select scopes**, tick exactly these and nothing else:",
            items=[f"`{s}` — {CATALOG[s].description}" if CATALOG[s].description else f"`{s}`" for s in scopes],
        ),
        Step(text="Click **Create personal access token** and copy it now: GitLab shows it only once."),
    )


@lru_cache(maxsize=4096)
def _description_and_scopes(purpose: str, scopes: tuple[str, ...]) -> str:
    return urlencode({"description": purpose, "scopes": ",".join(scopes)}, safe=",")


SPEC = GitLab()
