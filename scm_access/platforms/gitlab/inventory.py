"""What a GitLab administrator sees of the tokens that exist, without anyone's token in hand.

One admin token (``SCM_ACCESS_GITLAB_ADMIN_TOKEN``) and what its owner may read:

- **self-managed, instance administrator**: ``GET /personal_access_tokens`` lists every token of the
  instance (people's, and those of the bot users behind group, project and service-account tokens), and
  ``GET /users`` names each owner and says whether the account is blocked, banned or deactivated. GitLab
  answers a non-administrator with only their own tokens, so the list is read only when ``GET /user`` says
  the token's owner is an administrator;
- **GitLab.com, Owner of a top-level group**: nobody administers the instance; the group's credentials
  inventory (``/groups/:id/manage/personal_access_tokens`` and ``/resource_access_tokens``, Premium and
  Ultimate) lists its enterprise users' tokens and the group and project tokens of the hierarchy, and
  ``/groups/:id/enterprise_users`` names and states their owners. Members who are not enterprise users are
  not listed anywhere: their personal tokens cannot be seen;
- **always**, for each declared group and project: its access tokens, its deploy tokens, and the service
  accounts of its top-level group with their tokens.

Which of the two is told by the instance root: ``https://gitlab.com`` (no ``base_url`` declared, no
``--base-url``) is GitLab.com; any other root is a self-managed instance. Only GET requests are sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.http import Api, ApiClient, ApiError, MalformedResponse, PageRequest, read_json
from scm_access.judge import Fact
from scm_access.inventory.listing import Refused, entries_in, read_listing
from scm_access.inventory.model import FoundCredential, HolderState, Inventory, SourceReport, SourceStatus
from scm_access.inventory.reader import AdminCredential, InventoryContext
from scm_access.platforms.gitlab.responses import GitLabUser
from scm_access.platforms.gitlab.scopes import ROLE_RANK
from scm_access.platforms.gitlab.spec import SPEC, gitlab_access_of
from scm_access.platforms.gitlab.verify import credential_headers, with_api_path
from scm_access.verify.token import NoTokenError, Token, token_from_env

ADMIN_TOKEN_VAR = "SCM_ACCESS_GITLAB_ADMIN_TOKEN"
ADMIN_CREDENTIALS = (
    AdminCredential(
        ADMIN_TOKEN_VAR,
        "GitLab: every token of a self-managed instance (an administrator's token, read_api and admin_mode"
        " scopes); on GitLab.com the credentials inventory of each declared top-level group (its Owner's"
        " token, read_api); access tokens, service accounts and deploy tokens of the declared groups and"
        " projects",
    ),
)

PLATFORM = "gitlab"
PER_PAGE = 100
"""GitLab's largest page."""

# Source names (stable: outputs and revocation refer to them).
PERSONAL_ACCESS_TOKENS = "personal_access_tokens"
USERS = "users"
GROUP_ACCESS_TOKENS = "group_access_tokens"
PROJECT_ACCESS_TOKENS = "project_access_tokens"
SERVICE_ACCOUNT_TOKENS = "service_account_tokens"
GROUP_DEPLOY_TOKENS = "group_deploy_tokens"
PROJECT_DEPLOY_TOKENS = "project_deploy_tokens"
INVENTORY_PERSONAL_TOKENS = "credentials_inventory_personal_access_tokens"
INVENTORY_RESOURCE_TOKENS = "credentials_inventory_resource_access_tokens"
ENTERPRISE_USERS = "enterprise_users"
_HIERARCHY_VIEWS = frozenset({SERVICE_ACCOUNT_TOKENS, INVENTORY_PERSONAL_TOKENS, INVENTORY_RESOURCE_TOKENS})
"""The views read once per top-level group that list credentials of its whole hierarchy."""

