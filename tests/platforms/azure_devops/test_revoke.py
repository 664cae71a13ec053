"""Azure DevOps tokens revoked through token administration, as its REST specification documents it
(``POST …/_apis/tokenadmin/revocations``, a list of ``authorizationId``, 204)."""

from __future__ import annotations

import asyncio
import base64
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations import Policy
from scm_access.http import ApiClient, HttpSettings, RetryPolicy
from scm_access.inventory.decisions import Outcome
from scm_access.inventory.model import FoundCredential
from scm_access.inventory.reader import InventoryContext
from scm_access.platforms.azure_devops import revoke
from tests.support.local_server import LocalServer, Reply

ADMIN = "adminpat0123456789abcdefghijklmnopqrstuvwxyzABCDEF"
# The request body of the specification's own example (tokenAdmin 7.1, httpExamples/revocations).
EXAMPLE_IDS = ["532c7fe6-74f8-408b-8051-4abb73dca491", "ce6a72ed-051f-41cd-8d7b-5a67c46748eb"]


def token(authorization_id: str) -> FoundCredential:
    return FoundCredential(
        platform=Platform.AZURE_DEVOPS,
        source="token_administration",
        id=authorization_id,
        kind=CredentialKind.AZURE_DEVOPS_PAT,
        kind_label="personal access token",
        owner="dora@acme.example",
        scope="fabrikam",
    )


def revoke_through(server: LocalServer, credentials):
    async def go():
        async with ApiClient(HttpSettings(timeout=5, retry=RetryPolicy(attempts=1))) as http:
            ctx = InventoryContext(
                slots=[], http=http, environ={revoke.ADMIN_TOKEN_VAR: ADMIN}, policy=Policy(),
                now=datetime(2026, 12, 1, tzinfo=timezone.utc), api_root=server.url,
            )
            return await revoke.revoke(ctx, credentials)

    return asyncio.run(go())


def test_revocations_are_one_post_of_authorization_ids_as_the_specification_shows():
    with LocalServer(lambda request: Reply(status=204)) as server:
        results = revoke_through(server, [token(i) for i in EXAMPLE_IDS])
    (call,) = server.requests
    url = urlsplit(call.path)
    assert (call.method, url.path) == ("POST", "/_apis/tokenadmin/revocations")
    assert parse_qs(url.query) == {"isPublic": ["false"], "api-version": ["7.1-preview.1"]}
    assert call.json() == [{"authorizationId": i} for i in EXAMPLE_IDS]
    assert [r.outcome for r in results] == [Outcome.DONE, Outcome.DONE]


def test_the_admin_token_goes_as_basic_with_an_empty_user():
    with LocalServer(lambda request: Reply(status=204)) as server:
        revoke_through(server, [token(EXAMPLE_IDS[0])])
    scheme, _, encoded = server.requests[0].authorization.partition(" ")
    assert (scheme, base64.b64decode(encoded).decode()) == ("Basic", f":{ADMIN}")


def test_a_caller_who_may_not_administer_tokens_gets_a_failed_result_for_each():
    with LocalServer(lambda request: Reply.json({"message": "Access denied"}, status=401)) as server:
        results = revoke_through(server, [token(i) for i in EXAMPLE_IDS])
    assert {(r.outcome, r.detail) for r in results} == {(Outcome.FAILED, "refused: HTTP 401: Access denied")}


def test_revoking_ends_the_token_so_none_is_for_being_undeclared():
    assert not any(r.org_access_only for r in revoke.REVOCABLE.values())
