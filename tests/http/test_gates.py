"""Waits the servers ask for: honoured per credential and host before the next request there."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest

from scm_access.http import ApiClient, HttpSettings, RateLimited, RetryPolicy
from tests.http.conftest import NOW, client_for, run, scripted
from tests.support.local_server import LocalServer, Reply


def test_retry_after_in_seconds_is_waited_before_retrying_a_429(clock):
    handler = scripted(httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={}))

    async def go():
        async with client_for(handler, clock) as client:
            return await client.get("https://api.example/x")

    assert run(go()).status_code == 200
    assert sum(clock.sleeps) >= 7


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


def exhausting(header: str, token: str, reset_in: float):
    """A host where ``token``, sent in ``header``, has used up its quota until ``reset_in`` seconds from now."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers.get(header) == token:
            reset = str(int(NOW + reset_in))
            return httpx.Response(200, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset})
        return httpx.Response(200)

    return handler


@pytest.mark.parametrize("header", ["Authorization", "Private-Token", "X-Any-Credential"])
def test_a_long_exhaustion_of_one_token_does_not_hold_back_another_token_on_the_same_host(clock, header):
    # Whatever header a platform takes its credential in: the gate follows the headers given to `at`.
    async def go():
        async with client_for(exhausting(header, "token spent", reset_in=3600), clock) as client:
            await client.at("https://api.example", {header: "token spent"}).get("/user")
            await client.at("https://api.example", {header: "token fresh"}).get("/user")

    run(go())
    assert clock.sleeps == []


def test_a_short_exhaustion_holds_back_every_token_on_the_host_in_case_they_share_a_quota(clock):
    async def go():
        async with client_for(exhausting("Authorization", "token spent", reset_in=20), clock) as client:
            await client.at("https://api.example", {"Authorization": "token spent"}).get("/user")
            await client.at("https://api.example", {"Authorization": "token fresh"}).get("/user")

    run(go())
    assert sum(clock.sleeps) >= 20


@pytest.mark.parametrize("header", ["Authorization", "Private-Token"])
def test_a_token_whose_quota_resets_much_later_is_rate_limited_without_waiting(clock, header):
    async def go():
        async with client_for(exhausting(header, "token spent", reset_in=3600), clock) as client:
            api = client.at("https://api.example", {header: "token spent"})
            await api.get("/user")
            await api.get("/user")

    with pytest.raises(RateLimited):
        run(go())
    assert clock.sleeps == []


def test_a_refusal_worded_as_the_platform_declares_without_retry_after_waits_a_minute(clock):
    secondary = httpx.Response(403, json={"message": "You have exceeded a secondary rate limit."})
    handler = scripted(secondary, httpx.Response(200, json={}))
    retry = RetryPolicy(attempts=2, wait_initial=0.0, wait_jitter=0.0, max_server_wait=120)

    async def go():
        async with client_for(handler, clock, retry) as client:
            api = client.at("https://api.example", rate_limit_phrases=("Secondary Rate Limit",))
            return await api.get("/x")

    assert run(go()).status_code == 200
    assert sum(clock.sleeps) >= 60


def test_the_same_wording_from_a_platform_that_did_not_declare_it_is_the_callers_to_read(clock):
    handler = scripted(httpx.Response(403, json={"message": "You have exceeded a secondary rate limit."}))

    async def go():
        async with client_for(handler, clock) as client:
            return await client.get("https://api.example/x")

    assert run(go()).status_code == 403
    assert clock.sleeps == []


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


def test_ratelimit_reset_without_the_x_prefix_is_honoured(clock):
    handler = scripted(
        httpx.Response(429, headers={"RateLimit-Remaining": "0", "RateLimit-Reset": str(int(NOW + 10))}),
        httpx.Response(200),
    )

    async def go():
        async with client_for(handler, clock) as client:
            return await client.get("https://gitlab.example/api/v4/x")

    assert run(go()).status_code == 200
    assert clock.now >= NOW + 10


def test_a_request_held_between_the_check_and_the_wire_still_waits_for_a_limit_reported_meanwhile():
    """The limit is checked when the request is written, not before: here the second request passes every
    check while the first one's answer is on its way, then waits in the connection pool (one connection) and
    reaches the connection only after that answer, which asks for a pause, was read."""
    pause = 0.5
    slow = Reply.json({}, headers={"Retry-After": str(pause)})
    slow.delay = 0.2  # long enough for the second request to queue behind it
    answers = iter([slow, Reply.json({})])

    def handler(request):
        return next(answers)

    async def go(url: str) -> None:
        pool = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=1))
        async with ApiClient(HttpSettings(max_concurrency=2), transport=pool) as client:
            api = client.at(url, {"Authorization": "Bearer " + "t" * 40})
            first = asyncio.create_task(api.get("/first"))
            await asyncio.sleep(0.05)  # the first request is on the wire
            second = asyncio.create_task(api.get("/second"))
            await asyncio.gather(first, second)

    with LocalServer(handler) as server:
        run(go(server.url))
        first_sent_back = server.requests[0].arrived_at + 0.2
        second_arrived = server.requests[1].arrived_at
    assert second_arrived >= first_sent_back + pause - 0.05


def test_a_used_up_quota_of_a_credential_with_its_own_quota_holds_back_no_other_credential_on_the_host(clock):
    # A GitHub App installation's limit is its own: the next installation on the same host goes out at once.
    async def go():
        async with client_for(exhausting("Authorization", "installation one", reset_in=20), clock) as client:
            await client.at("https://api.example", {"Authorization": "installation one"}, own_quota=True).get("/x")
            await client.at("https://api.example", {"Authorization": "installation two"}).get("/x")

    run(go())
    assert clock.sleeps == []


def test_a_credential_with_its_own_quota_is_not_held_back_by_a_short_wait_asked_of_another(clock):
    async def go():
        async with client_for(exhausting("Authorization", "token spent", reset_in=20), clock) as client:
            await client.at("https://api.example", {"Authorization": "token spent"}).get("/x")
            await client.at("https://api.example", {"Authorization": "installation"}, own_quota=True).get("/x")

    run(go())
    assert clock.sleeps == []


def test_a_credential_with_its_own_quota_still_waits_for_its_own_reset(clock):
    async def go():
        async with client_for(exhausting("Authorization", "installation", reset_in=20), clock) as client:
            api = client.at("https://api.example", {"Authorization": "installation"}, own_quota=True)
            await api.get("/x")
            await api.get("/y")

    run(go())
    assert sum(clock.sleeps) >= 20
