"""What an Atlassian organization administrator sees of Bitbucket credentials, and what nobody can see.

Bitbucket Cloud has no credential inventory of its own. The one list there is, is the Atlassian
organization's: ``GET https://api.atlassian.com/admin/api-access/v1/orgs/{orgId}/api-tokens`` lists the user
API tokens of the organization's **managed accounts** (accounts on a verified domain), with label, owner,
creation, expiry and last activity, read with an organization API key (``SCM_ACCESS_ATLASSIAN_ADMIN_KEY``,
sent as a bearer token; Atlassian documents the ``read:tokens:admin`` scope for the call) and the
organization id (``SCM_ACCESS_ATLASSIAN_ORG_ID``).

What it does not show, and nothing else does either (each said per source and per token, never guessed):
- a token's scopes and which app (Bitbucket, Jira, Confluence) it was made for;
- tokens of accounts that are not managed by the organization;
- whether the owner's account is deactivated (its tokens then stop working, yet stay listed);
- app passwords (no API lists them; Bitbucket removed them on 2026-07-28);
- repository, project and workspace access tokens (no public API lists them).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.http import ApiError, MalformedResponse, PageRequest
from scm_access.judge import Fact
from scm_access.inventory.listing import Refused, entries_in, read_listing, moment
from scm_access.inventory.model import FoundCredential, Inventory, SourceReport, SourceStatus
from scm_access.inventory.reader import AdminCredential, InventoryContext
from scm_access.verify.token import NoTokenError, Token

ADMIN_KEY_VAR = "SCM_ACCESS_ATLASSIAN_ADMIN_KEY"
ORG_ID_VAR = "SCM_ACCESS_ATLASSIAN_ORG_ID"
ADMIN_CREDENTIALS = (
    AdminCredential(
        ADMIN_KEY_VAR,
        "Bitbucket: the Atlassian organization's user API tokens of managed accounts (an organization admin's"
        " API key; with " + ORG_ID_VAR + ")",
    ),
    AdminCredential(ORG_ID_VAR, "the Atlassian organization whose API tokens are listed", secret=False),
)

PLATFORM = "bitbucket"
ADMIN_API = "https://api.atlassian.com/admin/api-access/v1"
API_TOKENS = "atlassian_api_tokens"
APP_PASSWORDS = "app_passwords"
ACCESS_TOKENS = "access_tokens"
KIND_LABEL = "Atlassian API token"

SCOPES_UNOBSERVABLE = (
    "scopes, and the app it is for (Bitbucket, Jira, Confluence): the organization's API-token list does not"
    " show them; its owner sees them under Atlassian account settings > Security > API tokens"
)
HOLDER_UNOBSERVABLE = (
    "whether the owner's account is deactivated: the list does not say (a deactivated account's tokens stop"
    " working but stay listed); Atlassian Administration > Directory > Managed accounts shows it"
)
MANAGED_ONLY = (
    "only managed accounts' tokens (accounts on a domain the organization verified): tokens of other accounts"
    " with access to the workspace cannot be seen"
)
APP_PASSWORDS_NOT_LISTED = (
    "not listable: no Bitbucket or Atlassian API lists app passwords (only their owner sees them, under"
    " Personal Bitbucket settings > App passwords); Bitbucket removed app passwords on 2026-07-28"
)
ACCESS_TOKENS_NOT_LISTED = (
    "not listable: no public API lists repository, project or workspace access tokens (Atlassian suggestion"
    " BCLOUD-23192, unresolved); review them under each repository's, project's and workspace's settings"
    " > Access tokens"
)


def configured(environ: Mapping[str, str]) -> str | None:
    missing = [name for name in (ADMIN_KEY_VAR, ORG_ID_VAR) if not environ.get(name, "").strip()]
    if not missing:
        return None
    return (
        f"set {' and '.join(missing)} (an Atlassian organization admin's API key and the organization id) to"
        " read the organization's API tokens"
    )


async def read(ctx: InventoryContext) -> Inventory:
    inventory = Inventory(sources=_cannot_show())
    why_not = configured(ctx.environ)
    if why_not is not None:
        inventory.sources.insert(0, SourceReport(PLATFORM, API_TOKENS, SourceStatus.SKIPPED, why_not))
        return inventory
    organization = ctx.environ[ORG_ID_VAR].strip()
    try:
        key = Token(ctx.environ[ADMIN_KEY_VAR])
    except NoTokenError as error:
        problem = f"{ADMIN_KEY_VAR}: {error}"
        inventory.sources.insert(0, SourceReport(PLATFORM, API_TOKENS, SourceStatus.FAILED, problem, organization))
        return inventory
    try:
        found = await _api_tokens(ctx, key, organization)
    except ApiError as error:
        report = SourceReport(PLATFORM, API_TOKENS, SourceStatus.FAILED, _refusal(error), organization)
    else:
        inventory.credentials += found
        report = SourceReport(
            PLATFORM, API_TOKENS, SourceStatus.READ, f"{len(found)} API tokens; {MANAGED_ONLY}", organization
        )
    inventory.sources.insert(0, report)
    return inventory


def _cannot_show() -> list[SourceReport]:
    """What no administrator can read, said once per run where the other sources are."""
    return [
        SourceReport(
            PLATFORM, APP_PASSWORDS, SourceStatus.SKIPPED, APP_PASSWORDS_NOT_LISTED,
            kinds=(CredentialKind.BITBUCKET_APP_PASSWORD,),
        ),
        SourceReport(PLATFORM, ACCESS_TOKENS, SourceStatus.SKIPPED, ACCESS_TOKENS_NOT_LISTED),
    ]


async def _api_tokens(ctx: InventoryContext, key: Token, organization: str) -> list[FoundCredential]:
    headers = {"Authorization": key.derive(f"Bearer {key.reveal()}"), "Accept": "application/json"}
    api = ctx.http.at(ctx.api_root or ADMIN_API, headers)
    entries = await read_listing(
        api,
        f"orgs/{quote(organization, safe='')}/api-tokens",
        next_page=next_page,
        items=lambda data: entries_in(data, "data", "Atlassian API tokens"),
        what="Atlassian GET /orgs/{orgId}/api-tokens",
    )
    return [_token(entry) for entry in entries]


def next_page(response: httpx.Response, data: Any, page: PageRequest) -> PageRequest | None:
    """``links.next``: followed as a URL when it is one (same origin only), else sent back as ``cursor``, the
    way Atlassian's other admin APIs page."""
    links = data.get("links") if isinstance(data, dict) else None
    following = links.get("next") if isinstance(links, dict) else None
    if not isinstance(following, str) or not following:
        return None
    if following.startswith(("https://", "http://")):
        return PageRequest(following, {})
    return PageRequest(page.url, {**page.params, "cursor": following})