ACCESS_TOKEN_KINDS = (
    CredentialKind.GITLAB_PAT,
    CredentialKind.GITLAB_GROUP_ACCESS_TOKEN,
    CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN,
    CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN,
)
"""What the instance list holds: every token row, people's and bot users'."""
KINDS_OF_SOURCE: dict[str, tuple[CredentialKind, ...]] = {
    PERSONAL_ACCESS_TOKENS: ACCESS_TOKEN_KINDS,
    # The owners name the tokens and tell their kinds: without them the list cannot say what is absent.
    USERS: ACCESS_TOKEN_KINDS,
    GROUP_ACCESS_TOKENS: (CredentialKind.GITLAB_GROUP_ACCESS_TOKEN,),
    PROJECT_ACCESS_TOKENS: (CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN,),
    SERVICE_ACCOUNT_TOKENS: (CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN,),
    GROUP_DEPLOY_TOKENS: (CredentialKind.GITLAB_DEPLOY_TOKEN,),
    PROJECT_DEPLOY_TOKENS: (CredentialKind.GITLAB_DEPLOY_TOKEN,),
    INVENTORY_RESOURCE_TOKENS: (CredentialKind.GITLAB_GROUP_ACCESS_TOKEN, CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN),
    # Enterprise users' tokens only: a holder who is not one would look absent, so it claims no kind.
    INVENTORY_PERSONAL_TOKENS: (),
    ENTERPRISE_USERS: (),
}
"""The kinds each view lists in full for its scope: a declared slot of such a kind with nothing found in a
view that was read is missing."""

STACK_CREDENTIAL_TYPES = frozenset({
    "gitlab:index/projectAccessToken:ProjectAccessToken",
    "gitlab:index/groupAccessToken:GroupAccessToken",
    "gitlab:index/groupServiceAccountAccessToken:GroupServiceAccountAccessToken",
    "gitlab:index/projectDeployToken:ProjectDeployToken",
    "gitlab:index/groupDeployToken:GroupDeployToken",
})
"""The stack's resources that are a credential these views list: the last part of each one's provider id is
the token's id (``<project>:<token id>``, ``<group>:<service account>:<token id>``)."""

FINE_GRAINED_LABEL = "GitLab fine-grained personal access token"
DEPLOY_TOKEN_USAGE = "last use: GitLab records no last use for deploy tokens"
FINE_GRAINED_SCOPES = "scopes: a fine-grained token holds permissions, not the legacy scopes a slot declares"

_ROLE_OF_LEVEL = {rank: role for role, rank in ROLE_RANK.items()}

# GitLab's user states; every one but active keeps the account from signing in (its tokens may linger).
_HOLDER_STATES = {
    "active": HolderState.ACTIVE,
    "blocked": HolderState.BLOCKED,
    "ldap_blocked": HolderState.BLOCKED,
    "blocked_pending_approval": HolderState.BLOCKED,
    "banned": HolderState.BLOCKED,
    "deactivated": HolderState.BLOCKED,
}


def configured(environ: Mapping[str, str]) -> str | None:
    if environ.get(ADMIN_TOKEN_VAR, "").strip():
        return None
    return f"set {ADMIN_TOKEN_VAR} to a GitLab administrator's (or top-level group Owner's) token to read GitLab"


# -- what is declared -------------------------------------------------------------------------------------


@dataclass
class Instance:
    """One GitLab instance and the groups and projects declared on it."""

    web_root: str
    groups: set[str] = field(default_factory=set)
    """Declared groups, as declared (a full path, or a numeric id)."""
    projects: set[str] = field(default_factory=set)
    """Declared projects, by full path."""
    is_gitlab_com: bool = False
    """GitLab.com (no instance administrator, a credentials inventory per top-level group) rather than a
    self-managed instance."""
    top_of_ids: dict[str, str] = field(default_factory=dict)
    """The top-level group of each group declared by numeric id, as GitLab answered (its id when it is a
    top-level group itself, else the first segment of its full path)."""

    @property
    def top_level_groups(self) -> list[str]:
        """Where service accounts and the credentials inventory live: the first segment of each declared
        group's and project's path; for a group declared by numeric id, its top-level group as GitLab says
        (the id itself when GitLab was not asked or did not say)."""
        tops = {self.top_of_ids.get(group) or _top_level(group) for group in self.groups}
        tops |= {project.split("/", 1)[0] for project in self.projects if "/" in project}
        return sorted(tops)


