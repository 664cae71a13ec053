"""GitLab credentials revoked through the API each was read from, as GitLab documents it (``DELETE``, 204)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations import Policy
from scm_access.http import ApiClient, HttpSettings, RetryPolicy
from scm_access.inventory.decisions import Outcome
from scm_access.inventory.model import FoundCredential
from scm_access.inventory.reader import InventoryContext
from scm_access.platforms.gitlab import revoke
from tests.support.local_server import LocalServer, Reply

ADMIN = "glpat-ADMINadmin0123456789ab"


def found(source: str, **changes) -> FoundCredential:
    fields = {
        "platform": Platform.GITLAB,
        "source": source,
        "id": "42",
        "kind": CredentialKind.GITLAB_PAT,
        "kind_label": "personal access token",
        "owner": "dora",
    }
    fields.update(changes)
    return FoundCredential(**fields)


def revoke_through(server: LocalServer, credentials, environ=None):
    async def go():
        async with ApiClient(HttpSettings(timeout=5, retry=RetryPolicy(attempts=1))) as http:
            ctx = InventoryContext(
                slots=[], http=http, environ={revoke.ADMIN_TOKEN_VAR: ADMIN} if environ is None else environ,
                policy=Policy(), now=datetime(2026, 12, 1, tzinfo=timezone.utc), api_root=server.url,
            )
            return await revoke.revoke(ctx, credentials)

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("credential", "path"),
    [
        (found("personal_access_tokens"), "/api/v4/personal_access_tokens/42"),
        (found("group_access_tokens", scope="acme/platform"), "/api/v4/groups/acme%2Fplatform/access_tokens/42"),
        (found("project_access_tokens", scope="acme/app"), "/api/v4/projects/acme%2Fapp/access_tokens/42"),
        (
            found("service_account_tokens", scope="acme", owner_id="77"),
            "/api/v4/groups/acme/service_accounts/77/personal_access_tokens/42",
        ),
        (found("group_deploy_tokens", scope="acme"), "/api/v4/groups/acme/deploy_tokens/42"),
        (found("project_deploy_tokens", scope="acme/app"), "/api/v4/projects/acme%2Fapp/deploy_tokens/42"),
        (
            found("credentials_inventory_personal_access_tokens", scope="acme"),
            "/api/v4/groups/acme/manage/personal_access_tokens/42",
        ),
        (
            found("credentials_inventory_resource_access_tokens", scope="acme"),
            "/api/v4/groups/acme/manage/resource_access_tokens/42",
        ),
    ],
)
def test_each_view_revokes_through_its_own_documented_path(credential, path):
    with LocalServer(lambda request: Reply(status=204)) as server:
        (result,) = revoke_through(server, [credential])
    (call,) = server.requests
    assert (call.method, call.path, call.headers["private-token"]) == ("DELETE", path, ADMIN)
    assert result.outcome == Outcome.DONE


def test_a_refusal_is_a_failed_result_with_gitlabs_message():
    with LocalServer(lambda request: Reply.json({"message": "403 Forbidden"}, status=403)) as server:
        (result,) = revoke_through(server, [found("personal_access_tokens")])
    assert (result.outcome, result.detail) == (Outcome.FAILED, "refused: HTTP 403: 403 Forbidden")


def test_without_the_admin_token_nothing_is_sent():
    with LocalServer(lambda request: Reply(status=204)) as server:
        (result,) = revoke_through(server, [found("personal_access_tokens")], environ={})
    assert server.requests == [] and result.outcome == Outcome.FAILED


def test_a_view_that_did_not_say_where_the_token_lives_sends_nothing():
    with LocalServer(lambda request: Reply(status=204)) as server:
        (result,) = revoke_through(server, [found("group_access_tokens", scope=None)])
    assert server.requests == [] and "did not say where" in result.detail


def test_every_gitlab_revocation_ends_the_token_so_none_is_for_being_undeclared():
    assert not any(r.org_access_only for r in revoke.REVOCABLE.values())
