"""Verify a GitHub token in hand, with read-only requests only.

Classic token: exactly one request, ``GET /user``, whose headers carry the granted scopes
(``X-OAuth-Scopes``) and the expiry (``GitHub-Authentication-Token-Expiration``). Only when the slot declares
them: a membership request to each SAML SSO organization (its ``X-GitHub-SSO`` header says whether the token
is authorized there), a public-membership check, a repository-role check.

Fine-grained token: GitHub shows no list of its permissions. What the holder can observe is checked (expiry,
owner, reach of each declared repository, read-only probes whose refusal names the permission the endpoint
needs in ``X-Accepted-GitHub-Permissions``); the rest is named as not observable in the finding. A verifier
never sends a write request to find out what a token may do.

With the GitHub App configured (the inventory's ``SCM_ACCESS_GITHUB_APP_ID`` and private key), the
organization's grant of the token settles the rest: found by its owner and the expiry the token reports,
to the second, it shows the exact permissions and repositories, and the judge compares them with the
declaration (a right token is ``ok``). Two grants fitting alike cannot be told apart: ``unknown``, saying so.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import TypeVar
from weakref import WeakKeyDictionary

import httpx

from scm_access.declarations.access import (
    GroupMembership,
    PublicOrgMembership,
    RepositoryPermission,
    SamlSsoAuthorization,
)
from scm_access.core.kinds import CredentialKind
from scm_access.http import Api, ApiClient, ApiError, MalformedResponse, json_or_none, read_json
from scm_access.inventory.listing import moment
from scm_access.judge import Fact, Finding, Observation, ProblemCode
from scm_access.plan.slot import Slot
from scm_access.platforms.github.admin_views import (
    PatGrant,
    PatRequest,
    list_pat_grants,
    list_pat_requests,
    with_repositories,
)
from scm_access.platforms.github.app_auth import RATE_LIMIT_PHRASES, GitHubApp, app_configured
from scm_access.platforms.github.spec import SPEC, github_access
from scm_access.verify.context import VerifyContext, failed
from scm_access.verify.token import Token

CLOUD_API_ROOT = "https://api.github.com"
API_VERSION = "2022-11-28"

# Prefixes of tokens that are never a personal access token (D-authn token formats).
OTHER_TOKEN_KINDS = {
    "gho_": "GitHub OAuth app token",
    "ghu_": "GitHub App user token",
    "ghr_": "GitHub App refresh token",
}

# A read-only endpoint per repository permission: answering it needs at least read on that permission.
READ_PROBES: dict[str, str] = {
    "contents": "/repos/{owner}/{repo}/commits?per_page=1",
    "issues": "/repos/{owner}/{repo}/issues?per_page=1",
    "pull_requests": "/repos/{owner}/{repo}/pulls?per_page=1",
    "actions": "/repos/{owner}/{repo}/actions/runs?per_page=1",
    "deployments": "/repos/{owner}/{repo}/deployments?per_page=1",
    "repository_hooks": "/repos/{owner}/{repo}/hooks?per_page=1",
    "secrets": "/repos/{owner}/{repo}/actions/secrets?per_page=1",
    "actions_variables": "/repos/{owner}/{repo}/actions/variables?per_page=1",
    "environments": "/repos/{owner}/{repo}/environments?per_page=1",
    "vulnerability_alerts": "/repos/{owner}/{repo}/dependabot/alerts?per_page=1",
    "security_events": "/repos/{owner}/{repo}/code-scanning/alerts?per_page=1",
    "administration": "/repos/{owner}/{repo}/teams?per_page=1",
}
ROLE_ORDER = ["pull", "triage", "push", "maintain", "admin"]
ROLE_NAMES = {"read": "pull", "triage": "triage", "write": "push", "maintain": "maintain", "admin": "admin"}


def api_root(slot: Slot) -> str:
    """``https://api.github.com``, or ``<web root>/api/v3`` on GitHub Enterprise Server."""
    return f"{slot.base_url.rstrip('/')}/api/v3" if slot.base_url else CLOUD_API_ROOT


def token_headers(token: Token) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {token.reveal()}",
        # GitHub recommends its own media type; plain JSON is the same representation.
        "Accept": "application/vnd.github+json, application/json;q=0.9",
        "X-GitHub-Api-Version": API_VERSION,
    }


