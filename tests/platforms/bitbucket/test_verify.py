"""Bitbucket Cloud credential verification against a local server answering with documented responses."""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.fake_time import FakeTime
from platforms.local_server import NoAnswer, Reply, Request, Reset
from platforms.verify_helpers import ATTEMPTS, CANARY, codes, run_verify, slot_for
from scm_access.declarations import CredentialKind, Policy, ServiceIdentity
from scm_access.platforms.bitbucket.access import BitbucketAccess
from scm_access.declarations.access import Person
from scm_access.http import ApiClient, MalformedResponse
from scm_access.platforms.bitbucket import verify as bitbucket
from scm_access.platforms.bitbucket.responses import parse_user
from scm_access.platforms.bitbucket.verify import api_root, with_api_version
from scm_access.verify.context import VerifyContext
from scm_access.judge import Status
from scm_access.verify.token import Token

TOKEN = "ATATT3x" + "k" * 40 + "MnOp"
EMAIL = "jane@example.com"
USER_PATH = "/2.0/user"


def basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


def api_token_slot(login: str | None = "janedoe", email: str | None = EMAIL):
    return slot_for(BitbucketAccess(
        scopes=["read:repository:bitbucket", "read:user:bitbucket"], workspace="acme",
        holder=[Person(name="jane", login=login, email=email)],
    ))


def app_password_slot():
    return slot_for(BitbucketAccess(
        kind=CredentialKind.BITBUCKET_APP_PASSWORD, scopes=["repository"], workspace="acme",
        holder=[Person(name="jane", login="janedoe")],
    ))


def bitbucket_cloud(secret: str = TOKEN, user: str = EMAIL, reads_user: bool = True) -> Callable[[Request], Reply]:
    """Answers /2.0/user as Bitbucket does for one account and one credential."""

    def route(request: Request) -> Reply:
        if request.path != USER_PATH:
            return Reply.json(404, {"type": "error", "error": {"message": "Resource not found"}})
        if request.headers.get("authorization") != basic(user, secret):
            return Reply.recorded("bitbucket/unauthorized.json")
        if not reads_user:
            return Reply.recorded("bitbucket/forbidden_missing_scope.json")
        return Reply.recorded("bitbucket/user.json")

    return route


# -- an API token ------------------------------------------------------------------------------------


def test_a_working_api_token_is_never_ok_because_scopes_cannot_be_seen(server):
    bb = server(bitbucket_cloud())
    finding = run_verify(api_token_slot(), TOKEN, bb.url)
    assert finding.status == Status.PARTIALLY_VERIFIED
    assert codes(finding) == []
    assert any(item.startswith("scopes") for item in finding.facts.unobservable)


def test_the_observed_facts_name_the_kind_and_the_owner(server):
    bb = server(bitbucket_cloud())
    finding = run_verify(api_token_slot(), TOKEN, bb.url)
    assert finding.facts.token_kind == CredentialKind.BITBUCKET_API_TOKEN
    assert finding.facts.owner_login == "janedoe"
    assert finding.facts.token_last_four == "MnOp"


def test_an_api_token_authenticates_with_the_account_email(server):
    bb = server(bitbucket_cloud())
    run_verify(api_token_slot(), TOKEN, bb.url)
    assert [r.headers["authorization"] for r in bb.requests] == [basic(EMAIL, TOKEN)]
    assert bb.methods == {"GET"}


def test_the_api_root_is_the_cloud_api_with_its_version():
    assert api_root(api_token_slot()) == "https://api.bitbucket.org/2.0"
    assert with_api_version("http://127.0.0.1:8080/") == "http://127.0.0.1:8080/2.0"


def test_a_refused_token_is_invalid(server):
    bb = server(bitbucket_cloud(secret="another-token"))
    finding = run_verify(api_token_slot(), TOKEN, bb.url)
    assert finding.status == Status.ACTION_REQUIRED
    assert codes(finding) == ["invalid_token"]


def test_a_token_of_another_account_has_the_wrong_owner(server):
    bb = server(bitbucket_cloud())
    finding = run_verify(api_token_slot(login="someone-else"), TOKEN, bb.url)
    assert "wrong_owner" in codes(finding)


def test_a_token_without_user_read_still_proves_it_authenticates(server):
    bb = server(bitbucket_cloud(reads_user=False))
    finding = run_verify(api_token_slot(), TOKEN, bb.url)
    assert "invalid_token" not in codes(finding)
    assert finding.facts.token_kind == CredentialKind.BITBUCKET_API_TOKEN
    assert any("read:user:bitbucket" in item for item in finding.facts.unobservable)


def test_without_a_declared_email_the_token_is_not_sent(server):
    bb = server(bitbucket_cloud())
    slot = slot_for(BitbucketAccess(scopes=["read:repository:bitbucket"], workspace="acme",
                                    holder=ServiceIdentity(service="icr-jenkins", login="acme-icr-bot")))
    finding = run_verify(slot, TOKEN, bb.url)
    assert bb.requests == []
    assert finding.status == Status.UNKNOWN
    assert "email" in (finding.reason or "")


def test_a_service_identity_authenticates_with_its_declared_email(server):
    bb = server(bitbucket_cloud())
    slot = slot_for(BitbucketAccess(scopes=["read:repository:bitbucket"], workspace="acme",
                                    holder=ServiceIdentity(service="icr-jenkins", email=EMAIL)))
    run_verify(slot, TOKEN, bb.url)
    assert [r.headers["authorization"] for r in bb.requests] == [basic(EMAIL, TOKEN)]


