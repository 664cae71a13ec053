"""The transport under the client: aiohttp's connections behind httpx's interface; and the client, which keeps no
cookies.

httpx's own transport (httpcore's pool, h11's parser, both pure Python) spent about 2 ms of CPU on an exchange,
most of a run's time once thousands of requests are in flight (the admin inventory asks once per user). aiohttp
parses answers in C and keeps its pool in a few dictionaries: the same exchange costs about a third of that.
Everything above the transport stays httpx's (requests, responses, headers, decoding, hooks), so the client and
its tests do not depend on which library carries the bytes.

What the client needs from a transport, kept here:

- the request's ``trace`` extension is told ``http11.send_request_headers.started`` once the connection is ours
  and before the first byte is written (nothing can happen in between), so a rate limit reported meanwhile
  still holds the request back (:meth:`~scm_access.http.client.ApiClient._on_wire`); whatever it raises ends
  the request with the connection closed;
- the answer's body is a stream, read as it comes (the client caps it), never decompressed here (httpx
  decodes it, as ``Content-Encoding`` says, after this);
- failures are httpx's exceptions, with messages of our own (never a server's text);
- no cookie is kept;
- a proxy named in the environment (``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``, as curl reads them) carries
  every request except those to a loopback address: over https through a tunnel (``CONNECT``), so the proxy
  sees the host, never the credential.
"""

from __future__ import annotations

import contextvars
import ssl
import sys
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import httpx

from scm_access.http.urls import is_loopback

_HEADERS_STARTED = "http11.send_request_headers.started"
_CHUNK = 64 * 1024
_MAX_FIELD = 16 * 1024
"""The longest header line accepted (h11's limit; a paginated listing's ``Link`` header can be long)."""

Trace = Callable[[str, dict[str, Any]], Awaitable[None]]
_before_writing: contextvars.ContextVar[tuple[Trace, httpx.Request] | None] = contextvars.ContextVar(
    "scm_access_before_writing", default=None
)
"""The trace of the request this task is sending: each task sends one request at a time."""


class _TracedRequest(aiohttp.ClientRequest):
    """aiohttp's request, telling the trace just before its head is written on the connection it was given."""

    async def send(self, conn: aiohttp.connector.Connection) -> aiohttp.ClientResponse:
        traced = _before_writing.get()
        if traced is not None:
            trace, request = traced
            await trace(_HEADERS_STARTED, {"request": request})
        return await super().send(conn)


def default_authorities() -> ssl.SSLContext | bool:
    """True (aiohttp's default context: the system's store) where Python finds one, else a context with
    certifi's bundle (httpx's own default)."""
    if sys.platform == "win32":
        return True  # Python reads the Windows store itself; there are no files to look for
    paths = ssl.get_default_verify_paths()  # each None where the file or folder does not exist
    if paths.cafile is not None or (paths.capath is not None and _holds_anything(Path(paths.capath))):
        return True
    return httpx.create_ssl_context()


def _holds_anything(folder: Path) -> bool:
    try:
        return any(folder.iterdir())
    except OSError:  # not readable by this user: as good as absent
        return False


