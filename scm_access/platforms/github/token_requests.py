"""GitHub's fine-grained token requests and grants, as an organisation's GitHub App sees them: the pending
requests read as :class:`TokenRequest`, reviews sent in bulk, grants revoked in bulk.

Endpoints (GitHub REST, GitHub Apps only, organisation permissions "Personal access token requests" and
"Personal access tokens"; read for the lists, write for the reviews and revocations):

- ``GET /orgs/{org}/personal-access-token-requests`` and ``…/{pat_request_id}/repositories``;
- ``POST /orgs/{org}/personal-access-token-requests`` ``{"pat_request_ids": [..≤100], "action":
  "approve"|"deny", "reason": "..≤1024"}`` → 202;
- ``POST /orgs/{org}/personal-access-tokens`` ``{"action": "revoke", "pat_ids": [..]}`` → 202.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import httpx

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.http import Api, ApiError, json_or_none
from scm_access.inventory.decisions.model import (
    REASON_LIMIT,
    ActResult,
    Decision,
    Outcome,
    RequestDecision,
    TokenRequest,
)
from scm_access.inventory.listing import moment
from scm_access.inventory.model import FoundCredential, SourceReport, SourceStatus
from scm_access.inventory.reader import InventoryContext
from scm_access.platforms.github.admin_views import PatRequest, list_pat_requests
from scm_access.platforms.github.app_auth import APP_ID_VAR, PRIVATE_KEY_FILE_VAR, PRIVATE_KEY_VAR, GitHubApp, app_configured
from scm_access.platforms.github.spec import SPEC
from scm_access.platforms.github.verify import CLOUD_API_ROOT, api_root

BULK_LIMIT = 100
"""At most this many ids in one bulk review or revocation."""
REQUESTS = "orgs/{org}/personal-access-token-requests"
GRANTS = "orgs/{org}/personal-access-tokens"
ACCEPTED = 202


# -- reading ------------------------------------------------------------------------------------------


async def list_requests(api: Api, org: str) -> list[TokenRequest]:
    """Every pending request to reach ``org``, with the repositories of each subset (read as the inventory
    reads them: ``admin_views``). Raises :class:`ApiError` when a page cannot be read or is not GitHub's
    shape (the caller reports the source as failed)."""
    return [as_token_request(row, org) for row in await list_pat_requests(api, org)]


def as_token_request(row: PatRequest, org: str) -> TokenRequest:
    """A request row as a request to decide; a timestamp that cannot be read is *not seen* (None)."""
    expires_at = moment(row.token_expires_at)
    # null is documented as "no expiry"; a value that is not a date is not seen.
    never_expires = True if row.token_expires_at is None else (False if expires_at is not None else None)
    return TokenRequest(
        platform=Platform.GITHUB,
        id=str(row.id),
        org=org,
        requester=row.owner.login,
        kind=CredentialKind.GITHUB_FINE_GRAINED_PAT,
        token_name=row.token_name,
        scopes=row.scopes,
        repository_selection=row.repository_selection,
        repositories=frozenset(row.repositories) if row.repositories is not None else None,
        expires_at=expires_at,
        never_expires=never_expires,
        created_at=moment(row.created_at),
        reason=row.reason,
    )


def _status(response: httpx.Response) -> str:
    body = json_or_none(response)
    message = body.get("message") if isinstance(body, dict) else None
    said = f": {message[:200]}" if isinstance(message, str) and message else ""
    return f"HTTP {response.status_code}{said}"


# -- acting -------------------------------------------------------------------------------------------


async def review_requests(api: Api, org: str, decisions: Sequence[RequestDecision]) -> list[ActResult]:
    """Send approvals and denials for ``org``, in bulk: one call per action and reason, ≤100 ids each.
    Every decision gets a result; a refused or unanswered call fails each of its ids with the reason."""
    groups: dict[tuple[str, str], list[str]] = {}
    for decision in decisions:
        if decision.decision == Decision.UNDECIDED:
            raise ValueError(f"request {decision.request.id} is undecided: nothing to send")  # the gate's job
        action = "approve" if decision.decision == Decision.APPROVE else "deny"
        groups.setdefault((action, decision.reason[:REASON_LIMIT]), []).append(decision.request.id)
    results: list[ActResult] = []
    for (action, reason), ids in groups.items():
        for chunk in _chunks(ids):
            body = {"pat_request_ids": [int(i) for i in chunk], "action": action, "reason": reason}
            results += await _post(api, REQUESTS.format(org=org), body, chunk, f"{action}d")
    return results


async def revoke_grants(api: Api, org: str, grants: Iterable[FoundCredential]) -> list[ActResult]:
    """Revoke fine-grained token grants' access to ``org`` in bulk (≤100 ids a call)."""
    ids = [g.id for g in grants]
    results: list[ActResult] = []
    for chunk in _chunks(ids):
        body = {"action": "revoke", "pat_ids": [int(i) for i in chunk]}
        results += await _post(api, GRANTS.format(org=org), body, chunk, "revoked")
    return results


