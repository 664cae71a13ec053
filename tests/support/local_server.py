"""A small HTTP/1.1 server on 127.0.0.1 for tests and the benchmark.

It answers through a handler (request -> :class:`Reply`) and can misbehave the ways real servers do: add
latency, never answer (a timeout), reset the connection, or send a body that is not JSON. Every request is
recorded with its arrival time. It runs on its own event loop in a thread, so synchronous tests (the CLI)
and asynchronous clients can both use it.
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

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        return cls(
            status=status,
            headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
            body=json.dumps(data).encode(),
        )


Handler = Callable[[Request], Reply]

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

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="local-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("local server did not start")

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
                if length:
                    await reader.readexactly(length)
                request = Request(method, target, headers, time.time())
                self.requests.append(request)
                reply = self.handler(request)
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
                head = [f"HTTP/1.1 {reply.status} {reason}", f"Content-Length: {len(reply.body)}"]
                head += [f"{name}: {value}" for name, value in reply.headers.items()]
                writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + reply.body)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            return
        finally:
            if not writer.is_closing():
                writer.close()
