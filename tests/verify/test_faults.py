"""Every way a server can fail gives ``unknown`` with a reason, never ``ok``; retries stay bounded; one
slot's failure never stops the others; and the token shows up nowhere."""

from __future__ import annotations

import asyncio
import logging
import traceback
from dataclasses import dataclass

import pytest
from rich.console import Console

from scm_access.declarations import Policy
from scm_access.verify import SlotToken, Status, Token, verify_all, verify_slot
from scm_access.verify.report import findings_json, findings_markdown, print_findings, summary_table
from tests.support.fake_github import Account, FakeGitHub
from tests.support.local_server import Reply, Request
from tests.verify.conftest import CANARY, FAST_RETRIES, NOW, expiring_in, github_slot

HEALTHY = "ghp_HEALTHYhealthy0123456789abcdefHEALTHY1"


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
        async with make_client(timeout=0.2) as http:
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

    return asyncio.run(go())


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
