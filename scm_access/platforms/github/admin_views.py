"""GitHub's administrator views, read as typed records: an organization's fine-grained token grants and
requests (as its GitHub App installation), its members, SAML credential authorizations (as an owner),
deploy keys and Actions secrets' metadata of a repository.

Only GET requests, 100 rows a page, following GitHub's ``Link`` header within the first page's origin.
Rows are read as GitHub's OpenAPI description gives them (``ghec.json``); a page that is not that shape
is a :class:`~scm_access.http.MalformedResponse` (the view fails, nothing of it is used). Timestamps are
kept as GitHub sent them and read by :func:`scm_access.inventory.listing.moment` (GitHub sends offsets
such as ``-07:00``): one that cannot be read is a fact not seen, never a guessed one.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal, TypeVar
from urllib.parse import quote, urljoin

import httpx
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError, model_validator

from scm_access.http import Api, ApiError, MalformedResponse, PageRequest, json_or_none
from scm_access.judge.secrets import scrub
from scm_access.platforms.github.permissions_data import PERMISSIONS

PER_PAGE = 100
MAX_PAGES = 1000
"""At 100 rows a page: 100,000 grants in one organization before a view gives up (and says so)."""

_GROUP_OF = {name: group for name, group, *_ in PERMISSIONS}


class ViewRefused(ApiError):
    """GitHub answered the view with a refusal (403, 404, 422...): the reason names the view, the status,
    GitHub's message and, where known, the permission that reading it needs."""

    def __init__(self, reason: str, *, status: int, host: str | None = None) -> None:
        self.status = status
        super().__init__(reason, host=host)


# -- shapes (as GitHub's OpenAPI description has them) ----------------------------------------------


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _FilledIn(_Shape):
    """A row with fields this program fills in after reading (:attr:`_ours`): a server's keys of the same name
    are not taken. (Only such rows check: a listing holds thousands of rows and their nested objects.)"""

    _ours: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _drop_ours(cls, data: Any) -> Any:
        # Copied only when a server sent such a key (almost no row has one).
        if isinstance(data, dict) and not cls._ours.isdisjoint(data):
            return {key: value for key, value in data.items() if key not in cls._ours}
        return data


class Account(_Shape):
    login: StrictStr
    id: StrictInt


class PermissionGroups(_Shape):
    organization: dict[str, StrictStr] = Field(default_factory=dict)
    repository: dict[str, StrictStr] = Field(default_factory=dict)
    other: dict[str, StrictStr] = Field(default_factory=dict)


class _PatRow(_FilledIn):
    id: StrictInt
    owner: Account
    repository_selection: Literal["none", "all", "subset"]
    repositories_url: StrictStr
    permissions: PermissionGroups
    token_id: StrictInt
    token_name: StrictStr
    token_expired: StrictBool
    token_expires_at: StrictStr | None
    token_last_used_at: StrictStr | None
    _ours: ClassVar[frozenset[str]] = frozenset({"repositories"})
    repositories: tuple[str, ...] | None = None
    """Full names of the selected repositories, when the selection is a subset and they were read."""

    @property
    def scopes(self) -> frozenset[str]:
        """The permissions in the scope catalog's spelling (``contents:read``)."""
        return catalog_permissions(self.permissions)


class PatGrant(_PatRow):
    """A fine-grained token's access to the organization (``id`` is the ``pat_id`` revocation uses)."""

    access_granted_at: StrictStr


class PatRequest(_PatRow):
    """A pending request for a fine-grained token's access (``id`` is the ``pat_request_id``)."""

    reason: StrictStr | None
    created_at: StrictStr


class CredentialAuthorization(_FilledIn):
    """A credential authorized for the organization's SAML single sign-on (``credential_id`` revokes it)."""

    login: StrictStr
    credential_id: StrictInt
    credential_type: StrictStr
    token_last_eight: StrictStr | None = None
    credential_authorized_at: StrictStr
    scopes: tuple[StrictStr, ...] | None = None
    credential_accessed_at: StrictStr | None
    authorized_credential_id: StrictInt | None
    authorized_credential_note: StrictStr | None = None
    authorized_credential_title: StrictStr | None = None
    authorized_credential_expires_at: StrictStr | None = None
    _ours: ClassVar[frozenset[str]] = frozenset({"expiry_shown"})
    expiry_shown: bool = False
    """The row carried ``authorized_credential_expires_at`` (null then means the token never expires)."""


class DeployKey(_FilledIn):
    id: StrictInt
    title: StrictStr
    read_only: StrictBool
    created_at: StrictStr
    verified: StrictBool
    added_by: StrictStr | None = None
    last_used: StrictStr | None = None
    _ours: ClassVar[frozenset[str]] = frozenset({"usage_shown"})
    usage_shown: bool = False
    """The row carried ``last_used`` (null then means never used); older servers do not send it."""
    enabled: StrictBool | None = None


