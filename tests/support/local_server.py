"""A small HTTP/1.1 server on 127.0.0.1 for tests and the benchmark.

It answers through a handler (request -> :class:`Reply`) and can misbehave the ways real servers do: add
latency, never answer (a timeout), reset the connection, send a body that is not JSON, drip the answer a
byte at a time (never silent long enough for a read timeout), or send a body that does not end. Every
request is recorded with its arrival time. It runs on its own event loop in a thread, so synchronous tests (the CLI)
and asynchronous clients can both use it.

It is the tests' one local server: ``tests/platforms/local_server.py`` is the view of it that the platform
verifier and inventory tests write their routes against (recorded replies, paths with parsed queries).
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    arrived_at: float
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    """Seconds to wait before answering."""
    reset: bool = False
    """Abort the connection (TCP reset) instead of answering."""
    hang: bool = False
    """Never answer (the client must time out)."""
    drip: float = 0.0
    """Send the body one byte every this many seconds."""
    drip_headers: bool = False
    """With ``drip``: drip the status line and headers too."""
    endless: bool = False
    """Send a chunked body with no end (it does stop at :data:`ENDLESS_SAFETY_BYTES`, so that a client
    without a size cap cannot take the test machine down)."""

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        return cls(
            status=status,
            headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
            body=json.dumps(data).encode(),
        )


Handler = Callable[[Request], Reply]

ENDLESS_SAFETY_BYTES = 64 << 20
_ENDLESS_CHUNK = b" " * (64 << 10)

_REASONS = {200: "OK", 204: "No Content", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests"}


class LocalServer:
    def __init__(self, handler: Handler, *, latency: float = 0.0) -> None:
        self.handler = handler
        self.latency = latency
        self.requests: list[Request] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> LocalServer:
        self._thread = threading.Thread(target=self._run, name="local-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("local server did not start")
        return self

    def record(self, request: Request) -> None:
        self.requests.append(request)

    def answer(self, request: Request) -> Reply:
        return self.handler(request)

    async def answer_in_loop(self, request: Request) -> Reply:
        """The handler runs on the server's loop: it must not block (fake servers keep plain state)."""
        return self.answer(request)

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=1024)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._server.close()
            for task in asyncio.all_tasks(self._loop):
                task.cancel()
            self._loop.run_until_complete(asyncio.sleep(0))
            self._loop.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request_line = await reader.readline()
                if not request_line:
                    return
                method, target, _ = request_line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while True:
                    line = await reader.readline()
                    if line in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0") or 0)
                body = await reader.readexactly(length) if length else b""
                request = Request(method, target, headers, time.time(), body)
                self.record(request)
                reply = await self.answer_in_loop(request)
                wait = self.latency + reply.delay
                if wait:
                    await asyncio.sleep(wait)
                if reply.hang:
                    await asyncio.sleep(3600)
                if reply.reset:
                    sock = writer.get_extra_info("socket")
                    # Linger 0: close sends a TCP reset instead of a clean end of stream.
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    writer.transport.abort()
                    return
                reason = _REASONS.get(reply.status, "Status")
                framing = "Transfer-Encoding: chunked" if reply.endless else f"Content-Length: {len(reply.body)}"
                head = [f"HTTP/1.1 {reply.status} {reason}", framing]
                head += [f"{name}: {value}" for name, value in reply.headers.items()]
                head_bytes = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
                if reply.endless:
                    await self._send_endless(writer, head_bytes)
                elif reply.drip:
                    await self._drip(writer, head_bytes, reply)
                else:  # a HEAD answer says the body's length and sends none
                    writer.write(head_bytes + (b"" if method == "HEAD" else reply.body))
                    await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            return
        finally:
            if not writer.is_closing():
                writer.close()

    @staticmethod
    async def _drip(writer: asyncio.StreamWriter, head: bytes, reply: Reply) -> None:
        answer = head + reply.body
        start = 0 if reply.drip_headers else len(head)
        writer.write(answer[:start])
        for index in range(start, len(answer)):
            writer.write(answer[index : index + 1])
            await writer.drain()
            await asyncio.sleep(reply.drip)

    @staticmethod
    async def _send_endless(writer: asyncio.StreamWriter, head: bytes) -> None:
        writer.write(head)
        sent = 0
        while sent < ENDLESS_SAFETY_BYTES:
            writer.write(b"%x\r\n" % len(_ENDLESS_CHUNK) + _ENDLESS_CHUNK + b"\r\n")
            await writer.drain()
            sent += len(_ENDLESS_CHUNK)
        writer.write(b"0\r\n\r\n")
        await writer.drain()