# -- header parsing -------------------------------------------------------------------------------

_EXPIRATION = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(?P<zone>UTC|GMT|Z|[+-]\d{2}:?\d{2})?"
)


def parse_expiration(value: str | None) -> datetime | None:
    """``GitHub-Authentication-Token-Expiration``: ``2026-05-01 12:00:00 UTC`` or with a numeric offset
    (``-0700``). None when absent or unreadable."""
    if not value:
        return None
    match = _EXPIRATION.fullmatch(value.strip())
    if not match:
        return None
    clock = match["time"] if match["time"].count(":") == 2 else match["time"] + ":00"
    try:
        naive = datetime.fromisoformat(f"{match['date']}T{clock}")
    except ValueError:
        return None
    zone = match["zone"]
    if zone in (None, "UTC", "GMT", "Z"):
        return naive.replace(tzinfo=UTC)
    digits = zone.replace(":", "")
    offset = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
    if offset >= timedelta(hours=24):
        return None
    return naive.replace(tzinfo=timezone(offset if digits[0] == "+" else -offset)).astimezone(UTC)


def parse_scopes(value: str) -> list[str]:
    return [s.strip() for s in value.split(",") if s.strip()]


def parse_sso(value: str | None) -> tuple[str | None, str | None]:
    """(state, url) from ``X-GitHub-SSO: required; url=...`` or ``partial-results; organizations=...``."""
    if not value:
        return None, None
    state = value.split(";", 1)[0].strip().lower() or None
    url = re.search(r"url=([^\s;,]+)", value)
    return state, url.group(1) if url else None


def safe_message(response: httpx.Response, token: Token) -> str:
    """GitHub's ``message`` field, short, on one line, with the token scrubbed should it be echoed."""
    data = json_or_none(response)
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, str):
        return ""
    return token.scrub(" ".join(message.split()))[:240]


def _refusal(what: str, response: httpx.Response, token: Token) -> str:
    message = safe_message(response, token)
    return f"GitHub answered HTTP {response.status_code} to {what}" + (f": {message}" if message else "")


# -- the verifier ---------------------------------------------------------------------------------


async def verify(ctx: VerifyContext) -> Finding:
    token = ctx.token
    obs = Observation()
    other = next((label for prefix, label in OTHER_TOKEN_KINDS.items() if token.startswith(prefix)), None)
    kind = SPEC.recognize_token(token.reveal())
    if other is not None or (kind is not None and kind != ctx.slot.kind):
        # The prefix alone settles it: only a new token of the right kind fixes this, so ask nothing.
        obs.kind, obs.kind_label = kind, other
        return ctx.conclude(obs)

    api = ctx.api(token_headers(token), rate_limit_phrases=RATE_LIMIT_PHRASES)
    response = await api.get("/user")
    if response.status_code == 401:
        obs.kind = kind
        obs.add(
            ProblemCode.INVALID_TOKEN,
            "GitHub rejected the token (HTTP 401): it is mistyped, expired or revoked; GitHub does not say which",
        )
        return ctx.conclude(obs)
    if response.status_code != 200:
        obs.kind = kind
        obs.add(ProblemCode.API_ERROR, _refusal("GET /user", response, token))
        return ctx.conclude(obs)
    user = read_json(response)
    login = user.get("login") if isinstance(user, dict) else None
    if not isinstance(login, str) or not login:
        raise MalformedResponse(f"{response.url.host}: GET /user answer has no login", host=response.url.host)
    obs.owner_login = login

    scopes_header = response.headers.get("x-oauth-scopes")
    if kind is None and scopes_header is not None:
        kind = CredentialKind.GITHUB_CLASSIC_PAT  # a pre-2021 classic token: 40 hex characters, no prefix
    obs.kind = kind
    _read_expiry(obs, response)

    if kind == CredentialKind.GITHUB_CLASSIC_PAT:
        if scopes_header is None:
            obs.add(ProblemCode.NOT_OBSERVABLE, "GitHub sent no X-OAuth-Scopes header, so the scopes are unknown")
        else:
            obs.scopes_granted = parse_scopes(scopes_header)
    try:
        if kind == CredentialKind.GITHUB_FINE_GRAINED_PAT and ctx.slot.kind == kind:
            if not await _settle_by_grant(ctx, obs, login):
                await _observe_fine_grained(ctx, api, obs)
        if kind == ctx.slot.kind:
            await _check_prerequisites(ctx, api, obs, login)
    except ApiError as error:
        failed(obs, error)  # what GET /user showed still counts; the verdict becomes unknown
    return ctx.conclude(obs)