def is_gitlab_com(web_root: str) -> bool:
    """GitLab.com is the one instance nobody outside GitLab administers: its host is ``gitlab.com``."""
    return (urlsplit(web_root).hostname or "").lower() == "gitlab.com"


def instances(ctx: InventoryContext) -> list[Instance]:
    """The instances to read: ``--base-url`` for every slot, else each slot's own root (GitLab.com when none
    is declared); with no slot at all, the one instance named by ``--base-url`` (or GitLab.com)."""
    found: dict[str, Instance] = {}
    for slot in ctx.slots:
        access = gitlab_access_of(slot.access)
        root = (ctx.api_root or slot.base_url or SPEC.cloud_web_url).rstrip("/")
        instance = found.setdefault(root, Instance(root, is_gitlab_com=is_gitlab_com(root)))
        if access.group is not None:
            instance.groups.add(str(access.group))
        instance.projects.update(access.projects)
    if not found:
        root = (ctx.api_root or SPEC.cloud_web_url).rstrip("/")
        found[root] = Instance(root, is_gitlab_com=is_gitlab_com(root))
    return list(found.values())


def _top_level(group: str) -> str:
    return group.split("/", 1)[0]


# -- reading ----------------------------------------------------------------------------------------------


async def read(ctx: InventoryContext) -> Inventory:
    try:
        token = token_from_env(ADMIN_TOKEN_VAR, ctx.environ)
    except NoTokenError as error:
        return _nothing_read(f"{ADMIN_TOKEN_VAR}: {error}")
    if token is None:
        return _nothing_read(configured(ctx.environ) or "")
    inventory = Inventory()
    for part in await asyncio.gather(*(read_instance(ctx.http, instance, token) for instance in instances(ctx))):
        inventory.extend(part)
    return inventory


def _nothing_read(reason: str) -> Inventory:
    report = SourceReport(PLATFORM, PERSONAL_ACCESS_TOKENS, SourceStatus.SKIPPED, reason, kinds=ACCESS_TOKEN_KINDS)
    return Inventory(sources=[report])


async def read_instance(http: ApiClient, instance: Instance, token: Token) -> Inventory:
    """Every view of one instance the token's owner may read; each view that fails is reported on its own."""
    api = http.at(with_api_path(instance.web_root), credential_headers(token.reveal()))
    return await _InstanceReader(api, instance).read()


Found = list[FoundCredential]


