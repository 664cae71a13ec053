"""The transport under the client: httpx's own, over asyncio's streams; and the client, which keeps no cookies.

httpcore's own network backend is AnyIO's. On every read and write of every request it built a context
manager mapping AnyIO's exceptions to its own and an AnyIO cancel scope for the timeout; AnyIO's socket stream
stops reading the socket after each read and starts again before the next (two system calls a read); and
before httpcore reuses an idle keep-alive connection (for every request and every answer, once per idle
connection of the pool) it asks the stream whether its socket is readable (a server that closed an idle
connection leaves it at end of file), which AnyIO answered by building every attribute of the socket anew. At
a few hundred requests a second that was most of the CPU time of an exchange. The stream below is asyncio's
own (``asyncio.open_connection``, ``StreamWriter.start_tls``): its reads and writes time out with asyncio's
timeout, its exceptions become httpcore's where they happen, and it tells an idle connection the server closed
from what it has already read and from its socket, found once.
"""

from __future__ import annotations

import asyncio
import select
import socket
import ssl
from collections.abc import Awaitable, Iterable
from typing import Any

import httpcore
import httpx


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
    """An asyncio stream (a TCP or Unix socket, or TLS over one) as httpcore reads and writes it."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._socket: socket.socket | None = writer.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as error:
            raise httpcore.ReadTimeout(str(error)) from error
        except OSError as error:
            raise httpcore.ReadError(str(error)) from error

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            async with asyncio.timeout(timeout):
                self._writer.write(buffer)
                await self._writer.drain()
        except TimeoutError as error:
            raise httpcore.WriteTimeout(str(error)) from error
        except (OSError, RuntimeError) as error:  # RuntimeError: the transport was closed under it
            raise httpcore.WriteError(str(error)) from error

    async def aclose(self) -> None:
        # As AnyIO closes a socket stream: no wait for the peer (nor, over TLS, for its close_notify).
        transport = self._writer.transport
        if transport.is_closing():
            return
        transport.close()
        await asyncio.sleep(0)
        transport.abort()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except Exception as error:
            await self.aclose()
            if isinstance(error, TimeoutError):
                raise httpcore.ConnectTimeout(str(error)) from error
            if isinstance(error, OSError):  # ssl.SSLError among them
                raise httpcore.ConnectError(str(error)) from error
            raise
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            # What the stream already read counts too: asyncio reads a connection as data comes in.
            return self._reader.at_eof() or self._reader.exception() is not None or is_readable(self._socket)
        if info == "socket":
            return self._socket
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        return None


_NEXT_ADDRESS_AFTER = 0.25
"""Seconds before the next address of a host is tried while a connection to the last one is still pending."""


class _Backend(httpcore.AsyncNetworkBackend):
    """Connections opened with asyncio's streams, as :class:`_Stream`."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        local = None if local_address is None else (local_address, 0)
        # Happy eyeballs, as AnyIO connects: a host's next address is tried 0.25 s after the last, not after
        # it failed (an IPv6 route that drops packets would otherwise cost a whole connect timeout).
        opening = asyncio.open_connection(host, port, local_addr=local, happy_eyeballs_delay=_NEXT_ADDRESS_AFTER)
        return await _connected(opening, timeout, socket_options)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return await _connected(asyncio.open_unix_connection(path), timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


async def _connected(
    opening: Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]],
    timeout: float | None,
    socket_options: Iterable[Any] | None,
) -> httpcore.AsyncNetworkStream:
    """A stream being opened, within the timeout and with the options asked for, as httpcore expects it (its
    exceptions, not asyncio's)."""
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await opening
    except TimeoutError as error:
        raise httpcore.ConnectTimeout(str(error)) from error
    except OSError as error:
        raise httpcore.ConnectError(str(error)) from error
    stream = _Stream(reader, writer)
    for option in socket_options or ():
        writer.get_extra_info("socket").setsockopt(*option)
    return stream


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
