"""The HTTP layer: retries, waits the servers ask for, pagination, safe errors. Timings are faked."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from scm_access import __version__
from scm_access.http import (
    ApiClient,
    ApiUnavailable,
    HttpSettings,
    MalformedResponse,
    Pagination,
    RateLimited,
    RetryPolicy,
    parse_retry_after,
)
from tests.verify.conftest import FAST_RETRIES, FakeTime

NOW = 1_800_000_000.0


def client_for(handler, fake_time: FakeTime, retry: RetryPolicy = FAST_RETRIES, **settings) -> ApiClient:
    return ApiClient(
        HttpSettings(retry=retry, **settings),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        transport=httpx.MockTransport(handler),
    )


def run(coro):
    return asyncio.run(coro)


def scripted(*responses: httpx.Response):
    """A handler answering with these responses in order, recording each request."""
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


def test_every_request_carries_the_scm_access_user_agent(clock):
    handler = scripted(httpx.Response(200, json={}))

    async def go():
        async with client_for(handler, clock) as client:
            await client.get("https://api.example/x")

    run(go())
    assert handler.seen[0].headers["user-agent"] == f"scm-access/{__version__}"


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


def test_retry_after_in_seconds_is_waited_before_retrying_a_429(clock):
    handler = scripted(httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={}))

    async def go():
        async with client_for(handler, clock) as client:
            return await client.get("https://api.example/x")

    assert run(go()).status_code == 200
    assert sum(clock.sleeps) >= 7


def test_retry_after_as_an_http_date_is_understood():
    when = datetime.fromtimestamp(NOW + 30, UTC)
    assert parse_retry_after(format_datetime(when, usegmt=True), NOW) == pytest.approx(30)
    assert parse_retry_after("soon", NOW) is None


def test_a_wait_longer_than_we_sit_out_fails_at_once_as_rate_limited(clock):
    handler = scripted(httpx.Response(429, headers={"Retry-After": "3600"}))

    async def go():
        async with client_for(handler, clock) as client:
            await client.get("https://api.example/x")

    with pytest.raises(RateLimited) as raised:
        run(go())
    assert len(handler.seen) == 1
    assert raised.value.reset_at == datetime.fromtimestamp(NOW + 3600, UTC)


def test_no_request_goes_out_before_the_reset_of_a_used_up_quota(clock):
    reset = NOW + 20
    handler = scripted(
        httpx.Response(200, json={}, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(reset))}),
        httpx.Response(200, json={}),
    )
    sent_at: list[float] = []

    def recording(request: httpx.Request) -> httpx.Response:
        sent_at.append(clock.now)
        return handler(request)

    async def go():
        async with client_for(recording, clock) as client:
            await client.get("https://api.example/a")
            await client.get("https://api.example/b")

    run(go())
    assert sent_at[1] >= reset


def test_a_used_up_quota_on_one_host_does_not_hold_back_another(clock):
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "limited.example":
            return httpx.Response(200, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW + 30))})
        return httpx.Response(200)

    async def go():
        async with client_for(handler, clock) as client:
            await client.get("https://limited.example/a")
            await client.get("https://free.example/a")

    run(go())
    assert clock.sleeps == []


def exhausting(token: str, reset_in: float):
    """A host where ``token`` has used up its quota until ``reset_in`` seconds from now."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") == token:
            reset = str(int(NOW + reset_in))
            return httpx.Response(200, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset})
        return httpx.Response(200)

    return handler


def two_tokens_in_turn(clock):
    async def go():
        async with client_for(exhausting("token spent", reset_in=3600), clock) as client:
            await client.at("https://api.example", {"Authorization": "token spent"}).get("/user")
            await client.at("https://api.example", {"Authorization": "token fresh"}).get("/user")

    return go


def test_a_long_exhaustion_of_one_token_does_not_hold_back_another_token_on_the_same_host(clock):
    run(two_tokens_in_turn(clock)())
    assert clock.sleeps == []


def test_a_short_exhaustion_holds_back_every_token_on_the_host_in_case_they_share_a_quota(clock):
    async def go():
        async with client_for(exhausting("token spent", reset_in=20), clock) as client:
            await client.at("https://api.example", {"Authorization": "token spent"}).get("/user")
            await client.at("https://api.example", {"Authorization": "token fresh"}).get("/user")

    run(go())
    assert sum(clock.sleeps) >= 20