class ActionsSecret(_Shape):
    name: StrictStr
    created_at: StrictStr
    updated_at: StrictStr


class _Repository(_Shape):
    full_name: StrictStr


_Row = TypeVar("_Row", bound=_Shape)


# -- permissions --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def catalog_permission(group: str, name: str, level: str) -> str:
    """A permission of a grant (``organization``/``repository``/``other``, name, level) as the scope
    catalog spells it. Organization permissions are listed by GitHub under short names in some answers
    (``administration``) and by their catalog names in others (``organization_administration``)."""
    if group == "organization" and _GROUP_OF.get(name) != "Organization":
        prefixed = f"organization_{name}"
        if _GROUP_OF.get(prefixed) == "Organization":
            return f"{prefixed}:{level}"
    return f"{name}:{level}"


def catalog_permissions(permissions: PermissionGroups) -> frozenset[str]:
    return frozenset(
        catalog_permission(group, name, level)
        for group, table in (
            ("organization", permissions.organization),
            ("repository", permissions.repository),
            ("other", permissions.other),
        )
        for name, level in table.items()
    )


# -- reading ------------------------------------------------------------------------------------------


def _link_next(response: httpx.Response, data: Any, page: PageRequest) -> PageRequest | None:
    link = response.links.get("next", {}).get("url")
    return PageRequest(urljoin(str(response.url), link)) if link else None


def _segment(name: str) -> str:
    return quote(name, safe="")


async def read_rows(
    api: Api,
    path: str,
    row: Callable[[Any], _Row],
    *,
    what: str,
    needs: str,
    params: Mapping[str, Any] | None = None,
    unwrap: str | None = None,
    max_pages: int = MAX_PAGES,
) -> list[_Row]:
    """Every row of a paged GitHub list. ``what`` names the view in reasons; ``needs`` the permission
    reading it takes; ``unwrap`` the key holding the rows when the page is an object. Raises
    :class:`ViewRefused` on a refusal, :class:`MalformedResponse` on an unreadable page or one past
    ``max_pages``."""
    rows: list[_Row] = []
    pages = 0
    last_next: list[PageRequest | None] = [None]

    def following(response: httpx.Response, data: Any, page: PageRequest) -> PageRequest | None:
        last_next[0] = _link_next(response, data, page)
        return last_next[0]

    async for response, data in api.pages(
        path, next_page=following, params={"per_page": PER_PAGE, **(params or {})}, max_pages=max_pages
    ):
        pages += 1
        if not response.is_success:
            raise refusal(what, needs, response)
        items = data.get(unwrap) if unwrap and isinstance(data, dict) else data
        if not isinstance(items, list):
            raise MalformedResponse(f"{response.url.host}: {what}: page {pages} is not a list", host=response.url.host)
        for index, item in enumerate(items):
            try:
                rows.append(row(item))
            except ValidationError as error:
                first = error.errors(include_url=False, include_input=False)[0]
                where = ".".join(str(part) for part in first["loc"]) or "row"
                raise MalformedResponse(
                    f"{response.url.host}: {what}: row {index + 1} of page {pages} is not GitHub's shape"
                    f" ({where}: {first['msg']})",
                    host=response.url.host,
                ) from None
    if pages >= max_pages and last_next[0] is not None:
        raise MalformedResponse(f"{what}: more than {max_pages} pages; not read to the end", host=None)
    return rows


def refusal(what: str, needs: str, response: httpx.Response) -> ViewRefused:
    data = json_or_none(response)
    message = data.get("message") if isinstance(data, dict) else None
    said = f": {scrub(' '.join(message.split()))[:200]}" if isinstance(message, str) and message.strip() else ""
    hint = f" (reading it needs {needs})" if response.status_code in (401, 403, 404) and needs else ""
    return ViewRefused(
        f"GitHub answered HTTP {response.status_code} to {what}{said}{hint}",
        status=response.status_code,
        host=response.url.host,
    )


APP_GRANTS = "the GitHub App's organization permission \"Personal access tokens\" (read)"
APP_REQUESTS = "the GitHub App's organization permission \"Personal access token requests\" (read)"
APP_MEMBERS = "the GitHub App's organization permission \"Members\" (read), or an organization owner's token"
OWNER_CREDENTIALS = (
    "an organization owner's token (classic: read:org), on GitHub Enterprise Cloud with SAML single sign-on"
)
APP_DEPLOY_KEYS = "the GitHub App's repository permission \"Administration\" (read), or an owner's token (repo)"
APP_SECRETS = "the GitHub App's repository permission \"Secrets\" (read), or an owner's token (repo)"


_Pat = TypeVar("_Pat", bound=_PatRow)


