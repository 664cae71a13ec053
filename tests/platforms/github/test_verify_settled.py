"""With the GitHub App configured, `verify` of a fine-grained token reads its grant and judges it exactly."""

from __future__ import annotations

import asyncio
import time

import pytest

from scm_access.declarations import GitHubAccess, Person, Policy
from scm_access.verify import Status, Token, verify_slot
from tests.platforms.github.inventory_fixtures import APP_ENV, APP_ID, PUBLIC_KEY, fine_grained_slot, grant, pat_request
from tests.support.fake_github import Account, FakeGitHub
from tests.support.fake_github_admin import FakeGitHubAdmin, OrgState
from tests.verify.conftest import NOW

FINE_GRAINED = "github_pat_11SETTLED0settled_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
EXPIRY_HEADER = "2026-12-20 19:00:00 UTC"
GRANT_EXPIRY = "2026-12-20T12:00:00.000-07:00"  # the same moment, as the grant list gives it
REPOSITORY = "deeptraq-security-scanner"


@pytest.fixture
def app_env(monkeypatch):
    for name, value in APP_ENV.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def github(serve):
    def start(org: OrgState, expiration: str | None = EXPIRY_HEADER):
        holder = Account(
            "diego-rocha", scopes=None, expiration=expiration, repositories={f"acme/{REPOSITORY}": True}
        )
        token_in_hand = FakeGitHub({FINE_GRAINED: holder})
        fake = FakeGitHubAdmin(APP_ID, PUBLIC_KEY, {"acme": org}, clock=time.time, fallback=token_in_hand)
        return fake, serve(fake)

    return start


def the_grant(**changes):
    return grant(id=11, expires_at=GRANT_EXPIRY, **changes)


def right_org(**changes) -> OrgState:
    return OrgState(grants=[the_grant(**changes)], grant_repositories={11: [REPOSITORY]})


def verify(server, slot=None):
    slot = slot or fine_grained_slot()
    return asyncio.run(verify_slot(slot, Token(FINE_GRAINED), policy=Policy(), api_root=server.url, now=NOW))


def codes(finding):
    return sorted(p.code.value for p in finding.problems)


def test_a_right_token_is_ok(app_env, github):
    fake, server = github(right_org())
    finding = verify(server)
    assert (finding.status, finding.problems) == (Status.OK, [])


def test_without_the_app_a_right_token_is_partially_verified(github):
    fake, server = github(right_org())
    assert verify(server).status == Status.PARTIALLY_VERIFIED


def test_the_grant_is_asked_for_the_holders_tokens_only(app_env, github):
    fake, server = github(right_org())
    verify(server)
    (listing,) = [r.path for r in server.requests if r.path.startswith("/orgs/acme/personal-access-tokens?")]
    assert "owner%5B%5D=diego-rocha" in listing


def test_the_grants_permissions_are_the_facts(app_env, github):
    fake, server = github(right_org())
    assert verify(server).facts.scopes_granted == ["metadata:read"]


def test_a_permission_beyond_the_declaration_is_excess(app_env, github):
    fake, server = github(right_org(repository={"metadata": "read", "contents": "write"}))
    assert codes(verify(server)) == ["excess_scope"]


def test_a_declared_permission_the_grant_lacks_is_missing(app_env, github):
    slot = fine_grained_slot(scopes=["contents:read", "metadata:read"])
    fake, server = github(right_org())
    assert codes(verify(server, slot)) == ["missing_scope"]


def test_the_metadata_permission_github_adds_by_itself_is_not_excess(app_env, github):
    slot = fine_grained_slot(scopes=["contents:read"])
    fake, server = github(right_org(repository={"metadata": "read", "contents": "read"}))
    assert verify(server, slot).status == Status.OK


def test_a_repository_beyond_the_declaration_is_excess(app_env, github):
    fake, server = github(OrgState(grants=[the_grant()], grant_repositories={11: [REPOSITORY, "payroll"]}))
    finding = verify(server)
    assert codes(finding) == ["excess_scope"] and "acme/payroll" in finding.problems[0].detail


def test_all_repositories_where_one_is_declared_is_excess(app_env, github):
    fake, server = github(OrgState(grants=[the_grant(selection="all")]))
    assert codes(verify(server)) == ["excess_scope"]


def test_a_declared_repository_the_grant_lacks_is_missing(app_env, github):
    fake, server = github(OrgState(grants=[the_grant()], grant_repositories={11: ["other"]}))
    assert "missing_scope" in codes(verify(server))


def test_an_expiry_one_second_apart_is_another_token(app_env, github):
    fake, server = github(OrgState(grants=[grant(id=11, expires_at="2026-12-20T12:00:01.000-07:00")]))
    finding = verify(server)
    assert finding.status == Status.PARTIALLY_VERIFIED
    assert any("lists none of diego-rocha's fine-grained tokens" in text for text in finding.facts.unobservable)


def test_a_token_whose_request_awaits_approval_says_so(app_env, github):
    fake, server = github(OrgState(requests=[pat_request(id=77, expires_at=GRANT_EXPIRY)]))
    finding = verify(server)
    assert any("request 77" in text and "awaits an owner's approval" in text for text in finding.facts.unobservable)


def test_two_grants_alike_are_unknown_saying_so(app_env, github):
    rows = [the_grant(), grant(id=12, expires_at=GRANT_EXPIRY)]
    fake, server = github(OrgState(grants=rows, grant_repositories={11: [REPOSITORY], 12: [REPOSITORY]}))
    finding = verify(server)
    assert finding.status == Status.UNKNOWN and "cannot be told" in finding.reason


def test_a_token_without_expiry_is_matched_to_a_grant_without_expiry(app_env, github):
    fake, server = github(OrgState(grants=[grant(id=11, expires_at=None)], grant_repositories={11: [REPOSITORY]}), expiration=None)
    finding = verify(server)
    # Matched: the grant's permissions are the facts; what is left is the policy's rule on expiry.
    assert (finding.facts.scopes_granted, codes(finding)) == (["metadata:read"], ["no_expiry"])


def test_an_org_without_the_app_is_unknown_with_the_reason(app_env, github):
    fake, server = github(OrgState(installation_id=None))
    finding = verify(server)
    assert finding.status == Status.UNKNOWN and "not installed on the organization acme" in finding.reason


def test_a_refused_grant_list_is_unknown_naming_the_permission(app_env, github):
    fake, server = github(OrgState(refuse={"grants": 403}))
    finding = verify(server)
    assert finding.status == Status.UNKNOWN and '"Personal access tokens" (read)' in finding.reason


def test_nothing_is_written_but_the_apps_token_exchange(app_env, github):
    fake, server = github(right_org())
    verify(server)
    assert {(r.method, r.path) for r in server.requests if r.method != "GET"} == {("POST", "/app/installations/1/access_tokens")}


def test_no_app_credential_reaches_the_finding(app_env, github):
    fake, server = github(right_org())
    text = verify(server).model_dump_json()
    (token,) = fake.issued
    assert token not in text


def test_a_slot_without_an_org_is_observed_as_without_the_app(app_env, github):
    access = GitHubAccess(scopes=["metadata:read"], repositories=[REPOSITORY], holder=[Person(name="diego", login="diego-rocha")])
    fake, server = github(right_org())
    verify(server, fine_grained_slot(access=access))
    assert not fake.issued
