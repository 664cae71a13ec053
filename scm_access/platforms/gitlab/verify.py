"""Verify a GitLab token in hand: personal, project, group and service-account access tokens.

One request tells almost everything: ``GET /personal_access_tokens/self`` answers for any scope with the
token's scopes, expiry and state, and its 401 says whether the token expired, was revoked or is unknown.
A second request, ``GET /user``, names the owner and shows whether it is a person or the bot user behind a
group, project or service-account token; it is sent only when the token's scopes let it answer (``api``,
``read_api`` or ``read_user``), otherwise owner and kind are reported as not observable.

Only GET requests are sent. ``--base-url`` is the instance root; ``/api/v4`` is added here.
"""

from __future__ import annotations

from scm_access.core.kinds import CredentialKind
from scm_access.http import Api, ApiError, json_or_none, read_json
from scm_access.judge import Fact, Finding, Observation, ProblemCode
from scm_access.plan.slot import Slot
from scm_access.platforms.gitlab.spec import SPEC
from scm_access.platforms.gitlab.responses import (
    TokenSelf,
    classify_unauthorized,
    is_insufficient_scope,
    parse_token_self,
    parse_user,
)
from scm_access.platforms.gitlab.scopes import CATALOG
from scm_access.verify.context import VerifyContext, failed

API_PATH = "/api/v4"
SCOPES_ALLOWING_USER = frozenset({"api", "read_api", "read_user"})
FINE_GRAINED_LABEL = "GitLab fine-grained personal access token"


def api_root(slot: Slot) -> str:
    return with_api_path(slot.base_url or SPEC.cloud_web_url)


def with_api_path(root: str) -> str:
    """The REST root for an instance root; unchanged when it already is one."""
    root = root.rstrip("/")
    return root if root.endswith(API_PATH) else root + API_PATH


def credential_headers(token: str) -> dict[str, str]:
    """GitLab takes a personal, project, group or service-account token in its own header."""
    return {"PRIVATE-TOKEN": token}


async def verify(ctx: VerifyContext) -> Finding:
    obs = Observation()
    if SPEC.recognize_token(ctx.token.reveal()) == CredentialKind.GITLAB_DEPLOY_TOKEN:
        return ctx.conclude(_deploy_token(obs))
    api = ctx.api(credential_headers(ctx.token.reveal()), with_api_path(ctx.api_root))

    response = await api.get("personal_access_tokens/self")
    if response.status_code == 401:
        rejection = classify_unauthorized(json_or_none(response), response.headers.get("www-authenticate"))
        obs.add(rejection.code, rejection.detail)
        return ctx.conclude(obs)
    if response.status_code != 200:
        obs.add(ProblemCode.API_ERROR, _unexpected(response.status_code))
        return ctx.conclude(obs)
    token = parse_token_self(read_json(response))

    _observe_token(obs, token)
    if token.granular:
        return ctx.conclude(obs)
    try:
        await _observe_owner(api, obs, token)
    except ApiError as error:
        failed(obs, error)  # what the token said about itself still counts; the verdict becomes unknown
    return ctx.conclude(obs)


def _observe_token(obs: Observation, token: TokenSelf) -> None:
    if token.revoked:
        obs.add(ProblemCode.REVOKED, "GitLab says the token was revoked")
    elif not token.active:
        # Inactive and not revoked: GitLab's only other reason is expiry.
        obs.add(ProblemCode.EXPIRED, "GitLab says the token is no longer active (expired)")
    if token.granular:
        # Fine-grained permissions are not legacy scopes: they cannot be compared with the declaration.
        obs.kind_label = FINE_GRAINED_LABEL
        obs.cannot_show("scopes: a fine-grained token has permissions, not the declared scopes", Fact.SCOPES)
    else:
        obs.scopes_granted = list(token.scopes)
    obs.expires_at = token.expires_at_utc
    obs.never_expires = token.expires_at is None


async def _observe_owner(api: Api, obs: Observation, token: TokenSelf) -> None:
    granted = CATALOG.closure(s for s in token.scopes if s in CATALOG)
    if not granted & SCOPES_ALLOWING_USER:
        obs.cannot_show(
            "owner and token kind: GET /user needs api, read_api or read_user, which this token does not have;"
            " the owner sees the token under User settings > Access tokens",
            Fact.OWNER,
            Fact.KIND,
        )
        return
    response = await api.get("user")
    if response.status_code == 200:
        user = parse_user(read_json(response))
        if user.id != token.user_id:
            raise ApiError("GitLab answered GET /user for another user than the token's owner")
        obs.owner_login = user.username
        obs.kind = user.token_kind
        return
    if response.status_code == 403 and is_insufficient_scope(json_or_none(response)):
        obs.cannot_show(
            "owner and token kind: GitLab refused GET /user for this token's scopes; the owner sees the token"
            " under User settings > Access tokens",
            Fact.OWNER,
            Fact.KIND,
        )
        return
    obs.add(ProblemCode.API_ERROR, _unexpected(response.status_code, "user"))


def _deploy_token(obs: Observation) -> Observation:
    obs.kind = CredentialKind.GITLAB_DEPLOY_TOKEN
    obs.cannot_show(
        "scopes, expiry and owner: a deploy token cannot call the GitLab REST API to describe itself; check it"
        " under the project's or group's Settings > Repository > Deploy tokens",
        Fact.SCOPES,
        Fact.EXPIRY,
        Fact.OWNER,
    )
    return obs


def _unexpected(status: int, endpoint: str = "personal_access_tokens/self") -> str:
    if status == 404 and endpoint == "personal_access_tokens/self":
        return (
            "GitLab answered HTTP 404 for personal_access_tokens/self: the instance is older than GitLab 15.5"
            " or the base URL is not a GitLab instance root"
        )
    if status == 400:
        return f"GitLab answered HTTP 400 for {endpoint}: the credential is not an access token (OAuth or job token?)"
    return f"GitLab answered HTTP {status} for {endpoint}; nothing was concluded"