async def with_repositories(api: Api, org: str, rows: list[_Pat]) -> list[_Pat]:
    """Each subset grant or request with its repositories (one paged list per row, concurrently)."""

    async def complete(item: _Pat) -> _Pat:
        if item.repository_selection != "subset":
            return item
        kind = "personal-access-tokens" if isinstance(item, PatGrant) else "personal-access-token-requests"
        repositories = await read_rows(
            api,
            f"/orgs/{_segment(org)}/{kind}/{item.id}/repositories",
            _Repository.model_validate,
            what=f"the repositories of {kind.replace('-', ' ')} {item.id} in {org}",
            needs=APP_GRANTS if kind == "personal-access-tokens" else APP_REQUESTS,
        )
        return item.model_copy(update={"repositories": tuple(r.full_name for r in repositories)})

    return list(await asyncio.gather(*(complete(item) for item in rows)))


def _owner_filter(owners: list[str] | None) -> dict[str, Any]:
    # GitHub takes at most ten owners per request (``owner[]``).
    if not owners:
        return {}
    if len(owners) > 10:
        raise ValueError("GitHub filters grants by at most 10 owners at a time")
    return {"owner[]": list(owners)}


async def list_pat_grants(
    api: Api, org: str, *, owners: list[str] | None = None, repositories: bool = True
) -> list[PatGrant]:
    """The organization's fine-grained token grants (as its App installation), each subset grant with its
    repositories unless ``repositories`` is False; ``owners`` filters by holder (at most 10 logins)."""
    rows = await read_rows(
        api,
        f"/orgs/{_segment(org)}/personal-access-tokens",
        PatGrant.model_validate,
        what=f"the fine-grained token grants of {org}",
        needs=APP_GRANTS,
        params=_owner_filter(owners),
    )
    return await with_repositories(api, org, rows) if repositories else rows


async def list_pat_requests(
    api: Api, org: str, *, owners: list[str] | None = None, repositories: bool = True
) -> list[PatRequest]:
    """The organization's pending fine-grained token requests (as its App installation), each asking for a
    subset with its repositories unless ``repositories`` is False."""
    rows = await read_rows(
        api,
        f"/orgs/{_segment(org)}/personal-access-token-requests",
        PatRequest.model_validate,
        what=f"the fine-grained token requests of {org}",
        needs=APP_REQUESTS,
        params=_owner_filter(owners),
    )
    return await with_repositories(api, org, rows) if repositories else rows


async def list_members(api: Api, org: str) -> list[str]:
    """Logins of the organization's members (every role)."""
    rows = await read_rows(
        api, f"/orgs/{_segment(org)}/members", Account.model_validate, what=f"the members of {org}", needs=APP_MEMBERS
    )
    return [row.login for row in rows]


async def is_member(api: Api, org: str, login: str) -> bool | None:
    """Whether ``login`` is a member of the organization, publicly or not: True (204), False (404, which
    GitHub answers only to a caller entitled to know), None when GitHub does not say (it redirects a caller
    that may not see private members to the public list, which settles nothing)."""
    response = await api.get(f"/orgs/{_segment(org)}/members/{_segment(login)}")
    if response.status_code == 204:
        return True
    if response.status_code == 404:
        return False
    return None


def _authorization(item: Any) -> CredentialAuthorization:
    row = CredentialAuthorization.model_validate(item)
    shown = isinstance(item, dict) and "authorized_credential_expires_at" in item
    return row.model_copy(update={"expiry_shown": shown}) if shown else row


async def list_credential_authorizations(api: Api, org: str) -> list[CredentialAuthorization]:
    """The credentials authorized for the organization's SAML single sign-on (as an owner)."""
    return await read_rows(
        api,
        f"/orgs/{_segment(org)}/credential-authorizations",
        _authorization,
        what=f"the SAML credential authorizations of {org}",
        needs=OWNER_CREDENTIALS,
    )


def _deploy_key(item: Any) -> DeployKey:
    row = DeployKey.model_validate(item)
    shown = isinstance(item, dict) and "last_used" in item
    return row.model_copy(update={"usage_shown": shown}) if shown else row


async def list_deploy_keys(api: Api, owner: str, repo: str) -> list[DeployKey]:
    return await read_rows(
        api,
        f"/repos/{_segment(owner)}/{_segment(repo)}/keys",
        _deploy_key,
        what=f"the deploy keys of {owner}/{repo}",
        needs=APP_DEPLOY_KEYS,
    )


async def list_actions_secrets(api: Api, owner: str, repo: str) -> list[ActionsSecret]:
    """Names and dates of the repository's Actions secrets (never their values: GitHub does not serve them)."""
    return await read_rows(
        api,
        f"/repos/{_segment(owner)}/{_segment(repo)}/actions/secrets",
        ActionsSecret.model_validate,
        what=f"the Actions secrets of {owner}/{repo}",
        needs=APP_SECRETS,
        unwrap="secrets",
    )
