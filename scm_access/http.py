"""One HTTP layer for every platform.

Every request has a timeout; idempotent requests (GET, HEAD) are retried a bounded number of times with
exponential backoff and jitter; every wait a server asks for (``Retry-After``, a reported remaining quota of
zero with its reset time, GitHub's secondary limit) is honoured per host before the next request to that host
is sent; concurrency is bounded by a semaphore; a retry budget stops a broken host from multiplying traffic.

Failures come out as :class:`ApiError` subclasses whose ``reason`` is safe to show: it never holds a token,
a request header or a response body beyond a short status line.

Timings are injectable (``sleep``, ``clock``, ``jitter``) so tests never wait for real.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import logging
import math
import random
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from scm_access import __version__

log = logging.getLogger(__name__)

USER_AGENT = f"scm-access/{__version__}"
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD"})
RETRYABLE_STATUSES = frozenset({408, 500, 502, 503, 504})
_LANES_PER_POOL = 4

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


# -- errors ---------------------------------------------------------------------------------------


class ApiError(Exception):
    """A request gave no usable answer. ``reason`` is safe to show: no token, no headers."""

    def __init__(self, reason: str, *, host: str | None = None) -> None:
        self.reason = reason
        self.host = host
        super().__init__(reason)


class ApiUnavailable(ApiError):
    """Server errors, timeouts or broken connections, still failing after the bounded retries."""


class RateLimited(ApiError):
    """The host asked us to wait longer than we are willing to, or kept refusing after the retries."""

    def __init__(self, reason: str, *, reset_at: datetime | None = None, host: str | None = None) -> None:
        self.reset_at = reset_at
        super().__init__(reason, host=host)


class MalformedResponse(ApiError):
    """The answer could not be read (not JSON, or not the shape the platform documents)."""


# -- settings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    """Tries per request, the first included."""
    wait_initial: float = 0.5
    wait_max: float = 8.0
    wait_jitter: float = 0.5
    """Up to this many seconds of random delay added to each backoff, so clients do not retry in step."""
    max_server_wait: float = 60.0
    """Longest wait a server may ask for that we sit out; beyond it the request fails as rate limited."""
    secondary_limit_wait: float = 60.0
    """GitHub's secondary rate limit without ``Retry-After``: its documentation says wait at least a minute."""
    budget: int = 100
    """Retries allowed across all requests of one client: a down host cannot multiply the traffic."""


@dataclass(frozen=True)
class HttpSettings:
    timeout: float = 10.0
    """Seconds for each of connect, read, write and pool wait, per request."""
    max_concurrency: int = 32
    """Requests in flight at once (GitHub's secondary limit starts at 100 concurrent requests)."""
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    user_agent: str = USER_AGENT


# -- per-host rate-limit state --------------------------------------------------------------------


@dataclass
class _HostGate:
    """When the next request to a host, with one credential, may go out, from what the host last reported.
    Platforms count limits per user or token, so one exhausted token must not hold back the others."""

    not_before: float = 0.0
    reason: str = ""

    def hold_until(self, when: float, reason: str) -> None:
        if when > self.not_before:
            self.not_before = when
            self.reason = reason


_CREDENTIAL_HEADERS = ("authorization", "private-token")
_FINGERPRINT_KEY = secrets.token_bytes(16)
"""Per process: a gate key cannot be matched against anything outside this run."""


def _gate_key(host: str, headers: Mapping[str, str] | httpx.Headers | None) -> str:
    """The host, plus a keyed digest of the request's credential (never the credential itself)."""
    if not headers:
        return host
    lowered = {k.lower(): v for k, v in headers.items()}
    credential = "\n".join(lowered.get(name, "") for name in _CREDENTIAL_HEADERS)
    if not credential.strip():
        return host
    digest = hashlib.blake2b(credential.encode(), key=_FINGERPRINT_KEY, digest_size=8).hexdigest()
    return f"{host}#{digest}"


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), None if unreadable."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def _header(headers: httpx.Headers, *names: str) -> str | None:
    for name in names:
        value = headers.get(name)
        if value is not None:
            return value
    return None


def _exhausted_until(headers: httpx.Headers) -> float | None:
    """Epoch seconds until which the host said the quota is used up (GitHub, GitLab, Azure DevOps)."""
    remaining = _header(headers, "x-ratelimit-remaining", "ratelimit-remaining")
    reset = _header(headers, "x-ratelimit-reset", "ratelimit-reset")
    if remaining is None or reset is None:
        return None
    try:
        if float(remaining) > 0:
            return None
        return float(reset)
    except ValueError:
        return None


