"""Local servers for the platform verifier tests, stopped after each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from platforms.local_server import LocalServer, Reply, Request


@pytest.fixture
def server() -> Iterator[Callable[[Callable[[Request], Reply]], LocalServer]]:
    """Start a server answering with ``route``; as many as a test needs."""
    started: list[LocalServer] = []

    def start(route: Callable[[Request], Reply]) -> LocalServer:
        started.append(LocalServer(route).start())
        return started[-1]

    yield start
    for running in started:
        running.stop()
