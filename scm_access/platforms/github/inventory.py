"""GitHub's administrator views, for the inventory: what exists in each declared organization.

With the GitHub App (``SCM_ACCESS_GITHUB_APP_ID`` and its private key), as its installation on each
organization: the fine-grained token grants (permissions, repositories, expiry, last use), the pending
requests, the members (to tell a departed holder), the deploy keys and the Actions secrets' metadata of the
declared repositories. With an organization owner's token (``SCM_ACCESS_GITHUB_ADMIN_TOKEN``): the SAML
credential authorizations (classic tokens authorized for the organization's single sign-on), and the
members, keys and secrets when no App is configured.

Each view of each organization is one source: one that fails says why, and only the findings that depend on
it become ``unknown``. Pending requests are not credentials (they grant nothing until approved): the source
counts them, and :func:`~scm_access.platforms.github.admin_views.list_pat_requests` gives them to the
``requests`` command.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TypeVar

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations.connection import SecretStore
from scm_access.http import Api, ApiClient, ApiError
from scm_access.inventory.listing import moment
from scm_access.inventory.model import FoundCredential, HolderState, Inventory, SourceReport, SourceStatus
from scm_access.inventory.reader import AdminCredential, InventoryContext
from scm_access.plan.slot import Slot
from scm_access.platforms.github.admin_views import (
    ActionsSecret,
    CredentialAuthorization,
    DeployKey,
    PatGrant,
    ViewRefused,
    is_member,
    list_actions_secrets,
    list_credential_authorizations,
    list_deploy_keys,
    list_members,
    list_pat_grants,
    list_pat_requests,
)
from scm_access.platforms.github.app_auth import (
    APP_ID_VAR,
    PRIVATE_KEY_FILE_VAR,
    PRIVATE_KEY_VAR,
    RATE_LIMIT_PHRASES,
    GitHubApp,
    app_configured,
    headers_for,
)
from scm_access.platforms.github.spec import github_access
from scm_access.platforms.github.verify import api_root as slot_api_root
from scm_access.verify.token import Token, token_from_env

ADMIN_TOKEN_VAR = "SCM_ACCESS_GITHUB_ADMIN_TOKEN"

ADMIN_CREDENTIALS = (
    AdminCredential(
        APP_ID_VAR,
        "with the App's private key: each declared organization's fine-grained token grants and pending"
        " requests, members, deploy keys and Actions secrets' metadata (a GitHub App installed on it)",
        secret=False,
    ),
    AdminCredential(PRIVATE_KEY_VAR, "the GitHub App's private key, the PEM text"),
    AdminCredential(PRIVATE_KEY_FILE_VAR, "instead: the path of the App's private key file", secret=False),
    AdminCredential(
        ADMIN_TOKEN_VAR,
        "an organization owner's token: the SAML credential authorizations (classic tokens authorized for the"
        " organization; GitHub Enterprise Cloud with SAML single sign-on)",
    ),
)

GRANTS = "fine_grained_grants"
REQUESTS = "fine_grained_requests"
CREDENTIAL_AUTHORIZATIONS = "credential_authorizations"
MEMBERS = "org_members"
DEPLOY_KEYS = "deploy_keys"
STACK_CREDENTIAL_TYPES = frozenset({"github:index/repositoryDeployKey:RepositoryDeployKey"})
"""The stack's resources that are a credential these views list: a deploy key's provider id is
``<repository>:<key id>``."""
ACTIONS_SECRETS = "actions_secrets"

FINE_GRAINED_LABEL = "fine-grained personal access token"
_ENABLE_APP = f"set {APP_ID_VAR} and {PRIVATE_KEY_VAR} (or {PRIVATE_KEY_FILE_VAR}) for a GitHub App installed on it"
_ENABLE_OWNER = f"set {ADMIN_TOKEN_VAR} to an organization owner's token (classic: read:org)"
_ACTIONS_SECRET_STORE = "github_actions_secret"


def configured(environ: Mapping[str, str]) -> str | None:
    if app_configured(environ) or environ.get(ADMIN_TOKEN_VAR, "").strip():
        return None
    return (
        f"set {APP_ID_VAR} and {PRIVATE_KEY_VAR} (a GitHub App: fine-grained token grants), or"
        f" {ADMIN_TOKEN_VAR} (an organization owner's token: SAML credential authorizations)"
    )


@dataclass
class _Org:
    """One declared organization on one GitHub host, and what the declarations need read there."""

    api_root: str
    name: str
    deploy_key_repositories: set[str] = field(default_factory=set)
    secrets: dict[str, set[str]] = field(default_factory=dict)
    """Repository -> names of the Actions secrets the declarations deliver to."""
    delivering_slots: dict[str, Slot] = field(default_factory=dict)
    """Slot id -> slot, for the slots delivering into an Actions secret here."""


def declared_orgs(slots: list[Slot], api_root: str | None) -> list[_Org]:
    """The organizations the slots name, each once per host, with the repositories to read there."""
    orgs: dict[tuple[str, str], _Org] = {}
    for slot in slots:
        access = github_access(slot.access)
        if not access.org:
            continue
        root = (api_root or slot_api_root(slot)).rstrip("/")
        org = orgs.setdefault((root, access.org.casefold()), _Org(root, access.org))
        if slot.kind == CredentialKind.GITHUB_DEPLOY_KEY:
            # The installation (or owner) of this org reads its own repositories only.
            org.deploy_key_repositories.update(
                full for full in (_in_org(access.org, name) for name in access.repositories)
                if full.split("/", 1)[0].casefold() == access.org.casefold()
            )
        delivery = slot.delivery
        if isinstance(delivery, SecretStore) and delivery.store == _ACTIONS_SECRET_STORE and delivery.repository:
            repository = _in_org(access.org, delivery.repository)
            if repository.split("/", 1)[0].casefold() == access.org.casefold():
                org.secrets.setdefault(repository.split("/", 1)[1], set()).add(delivery.name)
                org.delivering_slots[slot.id] = slot
    return list(orgs.values())


def _in_org(org: str, repository: str) -> str:
    return repository if "/" in repository else f"{org}/{repository}"


async def read(ctx: InventoryContext) -> Inventory:
    # The App's JWT and tokens run on the real clock (a long run renews them), not the run's frozen "now".
    app = GitHubApp.from_env(ctx.environ) if app_configured(ctx.environ) else None
    owner_token = token_from_env(ADMIN_TOKEN_VAR, ctx.environ)
    inventory = Inventory()
    for part in await asyncio.gather(
        *(_read_org(ctx.http, org, app, owner_token, ctx) for org in declared_orgs(ctx.slots, ctx.api_root))
    ):
        inventory.extend(part)
    return inventory


# -- one organization -------------------------------------------------------------------------------------


_T = TypeVar("_T")


async def _attempt(call: Callable[[], Awaitable[_T]]) -> _T | ApiError:
    try:
        return await call()
    except ApiError as error:
        return error


def _source(org: _Org, source: str, status: SourceStatus, detail: str, kinds: tuple[CredentialKind, ...] = ()) -> SourceReport:
    return SourceReport(
        platform=Platform.GITHUB.value, source=source, status=status, detail=detail, scope=org.name, kinds=kinds
    )


async def _read_org(
    http: ApiClient, org: _Org, app: GitHubApp | None, owner_token: Token | None, ctx: InventoryContext
) -> Inventory:
    found = Inventory()
    owner_api = (
        http.at(org.api_root, headers_for(owner_token.reveal()), rate_limit_phrases=RATE_LIMIT_PHRASES)
        if owner_token
        else None
    )
    installation: Api | ApiError | None = None
    if app is not None:
        installation = await _attempt(lambda: app.installation_api(http, org.api_root, org.name))
    app_api = installation if isinstance(installation, Api) else None
    app_failure = installation if isinstance(installation, ApiError) else None
    # Members, keys and secrets: as the App where there is one, else as the owner.
    reader_api = app_api or (owner_api if app is None else None)

    def start(factory: Callable[[], Awaitable[_T]] | None) -> asyncio.Task[_T | ApiError | None]:
        return asyncio.create_task(_optional(factory))

    grants_task = start((lambda: list_pat_grants(app_api, org.name)) if app_api else None)
    requests_task = start((lambda: list_pat_requests(app_api, org.name, repositories=False)) if app_api else None)
    members_task = start((lambda: list_members(reader_api, org.name)) if reader_api else None)
    sso_task = start((lambda: list_credential_authorizations(owner_api, org.name)) if owner_api else None)
    keys_task = start((lambda: _read_deploy_keys(reader_api, org)) if reader_api and org.deploy_key_repositories else None)
    secrets_task = start((lambda: _read_secrets(reader_api, org)) if reader_api and org.secrets else None)
    grants, requests, members = await grants_task, await requests_task, await members_task
    authorizations, keys, secrets = await sso_task, await keys_task, await secrets_task

    not_read = _app_unavailable(app, app_failure)
    # Members first: the other views' holders are judged against them.
    member_logins: dict[str, HolderState | None] | None = None
    if isinstance(members, list) and reader_api is not None:
        holders = [g.owner.login for g in grants] if isinstance(grants, list) else []
        holders += [a.login for a in authorizations] if isinstance(authorizations, list) else []
        member_logins = await _holder_states(reader_api, org.name, members, holders)
        departed = sum(1 for state in member_logins.values() if state == HolderState.NOT_A_MEMBER)
        detail = f"{_count(len(members), 'member')} of {org.name}" + (
            f"; {_count(departed, 'holder')} no longer a member" if departed else ""
        )
        found.sources.append(_source(org, MEMBERS, SourceStatus.READ, detail))
    elif isinstance(members, ApiError):
        found.sources.append(
            _source(org, MEMBERS, SourceStatus.FAILED, f"{members.reason}; whether holders left is not shown")
        )
    else:
        found.sources.append(_source(org, MEMBERS, *_skipped(not_read, _ENABLE_APP + f", or {_ENABLE_OWNER}")))

    fine_grained = (CredentialKind.GITHUB_FINE_GRAINED_PAT,)
    if isinstance(grants, list):
        found.credentials += [_grant(grant, org, member_logins) for grant in grants]
        found.sources.append(_source(org, GRANTS, SourceStatus.READ, _count(len(grants), "grant"), fine_grained))
    elif isinstance(grants, ApiError):
        found.sources.append(_source(org, GRANTS, SourceStatus.FAILED, grants.reason, fine_grained))
    else:
        found.sources.append(_source(org, GRANTS, *_skipped(not_read, _ENABLE_APP), fine_grained))

    if isinstance(requests, list):
        detail = _count(len(requests), "pending request") + (
            " (not credentials until approved; `scm-access requests` decides them)" if requests else ""
        )
        found.sources.append(_source(org, REQUESTS, SourceStatus.READ, detail))
    elif isinstance(requests, ApiError):
        found.sources.append(_source(org, REQUESTS, SourceStatus.FAILED, requests.reason))
    else:
        found.sources.append(_source(org, REQUESTS, *_skipped(not_read, _ENABLE_APP)))

    classic = (CredentialKind.GITHUB_CLASSIC_PAT,)
    if isinstance(authorizations, list):
        tokens = [a for a in authorizations if a.credential_type == "personal access token"]
        found.credentials += [_authorization(a, org, member_logins) for a in tokens]
        others = len(authorizations) - len(tokens)
        detail = _count(len(tokens), "personal access token") + " authorized for SAML single sign-on" + (
            f"; {others} other credentials (SSH keys, OAuth and GitHub App tokens) not judged" if others else ""
        )
        found.sources.append(_source(org, CREDENTIAL_AUTHORIZATIONS, SourceStatus.READ, detail, classic))
    elif isinstance(authorizations, ViewRefused) and authorizations.status == 404:
        found.sources.append(
            _source(
                org,
                CREDENTIAL_AUTHORIZATIONS,
                SourceStatus.SKIPPED,
                f"{org.name} has no SAML credential authorizations to list (GitHub answered 404: the organization"
                " is not on GitHub Enterprise Cloud with SAML single sign-on, or the token is not an owner's);"
                " classic tokens cannot be listed otherwise",
                classic,
            )
        )
    elif isinstance(authorizations, ApiError):
        found.sources.append(_source(org, CREDENTIAL_AUTHORIZATIONS, SourceStatus.FAILED, authorizations.reason, classic))
    else:
        found.sources.append(
            _source(org, CREDENTIAL_AUTHORIZATIONS, SourceStatus.SKIPPED, f"not configured: {_ENABLE_OWNER}", classic)
        )

    secret_rows: dict[str, list[ActionsSecret]] = secrets if isinstance(secrets, dict) else {}
    if org.deploy_key_repositories:
        deploy = (CredentialKind.GITHUB_DEPLOY_KEY,)
        if isinstance(keys, dict):
            delivered = _delivered(org, secret_rows)
            for repository, rows in sorted(keys.items()):
                found.credentials += [_deploy_key(key, org, repository, delivered) for key in rows]
            total = sum(len(rows) for rows in keys.values())
            detail = f"{_count(total, 'deploy key')} on {_count(len(keys), 'declared repository', 'declared repositories')}"
            found.sources.append(_source(org, DEPLOY_KEYS, SourceStatus.READ, detail, deploy))
        elif isinstance(keys, ApiError):
            found.sources.append(_source(org, DEPLOY_KEYS, SourceStatus.FAILED, keys.reason, deploy))
        else:
            found.sources.append(_source(org, DEPLOY_KEYS, *_skipped(not_read, _ENABLE_APP + f", or {_ENABLE_OWNER}"), deploy))
    if org.secrets:
        if isinstance(secrets, dict):
            wanted = sum(len(names) for names in org.secrets.values())
            present = sum(1 for repo, names in org.secrets.items() for s in secrets.get(repo, []) if s.name in names)
            detail = f"{present} of {_count(wanted, 'declared Actions secret')} present (names and dates only)"
            found.sources.append(_source(org, ACTIONS_SECRETS, SourceStatus.READ, detail))
        elif isinstance(secrets, ApiError):
            found.sources.append(_source(org, ACTIONS_SECRETS, SourceStatus.FAILED, secrets.reason))
        else:
            found.sources.append(_source(org, ACTIONS_SECRETS, *_skipped(not_read, _ENABLE_APP + f", or {_ENABLE_OWNER}")))
    return found


async def _optional(factory: Callable[[], Awaitable[_T]] | None) -> _T | ApiError | None:
    """What ``factory`` reads, the error when GitHub gave no usable answer, None when there is nothing to read."""
    if factory is None:
        return None
    try:
        return await factory()
    except ApiError as error:
        return error


def _app_unavailable(app: GitHubApp | None, failure: ApiError | None) -> ApiError | None:
    return failure if app is not None else None


def _skipped(failure: ApiError | None, enable: str) -> tuple[SourceStatus, str]:
    """The App failed for this org (its views failed with that reason), or nothing configured reads it."""
    if failure is not None:
        return SourceStatus.FAILED, failure.reason
    return SourceStatus.SKIPPED, f"not configured: {enable}"


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


async def _read_deploy_keys(api: Api, org: _Org) -> dict[str, list[DeployKey]]:
    async def one(full: str) -> tuple[str, list[DeployKey]]:
        owner, repo = full.split("/", 1)
        return full, await list_deploy_keys(api, owner, repo)

    return await _gather_dict(one, sorted(org.deploy_key_repositories))


async def _read_secrets(api: Api, org: _Org) -> dict[str, list[ActionsSecret]]:
    async def one(repo: str) -> tuple[str, list[ActionsSecret]]:
        return repo, await list_actions_secrets(api, org.name, repo)

    return await _gather_dict(one, sorted(org.secrets))


async def _gather_dict(
    call: Callable[[str], Awaitable[tuple[str, list[_T]]]], names: list[str]
) -> dict[str, list[_T]]:
    return dict(await asyncio.gather(*(call(name) for name in names)))


# -- rows to credentials ---------------------------------------------------------------------------------


async def _holder_states(api: Api, org: str, members: list[str], holders: list[str]) -> dict[str, HolderState | None]:
    """Each holder's state: a member when the list has them; otherwise asked one by one, since the list may
    leave out concealed members for a caller that is not one: not a member only when GitHub says so (404),
    not shown when it does not."""
    listed = {login.casefold() for login in members}
    states: dict[str, HolderState | None] = {login: HolderState.ACTIVE for login in listed}
    unlisted = sorted({login.casefold() for login in holders} - listed)

    async def ask(login: str) -> tuple[str, HolderState | None]:
        try:
            member = await is_member(api, org, login)
        except ApiError:
            return login, None
        return login, None if member is None else HolderState.ACTIVE if member else HolderState.NOT_A_MEMBER

    states.update(await asyncio.gather(*(ask(login) for login in unlisted)))
    return states


def _holder_state(login: str, members: Mapping[str, HolderState | None] | None) -> HolderState | None:
    return None if members is None else members.get(login.casefold())


@lru_cache(maxsize=4096)
def _iso(moment: datetime | None) -> str:
    """Formatted once per distinct moment (grants are often given together)."""
    return moment.isoformat() if moment else ""


def _grant(grant: PatGrant, org: _Org, members: Mapping[str, HolderState | None] | None) -> FoundCredential:
    expires_at = moment(grant.token_expires_at)
    last_used = moment(grant.token_last_used_at)
    granted = moment(grant.access_granted_at)
    unobservable: list[str] = []
    if grant.token_expires_at is not None and expires_at is None:
        unobservable.append(f"its expiry: GitHub sent {grant.token_expires_at[:40]!r}, which is not a date")
    if grant.token_last_used_at is not None and last_used is None:
        unobservable.append(f"its last use: GitHub sent {grant.token_last_used_at[:40]!r}, which is not a date")
    repositories: frozenset[str] | None
    if grant.repository_selection == "none":
        repositories = frozenset()
    elif grant.repository_selection == "subset" and grant.repositories is not None:
        repositories = frozenset(grant.repositories)
    else:
        repositories = None
    return FoundCredential(
        platform=Platform.GITHUB,
        source=GRANTS,
        id=str(grant.id),
        kind=CredentialKind.GITHUB_FINE_GRAINED_PAT,
        kind_label=FINE_GRAINED_LABEL,
        name=grant.token_name,
        owner=grant.owner.login,
        owner_id=str(grant.owner.id),
        owner_state=_holder_state(grant.owner.login, members),
        scope=org.name,
        scopes=grant.scopes,
        repository_selection=grant.repository_selection,
        repositories=repositories,
        expires_at=expires_at,
        never_expires=grant.token_expires_at is None,
        expired=grant.token_expired,
        created_at=granted,
        last_used_at=last_used,
        # A last use GitHub sent but that could not be read is not "never used".
        usage_shown=not (grant.token_last_used_at is not None and last_used is None),
        unobservable=tuple(unobservable),
        extra=(("token_id", str(grant.token_id)), ("access_granted_at", _iso(granted) or grant.access_granted_at[:40])),
    )


def _authorization(
    row: CredentialAuthorization, org: _Org, members: Mapping[str, HolderState | None] | None
) -> FoundCredential:
    scopes = frozenset(row.scopes or ())
    # The listing names fine-grained and classic tokens alike "personal access token"; only a classic token
    # has scopes (one without any cannot be told from a fine-grained one).
    kind = CredentialKind.GITHUB_CLASSIC_PAT if scopes else None
    expires_at = moment(row.authorized_credential_expires_at)
    accessed = moment(row.credential_accessed_at)
    authorized = moment(row.credential_authorized_at)
    never_expires: bool | None = None
    if row.expiry_shown:
        never_expires = row.authorized_credential_expires_at is None
        if not never_expires and expires_at is None:
            never_expires = None  # sent, but not a date: not seen
    unobservable = [
        "which repositories it reaches: a classic token reaches whatever its holder can, and the listing does"
        " not say more"
    ]
    if kind is None:
        unobservable.append(
            "its kind: GitHub lists classic and fine-grained tokens alike as \"personal access token\" and this one"
            " has no scopes; its holder sees which it is under Settings → Developer settings"
        )
    extra = [("credential_authorized_at", _iso(authorized) or row.credential_authorized_at[:40])]
    if row.authorized_credential_id is not None:
        extra.append(("authorized_credential_id", str(row.authorized_credential_id)))
    return FoundCredential(
        platform=Platform.GITHUB,
        source=CREDENTIAL_AUTHORIZATIONS,
        id=str(row.credential_id),
        kind=kind,
        kind_label="personal access token (classic)" if kind else "personal access token (kind not shown)",
        name=row.authorized_credential_note,
        owner=row.login,
        owner_state=_holder_state(row.login, members),
        scope=org.name,
        scopes=scopes if kind else None,
        expires_at=expires_at,
        never_expires=never_expires,
        created_at=authorized,
        last_used_at=accessed,
        usage_shown=not (row.credential_accessed_at is not None and accessed is None),
        token_last_eight=row.token_last_eight,
        unobservable=tuple(unobservable),
        extra=tuple(extra),
    )


def _delivered(org: _Org, secrets: dict[str, list[ActionsSecret]]) -> dict[str, list[tuple[str, str]]]:
    """Slot id -> (name, value) facts on the Actions secrets the slot's credential is delivered to."""
    facts: dict[str, list[tuple[str, str]]] = {}
    for slot_id, slot in org.delivering_slots.items():
        delivery = slot.delivery
        if not isinstance(delivery, SecretStore) or not delivery.repository:
            continue
        repo = _in_org(org.name, delivery.repository).split("/", 1)[1]
        if repo not in secrets:
            continue
        row = next((s for s in secrets[repo] if s.name == delivery.name), None)
        where = f"{org.name}/{repo} Actions secret {delivery.name}"
        if row is None:
            facts.setdefault(slot_id, []).append(("delivered_to", f"{where}: not present"))
        else:
            updated = moment(row.updated_at)
            facts.setdefault(slot_id, []).append(
                ("delivered_to", f"{where}, updated {_iso(updated) or row.updated_at[:40]}")
            )
    return facts


def _deploy_key(
    key: DeployKey, org: _Org, repository: str, delivered: dict[str, list[tuple[str, str]]]
) -> FoundCredential:
    last_used = moment(key.last_used)
    created = moment(key.created_at)
    extra: list[tuple[str, str]] = [("verified", str(key.verified).lower())]
    if key.added_by:
        extra.append(("added_by", key.added_by))
    for slot_id, facts in delivered.items():
        if f"[scm-access {slot_id}]" in key.title:
            extra += facts
    return FoundCredential(
        platform=Platform.GITHUB,
        source=DEPLOY_KEYS,
        id=str(key.id),
        kind=CredentialKind.GITHUB_DEPLOY_KEY,
        kind_label="deploy key",
        name=key.title,
        owner=repository,
        scope=org.name,
        scopes=frozenset({"contents:read" if key.read_only else "contents:write"}),
        repository_selection="subset",
        repositories=frozenset({repository}),
        never_expires=True,
        active=key.enabled,
        created_at=created,
        last_used_at=last_used,
        usage_shown=key.usage_shown and not (key.last_used is not None and last_used is None),
        extra=tuple(extra),
    )