def _is_rate_limit_refusal(response: httpx.Response) -> bool:
    if response.status_code == 429:
        return True
    if response.status_code != 403:
        return False
    headers = response.headers
    if "retry-after" in headers or _header(headers, "x-ratelimit-remaining", "ratelimit-remaining") == "0":
        return True
    # GitHub's secondary limit may come without either header; its message says so.
    return "secondary rate limit" in response.text[:2000].lower()


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


# -- the client -----------------------------------------------------------------------------------


class _Retry(Exception):
    """Internal: this attempt failed in a way worth another try."""

    def __init__(self, error: ApiError) -> None:
        self.error = error


class Pagination(StrEnum):
    LINK = "link"
    """``Link: <...>; rel="next"`` (GitHub, GitLab keyset, Bitbucket via body is separate)."""
    GITLAB = "gitlab"
    """``X-Next-Page`` header, empty on the last page."""
    AZURE_DEVOPS = "azure_devops"
    """``x-ms-continuationtoken`` header or ``continuationToken`` in the body, sent back as a query parameter."""
    BITBUCKET = "bitbucket"
    """``next`` URL in the JSON body."""


class ApiClient:
    """Shared by every request of a run: one connection pool, one semaphore, one retry budget, and the
    rate-limit state of every host it has talked to."""

    def __init__(
        self,
        settings: HttpSettings | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.time,
        jitter: Callable[[], float] = random.random,
        transport: httpx.AsyncBaseTransport | None = None,
        event_hooks: Mapping[str, list[Callable[..., Any]]] | None = None,
    ) -> None:
        self.settings = settings or HttpSettings()
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        self._gates: dict[str, _HostGate] = {}
        self._retries_left = self.settings.retry.budget
        hooks = {
            "request": list((event_hooks or {}).get("request", [])),
            # First of the response hooks: the limits a host reports take effect as soon as its headers
            # arrive, before the body is read, so no request of ours can slip out in between.
            "response": [self._on_response, *(event_hooks or {}).get("response", [])],
        }
        # httpx's connection pool does work proportional to requests x connections on every request, which
        # dominates at a few dozen connections. Several small pools keep that cost flat; each request takes
        # a free lane (the lanes also bound the requests in flight, like a semaphore).
        concurrency = max(1, self.settings.max_concurrency)
        pools = 1 if transport is not None else math.ceil(concurrency / _LANES_PER_POOL)
        per_pool = math.ceil(concurrency / pools)
        # Loading the CA bundle is the costly part of a client: every pool shares one context.
        ssl_context = httpx.create_ssl_context()
        self._pools = [
            httpx.AsyncClient(
                timeout=httpx.Timeout(self.settings.timeout),
                headers={"User-Agent": self.settings.user_agent},
                limits=httpx.Limits(max_connections=per_pool, max_keepalive_connections=per_pool),
                follow_redirects=False,
                verify=ssl_context,
                transport=transport,
                event_hooks=hooks,
            )
            for _ in range(pools)
        ]
        self._lanes: asyncio.Queue[httpx.AsyncClient] = asyncio.Queue()
        for index in range(concurrency):
            self._lanes.put_nowait(self._pools[index % pools])

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for pool in self._pools:
            await pool.aclose()

    def at(self, base_url: str, headers: Mapping[str, str] | None = None) -> Api:
        """A view of this client rooted at an API base URL, sending these (e.g. authorization) headers."""
        return Api(self, base_url, dict(headers or {}))

    # -- sending ----------------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """Send one request; returns any response that is not a retryable failure (a 401 or 404 is the
        caller's to read). Raises :class:`ApiError` when no usable answer came."""
        method = method.upper()
        host = httpx.URL(url).netloc.decode("ascii")
        policy = self.settings.retry
        attempts = policy.attempts if method in IDEMPOTENT_METHODS else 1
        retrying = AsyncRetrying(
            stop=stop_after_attempt(max(1, attempts)),
            wait=self._backoff,
            retry=retry_if_exception(self._may_retry),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._send_once(method, url, host, headers, params, json)
        except _Retry as final:
            raise final.error from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _may_retry(self, error: BaseException) -> bool:
        if not isinstance(error, _Retry) or self._retries_left <= 0:
            return False
        self._retries_left -= 1
        return True

    def _backoff(self, state: RetryCallState) -> float:
        policy = self.settings.retry
        exponential = policy.wait_initial * 2 ** (state.attempt_number - 1)
        return min(policy.wait_max, exponential) + policy.wait_jitter * self._jitter()

    async def _wait_for_host(self, host: str, key: str) -> None:
        """Sit out what the host asked of this credential, and a short wait it asked of another one.

        Platforms count quotas per user, but a client cannot tell whether two tokens share one: a short
        wait is cheap insurance against a shared quota. A long wait asked of another credential is not
        ours to sit out (one token used up by its integration must not fail every other token); if the
        quota is shared after all, the host refuses us and that request is rate limited in its own right.
        """
        limit = self.settings.retry.max_server_wait
        while True:
            now = self._clock()
            own = self._gates.get(key)
            shared = self._gates.get(host) if key != host else None
            own_delay = own.not_before - now if own else 0.0
            if own is not None and own_delay > limit:
                raise RateLimited(
                    f"{host}: {own.reason}; it resets at {_utc(own.not_before):%Y-%m-%d %H:%M:%S} UTC",
                    reset_at=_utc(own.not_before),
                    host=host,
                )
            shared_delay = shared.not_before - now if shared else 0.0
            delay = max(own_delay, shared_delay if shared_delay <= limit else 0.0)
            if delay <= 0:
                return
            reason = own.reason if own is not None and own_delay >= shared_delay else shared.reason if shared else ""
            log.debug("waiting %.2fs before the next request to %s (%s)", delay, host, reason)
            await self._sleep(delay)

    async def _send_once(
        self,
        method: str,
        url: str,
        host: str,
        headers: Mapping[str, str] | None,
        params: Mapping[str, Any] | None,
        json: Any,
    ) -> httpx.Response:
        key = _gate_key(host, headers)
        pool = await self._lanes.get()
        try:
            # Checked once a lane is ours: a report that arrived while we queued still holds us back.
            await self._wait_for_host(host, key)
            try:
                response = await pool.request(method, url, headers=headers, params=params, json=json)
            except httpx.TimeoutException as error:
                reason = f"{host}: no answer within {self.settings.timeout:g}s ({type(error).__name__})"
                raise _Retry(ApiUnavailable(reason, host=host)) from None
            except httpx.TransportError as error:
                reason = f"{host}: connection failed ({type(error).__name__})"
                raise _Retry(ApiUnavailable(reason, host=host)) from None
        finally:
            self._lanes.put_nowait(pool)
        log.debug("%s %s -> %s", method, urlsplit(url).path, response.status_code)
        if _is_rate_limit_refusal(response):
            self._observe_refusal(host, key)
            error = self._rate_limited(host, key, response)
            gate = self._gates[key]
            if gate.not_before - self._clock() > self.settings.retry.max_server_wait:
                raise error  # not worth a retry: the wait asked for is longer than we sit out
            raise _Retry(error)
        if response.status_code in RETRYABLE_STATUSES:
            raise _Retry(ApiUnavailable(f"{host} answered HTTP {response.status_code}", host=host))
        return response

    async def _on_response(self, response: httpx.Response) -> None:
        """Remember every wait the host asks for, whatever the status (Azure DevOps sends Retry-After on
        a 200 to mean: slow down before the next request)."""
        now = self._clock()
        retry_after = parse_retry_after(response.headers.get("retry-after"), now)
        exhausted_until = _exhausted_until(response.headers)
        asks_wait = retry_after is not None and retry_after > 0
        exhausted = exhausted_until is not None and exhausted_until > now
        if not (asks_wait or exhausted):
            return
        host = response.request.url.netloc.decode("ascii")
        for gate in self._gates_of(host, _gate_key(host, response.request.headers)):
            if asks_wait:
                gate.hold_until(now + retry_after, f"asked to wait {retry_after:g}s (Retry-After)")
            if exhausted:
                gate.hold_until(exhausted_until, "rate limit used up (remaining 0)")

    def _gates_of(self, host: str, key: str) -> list[_HostGate]:
        """The credential's own gate and the host's (the same one for requests without a credential)."""
        gates = [self._gates.setdefault(key, _HostGate())]
        if key != host:
            gates.append(self._gates.setdefault(host, _HostGate()))
        return gates

    def _observe_refusal(self, host: str, key: str) -> None:
        """Refused for rate: when the host did not say until when, wait as for GitHub's secondary limit."""
        now = self._clock()
        for gate in self._gates_of(host, key):
            if gate.not_before <= now:
                # Refused for rate without saying until when: GitHub's secondary limit.
                gate.hold_until(now + self.settings.retry.secondary_limit_wait, "secondary rate limit")

    def _rate_limited(self, host: str, key: str, response: httpx.Response) -> RateLimited:
        gate = self._gates.get(key)
        reset_at = _utc(gate.not_before) if gate and gate.not_before > self._clock() else None
        secondary = response.status_code == 403 and _exhausted_until(response.headers) is None
        what = "secondary rate limit" if secondary else "rate limit"
        reason = f"{host} refused the request: {what} (HTTP {response.status_code})"
        return RateLimited(reason, reset_at=reset_at, host=host)

    # -- pagination -------------------------------------------------------------------------------

    async def pages(
        self,
        url: str,
        *,
        style: Pagination,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        max_pages: int = 50,
    ) -> AsyncIterator[tuple[httpx.Response, Any]]:
        """Yield (response, parsed JSON) for each page, following the platform's next-page signal.
        Stops at a non-2xx page (yielded, for the caller to read) or after ``max_pages``."""
        origin = _netloc(url)
        next_url: str | None = url
        next_params: dict[str, Any] = dict(params or {})
        for _ in range(max_pages):
            if next_url is None:
                return
            if _netloc(next_url) != origin:
                # The headers carry the credential: never follow a link to another host.
                raise MalformedResponse(f"{origin}: next-page link points to another host", host=origin)
            response = await self.request("GET", next_url, headers=headers, params=next_params or None)
            if not response.is_success:
                yield response, None
                return
            data = read_json(response)
            yield response, data
            next_url, next_params = _next_page(style, response, data, next_url, next_params)

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)


