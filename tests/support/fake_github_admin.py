"""A GitHub stand-in for what an administrator reads: the App's installations and installation tokens,
and (as the installation, or an owner's token) the organization views of the inventory.

Every request made with a JWT is checked against the App's public key (RS256, ``iss`` the App ID, a
lifetime within GitHub's ten minutes): a JWT that does not verify is answered 401, as GitHub does.
Anything not described here is delegated to ``fallback`` (e.g. :class:`FakeGitHub` for tokens in hand).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

from tests.support.local_server import LocalServer, Reply, Request

INSTALLATION_TOKEN_PREFIX = "ghs_"


@dataclass
class OrgState:
    """What GitHub holds for one organization."""

    installation_id: int | None = 1
    """None: the App is not installed here."""
    suspended_at: str | None = None
    app_permissions: dict[str, str] = field(
        default_factory=lambda: {
            "organization_personal_access_tokens": "read",
            "organization_personal_access_token_requests": "read",
            "members": "read",
            "administration": "read",
            "secrets": "read",
            "metadata": "read",
        }
    )
    grants: list[dict[str, Any]] = field(default_factory=list)
    grant_repositories: dict[int, list[str]] = field(default_factory=dict)
    """Grant id -> repository names (within the org) of a subset grant."""
    requests: list[dict[str, Any]] = field(default_factory=list)
    request_repositories: dict[int, list[str]] = field(default_factory=dict)
    members: list[str] | None = None
    """Logins of the members; None: the member list is refused (403)."""
    concealed: list[str] = field(default_factory=list)
    """Members the list leaves out, whom the membership check confirms (204)."""
    membership_check: int | None = None
    """Status the membership check answers for anyone not a member (default 404; GitHub redirects, 302, a
    caller that may not see private members)."""
    credential_authorizations: list[dict[str, Any]] | None = None
    """None: not a SAML organization (404)."""
    deploy_keys: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Repository name -> its deploy keys."""
    secrets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Repository name -> its Actions secrets' metadata."""
    refuse: dict[str, int] = field(default_factory=dict)
    """View (``grants``, ``requests``, ``credential_authorizations``...) -> status to answer instead."""


_INSTALLATION = re.compile(r"^/orgs/(?P<org>[^/]+)/installation$")
_EXCHANGE = re.compile(r"^/app/installations/(?P<id>\d+)/access_tokens$")
_GRANTS = re.compile(r"^/orgs/(?P<org>[^/]+)/personal-access-tokens$")
_GRANT_REPOS = re.compile(r"^/orgs/(?P<org>[^/]+)/personal-access-tokens/(?P<id>\d+)/repositories$")
_REQUESTS = re.compile(r"^/orgs/(?P<org>[^/]+)/personal-access-token-requests$")
_REQUEST_REPOS = re.compile(r"^/orgs/(?P<org>[^/]+)/personal-access-token-requests/(?P<id>\d+)/repositories$")
_MEMBERS = re.compile(r"^/orgs/(?P<org>[^/]+)/members$")
_MEMBER = re.compile(r"^/orgs/(?P<org>[^/]+)/members/(?P<login>[^/]+)$")
_CREDENTIALS = re.compile(r"^/orgs/(?P<org>[^/]+)/credential-authorizations$")
_KEYS = re.compile(r"^/repos/(?P<org>[^/]+)/(?P<repo>[^/]+)/keys$")
_SECRETS = re.compile(r"^/repos/(?P<org>[^/]+)/(?P<repo>[^/]+)/actions/secrets$")