class _InstanceReader:
    def __init__(self, api: Api, instance: Instance) -> None:
        self.api = api
        self.instance = instance
        self.host = urlsplit(instance.web_root).netloc
        self.sources: list[SourceReport] = []
        self.users: dict[int, _User] = {}
        """Owners by user id, from ``/users`` (self-managed) or the enterprise users (GitLab.com)."""

    async def read(self) -> Inventory:
        instance = self.instance
        await asyncio.gather(*(self._find_top_level(group) for group in sorted(instance.groups) if group.isdigit()))
        declared: list[Awaitable[Found]] = []
        for group in sorted(instance.groups):
            declared.append(self._resource_tokens(GROUP_ACCESS_TOKENS, "groups", group))
            declared.append(self._deploy_tokens(GROUP_DEPLOY_TOKENS, "groups", group))
        for project in sorted(instance.projects):
            declared.append(self._resource_tokens(PROJECT_ACCESS_TOKENS, "projects", project))
            declared.append(self._deploy_tokens(PROJECT_DEPLOY_TOKENS, "projects", project))
        for top in instance.top_level_groups if instance.groups else []:
            declared.append(self._service_account_tokens(top))
        wide = self._gitlab_com_views() if instance.is_gitlab_com else self._instance_views()
        # The declared resources' own views come first: where a token shows up twice (a group token is also
        # a bot user's token in the instance list), the view that names its group or project is kept.
        parts = await asyncio.gather(*declared, wide)
        self._report_top_level_views_for_subgroup_ids()
        return Inventory(credentials=_without_repeats(parts), sources=self.sources)

    def _report_top_level_views_for_subgroup_ids(self) -> None:
        """A top-level group's service accounts and credentials inventory cover every group below it. A
        subgroup declared by path is seen to be below it; one declared by numeric id only as GitLab answered:
        each such view is reported once more under the id, so that nothing found there reads as missing
        rather than as not looked at."""
        below = {group: top for group, top in self.instance.top_of_ids.items() if top != group}
        for report in list(self.sources):
            if report.source not in _HIERARCHY_VIEWS:
                continue
            for group, top in below.items():
                if top == report.scope:
                    self.sources.append(
                        replace(report, scope=group, detail=f"{report.detail} (group {group} is within {top})")
                    )

    async def _find_top_level(self, group_id: str) -> None:
        """A group declared by numeric id may be a subgroup: its service accounts and credentials inventory
        are its top-level group's. One request (``GET /groups/:id``: ``parent_id``, ``full_path``); when it
        fails, the id stands for itself and those views say what they found."""
        try:
            response = await self.api.get(f"groups/{group_id}", params={"with_projects": "false"})
            data = read_json(response) if response.status_code == 200 else None
        except ApiError:
            return
        if not isinstance(data, dict):
            return
        full_path, parent = data.get("full_path"), data.get("parent_id")
        if parent is None:
            self.instance.top_of_ids[group_id] = group_id
        elif isinstance(full_path, str) and "/" in full_path:
            self.instance.top_of_ids[group_id] = _top_level(full_path)

    # -- reporting ---------------------------------------------------------------------------------------

    async def _view(
        self,
        source: str,
        scope: str | None,
        read: Callable[[], Awaitable[str]],
        *,
        not_offered: Callable[[int], str | None] = lambda status: None,
        refused_hint: str = "",
    ) -> None:
        """Read one view (``read`` keeps what it found and returns what to say of it) and report it: read,
        skipped (the status says the tier or the instance does not offer it) or failed, with a reason that
        is safe to show."""
        try:
            detail = await read()
        except Refused as error:
            why_not = not_offered(error.status)
            if why_not is not None:
                self._report(source, scope, SourceStatus.SKIPPED, why_not)
            else:
                self._report(source, scope, SourceStatus.FAILED, _refusal(error, refused_hint))
            return
        except ApiError as error:
            self._report(source, scope, SourceStatus.FAILED, error.reason)
            return
        self._report(source, scope, SourceStatus.READ, detail)

    def _report(self, source: str, scope: str | None, status: SourceStatus, detail: str) -> None:
        self.sources.append(SourceReport(PLATFORM, source, status, detail, scope, KINDS_OF_SOURCE[source]))

    async def _list(self, path: str, what: str) -> list[Any]:
        return await read_listing(
            self.api,
            path,
            next_page=next_page,
            items=lambda data: entries_in(data, None, f"GitLab {what}"),
            params={"per_page": PER_PAGE},
            what=f"GitLab {what}",
            remaining_pages=remaining_pages,
        )

    def _counted(self, found: Found, what: str = "tokens") -> str:
        return f"{len(found)} {what} on {self.host}"

    # -- self-managed: the whole instance ----------------------------------------------------------------

    async def _instance_views(self) -> Found:
        why_not = await self._not_an_administrator()
        if why_not is not None:
            for source in (PERSONAL_ACCESS_TOKENS, USERS):
                self._report(source, None, why_not[0], why_not[1])
            return []
        listed: Found = []

        async def tokens() -> str:
            entries = await self._list("personal_access_tokens", "GET /personal_access_tokens")
            listed.extend(
                _access_token(e, source=PERSONAL_ACCESS_TOKENS, scope=None, kind=CredentialKind.GITLAB_PAT)
                for e in entries
            )
            return self._counted(listed)

        async def users() -> str:
            for entry in await self._list("users", "GET /users"):
                user = _user(entry)
                self.users[user.id] = user
            return f"{len(self.users)} users on {self.host}"

        # Both at once; the tokens are named from the users once both are in.
        await asyncio.gather(self._view(PERSONAL_ACCESS_TOKENS, None, tokens), self._view(USERS, None, users))
        return [self._with_owner(found, "the instance's users") for found in listed]

    async def _not_an_administrator(self) -> tuple[SourceStatus, str] | None:
        """None when the token's owner administers the instance; otherwise how the instance-wide views are
        reported, and why."""
        try:
            response = await self.api.get("user")
            if response.status_code != 200:
                refused = Refused(f"GitLab GET /user answered HTTP {response.status_code}", status=response.status_code)
                return SourceStatus.FAILED, _refusal(refused, "")
            data = read_json(response)
        except ApiError as error:
            return SourceStatus.FAILED, error.reason
        if isinstance(data, dict) and data.get("is_admin") is True:
            return None
        return SourceStatus.SKIPPED, (
            f"the admin token's owner is not an administrator of {self.host}: GitLab would list only their own"
            " tokens, so the instance's token list and users were not read"
        )

    def _with_owner(self, found: FoundCredential, users_from: str) -> FoundCredential:
        """The token with its owner named from the users read; a token of the instance list also gets its
        kind from the owner (a person's, or the bot user's of a group, project or service account)."""
        user = self.users.get(int(found.owner_id)) if found.owner_id and found.owner_id.isdigit() else None
        if user is None:
            unnamed = f"owner: {users_from} were not read or do not list user {found.owner_id}, so the owner is not named"
            if found.source == PERSONAL_ACCESS_TOKENS and found.kind_label != FINE_GRAINED_LABEL:
                # Without the owner a bot's group, project or service-account token looks like anyone's.
                return replace(found, kind=None, kind_label="GitLab access token", unobservable=(*found.unobservable, unnamed))
            return replace(found, unobservable=(*found.unobservable, unnamed))
        if found.source == PERSONAL_ACCESS_TOKENS and found.kind_label != FINE_GRAINED_LABEL:
            return replace(
                found, owner=user.username, owner_state=user.state, kind=user.token_kind,
                kind_label=user.token_kind.label,
            )
        return replace(found, owner=user.username, owner_state=user.state)

    # -- GitLab.com: the credentials inventory of each top-level group -------------------------------------

    async def _gitlab_com_views(self) -> Found:
        self._report(
            PERSONAL_ACCESS_TOKENS,
            None,
            SourceStatus.SKIPPED,
            "GitLab.com has no instance administrator: GET /personal_access_tokens shows only the caller's own"
            " tokens; each declared top-level group's credentials inventory is read instead",
        )
        found: Found = []
        for top in self.instance.top_level_groups:
            _, personal, resource = await asyncio.gather(
                self._enterprise_users(top), self._inventory_personal(top), self._inventory_resource(top)
            )
            found += [self._with_owner(f, f"the enterprise users of {top}") for f in personal] + resource
        return found

    async def _enterprise_users(self, top: str) -> None:
        count = 0

        async def read() -> str:
            nonlocal count
            for entry in await self._list(f"groups/{_id(top)}/enterprise_users", "GET /groups/:id/enterprise_users"):
                user = _user(entry)
                self.users[user.id] = user
                count += 1
            return f"{count} users on {self.host}"

        await self._view(ENTERPRISE_USERS, top, read, not_offered=_tier(top, "enterprise users"))

    async def _inventory_personal(self, top: str) -> Found:
        found: Found = []

        async def read() -> str:
            path = f"groups/{_id(top)}/manage/personal_access_tokens"
            found.extend(
                _access_token(e, source=INVENTORY_PERSONAL_TOKENS, scope=top, kind=CredentialKind.GITLAB_PAT)
                for e in await self._list(path, "GET /groups/:id/manage/personal_access_tokens")
            )
            return (
                f"{self._counted(found)}; only enterprise users' tokens: members of {top} who are not its"
                " enterprise users are not listed, and their personal tokens cannot be seen"
            )

        await self._view(INVENTORY_PERSONAL_TOKENS, top, read, not_offered=_tier(top, "credentials inventory"))
        return found

    async def _inventory_resource(self, top: str) -> Found:
        found: Found = []

        async def read() -> str:
            path = f"groups/{_id(top)}/manage/resource_access_tokens"
            found.extend(
                _resource_inventory_token(e, top)
                for e in await self._list(path, "GET /groups/:id/manage/resource_access_tokens")
            )
            return self._counted(found)

        await self._view(INVENTORY_RESOURCE_TOKENS, top, read, not_offered=_tier(top, "credentials inventory"))
        return found

    # -- declared groups and projects ---------------------------------------------------------------------

    async def _resource_tokens(self, source: str, resource: str, name: str) -> Found:
        kind = (
            CredentialKind.GITLAB_GROUP_ACCESS_TOKEN if resource == "groups" else CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN
        )
        found: Found = []

        async def read() -> str:
            entries = await self._list(f"{resource}/{_id(name)}/access_tokens", f"GET /{resource}/:id/access_tokens")
            # The token belongs to the resource (its bot user holds it): the resource is its owner.
            found.extend(_access_token(e, source=source, scope=name, kind=kind, owner=name) for e in entries)
            return self._counted(found)

        role = "Owner of the group" if resource == "groups" else "Maintainer of the project"
        await self._view(source, name, read, refused_hint=f"listing its access tokens needs {role}")
        return found

    async def _deploy_tokens(self, source: str, resource: str, name: str) -> Found:
        found: Found = []

        async def read() -> str:
            entries = await self._list(f"{resource}/{_id(name)}/deploy_tokens", f"GET /{resource}/:id/deploy_tokens")
            found.extend(_deploy_token(e, source=source, scope=name) for e in entries)
            return self._counted(found)

        role = "Maintainer of the group" if resource == "groups" else "Maintainer of the project"
        await self._view(source, name, read, refused_hint=f"listing its deploy tokens needs {role}")
        return found

    async def _service_account_tokens(self, top: str) -> Found:
        found: Found = []

        async def read() -> str:
            path = f"groups/{_id(top)}/service_accounts"
            accounts = [_user(e) for e in await self._list(path, "GET /groups/:id/service_accounts")]

            async def tokens_of(account: _User) -> Found:
                entries = await self._list(
                    f"{path}/{account.id}/personal_access_tokens",
                    "GET /groups/:id/service_accounts/:user_id/personal_access_tokens",
                )
                kind = CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN
                return [
                    _access_token(e, source=SERVICE_ACCOUNT_TOKENS, scope=top, kind=kind, owner=account.username)
                    for e in entries
                ]

            # Every account's list finishes before the view is judged; the first failure fails the view.
            parts = await asyncio.gather(*map(tokens_of, accounts), return_exceptions=True)
            for part in parts:
                if isinstance(part, BaseException):
                    raise part
                found.extend(part)
            return f"{self._counted(found)} of {len(accounts)} service accounts"

        await self._view(
            SERVICE_ACCOUNT_TOKENS,
            top,
            read,
            not_offered=_tier(top, "service accounts"),
            refused_hint="service accounts need Owner of the top-level group",
        )
        return found


