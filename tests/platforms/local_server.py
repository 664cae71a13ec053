"""A small HTTP server on 127.0.0.1 for verifier tests: answers from recorded responses and injects faults.

Each test gives it a ``route`` function: request in, :class:`Reply` (or :class:`Reset`, or a
:class:`Delayed` reply) out. Every request is logged so tests can count retries and check that only reads
were sent.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    """Lower-case names. Holds the credential: assert on it, never print it."""


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def json(cls, status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:
        return cls(status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(body).encode())

    @classmethod
    def text(cls, status: int, body: str, content_type: str = "text/plain", **headers: str) -> Reply:
        return cls(status, {"Content-Type": content_type, **headers}, body.encode())

    @classmethod
    def recorded(cls, name: str, **overrides: Any) -> Reply:
        """A fixture in the ``{"status", "headers", "body"}`` shape; ``overrides`` replace body fields."""
        data = load_fixture(name)
        body = data["body"]
        if overrides:
            body = {**body, **overrides}
        if isinstance(body, str):
            return cls(data["status"], dict(data["headers"]), body.encode())
        return cls(data["status"], dict(data["headers"]), json.dumps(body).encode())


@dataclass(frozen=True)
class Reset:
    """Close the connection with a TCP reset instead of answering."""


@dataclass(frozen=True)
class Delayed:
    seconds: float
    reply: Reply


@dataclass(frozen=True)
class NoAnswer:
    """Keep the connection open and never answer (until the server stops): the client's own timeout is what
    ends the request, whatever the machine's load (a delayed answer could still win that race)."""


Route = Callable[[Request], Reply | Reset | Delayed | NoAnswer]


def load_fixture(name: str) -> Any:
    # utf-8-sig: some official examples are stored with a byte-order mark.
    return json.loads((FIXTURES / name).read_text(encoding="utf-8-sig"))


class LocalServer:
    def __init__(self, route: Route) -> None:
        self.route = route
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: without this, Nagle and delayed ACKs add 40 ms.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
                return

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                )
                with outer._lock:
                    outer.requests.append(request)
                answer = outer.route(request)
                if isinstance(answer, NoAnswer):
                    outer._stopping.wait()
                    self.close_connection = True
                    return
                if isinstance(answer, Delayed):
                    time.sleep(answer.seconds)
                    answer = answer.reply
                if isinstance(answer, Reset):
                    # SO_LINGER with a zero timeout makes close() send RST: a reset connection.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                body = b"" if self.command == "HEAD" else answer.body
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # lets requests held without an answer go
        self._server.shutdown()
        self._server.server_close()

    @property
    def methods(self) -> set[str]:
        return {r.method for r in self.requests}

    def count(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