def _read_expiry(obs: Observation, response: httpx.Response) -> None:
    header = response.headers.get("github-authentication-token-expiration")
    if header is None:
        obs.never_expires = True
        return
    obs.expires_at = parse_expiration(header)
    if obs.expires_at is not None:
        obs.never_expires = False
    # Unreadable: both stay None and the verdict is unknown.


# -- prerequisites --------------------------------------------------------------------------------


async def _check_prerequisites(ctx: VerifyContext, api: Api, obs: Observation, login: str) -> None:
    for prerequisite in ctx.slot.prerequisites:
        if isinstance(prerequisite, SamlSsoAuthorization):
            if ctx.slot.kind == CredentialKind.GITHUB_CLASSIC_PAT:
                await _check_sso(ctx, api, obs, prerequisite.org)
        elif isinstance(prerequisite, PublicOrgMembership):
            await _check_public_membership(ctx, api, obs, prerequisite.org, login)
        elif isinstance(prerequisite, RepositoryPermission):
            await _check_repository_role(ctx, api, obs, prerequisite)
        elif isinstance(prerequisite, GroupMembership):
            obs.cannot_show(
                f"membership of {prerequisite.group!r}: GitHub does not show it to the token; an organization"
                " owner sees it on the organization's People and Teams pages"
            )


async def _check_sso(ctx: VerifyContext, api: Api, obs: Observation, org: str) -> None:
    response = await api.get(f"/user/memberships/orgs/{org}")
    state, url = parse_sso(response.headers.get("x-github-sso"))
    if state == "required":
        where = f": authorize it at {url} (the link works for one hour)" if url else ""
        obs.add(ProblemCode.SSO_NOT_AUTHORIZED, f"the token is not authorized for SAML single sign-on to {org}{where}")
    elif response.status_code == 200:
        obs.orgs_authorized = [*(obs.orgs_authorized or []), org]
    elif response.status_code == 404:
        obs.add(
            ProblemCode.NOT_OBSERVABLE,
            f"GitHub says {obs.owner_login} is not a member of {org} (or the token cannot see it),"
            " so its single sign-on authorization cannot be checked",
        )
    else:
        obs.add(ProblemCode.API_ERROR, _refusal(f"the membership request to {org}", response, ctx.token))


async def _check_public_membership(ctx: VerifyContext, api: Api, obs: Observation, org: str, login: str) -> None:
    response = await api.get(f"/orgs/{org}/public_members/{login}")
    if response.status_code == 204:
        return
    if response.status_code == 404:
        obs.add(ProblemCode.MEMBERSHIP_NOT_PUBLIC, f"{login}'s membership of {org} is not public")
        return
    obs.add(ProblemCode.API_ERROR, _refusal(f"the public-membership check in {org}", response, ctx.token))


async def _check_repository_role(
    ctx: VerifyContext, api: Api, obs: Observation, prerequisite: RepositoryPermission
) -> None:
    owner, repo = _split_repository(ctx.slot, prerequisite.repository)
    response = await api.get(f"/repos/{owner}/{repo}")
    if response.status_code != 200:
        obs.add(
            ProblemCode.NOT_OBSERVABLE,
            f"the holder's role on {owner}/{repo} could not be read (HTTP {response.status_code})",
        )
        return
    data = read_json(response)
    permissions = data.get("permissions") if isinstance(data, dict) else None
    if not isinstance(permissions, dict):
        obs.add(ProblemCode.NOT_OBSERVABLE, f"GitHub did not show the holder's role on {owner}/{repo}")
        return
    needed = ROLE_NAMES[prerequisite.permission]
    held = [role for role in ROLE_ORDER if permissions.get(role) is True]
    if not held or ROLE_ORDER.index(held[-1]) < ROLE_ORDER.index(needed):
        obs.add(
            ProblemCode.NOT_IN_REQUIRED_GROUP,
            f"the holder's role on {owner}/{repo} is {held[-1] if held else 'none'};"
            f" the declaration needs {prerequisite.permission}",
        )


