"""Revoking on Azure DevOps what the inventory found: token administration's revocations.

``POST https://vssps.dev.azure.com/{organization}/_apis/tokenadmin/revocations?isPublic=false&api-version=7.1-preview.1``
with ``[{"authorizationId": "..."}, ...]`` answers 204 when done (a Project Collection Administrator's token with
``vso.tokenadministration``); 400 for a bad id, 401 for a caller who may not administer tokens. A revoked
token may keep working for up to an hour. Revoking ends the token (in every organization it reaches), so none
is revoked for being undeclared alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from scm_access.http import Api, ApiError, json_or_none
from scm_access.inventory.decisions.model import ActResult, Outcome, Revocability
from scm_access.inventory.model import FoundCredential
from scm_access.inventory.reader import InventoryContext
from scm_access.platforms.azure_devops.spec import SPEC, azure_devops_access
from scm_access.platforms.azure_devops.verify import credential_headers, graph_root
from scm_access.verify.token import token_from_env

ADMIN_TOKEN_VAR = "SCM_ACCESS_AZURE_DEVOPS_ADMIN_TOKEN"
TOKEN_ADMIN_API_VERSION = "7.1-preview.1"
DONE = 204
BATCH = 100
"""Authorizations revoked per call (the API sets no limit; this keeps each request small)."""

REVOCABLE = {
    "token_administration": Revocability(
        org_access_only=False,
        effect="revoking it ends the token in every organization it reaches (within the hour)",
    ),
}


def organization_root(ctx: InventoryContext, organization: str) -> str:
    """Where token administration lives: ``--base-url`` (a server's collection, a test server), else the
    ``vssps`` host of the declared organization."""
    if ctx.api_root:
        return ctx.api_root.rstrip("/")
    for slot in ctx.slots:
        if azure_devops_access(slot.access).organization.casefold() == organization.casefold():
            return graph_root(SPEC.web_url(slot.access))
    return graph_root(f"https://dev.azure.com/{organization}")


async def revoke(ctx: InventoryContext, credentials: Sequence[FoundCredential]) -> list[ActResult]:
    token = token_from_env(ADMIN_TOKEN_VAR, ctx.environ)
    if token is None:
        return [ActResult(c.id, Outcome.FAILED, f"not sent: {ADMIN_TOKEN_VAR} is not set") for c in credentials]
    by_org: dict[str, list[FoundCredential]] = {}
    for credential in credentials:
        by_org.setdefault(credential.scope or "", []).append(credential)
    results: dict[tuple[str, str], ActResult] = {}
    query = urlencode({"isPublic": "false", "api-version": TOKEN_ADMIN_API_VERSION})
    for organization, found in by_org.items():
        api = ctx.http.at(organization_root(ctx, organization), credential_headers(token))
        for start in range(0, len(found), BATCH):
            batch = found[start : start + BATCH]
            body = [{"authorizationId": c.id} for c in batch]
            for credential, result in zip(batch, await _post(api, f"_apis/tokenadmin/revocations?{query}", body, batch)):
                results[(organization, credential.id)] = result
    return [results[(c.scope or "", c.id)] for c in credentials]


async def _post(api: Api, path: str, body: list[dict[str, str]], batch: Sequence[FoundCredential]) -> list[ActResult]:
    try:
        response = await api.post(path, json=body)
    except ApiError as error:
        return [ActResult(c.id, Outcome.FAILED, f"no answer: {error.reason}") for c in batch]
    if response.status_code == DONE:
        return [ActResult(c.id, Outcome.DONE, f"revoked (HTTP {DONE}; may work up to an hour more)") for c in batch]
    answer = json_or_none(response)
    message = answer.get("message") if isinstance(answer, dict) else None
    said = f": {str(message)[:200]}" if message else ""
    return [ActResult(c.id, Outcome.FAILED, f"refused: HTTP {response.status_code}{said}") for c in batch]
