"""GitHub App authentication: the App's JWT, its installation on an organization, the installation token.

The only way to read an organization's fine-grained token grants and requests is as a GitHub App
installed on it. The program signs a short JSON Web Token with the App's private key (RS256, PyJWT),
asks GitHub for the App's installation on the organization (``GET /orgs/{org}/installation``) and
exchanges it for an installation token (``POST /app/installations/{id}/access_tokens``), which is
cached per organization until shortly before it expires.

The private key, the JWT and every installation token are registered secrets (held as
:class:`~scm_access.verify.token.Token` or registered when read): they are sent in an ``Authorization``
header and nowhere else, and every output boundary removes them whatever a server echoes back.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from scm_access.errors import ScmAccessError
from scm_access.http import Api, ApiClient, ApiError, MalformedResponse, json_or_none, read_json
from scm_access.judge.secrets import register_secret, scrub
from scm_access.verify.token import NoTokenError, Token

APP_ID_VAR = "SCM_ACCESS_GITHUB_APP_ID"
PRIVATE_KEY_VAR = "SCM_ACCESS_GITHUB_APP_PRIVATE_KEY"
PRIVATE_KEY_FILE_VAR = "SCM_ACCESS_GITHUB_APP_PRIVATE_KEY_FILE"
API_VERSION = "2022-11-28"

JWT_BACKDATE_SECONDS = 60
"""``iat`` this far in the past: GitHub's clock may be behind ours (GitHub recommends 60 seconds)."""
JWT_LIFETIME_SECONDS = 540
"""``exp`` this far ahead of now: with the backdated ``iat`` the JWT spans GitHub's maximum of 10 minutes."""
JWT_RENEW_SECONDS = 60
"""A JWT is signed again when less than this is left of it."""
TOKEN_RENEW_SECONDS = 300
"""An installation token (valid for an hour) is exchanged again when less than this is left of it."""
MAX_KEY_FILE_BYTES = 64 << 10


class GitHubAppConfigError(ScmAccessError):
    """The App's settings in the environment are wrong (a usage error: exit 2); the line names the variable."""


class AppAccessError(ApiError):
    """GitHub refused the App for one organization (not installed, suspended, the JWT rejected): that
    organization's views fail with this reason, the others are read."""


RATE_LIMIT_PHRASES = ("secondary rate limit",)
"""GitHub's secondary limits may come as a 403 with neither Retry-After nor a used-up quota: only the
message ("You have exceeded a secondary rate limit") says it is about rate."""


def headers_for(bearer: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {bearer}",
        "Accept": "application/vnd.github+json, application/json;q=0.9",
        "X-GitHub-Api-Version": API_VERSION,
    }


def app_configured(environ: Mapping[str, str]) -> bool:
    """Something is set for the App (whether it is right is :meth:`GitHubApp.from_env`'s to say)."""
    return any(environ.get(name, "").strip() for name in (APP_ID_VAR, PRIVATE_KEY_VAR, PRIVATE_KEY_FILE_VAR))


@dataclass(frozen=True, slots=True)
class Installation:
    """The App's installation on one organization, and an API view authenticated as it."""

    org: str
    id: int
    api: Api
    permissions: Mapping[str, str]
    """What the installation token may do (``organization_personal_access_tokens: read`` ...)."""
    repository_selection: str | None
    expires_at: float
    """When the installation token stops working (epoch seconds)."""
    headers: Mapping[str, str] = field(repr=False, default_factory=dict)
    """The installation token's headers (the credential: never shown)."""