def _split_repository(slot: Slot, repository: str) -> tuple[str, str]:
    if "/" in repository:
        owner, repo = repository.split("/", 1)
        return owner, repo
    return github_access(slot.access).org or "", repository


# -- fine-grained tokens --------------------------------------------------------------------------


FINE_GRAINED_BLIND_SPOT = (
    "permissions beyond the declared ones: GitHub does not show a fine-grained token's permissions to the"
    " token itself. To settle it, an organization owner checks the token in the organization's list of"
    " fine-grained tokens (organization settings → Personal access tokens → Active tokens), or the holder"
    " opens it under Settings → Developer settings → Fine-grained tokens"
)


async def _observe_fine_grained(ctx: VerifyContext, api: Api, obs: Observation) -> None:
    slot, token = ctx.slot, ctx.token
    obs.cannot_show(FINE_GRAINED_BLIND_SPOT, Fact.SCOPES)
    declared = github_access(slot.access)
    org, repositories = declared.org, list(declared.repositories)
    if not repositories:
        obs.cannot_show("which repositories the token reaches: the declaration names none to try")
    reachable: list[tuple[str, bool]] = []  # (full name, private)
    for name in repositories:
        owner, repo = _split_repository(slot, name)
        full = f"{owner}/{repo}"
        response = await api.get(f"/repos/{owner}/{repo}")
        if response.status_code == 200:
            data = read_json(response)
            if not isinstance(data, dict):
                host = response.url.host
                raise MalformedResponse(f"{host}: repository answer is not an object", host=host)
            reachable.append((full, data.get("private") is not False))
        elif response.status_code == 404:
            obs.add(
                ProblemCode.MISSING_SCOPE,
                f"the token cannot reach {full}: select it under Repository access (or check the resource owner"
                f"{' is ' + str(org) if org else ''})",
            )
        elif response.status_code == 403:
            _classify_forbidden(obs, response, token, full)
        else:
            obs.add(ProblemCode.API_ERROR, _refusal(f"GET /repos/{full}", response, token))
    obs.repositories_reachable = [full for full, _ in reachable]
    for scope in slot.scopes:
        await _probe_permission(api, obs, scope, reachable, token, bool(repositories))


def _classify_forbidden(obs: Observation, response: httpx.Response, token: Token, what: str) -> None:
    message = safe_message(response, token)
    lowered = message.lower()
    if "lifetime" in lowered:
        obs.add(ProblemCode.EXPIRES_TOO_LATE, f"GitHub refused access to {what}: {message}")
    elif "forbids access via a personal access token (classic)" in lowered:
        obs.add(ProblemCode.WRONG_TOKEN_KIND, f"GitHub refused access to {what}: {message}")
    else:
        obs.add(ProblemCode.API_ERROR, _refusal(f"the request for {what}", response, token))


async def _probe_permission(
    api: Api, obs: Observation, scope: str, reachable: list[tuple[str, bool]], token: Token, declared_repos: bool
) -> None:
    permission, _, level = scope.partition(":")
    if permission == "metadata":
        if not declared_repos:
            obs.cannot_show("metadata:read: it shows only by reaching a repository, and the declaration names none")
        return  # reaching a repository (above) is what metadata:read grants
    probe = READ_PROBES.get(permission)
    if probe is None:
        obs.cannot_show(f"{scope}: no read-only request shows whether a fine-grained token has this permission")
        return
    if not reachable:
        if declared_repos:
            return  # already reported: the repository is out of reach
        obs.cannot_show(f"{scope}: no declared repository to try it on")
        return
    for full, private in reachable:
        owner, repo = full.split("/", 1)
        response = await api.get(probe.format(owner=owner, repo=repo))
        accepted = response.headers.get("x-accepted-github-permissions")
        refused = "not accessible by personal access token" in safe_message(response, token).lower()
        if response.status_code == 403 and refused:
            needs = f" (the endpoint needs {accepted})" if accepted else ""
            obs.add(ProblemCode.MISSING_SCOPE, f"{scope}: the token may not read {permission} on {full}{needs}")
        elif response.status_code == 200 and private:
            if level != "read":
                obs.cannot_show(
                    f"{scope}: reading {permission} on {full} works, but write access can only be shown by"
                    " writing, which a verifier never does"
                )
        elif response.status_code == 200:
            obs.cannot_show(f"{scope}: {full} is public, so reading it proves nothing about the token's permissions")
        else:
            obs.add(
                ProblemCode.NOT_OBSERVABLE,
                f"{scope}: the read-only probe on {full} answered HTTP {response.status_code}, which does not"
                " tell whether the token has the permission",
            )