# -- answers ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _User:
    id: int
    username: str
    state: HolderState | None
    bot: bool

    @property
    def token_kind(self) -> CredentialKind:
        return GitLabUser(self.id, self.username, self.bot).token_kind


def _user(entry: Any) -> _User:
    if not isinstance(entry, dict) or not _is_int(entry.get("id")) or not isinstance(entry.get("username"), str):
        raise MalformedResponse("GitLab listed a user without a numeric id and a username")
    state = entry.get("state")
    return _User(
        id=entry["id"],
        username=entry["username"],
        state=_HOLDER_STATES.get(state) if isinstance(state, str) else None,
        bot=entry.get("bot") is True,
    )


def _access_token(
    entry: Any, *, source: str, scope: str | None, kind: CredentialKind, owner: str | None = None
) -> FoundCredential:
    """A personal, group, project or service-account token as GitLab's token entity shows it."""
    if not isinstance(entry, dict) or not _is_int(entry.get("id")):
        raise MalformedResponse("GitLab listed a token without a numeric id")
    granular = entry.get("granular") is True
    active, revoked = _bool(entry.get("active")), _bool(entry.get("revoked"))
    expired = _bool(entry.get("expired"))
    if expired is None and active is False and revoked is False:
        expired = True  # inactive and not revoked: GitLab's only other reason is expiry
    level = entry.get("access_level")
    user_id = entry.get("user_id")
    return FoundCredential(
        platform=Platform.GITLAB,
        source=source,
        id=str(entry["id"]),
        kind=kind,
        kind_label=FINE_GRAINED_LABEL if granular else kind.label,
        name=_text(entry.get("name")),
        owner=owner,
        owner_id=str(user_id) if _is_int(user_id) else None,
        scope=scope,
        scopes=None if granular else _scopes(entry.get("scopes")),
        expires_at=_date(entry.get("expires_at")),
        never_expires="expires_at" in entry and entry["expires_at"] is None,
        expired=expired,
        revoked=revoked,
        active=active,
        created_at=_datetime(entry.get("created_at")),
        last_used_at=_datetime(entry.get("last_used_at")),
        usage_shown="last_used_at" in entry,
        access_level=_ROLE_OF_LEVEL.get(level) if isinstance(level, int) else None,
        unobservable=(FINE_GRAINED_SCOPES,) if granular else (),
        blind_to=frozenset({Fact.SCOPES}) if granular else frozenset(),
        extra=(("description", entry["description"]),) if _text(entry.get("description")) else (),
    )


