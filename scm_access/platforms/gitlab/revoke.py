"""Revoking on GitLab what the inventory found, through the API the credential was read from.

Each view's own revocation (GitLab REST, each answering 204 when done):

- instance personal access tokens (an administrator): ``DELETE /personal_access_tokens/:id``;
- group and project access tokens: ``DELETE /groups/:id/access_tokens/:token_id``,
  ``DELETE /projects/:id/access_tokens/:token_id``;
- group service accounts' tokens: ``DELETE /groups/:id/service_accounts/:user_id/personal_access_tokens/:token_id``;
- deploy tokens: ``DELETE /groups/:id/deploy_tokens/:token_id``, ``DELETE /projects/:id/deploy_tokens/:token_id``;
- GitLab.com's credentials inventory (a top-level group's Owner): ``DELETE /groups/:id/manage/personal_access_tokens/:id``
  and ``DELETE /groups/:id/manage/resource_access_tokens/:id``.

Revoking any of them ends the token everywhere (a GitLab token reaches one instance): none is revoked for
being undeclared alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import quote

from scm_access.http import ApiError, json_or_none
from scm_access.inventory.decisions.model import ActResult, Outcome, Revocability
from scm_access.inventory.model import FoundCredential
from scm_access.inventory.reader import InventoryContext
from scm_access.platforms.gitlab.spec import SPEC, gitlab_access_of
from scm_access.platforms.gitlab.verify import credential_headers, with_api_path
from scm_access.verify.token import token_from_env

ADMIN_TOKEN_VAR = "SCM_ACCESS_GITLAB_ADMIN_TOKEN"
DONE = 204
ENDS_THE_TOKEN = Revocability(org_access_only=False, effect="revoking it ends the token: whatever uses it stops working")


def _path(group_or_project: str) -> str:
    return quote(group_or_project, safe="")


# The view a credential was read from → the path that revokes it (None: the view did not say enough).
_PATHS: dict[str, Callable[[FoundCredential], str | None]] = {
    "personal_access_tokens": lambda c: f"personal_access_tokens/{c.id}",
    "group_access_tokens": lambda c: f"groups/{_path(c.scope)}/access_tokens/{c.id}" if c.scope else None,
    "project_access_tokens": lambda c: f"projects/{_path(c.scope)}/access_tokens/{c.id}" if c.scope else None,
    "service_account_tokens": lambda c: (
        f"groups/{_path(c.scope)}/service_accounts/{c.owner_id}/personal_access_tokens/{c.id}"
        if c.scope and c.owner_id
        else None
    ),
    "group_deploy_tokens": lambda c: f"groups/{_path(c.scope)}/deploy_tokens/{c.id}" if c.scope else None,
    "project_deploy_tokens": lambda c: f"projects/{_path(c.scope)}/deploy_tokens/{c.id}" if c.scope else None,
    "credentials_inventory_personal_access_tokens": lambda c: (
        f"groups/{_path(c.scope)}/manage/personal_access_tokens/{c.id}" if c.scope else None
    ),
    "credentials_inventory_resource_access_tokens": lambda c: (
        f"groups/{_path(c.scope)}/manage/resource_access_tokens/{c.id}" if c.scope else None
    ),
}

REVOCABLE = {source: ENDS_THE_TOKEN for source in _PATHS}


def revocation_path(credential: FoundCredential) -> str | None:
    """The API path that revokes ``credential`` through the view it was read from."""
    path_of = _PATHS.get(credential.source)
    return path_of(credential) if path_of else None


def instance_root(ctx: InventoryContext, credential: FoundCredential) -> str | None:
    """The instance's REST root: ``--base-url``, else the one instance the declarations name, else the one
    whose declarations name the credential's group or project. None when that does not tell."""
    if ctx.api_root:
        return with_api_path(ctx.api_root)
    roots = {(s.base_url or SPEC.cloud_web_url).rstrip("/") for s in ctx.slots} or {SPEC.cloud_web_url}
    if len(roots) == 1:
        return with_api_path(roots.pop())
    top = (credential.scope or "").casefold().split("/")[0]
    owning = {
        (s.base_url or SPEC.cloud_web_url).rstrip("/")
        for s in ctx.slots
        if top and top in {_top(str(gitlab_access_of(s.access).group or "")), *map(_top, gitlab_access_of(s.access).projects)}
    }
    return with_api_path(owning.pop()) if len(owning) == 1 else None


def _top(path: str) -> str:
    return path.casefold().split("/")[0]


async def revoke(ctx: InventoryContext, credentials: Sequence[FoundCredential]) -> list[ActResult]:
    token = token_from_env(ADMIN_TOKEN_VAR, ctx.environ)
    results = []
    for credential in credentials:
        path = revocation_path(credential)
        root = instance_root(ctx, credential)
        if token is None:
            results.append(ActResult(credential.id, Outcome.FAILED, f"not sent: {ADMIN_TOKEN_VAR} is not set"))
        elif path is None:
            results.append(ActResult(credential.id, Outcome.FAILED, f"not sent: the {credential.source} view did not say where it lives"))
        elif root is None:
            results.append(ActResult(credential.id, Outcome.FAILED, "not sent: several instances are declared and none is this credential's (--base-url names one)"))
        else:
            results.append(await _delete(ctx, root, path, credential, credential_headers(token.reveal())))
    return results


async def _delete(
    ctx: InventoryContext, root: str, path: str, credential: FoundCredential, headers: dict[str, str]
) -> ActResult:
    api = ctx.http.at(root, headers)
    try:
        response = await api.delete(path)
    except ApiError as error:
        return ActResult(credential.id, Outcome.FAILED, f"no answer: {error.reason}")
    if response.status_code == DONE:
        return ActResult(credential.id, Outcome.DONE, f"revoked (HTTP {DONE})")
    body = json_or_none(response)
    message = body.get("message") if isinstance(body, dict) else None
    said = f": {str(message)[:200]}" if message else ""
    return ActResult(credential.id, Outcome.FAILED, f"refused: HTTP {response.status_code}{said}")
