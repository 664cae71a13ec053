from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from scm_access.declarations import CredentialKind, GitHubAccess, Person, Platform, Policy
from scm_access.http import ApiClient, HttpSettings, RetryPolicy
from scm_access.plan.slot import Slot, Strategy
from tests.support.fake_time import NOW, FakeTime
from tests.support.local_server import Handler, LocalServer

CANARY = "ghp_CANARYcanary0123456789abcdefCANARY9zz"
"""A token value that must never show up in any output, log, report or exception text."""


def github_slot(**changes: Any) -> Slot:
    """A GitHub classic-PAT slot for `stackspot`, held by alice; keyword arguments override fields."""
    access = GitHubAccess(scopes=["repo"], org="acme", holder=[Person(name="alice", login="alice")])
    fields: dict[str, Any] = {
        "connection": "stackspot",
        "integration": "StackSpot",
        "purpose": "StackSpot reads and writes the org's repositories.",
        "platform": Platform.GITHUB,
        "holder": "alice",
        "holder_is_person": True,
        "holder_login": "alice",
        "kind": CredentialKind.GITHUB_CLASSIC_PAT,
        "scopes": ["repo"],
        "strategy": Strategy.USER_PAT,
        "reason": "only alice can create it",
        "lifetime_days": 90,
        "expires_at": date(2027, 2, 21),
        "access": access,
    }
    fields.update(changes)
    return Slot(**fields)


def expiring_in(days: float, now: datetime = NOW) -> str:
    """A ``GitHub-Authentication-Token-Expiration`` value ``days`` after ``now``."""
    return (now + timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S UTC")


FAST_RETRIES = RetryPolicy(attempts=3, wait_initial=0.01, wait_max=0.02, wait_jitter=0.0, budget=100)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def make_client(fake_time: FakeTime) -> Callable[..., ApiClient]:
    def make(timeout: float = 2.0, retry: RetryPolicy = FAST_RETRIES, **kwargs: Any) -> ApiClient:
        return ApiClient(
            HttpSettings(timeout=timeout, retry=retry, **kwargs), sleep=fake_time.sleep, clock=fake_time.clock
        )

    return make


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], LocalServer]]:
    """Start a local server on 127.0.0.1 with the given handler; stopped after the test."""
    servers: list[LocalServer] = []

    def start(handler: Handler, latency: float = 0.0) -> LocalServer:
        server = LocalServer(handler, latency=latency)
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def policy() -> Policy:
    return Policy(default_max_lifetime_days=90, expiry_warning_days=14)
