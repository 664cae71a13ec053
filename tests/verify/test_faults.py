"""Every way a server can fail gives ``unknown`` with a reason, never ``ok``; retries stay bounded; one
slot's failure never stops the others; the run ends in bounded time; and the token shows up nowhere.

Servers that drip their answer, or never end it, meet a per-attempt deadline and a size cap set small here;
the wall-clock bound on each run is a hang guard, far above what the run takes."""

from __future__ import annotations

import asyncio
import logging
import traceback
from dataclasses import dataclass

import pytest
from rich.console import Console

from scm_access.declarations import Policy
from scm_access.http import RetryPolicy
from scm_access.verify import SlotToken, Status, Token, verify_all, verify_slot
from scm_access.outputs.findings import findings_json, findings_markdown, print_findings, summary_table
from tests.support.fake_github import Account, FakeGitHub
from tests.support.local_server import Reply, Request
from tests.verify.conftest import CANARY, FAST_RETRIES, NOW, expiring_in, github_slot

HEALTHY = "ghp_HEALTHYhealthy0123456789abcdefHEALTHY1"
DEADLINE = 0.3
"""Seconds one attempt may take in these runs (the read timeout is 0.2 s: a drip of a byte every 50 ms never
trips it)."""
SIZE_CAP = 1 << 20
HANG_GUARD = 30.0
"""Seconds after which a run counts as hung: not a speed target (a run here takes a few seconds at most)."""
DRIP = 0.05
PADDING = "x" * 2000


@dataclass(frozen=True)
class Fault:
    name: str
    reply: Reply
    reason: str
    """Words the finding's reason must contain."""
    code: str = "api_error"