def _chunks(ids: Sequence[str]) -> list[Sequence[str]]:
    return [ids[start : start + BULK_LIMIT] for start in range(0, len(ids), BULK_LIMIT)]


async def _post(api: Api, path: str, body: Mapping[str, Any], ids: Sequence[str], done: str) -> list[ActResult]:
    try:
        response = await api.post(path, json=dict(body))
    except ApiError as error:
        return [ActResult(i, Outcome.FAILED, f"no answer: {error.reason}") for i in ids]
    if response.status_code == ACCEPTED:
        return [ActResult(i, Outcome.DONE, f"{done} (HTTP {ACCEPTED}, accepted)") for i in ids]
    return [ActResult(i, Outcome.FAILED, f"refused: {_status(response)}") for i in ids]


# -- the plug-in contract (see scm_access.inventory.decisions.actors) -----------------------------------

REVIEW_PERMISSION = "organization_personal_access_token_requests"
REVOKE_PERMISSION = "organization_personal_access_tokens"
SOURCE = "fine_grained_token_requests"


def configured(environ: Mapping[str, str]) -> str | None:
    if app_configured(environ):
        return None
    return f"GitHub: set {APP_ID_VAR} and {PRIVATE_KEY_VAR} (or {PRIVATE_KEY_FILE_VAR}) to read token requests"


def declared_orgs(ctx: InventoryContext) -> list[str]:
    """The organisations fine-grained tokens are declared for, each once (as first spelt)."""
    seen: dict[str, str] = {}
    for slot in ctx.slots:
        org = SPEC.owner(slot.access)
        if slot.kind == CredentialKind.GITHUB_FINE_GRAINED_PAT and org:
            seen.setdefault(org.casefold(), org)
    return list(seen.values())


def org_api_root(ctx: InventoryContext, org: str) -> str:
    """``--base-url`` when given; else the API of the declarations naming the org (Enterprise Server), else
    github.com's."""
    if ctx.api_root:
        return ctx.api_root.rstrip("/")
    for slot in ctx.slots:
        if (SPEC.owner(slot.access) or "").casefold() == org.casefold():
            return api_root(slot)
    return CLOUD_API_ROOT


async def read_requests(ctx: InventoryContext, orgs: Sequence[str]) -> tuple[list[TokenRequest], list[SourceReport]]:
    """Every pending request of each org, read as the App's installation there; an org that cannot be read
    is a failed source (the others stand)."""
    app = GitHubApp.from_env(ctx.environ)
    found: list[TokenRequest] = []
    reports: list[SourceReport] = []
    for org in orgs:
        try:
            api = await app.installation_api(ctx.http, org_api_root(ctx, org), org)
            requests = await list_requests(api, org)
        except ApiError as error:
            reports.append(SourceReport("github", SOURCE, SourceStatus.FAILED, error.reason, scope=org))
            continue
        found += requests
        reports.append(SourceReport("github", SOURCE, SourceStatus.READ, f"{len(requests)} pending in {org}", scope=org))
    return found, reports


async def review(ctx: InventoryContext, decisions: Sequence[RequestDecision]) -> list[ActResult]:
    """Send each decision, one result per decision in the order given."""
    return await _per_org(
        ctx,
        [(d.request.org, d.request.id, d) for d in decisions],
        REVIEW_PERMISSION,
        "review token requests",
        lambda api, org, items: review_requests(api, org, items),
    )


async def revoke(ctx: InventoryContext, credentials: Sequence[FoundCredential]) -> list[ActResult]:
    return await _per_org(
        ctx,
        [(c.scope or "", c.id, c) for c in credentials],
        REVOKE_PERMISSION,
        "revoke token grants",
        lambda api, org, items: revoke_grants(api, org, items),
    )


T = TypeVar("T")


async def _per_org(
    ctx: InventoryContext,
    items: Sequence[tuple[str, str, T]],
    permission: str,
    what: str,
    send: Callable[[Api, str, list[T]], Awaitable[list[ActResult]]],
) -> list[ActResult]:
    app = GitHubApp.from_env(ctx.environ)
    by_org: dict[str, list[tuple[str, T]]] = {}
    for org, target, item in items:
        by_org.setdefault(org, []).append((target, item))
    results: dict[tuple[str, str], ActResult] = {}
    for org, entries in by_org.items():
        answered: list[ActResult]
        try:
            installation = await app.installation(ctx.http, org_api_root(ctx, org), org)
        except ApiError as error:
            answered = [ActResult(target, Outcome.FAILED, f"not sent: {error.reason}") for target, _ in entries]
        else:
            if installation.permissions.get(permission) != "write":
                level = installation.permissions.get(permission, "none")
                answered = [
                    ActResult(
                        target,
                        Outcome.FAILED,
                        f"not sent: the GitHub App may not {what} in {org} ({permission}: {level}; it needs write)",
                    )
                    for target, _ in entries
                ]
            else:
                answered = await send(installation.api, org, [item for _, item in entries])
        results.update({(org, r.target): r for r in answered})
    return [results[(org, target)] for org, target, _ in items]
