"""The transport under the client: httpx's own, over AnyIO's sockets with two costs taken out; and the client,
which keeps no cookies.

httpcore's own AnyIO backend, on every read and write of every request, builds a context manager that maps
AnyIO's exceptions to its own and an AnyIO cancel scope for the timeout; and before it reuses an idle keep-alive
connection (for every request and every answer, once per idle connection of the pool) it asks the stream
whether its socket is readable (a server that closed an idle connection leaves it readable, at end of file),
which AnyIO answers by building every attribute of the socket anew (its addresses, by system calls) to pick the
raw socket out of them. At a few hundred requests a second that was most of the CPU time of an exchange. The
stream below times its reads and writes out with asyncio's timeout, catches AnyIO's exceptions where they
happen, and finds its socket once. Everything else (connecting, TLS) is AnyIO's, as in httpcore's backend.
"""

from __future__ import annotations

import asyncio
import select
import socket
import ssl
from collections.abc import Awaitable, Iterable
from typing import Any

import anyio
import anyio.abc
import anyio.streams.tls
import httpcore
import httpx

_BROKEN = (anyio.BrokenResourceError, anyio.ClosedResourceError)


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
    """An AnyIO byte stream (a TCP socket, or TLS over one) as httpcore reads and writes it."""

    def __init__(self, stream: anyio.abc.ByteStream) -> None:
        self._stream = stream
        self._socket: socket.socket | None = stream.extra(anyio.abc.SocketAttribute.raw_socket, None)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._stream.receive(max_bytes)
        except anyio.EndOfStream:
            return b""
        except TimeoutError as error:
            raise httpcore.ReadTimeout(str(error)) from error
        except _BROKEN as error:
            raise httpcore.ReadError(str(error)) from error

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            async with asyncio.timeout(timeout):
                await self._stream.send(buffer)
        except TimeoutError as error:
            raise httpcore.WriteTimeout(str(error)) from error
        except _BROKEN as error:
            raise httpcore.WriteError(str(error)) from error

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                wrapped = await anyio.streams.tls.TLSStream.wrap(
                    self._stream, ssl_context=ssl_context, hostname=server_hostname, standard_compatible=False,
                    server_side=False,
                )
        except Exception as error:
            await self.aclose()
            if isinstance(error, TimeoutError):
                raise httpcore.ConnectTimeout(str(error)) from error
            if isinstance(error, (*_BROKEN, anyio.EndOfStream, ssl.SSLError)):
                raise httpcore.ConnectError(str(error)) from error
            raise
        return _Stream(wrapped)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return is_readable(self._socket)
        if info == "socket":
            return self._socket
        if info == "ssl_object":
            return self._stream.extra(anyio.streams.tls.TLSAttribute.ssl_object, None)
        if info == "client_addr":
            return self._stream.extra(anyio.abc.SocketAttribute.local_address, None)
        if info == "server_addr":
            return self._stream.extra(anyio.abc.SocketAttribute.remote_address, None)
        return None


class _Backend(httpcore.AsyncNetworkBackend):
    """Connections as httpcore's AnyIO backend opens them, as :class:`_Stream`."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return await _connected(anyio.connect_tcp(host, port, local_host=local_address), timeout, socket_options)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return await _connected(anyio.connect_unix(path), timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


async def _connected(
    opening: Awaitable[anyio.abc.SocketStream], timeout: float | None, socket_options: Iterable[Any] | None
) -> httpcore.AsyncNetworkStream:
    """A stream being opened, within the timeout and with the options asked for, as httpcore expects it (its
    exceptions, not AnyIO's)."""
    try:
        async with asyncio.timeout(timeout):
            stream = await opening
    except TimeoutError as error:
        raise httpcore.ConnectTimeout(str(error)) from error
    except (OSError, anyio.BrokenResourceError) as error:
        raise httpcore.ConnectError(str(error)) from error
    for option in socket_options or ():
        stream.extra(anyio.abc.SocketAttribute.raw_socket).setsockopt(*option)
    return _Stream(stream)


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
