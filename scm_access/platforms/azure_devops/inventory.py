"""What an Azure DevOps administrator sees of the personal access tokens that exist.

Azure DevOps has no list of every token of an organization: token administration lists one user's tokens
at a time. So the reading is: every user of the organization from Graph (``GET _apis/graph/users``, in
pages linked by continuation tokens), then each user's tokens (``GET _apis/tokenadmin/personalaccesstokens
/{subjectDescriptor}``), one request per user (more only when a user's list has further pages), at most as
many at once as the HTTP layer allows. Every user is read, not only the declared holders: a token nobody
declared is what the inventory is for.

The admin credential (``SCM_ACCESS_AZURE_DEVOPS_ADMIN_TOKEN``) is a Project Collection Administrator's
PAT with Token administration (``vso.tokenadministration``) and Graph (Read) (``vso.graph``), sent with HTTP
Basic like every Azure DevOps PAT. Both areas live on the ``vssps`` host in the cloud and on the collection
itself on Azure DevOps Server.

What it shows of a token: its name, scopes (``app_token`` is full access), validity dates, whether it is
still valid, and which organizations it reaches (``targetAccounts`` null: every organization the user can
reach, a global token; global tokens stop working on 2026-12-01). What it does not: when a token was last
used. Of its owner, Graph says whether the account was deleted in its identity provider (Microsoft Entra).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.http import Api, ApiClient, ApiError, MalformedResponse
from scm_access.inventory.listing import Refused, entries_in, listing_pages, moment, read_listing
from scm_access.inventory.model import FoundCredential, HolderState, Inventory, SourceReport, SourceStatus
from scm_access.inventory.reader import AdminCredential, InventoryContext
from scm_access.platforms.azure_devops.spec import azure_devops_access
from scm_access.platforms.azure_devops.verify import (
    GRAPH_API_VERSION,
    api_root,
    continuation_page,
    credential_headers,
    graph_root,
)
from scm_access.verify.token import NoTokenError, Token, token_from_env

ADMIN_TOKEN_VAR = "SCM_ACCESS_AZURE_DEVOPS_ADMIN_TOKEN"
ADMIN_CREDENTIALS = (
    AdminCredential(
        ADMIN_TOKEN_VAR,
        "Azure DevOps: every user's personal access tokens in each declared organization (a Project Collection"
        " Administrator's PAT with Token administration and Graph (Read) scopes)",
    ),
)

PLATFORM = "azure_devops"
GRAPH_USERS = "graph_users"
TOKEN_ADMINISTRATION = "token_administration"
TOKEN_ADMIN_API_VERSION = "7.1-preview.1"
GLOBAL_TOKENS_STOP = "2026-12-01"
"""Microsoft retires global personal access tokens: from this day they no longer work."""

LAST_USE_UNOBSERVABLE = "last use: Azure DevOps token administration shows no last-used date"
KIND_LABEL = "personal access token"
PAT_KINDS = (CredentialKind.AZURE_DEVOPS_PAT,)
"""Both views stand for the organization's PATs in full: the users, whose tokens are listed, and the lists."""


def configured(environ: Mapping[str, str]) -> str | None:
    if environ.get(ADMIN_TOKEN_VAR, "").strip():
        return None
    return (
        f"set {ADMIN_TOKEN_VAR} to a Project Collection Administrator's PAT (Token administration, Graph read)"
        " to read Azure DevOps"
    )


def organizations(ctx: InventoryContext) -> list[tuple[str, str]]:
    """(URL, name) of each organization to read: ``--base-url`` (one organization or collection), else each
    declared one. The name is the declared organization (what slots are matched by), or, for a
    ``--base-url`` no single declared organization names, the last segment of its path."""
    declared = {api_root(slot).rstrip("/"): azure_devops_access(slot.access).organization for slot in ctx.slots}
    if ctx.api_root:
        url = ctx.api_root.rstrip("/")
        names = set(declared.values())
        name = names.pop() if len(names) == 1 else urlsplit(url).path.strip("/").rsplit("/", 1)[-1] or url
        return [(url, name)]
    return sorted(declared.items())


async def read(ctx: InventoryContext) -> Inventory:
    try:
        token = token_from_env(ADMIN_TOKEN_VAR, ctx.environ)
    except NoTokenError as error:
        return _skipped(f"{ADMIN_TOKEN_VAR}: {error}")
    if token is None:
        return _skipped(configured(ctx.environ) or "")
    declared = organizations(ctx)
    if not declared:
        return _skipped("no Azure DevOps organization is declared (--base-url names one)")
    inventory = Inventory()
    reads = (read_organization(ctx.http, url, token, organization=name) for url, name in declared)
    for part in await asyncio.gather(*reads):
        inventory.extend(part)
    return inventory


def _skipped(reason: str) -> Inventory:
    return Inventory(sources=[SourceReport(PLATFORM, TOKEN_ADMINISTRATION, SourceStatus.SKIPPED, reason, kinds=PAT_KINDS)])


