"""Retries: which failures are tried again, how often, how long apart; what ``Retry-After`` means."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from scm_access.http import ApiUnavailable, RetryPolicy, parse_retry_after
from tests.http.conftest import NOW, client_for, run, scripted
from tests.verify.conftest import FAST_RETRIES


def test_a_server_error_is_retried_then_succeeds(clock):
    handler = scripted(httpx.Response(502), httpx.Response(200, json={"ok": True}))

    async def go():
        async with client_for(handler, clock) as client:
            return await client.get("https://api.example/x")

    assert run(go()).status_code == 200
    assert len(handler.seen) == 2


def test_retries_stop_after_the_configured_attempts_with_a_safe_reason(clock):
    handler = scripted(httpx.Response(503))

    async def go():
        async with client_for(handler, clock) as client:
            await client.get("https://api.example/x")

    with pytest.raises(ApiUnavailable, match="api.example answered HTTP 503"):
        run(go())
    assert len(handler.seen) == FAST_RETRIES.attempts


def test_backoff_grows_exponentially_and_is_capped(clock):
    handler = scripted(httpx.Response(500))
    retry = RetryPolicy(attempts=5, wait_initial=1.0, wait_max=3.0, wait_jitter=0.0)

    async def go():
        async with client_for(handler, clock, retry) as client:
            await client.get("https://api.example/x")

    with pytest.raises(ApiUnavailable):
        run(go())
    assert clock.sleeps == [1.0, 2.0, 3.0, 3.0]


def test_non_idempotent_requests_are_never_retried(clock):
    handler = scripted(httpx.Response(503))

    async def go():
        async with client_for(handler, clock) as client:
            await client.request("POST", "https://api.example/x", json={})

    with pytest.raises(ApiUnavailable):
        run(go())
    assert len(handler.seen) == 1


def test_the_retry_budget_caps_retries_across_requests(clock):
    handler = scripted(httpx.Response(503))
    retry = RetryPolicy(attempts=5, wait_initial=0.01, wait_jitter=0.0, budget=3)

    async def go():
        async with client_for(handler, clock, retry) as client:
            for _ in range(3):
                with pytest.raises(ApiUnavailable):
                    await client.get("https://api.example/x")

    run(go())
    assert len(handler.seen) == 3 + 3  # three first tries, three retries in all


def test_retry_after_as_an_http_date_is_understood():
    when = datetime.fromtimestamp(NOW + 30, UTC)
    assert parse_retry_after(format_datetime(when, usegmt=True), NOW) == pytest.approx(30)
    assert parse_retry_after("soon", NOW) is None