def _resource_inventory_token(entry: Any, top: str) -> FoundCredential:
    """A group or project token from a group's credentials inventory: it names its resource by id only."""
    if not isinstance(entry, dict):
        raise MalformedResponse("GitLab listed a token that is not an object")
    resource_type = entry.get("resource_type")
    resource_id = str(entry["resource_id"]) if _is_int(entry.get("resource_id")) else None
    kinds = {"group": CredentialKind.GITLAB_GROUP_ACCESS_TOKEN, "project": CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN}
    kind = kinds.get(resource_type) if isinstance(resource_type, str) else None
    found = _access_token(
        entry,
        source=INVENTORY_RESOURCE_TOKENS,
        scope=top,
        kind=kind or CredentialKind.GITLAB_GROUP_ACCESS_TOKEN,
        owner=resource_id,
    )
    if kind is None:
        found = replace(found, kind=None, kind_label="GitLab group or project access token")
    extra = (("resource", f"{resource_type} {resource_id}"),) if resource_id else ()
    return replace(found, extra=(*found.extra, *extra))


def _deploy_token(entry: Any, *, source: str, scope: str) -> FoundCredential:
    if not isinstance(entry, dict) or not _is_int(entry.get("id")):
        raise MalformedResponse("GitLab listed a deploy token without a numeric id")
    revoked, expired = _bool(entry.get("revoked")), _bool(entry.get("expired"))
    username = _text(entry.get("username"))
    return FoundCredential(
        platform=Platform.GITLAB,
        source=source,
        id=str(entry["id"]),
        kind=CredentialKind.GITLAB_DEPLOY_TOKEN,
        kind_label=CredentialKind.GITLAB_DEPLOY_TOKEN.label,
        name=_text(entry.get("name")),
        owner=scope,
        scope=scope,
        scopes=_scopes(entry.get("scopes")),
        expires_at=_datetime(entry.get("expires_at")),
        never_expires="expires_at" in entry and entry["expires_at"] is None,
        expired=expired,
        revoked=revoked,
        active=None if revoked is None or expired is None else not (revoked or expired),
        unobservable=(DEPLOY_TOKEN_USAGE,),
        extra=(("username", username),) if username else (),
    )