def _netloc(url: str) -> str:
    """Host and port, never the ``user:password@`` a URL may carry."""
    return httpx.URL(url).netloc.decode("ascii")


def _next_page(
    style: Pagination, response: httpx.Response, data: Any, url: str, params: dict[str, Any]
) -> tuple[str | None, dict[str, Any]]:
    if style == Pagination.LINK:
        link = response.links.get("next", {}).get("url")
        # The next link carries the whole query already.
        return (urljoin(str(response.url), link), {}) if link else (None, {})
    if style == Pagination.GITLAB:
        page = response.headers.get("x-next-page", "").strip()
        return (url, {**params, "page": page}) if page else (None, {})
    if style == Pagination.AZURE_DEVOPS:
        token = response.headers.get("x-ms-continuationtoken")
        if not token and isinstance(data, dict):
            token = data.get("continuationToken")
        return (url, {**params, "continuationToken": token}) if token else (None, {})
    if style == Pagination.BITBUCKET:
        link = data.get("next") if isinstance(data, dict) else None
        return (link, {}) if isinstance(link, str) and link else (None, {})
    raise ValueError(f"unknown pagination style {style!r}")


def read_json(response: httpx.Response) -> Any:
    """The body as JSON, or :class:`MalformedResponse` naming the host and status (never the body)."""
    host = response.url.host
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        content_type = response.headers.get("content-type", "no content type")
        raise MalformedResponse(
            f"{host}: HTTP {response.status_code} answer is not valid JSON ({content_type})", host=host
        ) from None