# -- fine-grained tokens settled by the organization's grant (the GitHub App) -------------------------------

_APPS: WeakKeyDictionary[ApiClient, GitHubApp] = WeakKeyDictionary()
"""One App per run (per client): its installation tokens serve every slot verified in the run."""


def _app_for(ctx: VerifyContext) -> GitHubApp | None:
    """The GitHub App configured in the environment, None when none is (a wrong setting is a usage error)."""
    if not app_configured(os.environ):
        return None
    app = _APPS.get(ctx.http)
    if app is None:
        app = _APPS[ctx.http] = GitHubApp.from_env(os.environ)
    return app


def _to_the_second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


async def _settle_by_grant(ctx: VerifyContext, obs: Observation, login: str) -> bool:
    """With the GitHub App configured: the organization's grant of this token (owner, and the expiry the
    token reports, to the second) shows its exact permissions and repositories, for the judge to compare.
    True when exactly one grant was found and applied; otherwise what stands in the way is said and the
    token is observed as without the App (False)."""
    app = _app_for(ctx)
    org = github_access(ctx.slot.access).org
    if app is None or not org:
        return False
    if obs.expires_at is None and obs.never_expires is None:
        obs.add(
            ProblemCode.NOT_OBSERVABLE,
            f"the token's grant in {org} cannot be told from the others of {login}: its expiry could not be read",
        )
        return False
    try:
        installation = await app.installation_api(ctx.http, ctx.api_root, org)
        grants = await list_pat_grants(installation, org, owners=[login], repositories=False)
    except ApiError as error:
        failed(obs, error)
        return False
    same, expiry = _same_token(grants, obs)
    if not same:
        pending = await _pending_request(installation, org, login, obs)
        if pending is not None:
            obs.cannot_show(
                f"the token's grant: its request to {org} (request {pending}) awaits an owner's approval; until"
                " then it reaches only public resources (`scm-access requests` decides it by the declarations)"
            )
            return False
        obs.cannot_show(
            f"the token's grant: {org} lists none of {login}'s fine-grained tokens with {expiry}"
            f" ({len(grants)} other grant(s) of theirs); its resource owner may not be {org}, or its request may"
            " await an owner's approval (`scm-access requests`)"
        )
        return False
    if len(same) > 1:
        ids = ", ".join(str(g.id) for g in same)
        obs.add(
            ProblemCode.NOT_OBSERVABLE,
            f"{len(same)} grants of {org} (ids {ids}) belong to {login} and share the token's {expiry}: which one"
            " is this token cannot be told; give the tokens different expiry dates, or revoke the one not in use",
        )
        return False
    try:
        (grant,) = await with_repositories(installation, org, same)
    except ApiError as error:
        failed(obs, error)
        return False
    obs.scopes_granted = sorted(grant.scopes)
    obs.all_repositories = grant.repository_selection == "all"
    if grant.repository_selection == "none":
        obs.repositories_reachable = []
    elif grant.repositories is not None:
        obs.repositories_reachable = sorted(grant.repositories)
    return True


_Row = TypeVar("_Row", PatGrant, PatRequest)


def _same_token(rows: list[_Row], obs: Observation) -> tuple[list[_Row], str]:
    """The rows with the expiry the token reports, to the second (or none), and that expiry in words."""
    if obs.never_expires:
        return [row for row in rows if row.token_expires_at is None], "no expiry"
    assert obs.expires_at is not None
    wanted = _to_the_second(obs.expires_at)
    same = [r for r in rows if (at := moment(r.token_expires_at)) is not None and _to_the_second(at) == wanted]
    return same, f"expiry {wanted:%Y-%m-%d %H:%M:%S} UTC"


async def _pending_request(api: Api, org: str, login: str, obs: Observation) -> int | None:
    """The id of the holder's pending request with the token's expiry, if the App may read requests."""
    try:
        requests = await list_pat_requests(api, org, owners=[login], repositories=False)
    except ApiError:
        return None  # only a hint: without it, the finding says where else the token may be
    same, _ = _same_token(requests, obs)
    return same[0].id if len(same) == 1 else None

