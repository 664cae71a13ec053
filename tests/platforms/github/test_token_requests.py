"""GitHub's pending fine-grained token requests read as requests to decide; reviews and grant revocations
sent in bulk, as the REST API documents them (``POST /orgs/{org}/personal-access-token-requests`` and
``POST /orgs/{org}/personal-access-tokens``)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone

import pytest

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.http import ApiClient, ApiError, HttpSettings, RetryPolicy
from scm_access.inventory.decisions import Decision, Outcome, RequestDecision
from scm_access.inventory.model import FoundCredential
from scm_access.platforms.github import token_requests
from scm_access.platforms.github.admin_views import PatRequest
from tests.inventory.decisions.conftest import request
from tests.support.local_server import LocalServer, Reply, Request

# The list-requests example of GitHub's OpenAPI description, owner trimmed.
REQUEST = {
    "id": 25381,
    "reason": "I need to access the GitHub API",
    "owner": {"login": "octocat", "id": 1, "type": "User", "site_admin": False},
    "repository_selection": "all",
    "repositories_url": "https://api.github.com/organizations/652551/personal-access-token-requests/25381/repositories",
    "permissions": {"organization": {"members": "read"}, "repository": {"metadata": "read"}},
    "created_at": "2023-05-16T08:47:09.000-07:00",
    "token_id": 98716,
    "token_name": "Some Token",
    "token_expired": False,
    "token_expires_at": "2023-11-16T08:47:09.000-07:00",
    "token_last_used_at": None,
}


def run(server_url: str, work):
    async def go():
        async with ApiClient(HttpSettings(timeout=5, retry=RetryPolicy(attempts=1))) as http:
            return await work(http.at(server_url))

    return asyncio.run(go())


# -- reading ------------------------------------------------------------------------------------------


def parse(item: dict):
    return token_requests.as_token_request(PatRequest.model_validate(item), "acme")


def test_a_request_reads_as_requester_permissions_selection_and_dates():
    parsed = parse(REQUEST)
    assert (parsed.id, parsed.requester, parsed.org, parsed.kind) == (
        "25381", "octocat", "acme", CredentialKind.GITHUB_FINE_GRAINED_PAT
    )
    assert parsed.scopes == {"members:read", "metadata:read"}
    assert parsed.repository_selection == "all"
    assert parsed.expires_at == datetime(2023, 11, 16, 15, 47, 9, tzinfo=timezone.utc)
    assert (parsed.never_expires, parsed.reason) == (False, "I need to access the GitHub API")


def test_an_organization_permission_under_its_short_name_is_the_organization_permission():
    """GitHub lists some organization permissions by a short name: administration under organization is
    organization_administration, never the repository's administration."""
    parsed = parse({**REQUEST, "permissions": {"organization": {"administration": "read"}}})
    assert parsed.scopes == {"organization_administration:read"}


def test_a_null_expiry_is_no_expiry():
    assert parse({**REQUEST, "token_expires_at": None}).never_expires is True


def test_an_expiry_that_is_not_a_date_is_not_seen():
    parsed = parse({**REQUEST, "token_expires_at": "soon"})
    assert (parsed.expires_at, parsed.never_expires) == (None, None)


def serve_requests(pages: list[list[dict]], repositories: dict[int, list[str]]):
    def handler(req: Request) -> Reply:
        path, _, query = req.path.partition("?")
        if path == "/orgs/acme/personal-access-token-requests":
            page = int(dict(p.split("=") for p in query.split("&")).get("page", "1"))
            following = {"Link": f'<{server.url}{path}?per_page=100&page={page + 1}>; rel="next"'} if page < len(pages) else {}
            return Reply.json(pages[page - 1], headers=following)
        for request_id, names in repositories.items():
            if path == f"/orgs/acme/personal-access-token-requests/{request_id}/repositories":
                return Reply.json([{"id": n, "name": name, "full_name": f"acme/{name}"} for n, name in enumerate(names)])
        return Reply.json({"message": "Not Found"}, status=404)

    server = LocalServer(handler)
    return server


def test_every_page_is_read_and_a_subsets_repositories_are_read():
    subset = {**REQUEST, "id": 7, "repository_selection": "subset"}
    with serve_requests([[REQUEST], [subset]], {7: ["scanner", "tools"]}) as server:
        found = run(server.url, lambda api: token_requests.list_requests(api, "acme"))
    assert [r.id for r in found] == ["25381", "7"]
    assert (found[0].repositories, found[1].repositories) == (None, {"acme/scanner", "acme/tools"})


