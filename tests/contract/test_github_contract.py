"""The GitHub verifier against Prism serving GitHub's official OpenAPI description.

Prism runs with ``--errors``: a request the description does not allow gets an error answer, which these
tests catch. The description documents bodies but not the headers classic tokens are verified by
(``X-OAuth-Scopes``, the expiry header), so a classic token verified against it is, rightly, ``unknown``.
"""

from __future__ import annotations

import asyncio
import json
import random

import httpx
import pytest

from scm_access.declarations import CredentialKind, GitHubAccess, Policy
from scm_access.declarations.access import PublicOrgMembership, RepositoryPermission, SamlSsoAuthorization
from scm_access.http import ApiClient, HttpSettings, RetryPolicy
from scm_access.verify import SlotToken, Status, Token, verify_all, verify_slot
from tests.verify.conftest import NOW, github_slot

pytestmark = pytest.mark.contract

CLASSIC = "ghp_CONTRACTcontract0123456789abcdefCONTR1"
FINE_GRAINED = "github_pat_11CONTRACT0contract_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
VERDICTS = {Status.OK, Status.ACTION_REQUIRED, Status.UNKNOWN}


class PreferTransport(httpx.AsyncBaseTransport):
    """Asks Prism for a given documented status code (its ``Prefer: code=`` header)."""

    def __init__(self, code: int) -> None:
        self.code = code
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.headers["Prefer"] = f"code={self.code}"
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def classic_slot():
    return github_slot(
        prerequisites=[
            SamlSsoAuthorization(org="acme"),
            PublicOrgMembership(org="acme"),
            RepositoryPermission(repository="acme/tools", permission="write"),
        ]
    )


def fine_grained_slot():
    return github_slot(
        kind=CredentialKind.GITHUB_FINE_GRAINED_PAT,
        scopes=["metadata:read", "contents:read", "issues:read", "pull_requests:write", "actions:read"],
        access=GitHubAccess(scopes=["metadata:read"], org="acme", repositories=["scanner", "tools"], holder=["alice"]),
        lifetime_days=30,
    )


def verify_against(url: str, slot, token: str, *, transport: httpx.AsyncBaseTransport | None = None):
    answers: list[httpx.Response] = []

    async def record(response: httpx.Response) -> None:
        answers.append(response)

    async def go():
        settings = HttpSettings(timeout=10, retry=RetryPolicy(attempts=1))
        async with ApiClient(settings, transport=transport, event_hooks={"response": [record]}) as http:
            return await verify_slot(slot, Token(token), policy=Policy(), http=http, api_root=url, now=NOW)

    return asyncio.run(go()), answers


def prism_complaints(answers: list[httpx.Response]) -> list[str]:
    """Prism's objections to our requests (request violations, unacceptable requests). Violations Prism finds
    in the description's own examples (``location: response``) are not ours and not counted."""
    complaints = []
    for answer in answers:
        violations = json.loads(answer.headers.get("sl-violations") or "[]")
        ours = [v for v in violations if (v.get("location") or [None])[0] == "request"]
        only_the_examples = bool(violations) and not ours
        problem = "problem+json" in answer.headers.get("content-type", "")
        if ours or (problem and not only_the_examples):
            complaints.append(f"{answer.request.method} {answer.request.url.path}: HTTP {answer.status_code} {ours}")
    return complaints


def test_classic_verification_sends_only_requests_the_description_allows(prism):
    finding, answers = verify_against(prism, classic_slot(), CLASSIC)
    assert prism_complaints(answers) == []
    assert [r.request.url.path for r in answers] == [
        "/user",
        "/user/memberships/orgs/acme",
        "/orgs/acme/public_members/octocat",  # the login the documented user has
        "/repos/acme/tools",
    ]
    assert {r.request.method for r in answers} == {"GET"}


def test_classic_verification_reads_the_documented_user(prism):
    finding, _ = verify_against(prism, classic_slot(), CLASSIC)
    assert finding.facts.owner_login == "octocat"
    assert finding.facts.token_kind == CredentialKind.GITHUB_CLASSIC_PAT.value


def test_without_the_scopes_header_the_description_omits_a_classic_verdict_is_never_ok(prism):
    finding, _ = verify_against(prism, classic_slot(), CLASSIC)
    # The documented user is octocat, not the holder: that certain problem decides (action_required); the
    # scopes nobody could see are still said.
    assert finding.status == Status.ACTION_REQUIRED and "wrong_owner" in {p.code for p in finding.problems}
    unseen = [p.detail for p in finding.problems if p.code == "not_observable"]
    assert any("X-OAuth-Scopes" in detail for detail in unseen)


def test_a_plain_classic_slot_costs_exactly_one_request(prism):
    _, answers = verify_against(prism, github_slot(), CLASSIC)
    assert [r.request.url.path for r in answers] == ["/user"]


def test_the_documented_401_is_invalid_token(prism):
    finding, answers = verify_against(prism, classic_slot(), CLASSIC, transport=PreferTransport(401))
    assert answers[0].status_code == 401
    assert [p.code.value for p in finding.problems] == ["invalid_token"]


def test_the_documented_403_is_unknown_not_ok(prism):
    finding, answers = verify_against(prism, classic_slot(), CLASSIC, transport=PreferTransport(403))
    assert answers[0].status_code == 403
    assert finding.status == Status.UNKNOWN


def test_fine_grained_verification_sends_only_reads_the_description_allows(prism):
    finding, answers = verify_against(prism, fine_grained_slot(), FINE_GRAINED)
    assert prism_complaints(answers) == []
    assert {r.request.method for r in answers} == {"GET"}
    assert finding.status in VERDICTS
    assert finding.facts.unobservable


def fuzz_items() -> list[SlotToken]:
    """A mix that draws on every parser: plain classic (1 answer each), classic with every prerequisite
    (4 answers), fine-grained with a repository and read probes (5 answers); 200 answers in all."""
    items = []
    plain = github_slot()
    with_prerequisites = classic_slot()
    fine = fine_grained_slot().model_copy(
        update={"scopes": ["metadata:read", "contents:read", "issues:read", "pull_requests:read"],
                "access": GitHubAccess(scopes=["metadata:read"], org="acme", repositories=["scanner"],
                                       holder=["alice"])}
    )
    for index in range(60):
        items.append(SlotToken(plain.model_copy(update={"holder": f"plain{index}"}), Token(CLASSIC)))
    for index in range(25):
        items.append(SlotToken(with_prerequisites.model_copy(update={"holder": f"sso{index}"}), Token(CLASSIC)))
    for index in range(8):
        items.append(SlotToken(fine.model_copy(update={"holder": f"fine{index}"}), Token(FINE_GRAINED)))
    random.Random(20261123).shuffle(items)
    return items


def test_200_random_schema_valid_answers_never_crash_and_never_leave_the_verdicts(prism_dynamic):
    answers: list[httpx.Response] = []

    async def record(response: httpx.Response) -> None:
        answers.append(response)

    async def go():
        settings = HttpSettings(timeout=30, max_concurrency=4, retry=RetryPolicy(attempts=1))
        async with ApiClient(settings, event_hooks={"response": [record]}) as http:
            return await verify_all(
                fuzz_items(), policy=Policy(), http=http, api_roots={"github": prism_dynamic}, now=NOW
            )

    findings = asyncio.run(go())
    assert len(answers) >= 200
    assert {f.status for f in findings} <= VERDICTS
    assert prism_complaints(answers) == []
    crashed = [f.reason for f in findings if f.reason and "unexpectedly" in f.reason]
    assert crashed == []