def test_a_token_whose_quota_resets_much_later_is_rate_limited_without_waiting(clock):
    async def go():
        async with client_for(exhausting("token spent", reset_in=3600), clock) as client:
            api = client.at("https://api.example", {"Authorization": "token spent"})
            await api.get("/user")
            await api.get("/user")

    with pytest.raises(RateLimited):
        run(go())
    assert clock.sleeps == []


def test_github_secondary_limit_without_retry_after_waits_a_minute(clock):
    secondary = httpx.Response(403, json={"message": "You have exceeded a secondary rate limit."})
    handler = scripted(secondary, httpx.Response(200, json={}))
    retry = RetryPolicy(attempts=2, wait_initial=0.0, wait_jitter=0.0, max_server_wait=120)

    async def go():
        async with client_for(handler, clock, retry) as client:
            return await client.get("https://api.example/x")

    assert run(go()).status_code == 200
    assert sum(clock.sleeps) >= 60


def test_a_plain_403_is_the_callers_to_read(clock):
    handler = scripted(httpx.Response(403, json={"message": "Resource not accessible by personal access token"}))

    async def go():
        async with client_for(handler, clock) as client:
            return await client.get("https://api.example/x")

    assert run(go()).status_code == 403
    assert len(handler.seen) == 1


def test_retry_after_on_a_success_delays_the_next_request(clock):
    handler = scripted(httpx.Response(200, headers={"Retry-After": "5"}), httpx.Response(200))

    async def go():
        async with client_for(handler, clock) as client:
            await client.get("https://dev.azure.example/a")
            await client.get("https://dev.azure.example/b")

    run(go())
    assert clock.sleeps == [5.0]


def test_gitlab_ratelimit_reset_is_honoured(clock):
    handler = scripted(
        httpx.Response(429, headers={"RateLimit-Remaining": "0", "RateLimit-Reset": str(int(NOW + 10))}),
        httpx.Response(200),
    )

    async def go():
        async with client_for(handler, clock) as client:
            return await client.get("https://gitlab.example/api/v4/x")

    assert run(go()).status_code == 200
    assert clock.now >= NOW + 10


def test_link_pagination_follows_rel_next():
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        headers = {"Link": f'<https://api.example/items?page={page + 1}>; rel="next"'} if page < 3 else {}
        return httpx.Response(200, json=[page], headers=headers)

    async def go():
        async with client_for(handler, FakeTime(NOW)) as client:
            return [data async for _, data in client.pages("https://api.example/items", style=Pagination.LINK)]

    assert run(go()) == [[1], [2], [3]]


def test_gitlab_pagination_follows_x_next_page():
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        return httpx.Response(200, json=[page], headers={"X-Next-Page": str(page + 1) if page < 2 else ""})

    async def go():
        async with client_for(handler, FakeTime(NOW)) as client:
            return [data async for _, data in client.pages("https://gl.example/api/v4/x", style=Pagination.GITLAB)]

    assert run(go()) == [[1], [2]]


def test_azure_devops_pagination_sends_the_continuation_token_back():
    def handler(request: httpx.Request) -> httpx.Response:
        token = request.url.params.get("continuationToken")
        if token is None:
            return httpx.Response(200, json={"value": [1]}, headers={"x-ms-continuationtoken": "abc"})
        return httpx.Response(200, json={"value": [2]})

    async def go():
        async with client_for(handler, FakeTime(NOW)) as client:
            return [d["value"] async for _, d in client.pages("https://ado.example/x", style=Pagination.AZURE_DEVOPS)]

    assert run(go()) == [[1], [2]]


def test_a_next_link_to_another_host_is_not_followed():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[], headers={"Link": '<https://elsewhere.example/x>; rel="next"'})

    async def collect():
        async with client_for(handler, FakeTime(NOW)) as client:
            api = client.at("https://api.example", {"Authorization": "Bearer secret"})
            return [d async for _, d in api.pages("/x", style=Pagination.LINK)]

    with pytest.raises(MalformedResponse, match="another host"):
        run(collect())


def test_json_that_does_not_parse_is_a_malformed_response_naming_no_body():
    from scm_access.http import read_json

    response = httpx.Response(200, text="<html>secret-ish</html>", request=httpx.Request("GET", "https://api.example/x"))
    with pytest.raises(MalformedResponse) as raised:
        read_json(response)
    assert "secret-ish" not in str(raised.value)