FAULTS = [
    Fault("500", Reply.json({"message": "Server Error"}, 500), "HTTP 500"),
    Fault("502", Reply(status=502, body=b"<html>Bad gateway</html>"), "HTTP 502"),
    Fault("503", Reply(status=503, headers={"Retry-After": "2"}), "HTTP 503"),
    Fault(
        "429 with Retry-After",
        Reply.json({"message": "Too many requests"}, 429, {"Retry-After": "5"}),
        "rate limit",
        "rate_limited",
    ),
    Fault(
        "secondary rate limit",
        Reply.json(
            {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."},
            403,
            {"Retry-After": "30"},
        ),
        "secondary rate limit",
        "rate_limited",
    ),
    Fault("timeout", Reply(hang=True), "no answer within"),
    Fault(
        "slow body",
        Reply(status=200, headers={"X-OAuth-Scopes": "repo"}, body=f'{{"login": "{PADDING}"}}'.encode(), drip=DRIP),
        f"no complete answer within {DEADLINE:g}s",
    ),
    Fault(
        "slow headers",
        Reply(status=200, headers={"X-Padding": PADDING}, body=b"{}", drip=DRIP, drip_headers=True),
        f"no complete answer within {DEADLINE:g}s",
    ),
    Fault("endless body", Reply(status=200, headers={"X-OAuth-Scopes": "repo"}, endless=True), "larger than 1 MiB"),
    Fault("redirect loop", Reply(status=302, headers={"Location": "/user"}), "HTTP 302"),
    Fault("reset connection", Reply(reset=True), "connection failed"),
    Fault(
        "malformed JSON",
        Reply(status=200, headers={"Content-Type": "application/json", "X-OAuth-Scopes": "repo"}, body=b'{"login": "ali'),
        "not valid JSON",
    ),
]


class FaultyGitHub:
    """GitHub for the healthy token; ``fault`` for the canary token."""

    def __init__(self, fault: Reply) -> None:
        self.fault = fault
        self.github = FakeGitHub({HEALTHY: Account("bob", scopes="repo", expiration=expiring_in(60))})
        self.canary_requests = 0

    def __call__(self, request: Request) -> Reply:
        if CANARY in (request.authorization or ""):
            self.canary_requests += 1
            return self.fault
        return self.github(request)


def run_all(server, make_client):
    async def go():
        async with make_client(timeout=0.2, deadline=DEADLINE, max_response_bytes=SIZE_CAP) as http:
            return await verify_all(
                [
                    SlotToken(github_slot(), Token(CANARY)),
                    SlotToken(github_slot(holder="bob", holder_login="bob"), Token(HEALTHY)),
                ],
                policy=Policy(),
                http=http,
                api_roots={"github": server.url},
                now=NOW,
            )

    return asyncio.run(asyncio.wait_for(go(), HANG_GUARD))


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_a_fault_gives_unknown_with_a_reason(fault, serve, make_client):
    server = serve(FaultyGitHub(fault.reply))
    finding, _ = run_all(server, make_client)
    assert finding.status == Status.UNKNOWN
    assert [p.code.value for p in finding.problems] == [fault.code]
    assert fault.reason in (finding.reason or "")


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_retries_stay_bounded(fault, serve, make_client):
    handler = FaultyGitHub(fault.reply)
    server = serve(handler)
    run_all(server, make_client)
    assert 1 <= handler.canary_requests <= FAST_RETRIES.attempts


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_the_other_slots_complete(fault, serve, make_client):
    server = serve(FaultyGitHub(fault.reply))
    _, healthy = run_all(server, make_client)
    assert healthy.status == Status.OK


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_the_canary_token_appears_in_no_output_log_or_exception(fault, serve, make_client, caplog):
    server = serve(FaultyGitHub(fault.reply))
    with caplog.at_level(logging.DEBUG):
        findings = run_all(server, make_client)
    console = Console(record=True, width=200)
    print_findings(console, findings)
    console.print(summary_table(findings))
    rendered = [console.export_text(), findings_json(findings), findings_markdown(findings), caplog.text]
    rendered += [repr(f) for f in findings]
    for text in rendered:
        assert CANARY not in text
        assert CANARY[4:] not in text  # nor the value without its prefix


def test_a_verifier_bug_propagates_as_a_bug_without_the_token_in_its_text(serve, monkeypatch, make_client):
    server = serve(FakeGitHub({CANARY: Account("alice")}))

    async def broken(ctx):
        raise RuntimeError(f"boom {ctx.token.reveal()}")

    monkeypatch.setattr("scm_access.platforms.github.verify.verify", broken)

    async def go():
        async with make_client() as http:
            return await verify_slot(github_slot(), Token(CANARY), policy=Policy(), http=http, api_root=server.url)

    with pytest.raises(RuntimeError) as raised:
        asyncio.run(go())
    assert "boom" in str(raised.value)
    assert CANARY not in str(raised.value) and CANARY not in "".join(traceback.format_exception(raised.value))


def test_a_run_ends_within_its_time_limit_when_servers_keep_asking_to_wait(serve, make_client, fake_time):
    # Each answer asks for 50 s, which a client sits out: unbounded, twenty slots would take half an hour.
    server = serve(lambda request: Reply.json({"message": "slow down"}, 429, {"Retry-After": "50"}))
    retry = RetryPolicy(attempts=3, wait_initial=0.0, wait_jitter=0.0)
    items = [SlotToken(github_slot(holder=f"h{index}"), Token(CANARY)) for index in range(20)]
    started = fake_time.now

    async def go():
        async with make_client(retry=retry, max_concurrency=1, run_time_limit=120) as http:
            return await verify_all(items, policy=Policy(), http=http, api_roots={"github": server.url}, now=NOW)

    findings = asyncio.run(asyncio.wait_for(go(), HANG_GUARD))
    assert fake_time.now - started <= 120
    assert [f.status for f in findings] == [Status.UNKNOWN] * 20
    assert len(server.requests) <= 3  # one per 50 s of the limit; after it, nothing is sent
    assert all("time limit" in (f.reason or "") for f in findings[3:])