@dataclass
class _Cached:
    installation: Installation | None = None
    refusal: AppAccessError | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class GitHubApp:
    """A GitHub App's identity, read from the environment; authenticates as its installations."""

    def __init__(self, app_id: int, private_key: RSAPrivateKey, *, clock: Callable[[], float] = time.time) -> None:
        self.app_id = app_id
        self._key = private_key
        self._clock = clock
        self._jwt: Token | None = None
        self._jwt_expires = 0.0
        self._installations: dict[tuple[str, str], _Cached] = {}

    def __repr__(self) -> str:
        return f"GitHubApp(app_id={self.app_id})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, clock: Callable[[], float] = time.time) -> GitHubApp:
        """The App from ``SCM_ACCESS_GITHUB_APP_ID`` and its private key (PEM text in
        ``SCM_ACCESS_GITHUB_APP_PRIVATE_KEY``, or a file named by ``SCM_ACCESS_GITHUB_APP_PRIVATE_KEY_FILE``).
        Raises :class:`GitHubAppConfigError` with one line naming the variable at fault."""
        raw_id = environ.get(APP_ID_VAR, "").strip()
        if not raw_id:
            raise GitHubAppConfigError(f"{APP_ID_VAR} is not set: set it to the GitHub App's numeric App ID")
        if not raw_id.isascii() or not raw_id.isdigit() or int(raw_id) == 0:
            raise GitHubAppConfigError(
                f"{APP_ID_VAR} must be the GitHub App's numeric App ID (its settings page shows it), not {raw_id[:40]!r}"
            )
        return cls(int(raw_id), _private_key(environ), clock=clock)

    # -- the App's own JWT ----------------------------------------------------------------------------

    def jwt(self) -> Token:
        """The App's JWT (RS256; ``iss`` the App ID), signed again when it is about to expire."""
        now = self._clock()
        if self._jwt is None or self._jwt_expires - now < JWT_RENEW_SECONDS:
            issued = int(now)
            claims = {"iat": issued - JWT_BACKDATE_SECONDS, "exp": issued + JWT_LIFETIME_SECONDS, "iss": str(self.app_id)}
            self._jwt = Token(jwt.encode(claims, self._key, algorithm="RS256"))
            self._jwt_expires = issued + JWT_LIFETIME_SECONDS
        return self._jwt

    def app_api(self, http: ApiClient, api_root: str) -> Api:
        """An API view authenticated as the App itself (for ``/app`` and ``/orgs/{org}/installation``)."""
        return http.at(api_root, headers_for(self.jwt().reveal()), rate_limit_phrases=RATE_LIMIT_PHRASES)

    # -- installations ----------------------------------------------------------------------------------

    async def installation(self, http: ApiClient, api_root: str, org: str) -> Installation:
        """The App's installation on ``org`` with a live installation token (cached until shortly before it
        expires). Raises :class:`AppAccessError` when GitHub refuses (the reason is safe to show), or another
        :class:`ApiError` when it did not answer."""
        key = (api_root.rstrip("/"), org.casefold())
        cached = self._installations.setdefault(key, _Cached())
        async with cached.lock:
            if cached.refusal is not None:
                raise cached.refusal
            current = cached.installation
            if current is not None and current.expires_at - self._clock() > TOKEN_RENEW_SECONDS:
                # The token outlives a client: a later run's client gets a view of its own.
                if current.api.client is http:
                    return current
                return replace(current, api=_installation_view(http, key[0], current.headers))
            try:
                cached.installation = await self._install(http, key[0], org)
            except AppAccessError as refusal:
                # Not installed, suspended: asking again in this run would get the same answer.
                cached.refusal = refusal
                raise
            return cached.installation

    async def installation_api(self, http: ApiClient, api_root: str, org: str) -> Api:
        """An API view authenticated as the App's installation on ``org`` (see :meth:`installation`)."""
        return (await self.installation(http, api_root, org)).api

    async def _install(self, http: ApiClient, api_root: str, org: str) -> Installation:
        app = self.app_api(http, api_root)
        response = await app.get(f"/orgs/{quote(org, safe='')}/installation")
        if response.status_code == 404:
            raise AppAccessError(
                f"the GitHub App {self.app_id} is not installed on the organization {org}"
                " (GET /orgs/{org}/installation answered 404): an owner of the organization installs it",
                host=response.url.host,
            )
        if response.status_code != 200:
            raise AppAccessError(_refusal(f"finding the App's installation on {org}", response), host=response.url.host)
        data = read_json(response)
        if not isinstance(data, dict) or not _is_id(data.get("id")):
            raise MalformedResponse(f"{response.url.host}: the installation answer has no id", host=response.url.host)
        installation_id = data["id"]
        if data.get("suspended_at"):
            raise AppAccessError(
                f"the GitHub App's installation on {org} is suspended (since {scrub(str(data['suspended_at']))[:40]}):"
                " an owner of the organization unsuspends it",
                host=response.url.host,
            )
        exchange = await self.app_api(http, api_root).post(f"/app/installations/{installation_id}/access_tokens")
        if exchange.status_code != 201:
            raise AppAccessError(
                _refusal(f"the installation token for {org}", exchange), host=exchange.url.host
            )
        answer = read_json(exchange)
        secret = answer.get("token") if isinstance(answer, dict) else None
        if not isinstance(secret, str) or not secret.strip():
            raise MalformedResponse(f"{exchange.url.host}: the installation token answer has no token", host=exchange.url.host)
        register_secret(secret.strip())  # whatever it is, it is never shown
        try:
            token = Token(secret)
        except NoTokenError:
            raise MalformedResponse(
                f"{exchange.url.host}: the installation token GitHub sent is not a token (it holds whitespace)",
                host=exchange.url.host,
            ) from None
        expires_at = _epoch(answer.get("expires_at"))
        if expires_at is None:
            # GitHub documents an hour; assume a little less rather than use a dead token.
            expires_at = self._clock() + 3000
        permissions = answer.get("permissions") if isinstance(answer.get("permissions"), dict) else data.get("permissions")
        headers = headers_for(token.reveal())
        return Installation(
            org=org,
            id=installation_id,
            api=_installation_view(http, api_root, headers),
            headers=headers,
            permissions={str(k): str(v) for k, v in (permissions or {}).items()},
            repository_selection=_text(answer.get("repository_selection") or data.get("repository_selection")),
            expires_at=expires_at,
        )


