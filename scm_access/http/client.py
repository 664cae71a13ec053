"""The client every request of a run goes through.

Every request goes out over https (plain http only to a loopback address), has a timeout per read and a
deadline in all, and reads at most a capped number of bytes. Idempotent requests (GET, HEAD) are retried a
bounded number of times with exponential backoff and jitter; every wait a server asks for is honoured per
credential and host before the next request there; concurrency is bounded; a retry budget stops a broken
host from multiplying traffic; a time limit bounds the whole run.

Failures come out as :class:`~scm_access.http.errors.ApiError` subclasses whose ``reason`` is safe to
show. Timings are injectable (``sleep``, ``clock``, ``jitter``) so tests never wait for real.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from scm_access.http.body import read_capped, read_json
from scm_access.http.errors import ApiError, ApiUnavailable, RateLimited
from scm_access.http.gates import Gates, gate_key
from scm_access.http.paging import NextPage, PageRequest, RemainingPages, check_same_origin
from scm_access.http.retry import (
    IDEMPOTENT_METHODS,
    RETRYABLE_STATUSES,
    is_rate_limit_refusal,
    is_secondary_limit,
    utc,
)
from scm_access.http.settings import HttpSettings
from scm_access.http.transport import ConnectionTransport, CookielessClient
from scm_access.http.urls import netloc, require_secure

log = logging.getLogger(__name__)

_MERGED_HEADERS_KEPT = 64
"""Distinct header sets whose merge with the client's defaults is kept (one or two per credential in use)."""
_GATE = "scm_access.gate"
"""Request extension carrying the request's host and gate key to the trace and the response hook."""

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


class _Retry(Exception):
    """Internal: this attempt failed in a way worth another try."""

    def __init__(self, error: ApiError) -> None:
        self.error = error


class _HeldBack(Exception):
    """Internal: a limit was reported while this request waited for the wire; nothing of it was sent."""


_WRITING_HEADERS = ("http11.send_request_headers.started", "http2.send_request_headers.started")