def next_page(response: httpx.Response, data: Any, page: PageRequest) -> PageRequest | None:
    """GitLab's offset pagination names the next page in ``X-Next-Page`` (empty on the last); keyset
    pagination only in the ``Link`` header, whose URL is followed as given (same origin only)."""
    number = response.headers.get("x-next-page", "").strip()
    if number.isdigit():
        return PageRequest(page.url, {**page.params, "page": number})
    link = response.links.get("next", {}).get("url")
    if link:
        return PageRequest(str(link), {})
    return None


def remaining_pages(response: httpx.Response, page: PageRequest) -> list[PageRequest] | None:
    """The pages after the first, when GitLab says how many there are (``X-Total-Pages``; offset pagination).
    Past 10,000 entries GitLab leaves the header out: the pages are then followed one by one."""
    total = response.headers.get("x-total-pages", "").strip()
    current = response.headers.get("x-page", "").strip() or str(page.params.get("page", 1))
    if not (total.isdigit() and current.isdigit()):
        return None
    return [PageRequest(page.url, {**page.params, "page": str(number)}) for number in range(int(current) + 1, int(total) + 1)]


def _without_repeats(parts: list[Found]) -> Found:
    """One entry per token: the first view listing it wins. Personal, group, project and service-account
    tokens share one id space; deploy tokens have their own."""
    seen: set[tuple[bool, str]] = set()
    kept: Found = []
    for part in parts:
        for found in part:
            key = (found.kind == CredentialKind.GITLAB_DEPLOY_TOKEN, found.id)
            if key not in seen:
                seen.add(key)
                kept.append(found)
    return kept


