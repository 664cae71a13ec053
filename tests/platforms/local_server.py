"""The local test server (:mod:`tests.support.local_server`) as the platform verifier and inventory tests
write against it: a ``route`` answers each request with a recorded response, a :func:`Reset`, a
:func:`Delayed` reply or :func:`NoAnswer`; every request is logged with its path and parsed query, so tests
can count retries and check that only reads were sent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support import local_server as core

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    """Without the query string (see ``query``)."""
    query: dict[str, list[str]]
    headers: dict[str, str]
    """Lower-case names. Holds the credential: assert on it, never print it."""
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)


class Reply(core.Reply):
    """A reply as the route tests write it: the status first."""

    @classmethod
    def json(cls, status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:  # type: ignore[override]
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


def Reset() -> core.Reply:  # noqa: N802 - reads as the reply it is
    """Close the connection with a TCP reset instead of answering."""
    return core.Reply(reset=True)


def Delayed(seconds: float, reply: core.Reply) -> core.Reply:  # noqa: N802
    return replace(reply, delay=seconds)


def NoAnswer() -> core.Reply:  # noqa: N802
    """Keep the connection open and never answer (until the server stops): the client's own timeout is what
    ends the request, whatever the machine's load (a delayed answer could still win that race)."""
    return core.Reply(hang=True)


Route = Callable[[Request], core.Reply]


def load_fixture(name: str) -> Any:
    # utf-8-sig: some official examples are stored with a byte-order mark.
    return json.loads((FIXTURES / name).read_text(encoding="utf-8-sig"))


class LocalServer(core.LocalServer):
    def __init__(self, route: Route) -> None:
        super().__init__(self._route)
        self.route = route
        self.requests: list[Request] = []  # type: ignore[assignment]  # the routes' shape of each request
        self._latest: dict[int, Request] = {}

    def record(self, request: core.Request) -> None:  # type: ignore[override]
        parts = urlsplit(request.path)
        seen = Request(request.method, parts.path, parse_qs(parts.query), request.headers, request.body)
        self.requests.append(seen)
        self._latest[id(request)] = seen

    def _route(self, request: core.Request) -> core.Reply:
        return self.route(self._latest.pop(id(request)))

    async def answer_in_loop(self, request: core.Request) -> core.Reply:
        # Each request's route runs in a thread of its own, as in a threading server: a route may block or
        # sleep (to hold requests in flight together) without holding the others up.
        return await asyncio.to_thread(self.answer, request)

    @property
    def methods(self) -> set[str]:
        return {r.method for r in self.requests}

    def count(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)
