"""Clients over httpx's mock transport (no sockets) with faked time; scripted handlers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from scm_access.http import ApiClient, HttpSettings, RetryPolicy
from tests.support.fake_time import FakeTime
from tests.verify.conftest import FAST_RETRIES

NOW = 1_800_000_000.0


def client_for(handler: Callable[[httpx.Request], Any], fake_time: FakeTime, retry: RetryPolicy = FAST_RETRIES,
               **settings: Any) -> ApiClient:
    return ApiClient(
        HttpSettings(retry=retry, **settings),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        transport=httpx.MockTransport(handler),
    )


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def scripted(*responses: httpx.Response) -> Any:
    """A handler answering with these responses in order (the last one again and again), recording each
    request in ``handler.seen``."""
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0) if len(queue) > 1 else queue[0]

    handler.seen = seen  # type: ignore[attr-defined]
    return handler


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime(NOW)