# -- app passwords -----------------------------------------------------------------------------------


def test_an_app_password_after_its_removal_date_is_the_wrong_kind_and_is_not_sent(server):
    bb = server(bitbucket_cloud(user="janedoe"))
    finding = run_verify(app_password_slot(), TOKEN, bb.url)
    assert bb.requests == []
    assert finding.status == Status.ACTION_REQUIRED
    assert "wrong_token_kind" in codes(finding)


def test_the_app_password_remediation_is_to_create_an_api_token(server):
    bb = server(bitbucket_cloud(user="janedoe"))
    finding = run_verify(app_password_slot(), TOKEN, bb.url)
    [problem] = [p for p in finding.problems if p.code == "wrong_token_kind"]
    text = "\n".join(" ".join([step.text, *step.items]) for step in problem.remediation)
    assert "API token" in text
    assert "read:repository:bitbucket" in text, "names the API-token scope replacing the app-password scope"


def test_an_app_password_before_the_removal_date_authenticates_with_the_username(server):
    bb = server(bitbucket_cloud(user="janedoe"))

    async def go():
        clock = FakeTime()
        async with ApiClient(sleep=clock.sleep, clock=clock.clock) as http:
            ctx = VerifyContext(slot=app_password_slot(), token=Token(TOKEN), policy=Policy(), http=http,
                                api_root=bb.url, now=datetime(2026, 6, 1, tzinfo=UTC))
            return await bitbucket.verify(ctx)

    finding = asyncio.run(go())
    assert [r.headers["authorization"] for r in bb.requests] == [basic("janedoe", TOKEN)]
    assert "wrong_token_kind" in codes(finding)
    assert "invalid_token" not in codes(finding)


# -- faults: each gives unknown with a reason, retries stay bounded ----------------------------------


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_gives_unknown_after_bounded_retries(server, status):
    bb = server(lambda request: Reply.text(status, "trouble"))
    finding = run_verify(api_token_slot(), TOKEN, bb.url)
    assert finding.status == Status.UNKNOWN
    assert codes(finding) == ["api_error"]
    assert bb.count(USER_PATH) == ATTEMPTS


def test_a_rate_limit_with_retry_after_is_honoured_then_gives_unknown(server):
    bb = server(lambda request: Reply.text(429, "Rate limit for this resource has been exceeded", **{"Retry-After": "2"}))
    clock = FakeTime()
    finding = run_verify(api_token_slot(), TOKEN, bb.url, clock=clock)
    assert codes(finding) == ["rate_limited"]
    assert bb.count(USER_PATH) == ATTEMPTS
    assert sum(clock.sleeps) >= (ATTEMPTS - 1) * 2.0


def test_a_timeout_gives_unknown(server):
    bb = server(lambda request: NoAnswer())
    finding = run_verify(api_token_slot(), TOKEN, bb.url, timeout=0.05)
    assert finding.status == Status.UNKNOWN
    assert "no answer within" in (finding.reason or "")


def test_a_reset_connection_gives_unknown(server):
    bb = server(lambda request: Reset())
    finding = run_verify(api_token_slot(), TOKEN, bb.url)
    assert finding.status == Status.UNKNOWN
    assert len(bb.requests) == ATTEMPTS


def test_malformed_json_gives_unknown(server):
    bb = server(lambda request: Reply.text(200, '{"type": "user", "uuid": ', "application/json"))
    finding = run_verify(api_token_slot(), TOKEN, bb.url)
    assert finding.status == Status.UNKNOWN
    assert "not valid JSON" in (finding.reason or "")


def test_a_user_answer_without_uuid_gives_unknown(server):
    bb = server(lambda request: Reply.json(200, {"type": "user", "display_name": "Jane Doe"}))
    finding = run_verify(api_token_slot(), TOKEN, bb.url)
    assert finding.status == Status.UNKNOWN
    assert "uuid" in (finding.reason or "")


# -- the token never leaks ------------------------------------------------------------------------------

CANARY_ROUTES: dict[str, Callable[[Request], Reply]] = {
    "checked": bitbucket_cloud(secret=CANARY),
    "refused": bitbucket_cloud(secret="not-the-canary"),
    "server_error": lambda request: Reply.text(503, "down"),
    "rate_limited": lambda request: Reply.text(429, "slow down", **{"Retry-After": "1"}),
    "reset": lambda request: Reset(),
    "malformed": lambda request: Reply.text(200, "{", "application/json"),
    "echo": lambda request: Reply.json(500, {"message": request.headers.get("authorization", "")}),
}


@pytest.mark.parametrize("scenario", sorted(CANARY_ROUTES))
def test_the_token_appears_in_no_finding_and_no_log(server, caplog, scenario):
    caplog.set_level(logging.DEBUG)
    bb = server(CANARY_ROUTES[scenario])
    finding = run_verify(api_token_slot(), CANARY, bb.url)
    encoded = base64.b64encode(f"{EMAIL}:{CANARY}".encode()).decode()
    for text in (finding.model_dump_json(), repr(finding), caplog.text):
        assert CANARY not in text
        assert encoded not in text


# -- the reader takes any JSON without crashing ------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON | st.fixed_dictionaries({}, optional={"uuid": JSON, "username": JSON, "account_id": JSON}))
def test_any_json_is_read_as_documented_or_refused_as_malformed(data):
    try:
        parse_user(data)
    except MalformedResponse:
        pass