def _token(entry: Any) -> FoundCredential:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
        raise MalformedResponse("Atlassian listed an API token without an id")
    listed_user = entry.get("user")
    user: dict[str, Any] = listed_user if isinstance(listed_user, dict) else {}
    status = entry.get("status")
    return FoundCredential(
        platform=Platform.BITBUCKET,
        source=API_TOKENS,
        id=entry["id"],
        kind=CredentialKind.BITBUCKET_API_TOKEN,
        kind_label=KIND_LABEL,
        name=_text(entry.get("label")),
        owner=_text(user.get("email")),
        owner_id=_text(user.get("id")),
        # The organization's list is not a workspace's: no declared workspace contains it.
        scope=None,
        expires_at=moment(entry.get("expiresAt")),
        never_expires=True if "expiresAt" in entry and entry["expiresAt"] is None else None,
        # ALLOWED is the one status Atlassian documents; any other is shown, not interpreted.
        active=True if status == "ALLOWED" else None,
        created_at=moment(entry.get("createdAt")),
        last_used_at=moment(entry.get("lastActiveAt")),
        usage_shown="lastActiveAt" in entry,
        unobservable=(SCOPES_UNOBSERVABLE, HOLDER_UNOBSERVABLE),
        blind_to=frozenset({Fact.SCOPES}),
        extra=(("status", status),) if isinstance(status, str) and status != "ALLOWED" else (),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None




def _refusal(error: ApiError) -> str:
    if isinstance(error, Refused):
        if error.status == 401:
            return f"{error.reason}: Atlassian refused the admin API key (wrong, expired or revoked)"
        if error.status == 403:
            return f"{error.reason}: the API key may not read API tokens (read:tokens:admin, an organization admin's key)"
        if error.status == 404:
            return f"{error.reason}: no organization with that id ({ORG_ID_VAR}) for this key"
    return error.reason
