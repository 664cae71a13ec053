"""The transport under the client: httpx's own, over httpcore's AnyIO network backend, with one cost taken out;
and the client, which keeps no cookies.

Before it reuses an idle keep-alive connection, httpcore asks the connection's stream whether its socket is
readable (a server that closed an idle connection leaves it readable, at end of file). The AnyIO stream answers
by building every attribute of the socket anew (its addresses, by system calls) to pick the raw socket out of
them, on every check of every idle connection of the pool, for every request and every answer: most of the CPU
time of an HTTP exchange at a few hundred requests a second. The stream below finds its socket once, and
leaves everything else to AnyIO's.
"""

from __future__ import annotations

import select
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

_NO_SOCKET = object()


def is_readable(sock: socket.socket | None) -> bool:
    """Whether reading the socket would return at once (data, or the end of a connection the server closed);
    a socket that is gone counts as readable (its next read ends the connection)."""
    if sock is None or sock.fileno() < 0:
        return True
    if not hasattr(select, "poll"):  # Windows
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable)
    poll = select.poll()
    poll.register(sock, select.POLLIN)
    return bool(poll.poll(0))


class _Stream(httpcore.AsyncNetworkStream):
    """AnyIO's stream, asked for its socket once."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: Any = _NO_SOCKET

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        # Over TLS the stream is a new one (the socket is the same): it finds its socket once too.
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return is_readable(self._raw_socket())
        if info == "socket":
            return self._raw_socket()
        return self._inner.get_extra_info(info)

    def _raw_socket(self) -> Any:
        if self._socket is _NO_SOCKET:
            self._socket = self._inner.get_extra_info("socket")
        return self._socket


class _Backend(httpcore.AsyncNetworkBackend):
    """AnyIO's backend, its streams wrapped in :class:`_Stream`."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class ConnectionTransport(httpx.AsyncHTTPTransport):
    """httpx's HTTP transport (HTTP/1.1, no proxy: the client mounts proxies from the environment itself), its
    connection pool on :class:`_Backend`."""

    def __init__(self, *, ssl_context: ssl.SSLContext, limits: httpx.Limits) -> None:
        # httpx builds its pool in its own constructor without a way to name the network backend; the pool
        # is built here the same way, with the backend named (the rest of the transport is httpx's).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_Backend(),
        )


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
