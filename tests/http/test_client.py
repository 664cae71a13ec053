"""The client: what every request carries, and the bounds on time and size that hold whatever a server does.

Waits the client decides (backoff, rate limits, the run's time limit) run on a fake clock. The deadline of
one attempt is real time: those tests use short deadlines, and a generous bound only guards against a hang.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator

import httpx
import pytest

from scm_access import __version__
from scm_access.http import ApiError, ApiUnavailable, RateLimited, ResponseTooLarge, RetryPolicy
from tests.http.conftest import NOW, client_for, run, scripted

HANG_GUARD = 20.0
"""Seconds after which a test counts as hung. Not a speed target: the bounds under test are far shorter."""


def bounded(coro):
    return run(asyncio.wait_for(coro, HANG_GUARD))


class Trickle(httpx.AsyncByteStream):
    """A body that never ends: ``chunk`` every ``every`` seconds, counting what it produced."""

    def __init__(self, chunk: bytes, every: float = 0.0) -> None:
        self.chunk = chunk
        self.every = every
        self.produced = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            if self.every:
                await asyncio.sleep(self.every)
            self.produced += len(self.chunk)
            yield self.chunk


def test_every_request_carries_the_scm_access_user_agent(clock):
    handler = scripted(httpx.Response(200, json={}))

    async def go():
        async with client_for(handler, clock) as client:
            await client.get("https://api.example/x")

    run(go())
    assert handler.seen[0].headers["user-agent"] == f"scm-access/{__version__}"


def test_each_request_carries_its_own_views_credential_and_nothing_another_request_added(clock):
    handler = scripted(*(httpx.Response(200, json={}) for _ in range(4)))

    async def go():
        async with client_for(handler, clock) as client:
            alice = client.at("https://api.example", {"Authorization": "Bearer alice"})
            bob = client.at("https://api.example", {"Authorization": "Bearer bob"})
            await alice.get("/x", headers={"X-Extra": "once"})
            await bob.get("/x")
            await alice.get("/x")
            await client.get("https://api.example/x")

    run(go())
    sent = [(r.headers.get("authorization"), r.headers.get("x-extra"), r.headers["user-agent"]) for r in handler.seen]
    agent = f"scm-access/{__version__}"
    assert sent == [("Bearer alice", "once", agent), ("Bearer bob", None, agent), ("Bearer alice", None, agent),
                    (None, None, agent)]


def urls_asked(clock, *requests: tuple[str, dict]) -> list[str]:
    handler = scripted(httpx.Response(200, json={}))

    async def go():
        async with client_for(handler, clock) as client:
            for url, params in requests:
                await client.get(url, params=params)

    run(go())
    return [str(request.url) for request in handler.seen]


def test_query_parameters_are_encoded_into_the_url(clock):
    asked = {"q": "x y&z", "n": 3, "on": True}
    assert urls_asked(
        clock, ("https://api.example/a b", asked), ("https://api.example/a b", asked),
        ("https://api.example/list", {"id": ["1", "2"]}),
    ) == [
        "https://api.example/a%20b?q=x+y%26z&n=3&on=true",
        "https://api.example/a%20b?q=x+y%26z&n=3&on=true",
        "https://api.example/list?id=1&id=2",
    ]


def test_query_parameters_are_added_to_those_a_url_has(clock):
    assert urls_asked(clock, ("https://api.example/list?page=2", {"per_page": 100})) == [
        "https://api.example/list?page=2&per_page=100"
    ]


# -- one attempt: a deadline in all, not only per read -------------------------------------------------


def test_a_body_that_trickles_in_is_cut_off_at_the_deadline(clock):
    # One byte every 50 ms never trips a 1 s read timeout; the deadline of each attempt does.
    stream = Trickle(b"x", every=0.05)
    retry = RetryPolicy(attempts=2, wait_initial=0.0, wait_jitter=0.0)

    async def go():
        async with client_for(lambda r: httpx.Response(200, stream=stream), clock, retry, timeout=1.0,
                              deadline=0.3) as client:
            await client.get("https://api.example/x")

    with pytest.raises(ApiUnavailable, match=r"api.example: no complete answer within 0.3s"):
        bounded(go())
    assert 0 < stream.produced < 40  # ~6 bytes per attempt


def test_headers_that_never_come_are_cut_off_at_the_deadline(clock):
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(3600)
        return httpx.Response(200)

    async def go():
        async with client_for(handler, clock, timeout=1.0, deadline=0.2) as client:
            await client.get("https://api.example/x")

    with pytest.raises(ApiUnavailable, match="no complete answer within"):
        bounded(go())


# -- one answer: a size cap ------------------------------------------------------------------------------


def test_an_endless_body_is_cut_off_at_the_size_cap(clock):
    stream = Trickle(b"[" * 65536)

    async def go():
        async with client_for(lambda r: httpx.Response(200, stream=stream), clock, max_response_bytes=1 << 20) as c:
            await c.get("https://api.example/x")

    with pytest.raises(ResponseTooLarge, match=r"api.example: HTTP 200 answer is larger than 1 MiB"):
        bounded(go())
    assert stream.produced <= (1 << 20) + 65536  # read up to the cap, not a chunk more


def test_a_declared_length_over_the_cap_is_refused_before_reading(clock):
    stream = Trickle(b"x" * 1024)
    too_long = {"Content-Length": str(2 << 20)}

    async def go():
        async with client_for(lambda r: httpx.Response(200, headers=too_long, stream=stream), clock,
                              max_response_bytes=1 << 20) as client:
            await client.get("https://api.example/x")

    with pytest.raises(ResponseTooLarge):
        bounded(go())
    assert stream.produced == 0


def test_the_cap_counts_decompressed_bytes(clock):
    bomb = gzip.compress(b"0" * (4 << 20))  # a few KiB on the wire
    handler = scripted(httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=bomb))

    async def go():
        async with client_for(handler, clock, max_response_bytes=1 << 20) as client:
            await client.get("https://api.example/x")

    assert len(bomb) < 1 << 20
    with pytest.raises(ResponseTooLarge):
        bounded(go())


def test_an_answer_under_the_cap_reads_as_usual(clock):
    payload = {"items": list(range(1000))}
    handler = scripted(httpx.Response(200, headers={"Content-Encoding": "gzip"},
                                      content=gzip.compress(httpx.Response(200, json=payload).content)))

    async def go():
        async with client_for(handler, clock, max_response_bytes=1 << 20) as client:
            return await client.get("https://api.example/x")

    assert run(go()).json() == payload


def test_an_oversized_answer_is_not_tried_again(clock):
    handler = scripted(httpx.Response(200, content=b"x" * 4096))

    async def go():
        async with client_for(handler, clock, max_response_bytes=1024) as client:
            await client.get("https://api.example/x")

    with pytest.raises(ResponseTooLarge):
        run(go())
    assert len(handler.seen) == 1


# -- the whole run: a time limit --------------------------------------------------------------------------


def test_the_run_stops_sending_once_its_time_limit_is_spent(clock):
    # Every answer asks for a 30 s pause: unbounded, 10 requests with their retries would take 10 minutes.
    handler = scripted(httpx.Response(429, headers={"Retry-After": "30"}))
    retry = RetryPolicy(attempts=3, wait_initial=0.0, wait_jitter=0.0)
    failures: list[ApiError] = []

    async def go():
        async with client_for(handler, clock, retry, run_time_limit=100) as client:
            for index in range(10):
                try:
                    await client.get(f"https://api.example/{index}")
                except ApiError as error:
                    failures.append(error)

    run(go())
    assert len(failures) == 10
    assert clock.now - NOW <= 100
    assert len(handler.seen) <= 4  # one answer per 30 s of the limit, then nothing more is sent
    assert all(isinstance(f, RateLimited) or "time limit" in f.reason for f in failures)
    assert "time limit" in failures[-1].reason


def test_backoff_never_sleeps_past_the_run_time_limit(clock):
    handler = scripted(httpx.Response(503))
    retry = RetryPolicy(attempts=5, wait_initial=40.0, wait_max=40.0, wait_jitter=0.0)

    async def go():
        async with client_for(handler, clock, retry, run_time_limit=50) as client:
            await client.get("https://api.example/x")

    with pytest.raises(ApiUnavailable):
        run(go())
    assert clock.now - NOW <= 50


def test_a_post_through_an_api_view_carries_its_credential_and_body_and_is_sent_once(clock):
    handler = scripted(httpx.Response(502), httpx.Response(201, json={}))

    async def go():
        async with client_for(handler, clock) as client:
            api = client.at("https://api.example", {"Authorization": "Bearer secret"})
            with pytest.raises(ApiUnavailable):
                await api.post("/things", json={"action": "approve"})

    run(go())
    (sent,) = handler.seen
    assert (sent.method, sent.headers["authorization"], sent.content) == ("POST", "Bearer secret", b'{"action":"approve"}')