async def read_organization(
    http: ApiClient, organization_url: str, token: Token, *, organization: str, graph_url: str | None = None
) -> Inventory:
    """Every user's tokens in one organization (``graph_url`` overrides where Graph and token administration
    are reached: tests, proxies)."""
    api = http.at(graph_url or graph_root(organization_url), credential_headers(token))
    inventory = Inventory()

    def report(source: str, status: SourceStatus, detail: str) -> None:
        inventory.sources.append(SourceReport(PLATFORM, source, status, detail, organization, PAT_KINDS))

    # Each page of users is read for tokens as it arrives: the next page (a continuation token away) comes
    # meanwhile, instead of every user's request waiting for the whole list.
    reading = _TokenReading(api, organization)
    users: list[_User] = []
    try:
        credentials = await reading.as_listed(_user_pages(api), users)
    except _GraphFailed as failed:
        reason = _refusal(failed.error, "Graph (Read), vso.graph")
        report(GRAPH_USERS, SourceStatus.FAILED, reason)
        report(TOKEN_ADMINISTRATION, SourceStatus.FAILED, "not read: the organization's users could not be listed")
        return inventory
    departed = sum(1 for user in users if user.deleted_in_origin)
    report(GRAPH_USERS, SourceStatus.READ, f"{len(users)} users ({departed} deleted in their identity provider)")
    try:
        inventory.credentials += reading.outcome(credentials, len(users))
    except ApiError as error:
        report(TOKEN_ADMINISTRATION, SourceStatus.FAILED, _refusal(error, "Token administration, vso.tokenadministration"))
        return inventory
    report(TOKEN_ADMINISTRATION, SourceStatus.READ, reading.summary(len(users), len(inventory.credentials)))
    return inventory


class _GraphFailed(Exception):
    """Internal: the users could not be listed (the error says why)."""

    def __init__(self, error: ApiError) -> None:
        self.error = error


async def _user_pages(api: Api) -> AsyncIterator[list[_User]]:
    try:
        async for entries in listing_pages(
            api,
            "_apis/graph/users",
            next_page=continuation_page,
            items=lambda data: entries_in(data, "value", "Azure DevOps Graph users"),
            params={"api-version": GRAPH_API_VERSION},  # the list takes no page size: continuation tokens only
            what="Azure DevOps GET _apis/graph/users",
        ):
            yield [_user(entry) for entry in entries]
    except ApiError as error:
        raise _GraphFailed(error) from None


class _TokenReading:
    """Each user's tokens, one listing per user, stopping everything at the first failure (a partial list
    of the organization's tokens would make the missing ones look absent)."""

    def __init__(self, api: Api, organization: str) -> None:
        self.api = api
        self.organization = organization
        self.in_flight = max(1, api.client.settings.max_concurrency)
        """Users asked about at once: as many as the client sends at once. The client serves requests in the
        order they were made, so the other readers' requests still wait behind at most this many."""
        self.not_listed = 0
        """Users token administration did not know (HTTP 400 or 404 for their descriptor)."""
        self.failure: ApiError | None = None
        self.stopped = False
        """The reading stops (the users could not be listed, a bug, an interrupt): no request is sent after."""

    async def as_listed(self, pages: AsyncIterator[list[_User]], users: list[_User]) -> list[FoundCredential]:
        """Every user's tokens, reading each page of ``pages`` as it comes (its users are added to ``users``),
        in the order of the users. The first user is asked alone: a refused credential then costs one
        request, not one per user."""
        found: dict[int, list[FoundCredential]] = {}
        queue: asyncio.Queue[tuple[int, _User] | None] = asyncio.Queue()

        async def worker() -> None:
            while (item := await queue.get()) is not None:
                index, user = item
                try:
                    found[index] = await self._of(user)
                except Exception:
                    self.stopped = True  # a bug: no more requests; it is raised below
                    raise
            queue.put_nowait(None)  # the end, passed on to the next worker

        workers: list[asyncio.Task[None]] = []
        try:
            async for page in pages:
                for user in page:
                    index = len(users)
                    users.append(user)
                    if index == 0:
                        found[0] = await self._of(user)
                    elif self.failure is None and not self.stopped:
                        if not workers:
                            workers = [asyncio.create_task(worker()) for _ in range(self.in_flight)]
                        queue.put_nowait((index, user))
        except BaseException as error:
            self.stopped = True
            if not isinstance(error, Exception):  # cancelled (an interrupt): the requests in flight end too
                for task in workers:
                    task.cancel()
            raise
        finally:
            queue.put_nowait(None)
            ended = await asyncio.gather(*workers, return_exceptions=True)
            bugs = [outcome for outcome in ended if isinstance(outcome, Exception)]
            if bugs:
                # A bug in a worker, not a server's answer (those are kept in self.failure): it comes first,
                # even before a failure of the users' listing.
                raise bugs[0]
        return [credential for index in sorted(found) for credential in found[index]]

    def outcome(self, found: list[FoundCredential], users: int) -> list[FoundCredential]:
        """The tokens read, or the reason they cannot be used."""
        if self.failure is not None:
            raise self.failure
        if users and self.not_listed == users:
            raise ApiError(
                "token administration knew none of the organization's users (HTTP 404 or 400 for each): on Azure"
                " DevOps Server it is reported not to be offered"
            )
        return found

    async def _of(self, user: _User) -> list[FoundCredential]:
        if self.failure is not None or self.stopped:
            return []
        try:
            entries = await read_listing(
                self.api,
                f"_apis/tokenadmin/personalaccesstokens/{quote(user.descriptor, safe='')}",
                next_page=continuation_page,
                items=lambda data: entries_in(data, "value", "Azure DevOps token administration"),
                # No pageSize: the specification documents no default or maximum, and answers one it refuses
                # with 400, as it does a descriptor it does not know (counted and passed over below).
                params={"api-version": TOKEN_ADMIN_API_VERSION, "isPublic": "false"},
                what="Azure DevOps GET _apis/tokenadmin/personalaccesstokens",
            )
            return [_token(entry, user, self.organization) for entry in entries if _is_pat(entry)]
        except Refused as error:
            if error.status in (400, 404):
                self.not_listed += 1  # not a user token administration knows (e.g. a service identity)
                return []
            self.failure = self.failure or error
        except ApiError as error:
            # Kept, not raised: the other users' requests still in flight finish quietly, none is sent after.
            self.failure = self.failure or error
        return []

    def summary(self, users: int, tokens: int) -> str:
        text = f"{tokens} personal access tokens of {users} users"
        if self.not_listed:
            text += f"; {self.not_listed} users unknown to token administration (no tokens of theirs listed)"
        return text