def test_a_request_without_a_requester_fails_the_listing_rather_than_being_guessed():
    with serve_requests([[{**REQUEST, "owner": None}]], {}) as server:
        with pytest.raises(ApiError, match="not GitHub's shape"):
            run(server.url, lambda api: token_requests.list_requests(api, "acme"))


def test_a_refused_list_raises_with_the_status():
    with LocalServer(lambda req: Reply.json({"message": "Resource not accessible by integration"}, status=403)) as server:
        with pytest.raises(ApiError, match="HTTP 403 to the fine-grained token requests of acme"):
            run(server.url, lambda api: token_requests.list_requests(api, "acme"))


# -- acting -------------------------------------------------------------------------------------------


def accepting() -> LocalServer:
    return LocalServer(lambda req: Reply(status=202))


def decided(request_id: str, decision: Decision, reason: str) -> RequestDecision:
    return RequestDecision(request(id=request_id), decision, reason)


def test_approvals_with_one_reason_go_in_one_bulk_call():
    decisions = [decided("1", Decision.APPROVE, "within a"), decided("2", Decision.APPROVE, "within a")]
    with accepting() as server:
        results = run(server.url, lambda api: token_requests.review_requests(api, "acme", decisions))
    (call,) = server.requests
    assert (call.method, call.path) == ("POST", "/orgs/acme/personal-access-token-requests")
    assert call.json() == {"pat_request_ids": [1, 2], "action": "approve", "reason": "within a"}
    assert [r.outcome for r in results] == [Outcome.DONE, Outcome.DONE]


def test_a_denial_is_sent_with_its_own_reason():
    decisions = [decided("1", Decision.APPROVE, "within a"), decided("2", Decision.DENY, "Denied: beyond b")]
    with accepting() as server:
        run(server.url, lambda api: token_requests.review_requests(api, "acme", decisions))
    bodies = [call.json() for call in server.requests]
    assert {"pat_request_ids": [2], "action": "deny", "reason": "Denied: beyond b"} in bodies


def test_more_than_a_hundred_ids_are_split_into_calls_of_at_most_a_hundred():
    decisions = [decided(str(n), Decision.DENY, "same") for n in range(1, 251)]
    with accepting() as server:
        run(server.url, lambda api: token_requests.review_requests(api, "acme", decisions))
    assert [len(call.json()["pat_request_ids"]) for call in server.requests] == [100, 100, 50]


def test_a_refused_review_fails_each_of_its_requests_with_the_status():
    with LocalServer(lambda req: Reply.json({"message": "Validation failed"}, status=422)) as server:
        results = run(server.url, lambda api: token_requests.review_requests(api, "acme", [decided("1", Decision.DENY, "x")]))
    assert [(r.target, r.outcome, r.detail) for r in results] == [
        ("1", Outcome.FAILED, "refused: HTTP 422: Validation failed")
    ]


def test_an_undecided_request_is_never_sent():
    with accepting() as server:
        with pytest.raises(ValueError):
            run(server.url, lambda api: token_requests.review_requests(api, "acme", [decided("1", Decision.UNDECIDED, "?")]))
    assert server.requests == []


def grant(grant_id: str) -> FoundCredential:
    return FoundCredential(
        platform=Platform.GITHUB,
        source="fine_grained_grants",
        id=grant_id,
        kind=CredentialKind.GITHUB_FINE_GRAINED_PAT,
        kind_label="fine-grained personal access token",
        owner="octocat",
        scope="acme",
    )


def test_grants_are_revoked_in_one_bulk_call():
    with accepting() as server:
        results = run(server.url, lambda api: token_requests.revoke_grants(api, "acme", [grant("11"), grant("12")]))
    (call,) = server.requests
    assert (call.method, call.path, call.json()) == (
        "POST", "/orgs/acme/personal-access-tokens", {"action": "revoke", "pat_ids": [11, 12]}
    )
    assert [r.outcome for r in results] == [Outcome.DONE, Outcome.DONE]


def test_a_write_is_sent_once_even_when_the_server_fails():
    with LocalServer(lambda req: Reply(status=503)) as server:
        results = run(server.url, lambda api: token_requests.revoke_grants(api, "acme", [grant("11")]))
    assert len(server.requests) == 1 and results[0].outcome == Outcome.FAILED
    assert json.dumps([r.detail for r in results]).count("503") == 1
