"""GitHub and GitHub Enterprise Server."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from scm_access.declarations.access import SamlSsoAuthorization
from scm_access.platforms.github.access import GitHubAccess
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.instruct.model import Step
from scm_access.platforms.base import PlatformSpec
from scm_access.platforms.github import names
from scm_access.platforms.github.scopes import CATALOG, REPOSITORY_GROUP
from scm_access.platforms.links import LinkTemplate

if TYPE_CHECKING:
    from scm_access.declarations.access import Access
    from scm_access.declarations.policy import Policy
    from scm_access.plan.slot import Slot

FINE_GRAINED_NAME_LIMIT = 40


def github_access(access: Access) -> GitHubAccess:
    """The declaration of a GitHub slot (anything else reaching GitHub's code is a bug in the planner)."""
    if not isinstance(access, GitHubAccess):
        raise TypeError(f"a GitHub slot planned from a {type(access).__name__}")
    return access


def _holds(scopes: frozenset[str], kind: CredentialKind) -> bool:
    """The kind can carry every scope (the catalog says so, for the planner and validation alike)."""
    return bool(scopes) and all(s in CATALOG and kind in CATALOG[s].kinds for s in scopes)


def is_fine_grained_permission(scope: str) -> bool:
    return scope in CATALOG and CredentialKind.GITHUB_FINE_GRAINED_PAT in CATALOG[scope].kinds


class GitHub(PlatformSpec):
    platform = Platform.GITHUB
    display_name = "GitHub"
    catalog = CATALOG
    cloud_web_url = "https://github.com"
    personal_kind = CredentialKind.GITHUB_CLASSIC_PAT
    secret_stores = {"github_actions_secret": "GitHub Actions secret"}

    def default_kind(self, access: Access) -> CredentialKind:
        scopes = access.scopes  # validated: scope strings, never labels
        if scopes and all(is_fine_grained_permission(s) for s in scopes):
            return CredentialKind.GITHUB_FINE_GRAINED_PAT
        return self.personal_kind

    def org_managed_equivalent(
        self, access: Access, scopes: frozenset[str], policy: Policy
    ) -> tuple[CredentialKind | None, str]:
        access = github_access(access)
        git_only = bool(access.repositories) and _holds(scopes, CredentialKind.GITHUB_DEPLOY_KEY)
        takes_a_key = access.delivery is not None and access.delivery.holds == "ssh_key"
        if git_only and takes_a_key:
            mode = "read-write" if "contents:write" in scopes else "read-only"
            return (
                CredentialKind.GITHUB_DEPLOY_KEY,
                f"git access to named repositories, delivered where an SSH key goes: a {mode} deploy key"
                " per repository",
            )
        if git_only:
            return (
                None,
                "git access alone, but a deploy key is an SSH key and the delivery does not take one (declare"
                " holds='ssh_key' where it does); GitHub has no API that mints a token for the organisation",
            )
        return (
            None,
            "GitHub has no API that mints a token with these scopes for the organisation"
            " (a GitHub App is the org-managed alternative, registered by hand)",
        )

    def check_access(self, access: Access, kind: CredentialKind) -> list[tuple[str, str]]:
        access = github_access(access)
        problems = []
        if kind == CredentialKind.GITHUB_FINE_GRAINED_PAT and not access.org:
            problems.append(("org", "a fine-grained token has one resource owner: name the org (or user)"))
        if kind == CredentialKind.GITHUB_DEPLOY_KEY and not access.repositories:
            problems.append(("repositories", "a deploy key belongs to a repository: name at least one"))
        return problems

    def name_problems(self, access: Access) -> list[tuple[str, str]]:
        if not isinstance(access, GitHubAccess):
            raise TypeError(f"{type(access).__name__} is not GitHubAccess")
        return names.name_problems(access)

    def owner(self, access: Access) -> str | None:
        return github_access(access).org

    def implicit_scopes(self, kind: CredentialKind, scopes: frozenset[str]) -> frozenset[str]:
        # The fine-grained token form adds Metadata: Read-only to any repository permission by itself.
        if kind == CredentialKind.GITHUB_FINE_GRAINED_PAT and any(
            s in CATALOG and CATALOG[s].group == REPOSITORY_GROUP for s in scopes
        ):
            return frozenset({"metadata:read"})
        return frozenset()

    def resources(self, access: Access) -> dict[str, str | list[str] | None]:
        access = github_access(access)
        return {"org": access.org, "repositories": list(access.repositories)}

    def declared_repositories(self, access: Access) -> frozenset[str] | None:
        access = github_access(access)
        if not access.repositories or not access.org:
            return None
        return frozenset(f"{access.org}/{name}" for name in access.repositories)

    def token_name_limit(self, kind: CredentialKind) -> int | None:
        return FINE_GRAINED_NAME_LIMIT if kind == CredentialKind.GITHUB_FINE_GRAINED_PAT else None

    def credential_targets(self, slot: Slot) -> list[str]:
        repositories = list(github_access(slot.access).repositories)
        return repositories if slot.kind == CredentialKind.GITHUB_DEPLOY_KEY and len(repositories) > 1 else []

    # -- instructions ------------------------------------------------------------------------------

    def creation_link_template(self, slot: Slot) -> LinkTemplate | None:
        web = slot.base_url or self.cloud_web_url
        if slot.kind == CredentialKind.GITHUB_CLASSIC_PAT:
            # GitHub reads a comma-separated `scopes` list and the note from `description`.
            scopes = _classic_scopes_query(tuple(slot.scopes))
            return LinkTemplate(before=f"{web}/settings/tokens/new?{scopes}&description=", plus=True, safe=",:")
        if slot.kind == CredentialKind.GITHUB_FINE_GRAINED_PAT:
            org = github_access(slot.access).org
            rest = _fine_grained_query(
                f"{slot.integration}: {slot.purpose}"[:1024], str(org) if org else None,
                min(slot.lifetime_days, 366), tuple(slot.scopes),
            )
            return LinkTemplate(
                before=f"{web}/settings/personal-access-tokens/new?name=", after=f"&{rest}",
                name_limit=FINE_GRAINED_NAME_LIMIT,
            )
        return None

    def instruction_steps(self, slot: Slot, token_name: str, link: str | None) -> list[Step]:
        web = slot.base_url or self.cloud_web_url
        scopes = tuple(slot.scopes)
        if slot.kind == CredentialKind.GITHUB_FINE_GRAINED_PAT:
            declared = github_access(slot.access)
            return list(
                _fine_grained_steps(
                    link, token_name, declared.org, tuple(declared.repositories), slot.expires_at,
                    slot.lifetime_days, scopes,
                )
            )
        saml_orgs = tuple(p.org for p in slot.prerequisites if isinstance(p, SamlSsoAuthorization))
        return list(_classic_steps(web, link, token_name, slot.expires_at, slot.lifetime_days, scopes, saml_orgs))


# The steps depend on these values alone, which declarations made from one template share: built once each.


@lru_cache(maxsize=4096)
def _classic_steps(
    web: str, link: str | None, token_name: str, expires_at: date, lifetime_days: int, scopes: tuple[str, ...],
    saml_orgs: tuple[str, ...],
) -> tuple[Step, ...]:
    steps = [
        Step(
            text="Open the pre-filled form **New personal access token (classic)** (sign in if asked)."
            " It has the note and the scopes ticked already.",
            link=link,
        ),
        Step(
            text="Or by hand: profile photo → **Settings** → **Developer settings** → **Personal access"
            " tokens** → **Tokens (classic)** → **Generate new token** → **Generate new token (classic)**."
        ),
        Step(text=f"In **Note**, keep or enter `{token_name}`."),
        Step(text=f"In **Expiration**, choose **Custom** and set **{expires_at.isoformat()}** ({lifetime_days} days)."),
        Step(
            text="Under **Select scopes**, tick exactly these boxes and nothing else:",
            items=[f"**{CATALOG.label(s)}** (`{s}`)" for s in scopes],
        ),
        Step(text="Click **Generate token** and copy the token now: GitHub shows it only once."),
    ]
    for org in saml_orgs:
        steps.append(
            Step(
                text=f"The **{org}** organization uses SAML single sign-on: on the token list, click **Configure"
                f" SSO** next to the new token, then **Authorize** next to **{org}**, and complete the sign-in.",
                link=f"{web}/settings/tokens",
            )
        )
    return tuple(steps)


@lru_cache(maxsize=4096)
def _fine_grained_steps(
    link: str | None, token_name: str, org: str | None, repositories: tuple[str, ...], expires_at: date,
    lifetime_days: int, scopes: tuple[str, ...],
) -> tuple[Step, ...]:
    steps = [
        Step(
            text="Open the pre-filled form **New fine-grained personal access token** (sign in if"
            " asked). Name, description, resource owner, expiry and permissions are filled in.",
            link=link,
        ),
        Step(
            text="Or by hand: profile photo → **Settings** → **Developer settings** → **Personal access"
            " tokens** → **Fine-grained tokens** → **Generate new token**."
        ),
        Step(text=f"Check **Token name** reads `{token_name[:FINE_GRAINED_NAME_LIMIT]}`."),
    ]
    if org:
        steps.append(Step(text=f"Check **Resource owner** is **{org}**."))
    steps.append(Step(text=f"Check **Expiration** is {lifetime_days} days (**{expires_at.isoformat()}**)."))
    if repositories:
        steps.append(
            Step(
                text="Under **Repository access**, choose **Only select repositories** and pick"
                " exactly these (the link cannot pre-select them):",
                items=[f"`{org}/{r}`" if org else f"`{r}`" for r in repositories],
            )
        )
    else:
        steps.append(Step(text="Under **Repository access**, choose **All repositories**."))
    steps.append(
        Step(
            text="Under **Permissions**, check that exactly these are set and everything else is"
            " **No access**:",
            items=[f"**{CATALOG.label(s)}** (`{s}`)" for s in scopes],
        )
    )
    steps.append(
        Step(
            text="Click **Generate token** and copy it now: GitHub shows it only once. If the"
            " organization requires approval, the token stays **pending** until an owner approves it."
        )
    )
    return tuple(steps)


@lru_cache(maxsize=4096)
def _classic_scopes_query(scopes: tuple[str, ...]) -> str:
    return urlencode({"scopes": ",".join(scopes)}, safe=",:")


@lru_cache(maxsize=4096)
def _fine_grained_query(description: str, org: str | None, expires_in: int, scopes: tuple[str, ...]) -> str:
    """The fine-grained form's query after the token's name: description, owner, expiry, permissions."""
    params: list[tuple[str, str]] = [("description", description)]
    if org:
        params.append(("target_name", org))
    params.append(("expires_in", str(expires_in)))
    for scope in scopes:
        permission, level = scope.split(":", 1)
        params.append((permission, level))
    return urlencode(params, quote_via=quote)


SPEC = GitHub()
