"""Reviews of fine-grained token requests and revocations of grants against Prism serving GitHub's official
OpenAPI description: the bodies scm-access sends are the ones the description allows (Prism checks each
request), and the pending requests it documents read as requests to decide.

The description's own example of the 202 answer is not the object its schema asks for, so Prism (run with
``--errors``) answers a valid write with 500 and a violation located in the *response*; only violations
located in the request are ours (``prism_complaints``). What a 202 turns into is tested against a local server
(tests/platforms/github/test_token_requests.py)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.http import ApiClient, HttpSettings, RetryPolicy
from scm_access.inventory.decisions import Decision, RequestDecision
from scm_access.inventory.decisions.requests import deny_reason
from scm_access.inventory.model import FoundCredential
from scm_access.platforms.github import token_requests
from scm_access.platforms.github.app_auth import headers_for
from tests.contract.test_github_contract import prism_complaints
from tests.inventory.decisions.conftest import request, scanner_access, slots_for

pytestmark = pytest.mark.contract


class WithoutLinks(httpx.AsyncBaseTransport):
    """Drops the ``Link`` header: the description's example links to api.github.com, which the client rightly
    refuses to follow from another host (the next-page check has its own tests)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        del response.headers["link"]
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def against(url: str, work, transport: httpx.AsyncBaseTransport | None = None):
    answers: list[httpx.Response] = []

    async def record(response: httpx.Response) -> None:
        answers.append(response)

    async def go():
        settings = HttpSettings(timeout=10, retry=RetryPolicy(attempts=1))
        async with ApiClient(settings, transport=transport, event_hooks={"response": [record]}) as http:
            api = http.at(url, headers_for("ghs_CONTRACTinstallationTOKEN0123456789"))
            return await work(api)

    return asyncio.run(go()), answers


def test_an_approval_is_a_body_the_description_allows(prism):
    decisions = [RequestDecision(request(id="42"), Decision.APPROVE, "within scanner/github/dora (Scanner)")]
    results, answers = against(prism, lambda api: token_requests.review_requests(api, "acme", decisions))
    assert prism_complaints(answers) == []
    assert [(a.request.method, a.request.url.path) for a in answers] == [("POST", "/orgs/acme/personal-access-token-requests")]


def test_a_denial_with_the_longest_reason_is_a_body_the_description_allows():
    # (the reason is cut to GitHub's limit before it is sent; see the next test for Prism's check of it)
    slot = slots_for(scanner_access())[0]
    reason = deny_reason(slot, ["permissions not declared: " + ", ".join(f"p{n}:write" for n in range(300))], "https://github.com/x")
    assert len(reason) <= 1024


def test_a_denial_is_a_body_the_description_allows(prism):
    slot = slots_for(scanner_access())[0]
    reason = deny_reason(slot, ["repositories not declared: " + ", ".join(f"acme/r{n}" for n in range(400))], "https://github.com/x")
    decisions = [RequestDecision(request(id=str(n)), Decision.DENY, reason) for n in range(1, 151)]
    results, answers = against(prism, lambda api: token_requests.review_requests(api, "acme", decisions))
    assert prism_complaints(answers) == []
    assert len(answers) == 2 and len(results) == 150


def test_a_grant_revocation_is_a_body_the_description_allows(prism):
    grants = [
        FoundCredential(
            platform=Platform.GITHUB, source="fine_grained_grants", id=str(n),
            kind=CredentialKind.GITHUB_FINE_GRAINED_PAT, kind_label="fine-grained personal access token",
            owner="octocat", scope="acme",
        )
        for n in (25381, 25382)
    ]
    results, answers = against(prism, lambda api: token_requests.revoke_grants(api, "acme", grants))
    assert prism_complaints(answers) == []
    assert json.loads(answers[0].request.content) == {"action": "revoke", "pat_ids": [25381, 25382]}


def test_a_body_the_description_forbids_is_caught_by_prism(prism):
    """The check above can fail: Prism objects to an action the description does not have."""
    async def wrong(api):
        return await api.post("orgs/acme/personal-access-tokens", json={"action": "delete", "pat_ids": [1]})

    response, answers = against(prism, wrong)
    assert prism_complaints(answers) != []


def test_the_documented_pending_requests_read_as_requests_to_decide(prism):
    found, answers = against(prism, lambda api: token_requests.list_requests(api, "acme"), WithoutLinks())
    assert prism_complaints(answers) == []
    assert found and all(r.requester and r.id for r in found)
    assert {r.kind for r in found} == {CredentialKind.GITHUB_FINE_GRAINED_PAT}


def test_random_pending_requests_from_the_description_never_crash_the_reader(prism_dynamic):
    for _ in range(20):
        try:
            found, _ = against(prism_dynamic, lambda api: token_requests.list_requests(api, "acme"), WithoutLinks())
        except Exception as error:  # noqa: BLE001 - only a documented refusal is acceptable
            from scm_access.http import ApiError

            assert isinstance(error, ApiError), repr(error)
            continue
        for item in found:
            assert item.platform == Platform.GITHUB and json.dumps(item.id)