class ApiClient:
    """Shared by every request of a run: one connection pool, bounded concurrency, one retry budget, one
    time limit, and the rate-limit state of every host and credential it has talked to."""

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
        retry = self.settings.retry
        self._gates = Gates(max_wait=retry.max_server_wait, secondary_wait=retry.secondary_limit_wait)
        self._retries_left = retry.budget
        limit = self.settings.run_time_limit
        self._ends_at = None if limit is None else clock() + limit
        hooks = {
            "request": list((event_hooks or {}).get("request", [])),
            # First of the response hooks: the limits a host reports take effect as soon as its headers
            # arrive, before the body is read, so no request of ours can slip out in between.
            "response": [self._on_response, *(event_hooks or {}).get("response", [])],
        }
        concurrency = max(1, self.settings.max_concurrency)
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        self._http = CookielessClient(
            timeout=httpx.Timeout(self.settings.timeout),
            headers={"User-Agent": self.settings.user_agent},
            limits=limits,
            follow_redirects=False,
            transport=transport or ConnectionTransport(limits=limits),
            event_hooks=hooks,
        )
        self._trace = {"trace": self._on_wire}
        self._timeout = httpx.Timeout(self.settings.timeout).as_dict()
        self._headers: dict[tuple[tuple[str, str], ...], httpx.Headers] = {}
        """The client's default headers merged with each distinct set a request adds (a view's credential):
        merged once, not on every request."""
        self._in_flight = asyncio.Semaphore(concurrency)

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def at(
        self,
        base_url: str,
        headers: Mapping[str, str] | None = None,
        *,
        rate_limit_phrases: tuple[str, ...] = (),
        own_quota: bool = False,
    ) -> Api:
        """A view of this client rooted at an API base URL, sending these headers on every request: the
        credential, in whichever header its platform takes it, and any other fixed header.
        ``rate_limit_phrases``: wording by which the platform says a 403 is about rate (see
        :func:`~scm_access.http.retry.is_rate_limit_refusal`). ``own_quota``: the platform documents that this
        credential's requests are counted apart from every other credential's (a GitHub App installation's
        token), so a quota it uses up holds back only it; otherwise a short wait asked of one credential is
        sat out by every credential on the host, in case they share a quota."""
        api = Api(self, base_url, dict(headers or {}), rate_limit_phrases)
        if own_quota and api._gate is not None:
            self._gates.has_own_quota(api._gate)
        return api

    # -- sending ----------------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        gate: str | None = None,
        rate_limit_phrases: tuple[str, ...] = (),
    ) -> httpx.Response:
        """Send one request; returns any response that is not a retryable failure (a 401 or 404 is the
        caller's to read), with its body read. Raises :class:`ApiError` when no usable answer came.

        ``gate`` is the key of the rate-limit gate the request goes through (see :func:`gate_key`);
        by default, the host's. ``rate_limit_phrases``: the platform's wording for a refusal for rate."""
        parsed = _with_params(url, params)
        require_secure(parsed)
        method = method.upper()
        host = netloc(parsed)
        key = gate or host
        attempts = max(1, self.settings.retry.attempts if method in IDEMPOTENT_METHODS else 1)
        send = (method, parsed, host, key, headers, json, rate_limit_phrases)
        try:
            # The first attempt goes out directly: almost every request needs only it.
            return await self._send_once(*send)
        except _Retry as failed:
            if attempts == 1 or not self._may_retry(failed):
                raise failed.error from None
        retrying = AsyncRetrying(
            stop=stop_after_attempt(attempts - 1),
            # Attempt n of these is the request's attempt n + 1: the backoff after the first failure comes first.
            wait=lambda state: self._backoff_after(state.attempt_number),
            retry=retry_if_exception(self._may_retry),
            sleep=self._sleep,
            reraise=True,
        )
        await self._sleep(self._backoff_after(0))
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._send_once(*send)
        except _Retry as final:
            raise final.error from None
        raise AssertionError("unreachable")  # pragma: no cover - tenacity either returns or raises

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)

    def _may_retry(self, error: BaseException) -> bool:
        if not isinstance(error, _Retry) or self._retries_left <= 0:
            return False
        left = self._time_left()
        if left is not None and left <= 0:
            return False
        self._retries_left -= 1
        return True

    def _backoff_after(self, retries_done: int) -> float:
        """Seconds to wait before the request's retry number ``retries_done + 1``."""
        wait = self.settings.retry.backoff(retries_done + 1, self._jitter())
        left = self._time_left()
        return wait if left is None else max(0.0, min(wait, left))

    def _time_left(self) -> float | None:
        return None if self._ends_at is None else self._ends_at - self._clock()

    def _out_of_time(self, host: str) -> ApiUnavailable:
        limit = self.settings.run_time_limit
        return ApiUnavailable(
            f"{host}: not asked; the run's time limit of {limit:g}s was reached", host=host
        )

    async def _wait_for_host(self, host: str, key: str) -> None:
        """Sit out what the host asked of this credential (and short waits it asked of others), unless
        the wait would outlast the run."""
        while True:
            delay, reason = self._gates.delay(host, key, self._clock())
            if delay <= 0:
                return
            left = self._time_left()
            if left is not None and delay > left:
                raise RateLimited(
                    f"{host}: {reason}; waiting {delay:g}s would outlast the run's time limit",
                    reset_at=utc(self._clock() + delay),
                    host=host,
                )
            log.debug("waiting %.2fs before the next request to %s (%s)", delay, host, reason)
            await self._sleep(delay)

    async def _send_once(
        self,
        method: str,
        url: httpx.URL,
        host: str,
        key: str,
        headers: Mapping[str, str] | None,
        json: Any,
        rate_limit_phrases: tuple[str, ...],
    ) -> httpx.Response:
        async with self._in_flight:
            # As the client's build_request makes it (its default headers, then these; its timeout), without
            # merging the same headers again for each of thousands of requests.
            request = httpx.Request(
                method, url, headers=self._merged_headers(headers), json=json,
                extensions={"timeout": self._timeout, _GATE: (host, key), **self._trace},
            )
            while True:
                # Checked once a place in flight is ours (a report that arrived while we queued still holds us back),
                # and again as the request is written (:meth:`_on_wire`).
                await self._wait_for_host(host, key)
                left = self._time_left()
                if left is not None and left <= 0:
                    raise self._out_of_time(host)
                deadline = self.settings.deadline if left is None else min(self.settings.deadline, left)
                try:
                    response = await self._exchange(request, host, deadline)
                    break
                except _HeldBack:
                    continue
        if log.isEnabledFor(logging.DEBUG):  # the path is decoded only for a record that is made
            log.debug("%s %s -> %s", method, url.path, response.status_code)
        if is_rate_limit_refusal(response, rate_limit_phrases):
            now = self._clock()
            self._gates.observe_refusal(host, key, now)
            error = self._rate_limited(host, key, response)
            not_before = self._gates.not_before(key) or 0.0
            if not_before - now > self.settings.retry.max_server_wait:
                raise error  # not worth a retry: the wait asked for is longer than we sit out
            raise _Retry(error)
        if response.status_code in RETRYABLE_STATUSES:
            raise _Retry(ApiUnavailable(f"{host} answered HTTP {response.status_code}", host=host))
        return response

    def _merged_headers(self, headers: Mapping[str, str] | None) -> httpx.Headers:
        key = tuple(headers.items()) if headers else ()
        merged = self._headers.get(key)
        if merged is None:
            if len(self._headers) >= _MERGED_HEADERS_KEPT:
                self._headers.clear()
            merged = self._headers[key] = httpx.Headers(self._http.headers)
            merged.update(headers)
        return merged

    async def _exchange(
        self, request: httpx.Request, host: str, deadline: float
    ) -> httpx.Response:
        """Send and read the whole answer within ``deadline`` seconds, at most the size cap."""
        try:
            async with asyncio.timeout(deadline):
                response = await self._http.send(request, stream=True)
                try:
                    return await read_capped(response, self.settings.max_response_bytes)
                finally:
                    await response.aclose()
        except TimeoutError:
            reason = f"{host}: no complete answer within {deadline:g}s"
            if deadline < self.settings.deadline:
                reason += " (the rest of the run's time limit)"
            raise _Retry(ApiUnavailable(reason, host=host)) from None
        except httpx.TimeoutException as error:
            reason = f"{host}: no answer within {self.settings.timeout:g}s ({type(error).__name__})"
            raise _Retry(ApiUnavailable(reason, host=host)) from None
        except httpx.TransportError as error:
            reason = f"{host}: connection failed ({type(error).__name__})"
            raise _Retry(ApiUnavailable(reason, host=host)) from None

    async def _on_wire(self, event: str, info: Mapping[str, Any]) -> None:
        """httpcore's trace of a request (its ``trace`` extension). Just before the request's first byte is
        written nothing can come between the check and the wire; between the earlier check and here the
        request may have waited (for a connection, for the event loop) while another answer reported a
        limit. Held back, it is sent again once the wait is over; nothing of it was sent."""
        if event not in _WRITING_HEADERS:
            return
        host, key = info["request"].extensions[_GATE]
        delay, _ = self._gates.delay(host, key, self._clock())
        if delay > 0:
            raise _HeldBack()

    async def _on_response(self, response: httpx.Response) -> None:
        host, key = response.request.extensions[_GATE]
        self._gates.observe(host, key, response.headers, self._clock())

    def _rate_limited(self, host: str, key: str, response: httpx.Response) -> RateLimited:
        not_before = self._gates.not_before(key)
        reset_at = utc(not_before) if not_before and not_before > self._clock() else None
        what = "secondary rate limit" if is_secondary_limit(response) else "rate limit"
        reason = f"{host} refused the request: {what} (HTTP {response.status_code})"
        return RateLimited(reason, reset_at=reset_at, host=host)

    # -- pagination -------------------------------------------------------------------------------

    async def pages(
        self,
        url: str,
        *,
        next_page: NextPage,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        max_pages: int = 50,
        gate: str | None = None,
        rate_limit_phrases: tuple[str, ...] = (),
        remaining_pages: RemainingPages | None = None,
    ) -> AsyncIterator[tuple[httpx.Response, Any]]:
        """Yield (response, parsed JSON) for each page, in order, following ``next_page`` (the platform's way).
        Stops at a non-2xx page (yielded, for the caller to read) or after ``max_pages``.

        ``remaining_pages``: where the first page says how many there are (a total-pages header), the requests
        for all the others, which are then asked for at once instead of one after another; after the last of
        them, ``next_page`` is followed again (a listing that grew meanwhile)."""
        page: PageRequest | None = PageRequest(url, dict(params or {}))
        read = 0

        async def fetch(request: PageRequest) -> tuple[httpx.Response, Any]:
            if request.url != url:
                check_same_origin(url, request.url)
            response = await self.request(
                "GET", request.url, headers=headers, params=request.params or None, gate=gate,
                rate_limit_phrases=rate_limit_phrases,
            )
            return response, read_json(response) if response.is_success else None

        while page is not None and read < max_pages:
            response, data = await fetch(page)
            read += 1
            yield response, data
            if not response.is_success:
                return
            others = remaining_pages(response, page) if remaining_pages is not None and read == 1 else None
            if others:
                others = others[: max_pages - read]
                answers = await asyncio.gather(*(fetch(other) for other in others), return_exceptions=True)
                for other, answer in zip(others, answers):
                    if isinstance(answer, BaseException):
                        raise answer  # the first failure in page order; the pages after it are not used
                    response, data = answer
                    read += 1
                    yield response, data
                    if not response.is_success:
                        return
                    page = other
            page = next_page(response, data, page)