def _refusal(error: Refused, hint: str) -> str:
    if error.status == 401:
        return f"{error.reason}: GitLab refused the admin token (wrong, expired or revoked)"
    if error.status == 403:
        return f"{error.reason}: the admin token lacks the read_api scope, or its owner the role" + (
            f" ({hint})" if hint else ""
        )
    if error.status == 404:
        return f"{error.reason}: not found, or not visible to the admin token's owner" + (f" ({hint})" if hint else "")
    return error.reason


def _tier(top: str, what: str) -> Callable[[int], str | None]:
    """403 and 404 from a view only Premium and Ultimate offer mean the tier (or the role) leaves it out."""

    def why(status: int) -> str | None:
        if status not in (403, 404):
            return None
        if what == "service accounts":
            return (
                f"GitLab answered HTTP {status} for the service accounts of {top}: they need Premium or Ultimate"
                " and the admin token's owner as Owner of the top-level group"
            )
        return (
            f"GitLab answered HTTP {status} for the {what} of {top}: on GitLab.com it needs Premium or Ultimate"
            " and the admin token's owner as Owner of the top-level group; without it, personal tokens of the"
            " group's members cannot be listed"
        )

    return why


def _id(name: str) -> str:
    """A group or project as a path segment: a numeric id as is, a full path URL-encoded."""
    return quote(name, safe="")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _scopes(value: Any) -> frozenset[str] | None:
    if isinstance(value, list) and all(isinstance(s, str) for s in value):
        return frozenset(value)
    return None


def _date(value: Any) -> datetime | None:
    """GitLab's token expiry is a date; the token stops working at 00:00 UTC that day."""
    if not isinstance(value, str):
        return None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return _date(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