def json_or_none(response: httpx.Response) -> Any:
    """The body as JSON, or None when it is not JSON (for bodies read only for a hint, like a message)."""
    try:
        return response.json()
    except ValueError:
        return None


class Api:
    """An :class:`ApiClient` rooted at one API base URL with fixed headers (e.g. the credential)."""

    def __init__(self, client: ApiClient, base_url: str, headers: dict[str, str]) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self._headers = headers

    def __repr__(self) -> str:
        # Never show the headers: they hold the credential.
        return f"Api({self.base_url!r})"

    def url(self, path: str) -> str:
        """Always under the base URL: the credential headers go to this API and nowhere else."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def _merged(self, headers: Mapping[str, str] | None) -> dict[str, str]:
        return {**self._headers, **(headers or {})}

    async def get(
        self, path: str, *, params: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        return await self.client.request("GET", self.url(path), headers=self._merged(headers), params=params)

    async def head(self, path: str, *, headers: Mapping[str, str] | None = None) -> httpx.Response:
        return await self.client.request("HEAD", self.url(path), headers=self._merged(headers))

    def pages(
        self,
        path: str,
        *,
        style: Pagination,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        max_pages: int = 50,
    ) -> AsyncIterator[tuple[httpx.Response, Any]]:
        return self.client.pages(
            self.url(path), style=style, headers=self._merged(headers), params=params, max_pages=max_pages
        )