def _with_params(url: str, params: Mapping[str, Any] | None) -> httpx.URL:
    """The URL with the query parameters added to any it has, parsed once where it has none (parsing a URL is
    a good part of the CPU time of a request)."""
    if not params:
        return httpx.URL(url)
    if "?" not in url and "#" not in url:
        try:
            return httpx.URL(f"{url}?{_query(tuple(params.items()))}")
        except TypeError:  # a value that is a list: not kept
            return httpx.URL(url, params=params)
    return httpx.URL(url).copy_merge_params(params)


@functools.lru_cache(maxsize=256)
def _query(params: tuple[tuple[str, Any], ...]) -> str:
    """The query string of these parameters (thousands of requests of one view send the same ones)."""
    return str(httpx.QueryParams(params))


class Api:
    """An :class:`ApiClient` rooted at one API base URL with fixed headers (the credential)."""

    def __init__(
        self, client: ApiClient, base_url: str, headers: dict[str, str], rate_limit_phrases: tuple[str, ...] = ()
    ) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self._headers = headers
        self._rate_limit_phrases = rate_limit_phrases
        self._gate = gate_key(netloc(self.base_url), headers) if headers else None

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
        return await self.client.request(
            "GET", self.url(path), headers=self._merged(headers), params=params, gate=self._gate,
            rate_limit_phrases=self._rate_limit_phrases,
        )

    async def post(
        self, path: str, *, json: Any = None, headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        """One POST (never retried: it may not be idempotent), with the credential headers."""
        return await self.client.request(
            "POST", self.url(path), headers=self._merged(headers), json=json, gate=self._gate,
            rate_limit_phrases=self._rate_limit_phrases,
        )

    async def head(self, path: str, *, headers: Mapping[str, str] | None = None) -> httpx.Response:
        return await self.client.request(
            "HEAD", self.url(path), headers=self._merged(headers), gate=self._gate,
            rate_limit_phrases=self._rate_limit_phrases,
        )

    async def delete(self, path: str, *, headers: Mapping[str, str] | None = None) -> httpx.Response:
        """One DELETE (never retried: a delete that timed out may have been done; the caller reads the status)."""
        return await self.client.request(
            "DELETE", self.url(path), headers=self._merged(headers), gate=self._gate,
            rate_limit_phrases=self._rate_limit_phrases,
        )

    def pages(
        self,
        path: str,
        *,
        next_page: NextPage,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        max_pages: int = 50,
        remaining_pages: RemainingPages | None = None,
    ) -> AsyncIterator[tuple[httpx.Response, Any]]:
        return self.client.pages(
            self.url(path),
            next_page=next_page,
            headers=self._merged(headers),
            params=params,
            max_pages=max_pages,
            gate=self._gate,
            rate_limit_phrases=self._rate_limit_phrases,
            remaining_pages=remaining_pages,
        )