# -- answers ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _User:
    descriptor: str
    principal_name: str | None
    display_name: str | None
    deleted_in_origin: bool

    @property
    def state(self) -> HolderState:
        # Graph lists the organization's users; one deleted in Microsoft Entra (or its origin) has left.
        return HolderState.DELETED if self.deleted_in_origin else HolderState.ACTIVE


def _user(entry: Any) -> _User:
    if not isinstance(entry, dict) or not isinstance(entry.get("descriptor"), str) or not entry["descriptor"]:
        raise MalformedResponse("Azure DevOps Graph listed a user without a descriptor")
    principal = entry.get("principalName") or entry.get("mailAddress")
    name = entry.get("displayName")
    return _User(
        descriptor=entry["descriptor"],
        principal_name=principal if isinstance(principal, str) and principal else None,
        display_name=name if isinstance(name, str) else None,
        deleted_in_origin=entry.get("isDeletedInOrigin") is True,
    )


def _is_pat(entry: Any) -> bool:
    # Asked with isPublic=false (personal access tokens); an SSH key (isPublic true) is not one.
    return not (isinstance(entry, dict) and entry.get("isPublic") is True)


def _token(entry: Any, user: _User, organization: str) -> FoundCredential:
    """One ``SessionToken``: never its value (token administration does not return it)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("authorizationId"), str):
        raise MalformedResponse("Azure DevOps token administration listed a token without an authorizationId")
    scope = entry.get("scope")
    targets = entry.get("targetAccounts")
    everywhere = None
    if "targetAccounts" in entry:
        everywhere = targets is None
    extra: list[tuple[str, str]] = []
    if isinstance(targets, list):
        extra.append(("target_accounts", ", ".join(str(t) for t in targets)))
    if everywhere:
        extra.append(("global_token_stops_working", GLOBAL_TOKENS_STOP))
    valid = entry.get("isValid")
    name = entry.get("displayName")
    return FoundCredential(
        platform=Platform.AZURE_DEVOPS,
        source=TOKEN_ADMINISTRATION,
        id=entry["authorizationId"],
        kind=CredentialKind.AZURE_DEVOPS_PAT,
        kind_label=KIND_LABEL,
        name=name if isinstance(name, str) and name else None,
        owner=user.principal_name,
        owner_id=user.descriptor,
        owner_state=user.state,
        scope=organization,
        scopes=frozenset(scope.split()) if isinstance(scope, str) else None,
        expires_at=moment(entry.get("validTo")),
        created_at=moment(entry.get("validFrom")),
        active=valid if isinstance(valid, bool) else None,
        all_organizations=everywhere,
        unobservable=(LAST_USE_UNOBSERVABLE,),
        extra=tuple(extra),
    )




def _refusal(error: ApiError, needed: str) -> str:
    if isinstance(error, Refused):
        if error.status == 401:
            return (
                f"{error.reason}: Azure DevOps refused the admin token, or its owner is not a Project Collection"
                f" Administrator, or the PAT lacks {needed}"
            )
    return error.reason