def _installation_view(http: ApiClient, api_root: str, headers: Mapping[str, str]) -> Api:
    """The API as an installation. GitHub counts each installation's requests against that installation's own
    limit ("Rate limits for the REST API": GitHub App installations), so one installation's limit used up
    holds back no other credential."""
    return http.at(api_root, headers, rate_limit_phrases=RATE_LIMIT_PHRASES, own_quota=True)


def _private_key(environ: Mapping[str, str]) -> RSAPrivateKey:
    text = environ.get(PRIVATE_KEY_VAR, "")
    path = environ.get(PRIVATE_KEY_FILE_VAR, "").strip()
    if text.strip() and path:
        raise GitHubAppConfigError(f"set only one of {PRIVATE_KEY_VAR} and {PRIVATE_KEY_FILE_VAR}")
    source = PRIVATE_KEY_VAR
    if path:
        source = PRIVATE_KEY_FILE_VAR
        try:
            with Path(path).expanduser().open("rb") as handle:
                raw = handle.read(MAX_KEY_FILE_BYTES + 1)
        except OSError as error:
            raise GitHubAppConfigError(
                f"{PRIVATE_KEY_FILE_VAR}: cannot read the private key file {path!r} ({error.strerror or type(error).__name__})"
            ) from None
        if len(raw) > MAX_KEY_FILE_BYTES:
            raise GitHubAppConfigError(f"{PRIVATE_KEY_FILE_VAR}: {path!r} is too large to be a private key")
        text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        raise GitHubAppConfigError(
            f"no private key for the GitHub App: set {PRIVATE_KEY_VAR} to the PEM text"
            f" or {PRIVATE_KEY_FILE_VAR} to the .pem file GitHub gave you"
        )
    if "\\n" in text and "\n" not in text.strip():
        text = text.replace("\\n", "\n")  # a secret store that kept the newlines escaped
    text = text.strip()
    register_secret(text)
    for line in text.splitlines():
        if not line.startswith("-----"):
            register_secret(line.strip())
    try:
        key = load_pem_private_key(text.encode(), password=None)
    except (ValueError, TypeError):
        # The library's message is dropped: it is about the key, and nothing about the key is shown.
        raise GitHubAppConfigError(
            f"{source} is not a readable PEM private key (expected the .pem file GitHub generates for the App,"
            " unencrypted, from -----BEGIN RSA PRIVATE KEY----- to its END line)"
        ) from None
    except Exception:  # noqa: BLE001 - any other parser failure is the same user mistake
        raise GitHubAppConfigError(f"{source} is not a readable PEM private key") from None
    if not isinstance(key, RSAPrivateKey):
        raise GitHubAppConfigError(f"{source} is not an RSA private key: GitHub Apps sign with RS256")
    return key


def _refusal(what: str, response: httpx.Response) -> str:
    data = json_or_none(response)
    message = data.get("message") if isinstance(data, dict) else None
    said = f": {scrub(' '.join(message.split()))[:200]}" if isinstance(message, str) and message.strip() else ""
    hint = ""
    if response.status_code == 401:
        hint = (
            f" (check that {APP_ID_VAR} is the App that owns this private key, and that this machine's clock is"
            " right to within a minute)"
        )
    elif response.status_code == 403:
        hint = " (the App may lack a permission, or its installation may be suspended)"
    return f"GitHub answered HTTP {response.status_code} to {what}{said}{hint}"


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _epoch(value: object) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.timestamp() if moment.tzinfo else None
