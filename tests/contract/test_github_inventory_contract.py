"""The GitHub inventory reader and App authentication against Prism serving GitHub's official OpenAPI
description (GitHub Enterprise Cloud's, which has the SAML credential authorizations).

Prism runs with ``--errors``: a request the description does not allow (a wrong method, path, parameter or
body) gets an error answer, which these tests catch. Prism answers every list with the description's
example ``Link`` header, which points at api.github.com: the reader rightly refuses to follow a link to
another host, so the tests that read lists drop that header (paging is tested against the local GitHub).
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import httpx
import pytest

from scm_access.core.kinds import CredentialKind
from scm_access.declarations import Policy
from scm_access.declarations.connection import SecretStore
from scm_access.http import ApiClient, HttpSettings, RetryPolicy
from scm_access.inventory.judging import judge_matched
from scm_access.inventory.model import Inventory, SourceStatus
from scm_access.judge import Status
from scm_access.inventory.reader import InventoryContext
from scm_access.platforms.github import inventory as reader
from scm_access.platforms.github.app_auth import GitHubApp, headers_for
from tests.contract.test_github_contract import prism_complaints
from tests.platforms.github.inventory_fixtures import APP_ENV, OWNER_TOKEN, deploy_key_slot, fine_grained_slot
from tests.verify.conftest import NOW

pytestmark = pytest.mark.contract

ENV = {**APP_ENV, reader.ADMIN_TOKEN_VAR: OWNER_TOKEN}


class WithoutLinks(httpx.AsyncBaseTransport):
    """Drops the ``Link`` header Prism copies from the description's example (it points at api.github.com)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if "link" in response.headers:
            del response.headers["link"]
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def slots(orgs: list[str] | None = None):
    chosen = []
    for org in orgs or ["acme"]:
        fine = fine_grained_slot(connection=f"fg-{org}")
        chosen.append(fine.model_copy(update={"access": fine.access.model_copy(update={"org": org})}))
        keyed = deploy_key_slot(
            delivery=SecretStore(store="github_actions_secret", name="DEPLOY_KEY", repository="app", holds="ssh_key")
        )
        chosen.append(
            keyed.model_copy(update={"connection": f"ci-{org}", "access": keyed.access.model_copy(update={"org": org})})
        )
    return chosen


def read_against(url: str, chosen, *, transport: httpx.AsyncBaseTransport | None = None, concurrency: int = 8):
    answers: list[httpx.Response] = []

    async def record(response: httpx.Response) -> None:
        answers.append(response)

    async def go() -> Inventory:
        settings = HttpSettings(timeout=30, max_concurrency=concurrency, retry=RetryPolicy(attempts=1))
        async with ApiClient(settings, transport=transport, event_hooks={"response": [record]}) as http:
            ctx = InventoryContext(slots=chosen, http=http, environ=ENV, policy=Policy(), now=NOW, api_root=url)
            return await reader.read(ctx)

    return asyncio.run(go()), answers


def statuses(inventory: Inventory) -> dict[str, SourceStatus]:
    return {report.source: report.status for report in inventory.sources}


# -- requests the description allows -------------------------------------------------------------------------


def test_every_request_of_the_inventory_is_one_the_description_allows(prism):
    _, answers = read_against(prism, slots(), transport=WithoutLinks())
    assert answers and prism_complaints(answers) == []


def test_the_inventory_writes_nothing_but_the_token_exchange(prism):
    _, answers = read_against(prism, slots(), transport=WithoutLinks())
    writes = {(r.request.method, r.request.url.path) for r in answers if r.request.method != "GET"}
    assert writes == {("POST", "/app/installations/1/access_tokens")}


def test_the_token_exchange_follows_the_documented_installation(prism):
    _, answers = read_against(prism, slots(), transport=WithoutLinks())
    assert [r.request.url.path for r in answers[:2]] == ["/orgs/acme/installation", "/app/installations/1/access_tokens"]


def test_every_view_reads_the_documented_answers(prism):
    inventory, _ = read_against(prism, slots(), transport=WithoutLinks())
    assert statuses(inventory) == {
        reader.MEMBERS: SourceStatus.READ,
        reader.GRANTS: SourceStatus.READ,
        reader.REQUESTS: SourceStatus.READ,
        reader.CREDENTIAL_AUTHORIZATIONS: SourceStatus.READ,
        reader.DEPLOY_KEYS: SourceStatus.READ,
        reader.ACTIONS_SECRETS: SourceStatus.READ,
    }


def test_the_documented_grant_reads_as_a_fine_grained_credential(prism):
    inventory, _ = read_against(prism, slots(), transport=WithoutLinks())
    (grant,) = [c for c in inventory.credentials if c.source == reader.GRANTS]
    assert (grant.id, grant.owner, grant.kind, grant.scopes, grant.repository_selection) == (
        "25381", "octocat", CredentialKind.GITHUB_FINE_GRAINED_PAT, {"members:read", "metadata:read"}, "all"
    )


def test_the_documented_offsets_are_read_in_utc(prism):
    inventory, _ = read_against(prism, slots(), transport=WithoutLinks())
    (grant,) = [c for c in inventory.credentials if c.source == reader.GRANTS]
    assert grant.expires_at == datetime(2023, 11, 16, 15, 47, 9, tzinfo=UTC)