class _Body(httpx.AsyncByteStream):
    """An answer's body as aiohttp receives it."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _as_httpx_errors():
            # At most 64 KiB at a time, as httpcore read: httpx decompresses each piece whole before the client's
            # size cap sees it, so a larger piece would let a compressed answer grow that much further.
            async for chunk in self._response.content.iter_chunked(_CHUNK):
                yield chunk

    async def aclose(self) -> None:
        # A body read to its end gives the connection back for the next request; one left unread (over the
        # size cap, or on an error) ends it.
        if self._response.content.at_eof():
            self._response.release()
        else:
            self._response.close()


class ConnectionTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over one aiohttp session: at most ``limits.max_connections`` connections, idle ones kept for
    ``limits.keepalive_expiry`` seconds; a host's next address is tried 0.25 s after the last if it has not
    answered yet (happy eyeballs).

    Certificates are checked against ``ssl_context``'s authorities, by default the system's (Python's default
    context: the operating system's store; ``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` where OpenSSL reads them), so
    a company's own authority, installed on the machine, is trusted for GitHub Enterprise Server or a
    self-managed GitLab. aiohttp loads that context once, when it is imported. Where Python finds no system
    store (a macOS Python from python.org whose certificates were never installed), certifi's bundle is used
    instead of refusing every server."""

    def __init__(self, *, limits: httpx.Limits, ssl_context: ssl.SSLContext | None = None) -> None:
        self._ssl_context = ssl_context
        self._limits = limits
        self._session: aiohttp.ClientSession | None = None
        self._proxies = EnvironmentProxies()

    def _opened(self) -> aiohttp.ClientSession:
        # Made on the first request: aiohttp binds a session to the event loop running when it is made.
        if self._session is None:
            connector = aiohttp.TCPConnector(
                ssl=default_authorities() if self._ssl_context is None else self._ssl_context,
                limit=self._limits.max_connections or 0,
                keepalive_timeout=self._limits.keepalive_expiry,
                happy_eyeballs_delay=0.25,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                request_class=_TracedRequest,
                auto_decompress=False,
                trust_env=False,
                timeout=aiohttp.ClientTimeout(total=None),
                max_line_size=_MAX_FIELD,
                max_field_size=_MAX_FIELD,
                # httpx's request says what it sends; aiohttp would add its own (a Content-Type to a POST
                # without a body).
                skip_auto_headers=("Accept-Encoding", "User-Agent", "Content-Type"),
            )
            # aiohttp sends an idempotent request a second time when its connection breaks, whatever the
            # client's retry policy; the client retries by its own policy and budget, so a server that resets
            # every connection gets the attempts the policy allows, not twice as many. No constructor argument
            # says this: tests/http/test_transport.py holds the attribute and the behaviour.
            self._session._retry_connection = False
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeout = request.extensions.get("timeout", {})
        trace = request.extensions.get("trace")
        body = request.content or None
        marker = _before_writing.set(None if trace is None else (trace, request))
        try:
            with _as_httpx_errors():
                response = await self._opened().request(
                    request.method,
                    str(request.url),
                    headers=request.headers.multi_items(),
                    data=body,
                    allow_redirects=False,
                    proxy=self._proxies.for_url(request.url),
                    # connect: finding the host's addresses and opening a connection, all told (sock_connect
                    # alone would start again for each address); read: silence between two reads. aiohttp has
                    # no write timeout: the client's deadline bounds a write that never ends.
                    timeout=aiohttp.ClientTimeout(
                        total=None, connect=timeout.get("connect"), sock_connect=timeout.get("connect"),
                        sock_read=timeout.get("read"),
                    ),
                )
        finally:
            _before_writing.reset(marker)
        try:
            # A reason phrase is whatever bytes a server sent (aiohttp kept the undecodable ones as surrogates).
            reason = (response.reason or "").encode("ascii", "replace")
            return httpx.Response(
                response.status,
                headers=response.raw_headers,
                stream=_Body(response),
                request=request,
                extensions={"http_version": b"HTTP/1.1", "reason_phrase": reason},
            )
        except BaseException:
            response.close()
            raise

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class EnvironmentProxies:
    """The proxies the environment names, read once: ``HTTPS_PROXY`` for https, ``HTTP_PROXY`` for http (either
    spelling case), none for a host ``NO_PROXY`` lists, nor for a loopback address (a server on this machine is
    reached directly)."""

    def __init__(self) -> None:
        self._named = urllib.request.getproxies_environment()
        self._direct: dict[str, bool] = {}
        """Per host: reached without the proxy (asked once per host, not per request)."""

    def for_url(self, url: httpx.URL) -> str | None:
        proxy = self._named.get(url.scheme)
        if not proxy:
            return None
        direct = self._direct.get(url.host)
        if direct is None:
            # With proxies in the environment, Python's check reads NO_PROXY on every system.
            direct = self._direct[url.host] = is_loopback(url.host) or bool(urllib.request.proxy_bypass(url.host))
        return None if direct else proxy


class _as_httpx_errors:  # noqa: N801 - used as a context manager, like contextlib's
    """aiohttp's failures as the httpx exceptions the client handles, with a message naming only the kind of
    failure: aiohttp's own messages can carry what a server sent."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _: Any) -> None:
        if error is None or not isinstance(error, aiohttp.ClientError):
            return
        mapped = _httpx_error(error)
        raise mapped(f"{type(error).__name__} ({mapped.__name__})") from None


def _httpx_error(error: aiohttp.ClientError) -> type[httpx.TransportError]:
    # Order matters: aiohttp's timeouts and certificate errors are also connection errors.
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout
    if isinstance(error, aiohttp.ServerTimeoutError):
        return httpx.ReadTimeout
    if isinstance(error, (aiohttp.ClientConnectorError, aiohttp.ClientSSLError)):
        return httpx.ConnectError
    if isinstance(error, aiohttp.InvalidURL):
        return httpx.UnsupportedProtocol
    if isinstance(error, (aiohttp.ServerDisconnectedError, aiohttp.ClientResponseError)):
        return httpx.RemoteProtocolError
    return httpx.ReadError


class _NoCookies(httpx.Cookies):
    """A cookie jar that keeps nothing."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


_NO_COOKIES = _NoCookies()


class CookielessClient(httpx.AsyncClient):
    """httpx's client, keeping no cookie a server sets. Every request of this tool carries its credential in a
    header; a cookie one answer set would ride along with the next request to that host, whichever credential
    it carries. Keeping none also spares the cookie jar's work on every answer (building urllib's request
    and response views of it), a noticeable part of an exchange's CPU time."""

    @property
    def cookies(self) -> httpx.Cookies:
        return _NO_COOKIES

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        raise TypeError("this client keeps no cookies")