def _not_found() -> Reply:
    return Reply.json({"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, 404)


class FakeGitHubAdmin:
    def __init__(
        self,
        app_id: int,
        public_key: RSAPublicKey,
        orgs: dict[str, OrgState],
        *,
        owner_tokens: set[str] | None = None,
        clock: Callable[[], float],
        fallback: Callable[[Request], Reply] | None = None,
        token_lifetime: int = 3600,
    ) -> None:
        self.app_id = app_id
        self.public_key = public_key
        self.orgs = orgs
        self.owner_tokens = owner_tokens or set()
        self.clock = clock
        self.fallback = fallback
        self.token_lifetime = token_lifetime
        self.issued: dict[str, str] = {}
        """Installation token -> the org it was issued for."""
        self.jwt_claims: list[dict[str, Any]] = []
        self._host = "127.0.0.1"

    # -- answering --------------------------------------------------------------------------------------

    def __call__(self, request: Request) -> Reply:
        self._host = request.headers.get("host", "127.0.0.1")
        parts = urlsplit(request.path)
        path, query = parts.path, parse_qs(parts.query)
        bearer = (request.authorization or "").removeprefix("Bearer ").removeprefix("token ")
        if bearer.startswith("ey"):
            return self._as_app(request, path, bearer)
        if bearer in self.issued:
            return self._as_installation(path, query, self.issued[bearer])
        if bearer in self.owner_tokens:
            return self._as_owner(path, query)
        if self.fallback is not None:
            return self.fallback(request)
        return Reply.json({"message": "Bad credentials"}, 401)

    def _as_app(self, request: Request, path: str, bearer: str) -> Reply:
        try:
            claims = self._decode(bearer)
        except jwt.PyJWTError as error:
            return Reply.json({"message": f"A JSON web token could not be decoded ({type(error).__name__})"}, 401)
        self.jwt_claims.append(claims)
        if match := _INSTALLATION.match(path):
            state = self.orgs.get(match["org"])
            if state is None or state.installation_id is None:
                return _not_found()
            return Reply.json(
                {
                    "id": state.installation_id,
                    "app_id": self.app_id,
                    "app_slug": "scm-access-inventory",
                    "target_type": "Organization",
                    "account": {"login": match["org"], "id": 9, "type": "Organization"},
                    "repository_selection": "all",
                    "permissions": state.app_permissions,
                    "events": [],
                    "suspended_at": state.suspended_at,
                    "access_tokens_url": f"https://api.github.com/app/installations/{state.installation_id}/access_tokens",
                }
            )
        if (match := _EXCHANGE.match(path)) and request.method == "POST":
            for org, state in self.orgs.items():
                if state.installation_id == int(match["id"]):
                    if state.suspended_at:
                        return Reply.json({"message": "This installation has been suspended"}, 403)
                    token = f"{INSTALLATION_TOKEN_PREFIX}{org}{len(self.issued):04d}installationTOKENxyz0123456789"
                    self.issued[token] = org
                    expires = self.clock() + self.token_lifetime
                    return Reply.json(
                        {
                            "token": token,
                            "expires_at": _iso(expires),
                            "permissions": state.app_permissions,
                            "repository_selection": "all",
                        },
                        201,
                    )
            return _not_found()
        return _not_found()

    def _decode(self, bearer: str) -> dict[str, Any]:
        claims = jwt.decode(
            bearer,
            self.public_key,
            algorithms=["RS256"],
            options={"require": ["iat", "exp", "iss"], "verify_exp": False, "verify_iat": False},
        )
        now = self.clock()
        if not claims["iat"] <= now < claims["exp"]:
            raise jwt.ExpiredSignatureError("outside its lifetime")
        if claims["exp"] - claims["iat"] > 600:
            raise jwt.InvalidTokenError("'Expiration time' claim ('exp') is too far in the future")
        if str(claims["iss"]) != str(self.app_id):
            raise jwt.InvalidIssuerError("not this App")
        return claims

    def _as_installation(self, path: str, query: dict[str, list[str]], org_of_token: str) -> Reply:
        for pattern, view in (
            (_GRANTS, "grants"),
            (_REQUESTS, "requests"),
            (_GRANT_REPOS, "grant_repositories"),
            (_REQUEST_REPOS, "request_repositories"),
            (_MEMBERS, "members"),
            (_MEMBER, "member"),
            (_KEYS, "deploy_keys"),
            (_SECRETS, "secrets"),
        ):
            match = pattern.match(path)
            if match is None:
                continue
            org = match["org"]
            state = self.orgs.get(org)
            if state is None or org != org_of_token:
                return _not_found()
            if view in state.refuse:
                return Reply.json({"message": f"refused: {view}"}, state.refuse[view])
            return self._view(view, state, match, path, query)
        return _not_found()

    def _as_owner(self, path: str, query: dict[str, list[str]]) -> Reply:
        match = _CREDENTIALS.match(path)
        if match is None:
            match = _MEMBERS.match(path)
            if match is None or match["org"] not in self.orgs:
                return _not_found()
            return self._view("members", self.orgs[match["org"]], match, path, query)
        state = self.orgs.get(match["org"])
        if state is None or state.credential_authorizations is None:
            return _not_found()
        if "credential_authorizations" in state.refuse:
            return Reply.json({"message": "refused"}, state.refuse["credential_authorizations"])
        return self._page(state.credential_authorizations, path, query)

    def _view(self, view: str, state: OrgState, match: re.Match[str], path: str, query: dict[str, list[str]]) -> Reply:
        org = match["org"]
        if view == "grants":
            return self._page(state.grants, path, query)
        if view == "requests":
            return self._page(state.requests, path, query)
        if view in ("grant_repositories", "request_repositories"):
            table = state.grant_repositories if view == "grant_repositories" else state.request_repositories
            names = table.get(int(match["id"]))
            if names is None:
                return _not_found()
            return self._page([_repository(org, name) for name in names], path, query)
        if view == "members":
            if state.members is None:
                return Reply.json({"message": "Must have admin rights to Repository."}, 403)
            return self._page([{"login": login, "id": i + 1, "type": "User"} for i, login in enumerate(state.members)], path, query)
        if view == "member":
            if state.members is None:
                return Reply.json({"message": "Must have admin rights to Repository."}, 403)
            known = {login.casefold() for login in [*state.members, *state.concealed]}
            if match["login"].casefold() in known:
                return Reply(status=204)
            if state.membership_check is not None:
                return Reply(status=state.membership_check, headers={"Location": f"/orgs/{org}/public_members/{match['login']}"})
            return _not_found()
        if view == "deploy_keys":
            return self._page(state.deploy_keys.get(match["repo"], []), path, query)
        if view == "secrets":
            secrets = state.secrets.get(match["repo"], [])
            return Reply.json({"total_count": len(secrets), "secrets": secrets})
        return _not_found()

    def _page(self, items: list[Any], path: str, query: dict[str, list[str]]) -> Reply:
        per_page = int(query.get("per_page", ["30"])[0])
        page = int(query.get("page", ["1"])[0])
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            headers["Link"] = f'<http://{self._host}{path}?per_page={per_page}&page={page + 1}>; rel="next"'
        return Reply(
            status=200,
            headers={"Content-Type": "application/json; charset=utf-8", **headers},
            body=json.dumps(chunk).encode(),
        )


def _repository(org: str, name: str) -> dict[str, Any]:
    return {"id": abs(hash((org, name))) % 10_000_000, "name": name, "full_name": f"{org}/{name}", "private": True}


def _iso(epoch: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


TOKEN_EXCHANGE = re.compile(r"^/app/installations/\d+/access_tokens$")
"""The one POST an App makes to read: exchanging its JWT for an installation token."""
GRANT_REVOCATION = "/orgs/acme/personal-access-tokens"


@dataclass
class GitHubRevoking:
    """``fake`` for the reads; every write recorded (``writes``), and the revocation of acme's grants answered
    as GitHub does (202, the body kept in ``revoked``). Any other write is answered 404."""

    fake: FakeGitHubAdmin
    revoked: list[dict] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)

    def __call__(self, request: Request) -> Reply:
        path = request.path.partition("?")[0]
        if request.method != "GET" and not TOKEN_EXCHANGE.match(path):
            self.writes.append(f"{request.method} {path}")
            if request.method == "POST" and path == GRANT_REVOCATION:
                self.revoked.append(request.json())
                return Reply(status=202)
            return Reply.json({"message": "Not Found"}, 404)
        return self.fake(request)


@contextmanager
def revoking_github(app_id: int, public_key: RSAPublicKey) -> Iterator[tuple[GitHubRevoking, LocalServer]]:
    """acme's grants served on a local server to an App allowed to revoke them, every write recorded."""
    org = OrgState()
    org.app_permissions["organization_personal_access_tokens"] = "write"
    server = GitHubRevoking(FakeGitHubAdmin(app_id, public_key, {"acme": org}, clock=time.time))
    with LocalServer(server) as local:
        yield server, local


def pem_of(key: RSAPrivateKey) -> str:
    """The App's private key as GitHub hands it out (PKCS#1 PEM)."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()