def test_the_documented_credential_authorization_reads_as_a_classic_token(prism):
    inventory, _ = read_against(prism, slots(), transport=WithoutLinks())
    found = [c for c in inventory.credentials if c.source == reader.CREDENTIAL_AUTHORIZATIONS]
    # The documented list also holds an OAuth app token, a GitHub App token and an SSH key: counted, not judged.
    assert [(c.owner, c.kind, c.scopes, c.token_last_eight) for c in found] == [
        ("octocat", CredentialKind.GITHUB_CLASSIC_PAT, {"user", "repo"}, "71c3fc11"),
        ("hubot", CredentialKind.GITHUB_CLASSIC_PAT, {"repo"}, "Ae178B4a"),
    ]


def test_a_next_page_link_to_another_host_is_not_followed_and_the_view_fails(prism):
    inventory, answers = read_against(prism, slots())
    assert not [r for r in answers if r.request.url.host == "api.github.com"]
    report = next(s for s in inventory.sources if s.source == reader.GRANTS)
    assert report.status == SourceStatus.FAILED and "another host" in report.detail


def test_the_documented_refusal_of_the_grant_list_fails_only_that_view(prism):
    class RefuseGrants(WithoutLinks):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/personal-access-tokens"):
                request.headers["Prefer"] = "code=403"
            return await super().handle_async_request(request)

    inventory, _ = read_against(prism, slots(), transport=RefuseGrants())
    assert statuses(inventory)[reader.GRANTS] == SourceStatus.FAILED
    assert statuses(inventory)[reader.REQUESTS] == SourceStatus.READ


def test_the_app_jwt_is_sent_to_the_installation_lookup(prism):
    _, answers = read_against(prism, slots(), transport=WithoutLinks())
    sent = answers[0].request.headers["authorization"].removeprefix("Bearer ")
    assert sent.count(".") == 2 and sent.startswith("ey")


def test_the_installation_token_from_the_documented_answer_is_used_for_the_views(prism):
    _, answers = read_against(prism, slots(), transport=WithoutLinks())
    grants = next(r for r in answers if r.request.url.path == "/orgs/acme/personal-access-tokens")
    assert grants.request.headers["authorization"] == "Bearer ghs_16C7e42F292c6912E7710c838347Ae178B4a"


# -- 200 random schema-valid answers ---------------------------------------------------------------------------


def test_200_random_answers_to_the_app_never_crash_and_fail_only_their_org(prism_dynamic):
    # Random installations are often unusable (an id that is not positive, a suspension date, a token with
    # spaces): each makes its own organization's App views fail with the reason, and nothing else.
    chosen = slots([f"org{index}" for index in range(100)])
    inventory, answers = read_against(prism_dynamic, chosen, transport=WithoutLinks(), concurrency=4)
    assert len(answers) >= 200
    assert prism_complaints(answers) == []
    app_views = {reader.GRANTS, reader.REQUESTS, reader.MEMBERS, reader.DEPLOY_KEYS, reader.ACTIONS_SECRETS}
    read_somewhere = False
    for org in {s.scope for s in inventory.sources}:
        reports = [s for s in inventory.sources if s.scope == org and s.source in app_views]
        reasons = {s.detail for s in reports if s.status == SourceStatus.FAILED}
        if any("installation" in reason for reason in reasons):
            # The App could not act for this org: every App view of it says so, with that one reason.
            assert len(reasons) == 1 and all(s.status == SourceStatus.FAILED for s in reports)
        read_somewhere |= any(s.status == SourceStatus.READ for s in reports)
    assert read_somewhere  # the others were read


def test_200_random_schema_valid_views_never_crash_and_never_read_nonsense_as_ok(prism_dynamic, monkeypatch):
    # The App dance aside (above), every view and its parser against random answers.
    async def installed(self, http, api_root, org):
        return http.at(api_root, headers_for("ghs_CONTRACTinstallation0123456789abcdef"))

    monkeypatch.setattr(GitHubApp, "installation_api", installed)
    chosen = slots([f"org{index}" for index in range(40)])
    inventory, answers = read_against(prism_dynamic, chosen, transport=WithoutLinks(), concurrency=4)
    assert len(answers) >= 200
    assert prism_complaints(answers) == []
    assert {s.status for s in inventory.sources} <= set(SourceStatus)
    assert {c.source for c in inventory.credentials} <= {reader.GRANTS, reader.CREDENTIAL_AUTHORIZATIONS, reader.DEPLOY_KEYS}
    assert all(c.expires_at is None or c.expires_at.tzinfo is not None for c in inventory.credentials)
    assert all(s.detail and "Traceback" not in s.detail for s in inventory.sources)
    # Judged against a slot held by its own owner, random permissions, repositories and dates are never ok.
    judged = 0
    for found in inventory.credentials:
        if found.kind == CredentialKind.GITHUB_FINE_GRAINED_PAT and found.owner:
            slot = fine_grained_slot(holder_login=found.owner)
            assert judge_matched(slot, [found], Policy(), NOW).status != Status.OK, found
            judged += 1
    assert judged > 0


def test_random_answers_to_the_app_never_leak_a_token_into_a_reason(prism_dynamic):
    chosen = slots([f"leak{index}" for index in range(10)])
    inventory, answers = read_against(prism_dynamic, chosen, transport=WithoutLinks(), concurrency=4)
    tokens = []
    for answer in answers:
        if answer.request.url.path.endswith("/access_tokens") and answer.status_code == 201:
            token = json.loads(answer.content).get("token")
            if isinstance(token, str) and len(token.strip()) >= 8:
                tokens.append(token.strip())
    reasons = " ".join(s.detail for s in inventory.sources)
    assert not [t for t in tokens if t in reasons]
