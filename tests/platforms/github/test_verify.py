"""The GitHub verifier against a local GitHub stand-in."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from scm_access.declarations import CredentialKind, Policy
from scm_access.platforms.github.access import GitHubAccess
from scm_access.declarations.access import PublicOrgMembership, RepositoryPermission, SamlSsoAuthorization
from scm_access.platforms.github.verify import api_root, parse_expiration, parse_sso
from scm_access.verify import Status, Token, verify_slot
from tests.support.fake_github import Account, FakeGitHub
from tests.support.local_server import Reply
from tests.verify.conftest import CANARY, NOW, expiring_in, github_slot

FINE_GRAINED = "github_pat_11AAAAAAA0CANARYfinegrained_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"


def verify(server, slot, token=CANARY, policy=None):
    return asyncio.run(verify_slot(slot, Token(token), policy=policy or Policy(), api_root=server.url, now=NOW))


def codes(finding) -> list[str]:
    return [p.code.value for p in finding.problems]


@pytest.fixture
def alice():
    return Account("alice", scopes="repo", expiration=expiring_in(60))


def test_a_matching_classic_token_is_ok_after_exactly_one_request(serve, alice):
    server = serve(FakeGitHub({CANARY: alice}))
    finding = verify(server, github_slot())
    assert finding.status == Status.OK
    assert [r.path for r in server.requests] == ["/user"]


def test_the_single_request_is_a_get_with_the_api_version(serve, alice):
    server = serve(FakeGitHub({CANARY: alice}))
    verify(server, github_slot())
    request = server.requests[0]
    assert request.method == "GET"
    assert request.headers["x-github-api-version"] == "2022-11-28"
    assert request.headers["user-agent"].startswith("scm-access/")


def test_facts_report_kind_owner_scopes_expiry_and_last_four(serve, alice):
    server = serve(FakeGitHub({CANARY: alice}))
    facts = verify(server, github_slot()).facts
    assert facts.token_kind == CredentialKind.GITHUB_CLASSIC_PAT.value
    assert facts.owner_login == "alice"
    assert facts.scopes_granted == ["repo"]
    assert facts.expires_at is not None
    assert facts.token_last_four == CANARY[-4:]


def test_a_rejected_token_is_invalid_token(serve):
    server = serve(FakeGitHub({}))
    finding = verify(server, github_slot())
    assert codes(finding) == ["invalid_token"]
    assert finding.status == Status.ACTION_REQUIRED


def test_excess_scopes_are_reported_from_the_header(serve):
    server = serve(FakeGitHub({CANARY: Account("alice", scopes="repo, admin:org", expiration=expiring_in(60))}))
    assert codes(verify(server, github_slot())) == ["excess_scope"]


def test_no_expiration_header_means_the_token_never_expires(serve):
    server = serve(FakeGitHub({CANARY: Account("alice", scopes="repo", expiration=None)}))
    assert codes(verify(server, github_slot())) == ["no_expiry"]


def test_sso_not_authorized_names_the_authorization_link(serve, alice):
    server = serve(FakeGitHub({CANARY: alice}, sso_orgs={"acme"}))
    finding = verify(server, github_slot(prerequisites=[SamlSsoAuthorization(org="acme")]))
    assert codes(finding) == ["sso_not_authorized"]
    assert "https://github.com/orgs/acme/sso" in finding.problems[0].detail
    assert [r.path for r in server.requests] == ["/user", "/user/memberships/orgs/acme"]


def test_sso_authorized_is_ok(serve):
    account = Account("alice", scopes="repo", expiration=expiring_in(60), sso_authorized={"acme"})
    server = serve(FakeGitHub({CANARY: account}, sso_orgs={"acme"}))
    finding = verify(server, github_slot(prerequisites=[SamlSsoAuthorization(org="acme")]))
    assert finding.status == Status.OK
    assert finding.facts.orgs_authorized == ["acme"]


def test_private_membership_is_membership_not_public(serve, alice):
    server = serve(FakeGitHub({CANARY: alice}))
    finding = verify(server, github_slot(prerequisites=[PublicOrgMembership(org="acme")]))
    assert codes(finding) == ["membership_not_public"]
    assert server.requests[-1].path == "/orgs/acme/public_members/alice"


def test_public_membership_is_ok(serve):
    account = Account("alice", scopes="repo", expiration=expiring_in(60), public_member_of={"acme"})
    server = serve(FakeGitHub({CANARY: account}))
    assert verify(server, github_slot(prerequisites=[PublicOrgMembership(org="acme")])).status == Status.OK


def test_a_classic_token_where_a_fine_grained_one_is_declared_is_wrong_kind_without_a_request(serve, alice):
    server = serve(FakeGitHub({CANARY: alice}))
    slot = github_slot(kind=CredentialKind.GITHUB_FINE_GRAINED_PAT, scopes=["metadata:read"])
    assert codes(verify(server, slot)) == ["wrong_token_kind"]
    assert server.requests == []


def test_an_oauth_app_token_is_wrong_kind(serve):
    server = serve(FakeGitHub({}))
    finding = verify(server, github_slot(), token="gho_" + "x" * 36)
    assert codes(finding) == ["wrong_token_kind"]
    assert "OAuth" in finding.problems[0].detail


def fine_grained_slot(**changes):
    fields = dict(
        kind=CredentialKind.GITHUB_FINE_GRAINED_PAT,
        scopes=["metadata:read"],
        access=GitHubAccess(scopes=["metadata:read"], org="acme", repositories=["scanner"], holder=["alice"]),
        lifetime_days=30,
    )
    fields.update(changes)
    return github_slot(**fields)


def test_a_correct_fine_grained_token_is_partially_verified_and_says_once_where_to_settle_the_rest(serve):
    account = Account("alice", scopes=None, expiration=expiring_in(20), repositories={"acme/scanner": True})
    server = serve(FakeGitHub({FINE_GRAINED: account}))
    finding = verify(server, fine_grained_slot(), token=FINE_GRAINED)
    assert finding.status == Status.PARTIALLY_VERIFIED
    assert codes(finding) == []
    [blind_spot] = finding.facts.unobservable
    assert "beyond the declared ones" in blind_spot and "Active tokens" in blind_spot
    assert "beyond the declared ones" not in (finding.reason or "")


def test_a_fine_grained_token_reports_what_it_could_observe(serve):
    account = Account("alice", scopes=None, expiration=expiring_in(20), repositories={"acme/scanner": True})
    server = serve(FakeGitHub({FINE_GRAINED: account}))
    finding = verify(server, fine_grained_slot(), token=FINE_GRAINED)
    assert (finding.facts.owner_login, finding.facts.repositories_reachable) == ("alice", ["acme/scanner"])
    assert finding.facts.expires_at is not None


def test_a_fine_grained_token_not_reaching_its_repository_is_missing_scope(serve):
    account = Account("alice", scopes=None, expiration=expiring_in(20), repositories={})
    server = serve(FakeGitHub({FINE_GRAINED: account}))
    finding = verify(server, fine_grained_slot(), token=FINE_GRAINED)
    assert codes(finding) == ["missing_scope"]
    assert "acme/scanner" in finding.problems[0].detail


def test_a_refused_read_probe_names_the_permission_the_endpoint_needs(serve):
    account = Account("alice", scopes=None, expiration=expiring_in(20), repositories={"acme/scanner": True})
    server = serve(FakeGitHub({FINE_GRAINED: account}))
    finding = verify(server, fine_grained_slot(scopes=["contents:read", "metadata:read"]), token=FINE_GRAINED)
    assert codes(finding) == ["missing_scope"]
    assert "contents=read" in finding.problems[0].detail


def test_write_permissions_are_not_observable_so_the_token_is_only_partially_verified(serve):
    account = Account(
        "alice", scopes=None, expiration=expiring_in(20), repositories={"acme/scanner": True}, readable={"contents"}
    )
    server = serve(FakeGitHub({FINE_GRAINED: account}))
    finding = verify(server, fine_grained_slot(scopes=["contents:write", "metadata:read"]), token=FINE_GRAINED)
    assert finding.status == Status.PARTIALLY_VERIFIED
    assert any("never does" in item for item in finding.facts.unobservable)


def test_a_fine_grained_verifier_sends_only_reads(serve):
    account = Account(
        "alice", scopes=None, expiration=expiring_in(20), repositories={"acme/scanner": True}, readable={"contents"}
    )
    server = serve(FakeGitHub({FINE_GRAINED: account}))
    verify(server, fine_grained_slot(scopes=["contents:write", "issues:write", "metadata:read"]), token=FINE_GRAINED)
    assert {r.method for r in server.requests} == {"GET"}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("2026-05-01 12:00:00 UTC", datetime(2026, 5, 1, 12, tzinfo=UTC)),
        ("2026-05-01 12:00:00 -0700", datetime(2026, 5, 1, 19, tzinfo=UTC)),
        ("2026-05-01 12:00:00 +02:00", datetime(2026, 5, 1, 10, tzinfo=UTC)),
        ("2026-05-01T12:00:00Z", datetime(2026, 5, 1, 12, tzinfo=UTC)),
        ("2026-05-01 12:00 UTC", datetime(2026, 5, 1, 12, tzinfo=UTC)),
    ],
)
def test_the_expiration_header_is_read_leniently(header, expected):
    assert parse_expiration(header) == expected


@pytest.mark.parametrize("header", ["tomorrow", "", "2026-13-45 99:99:99 UTC"])
def test_an_unreadable_expiration_header_is_none(header):
    assert parse_expiration(header) is None


def test_an_unreadable_expiration_header_gives_unknown(serve):
    server = serve(FakeGitHub({CANARY: Account("alice", scopes="repo", expiration="soon-ish")}))
    assert verify(server, github_slot()).status == Status.UNKNOWN


def test_the_sso_header_gives_state_and_link():
    assert parse_sso("required; url=https://github.com/orgs/acme/sso?authorization_request=X") == (
        "required",
        "https://github.com/orgs/acme/sso?authorization_request=X",
    )
    assert parse_sso("partial-results; organizations=21955855,20582480") == ("partial-results", None)


def test_the_api_root_is_api_github_com_or_the_enterprise_server_api():
    assert api_root(github_slot()) == "https://api.github.com"
    assert api_root(github_slot(base_url="https://ghe.example")) == "https://ghe.example/api/v3"


def test_a_certain_problem_decides_even_when_a_later_read_fails(serve, make_client):
    """A classic token lacking write:packages must be replaced whatever the repository read would have said."""
    fake = FakeGitHub({CANARY: Account("alice", scopes="repo", expiration=expiring_in(60))})

    def unavailable_repositories(request):
        if request.path.startswith("/repos/"):
            return Reply.json({"message": "Service Unavailable"}, 503)
        return fake(request)

    server = serve(unavailable_repositories)
    slot = github_slot(
        scopes=["repo", "write:packages"],
        prerequisites=[RepositoryPermission(repository="acme/workflows", permission="write")],
    )

    async def go():
        async with make_client() as http:
            return await verify_slot(slot, Token(CANARY), policy=Policy(), http=http, api_root=server.url, now=NOW)

    finding = asyncio.run(go())
    assert any(r.path == "/repos/acme/workflows" for r in server.requests), "the repository read was attempted"
    assert finding.status == Status.ACTION_REQUIRED
    assert "missing_scope" in codes(finding)
    assert {"api_error", "not_observable"} & set(codes(finding)), "what could not be seen is still said"


def test_a_403_in_githubs_secondary_limit_wording_is_a_rate_limit_without_any_header(serve):
    from tests.platforms.verify_helpers import codes as problem_codes
    from tests.platforms.verify_helpers import run_verify
    from tests.support.fake_time import FakeTime

    refusal = {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}
    server = serve(lambda request: Reply.json(refusal, 403))
    clock = FakeTime()
    finding = run_verify(github_slot(), CANARY, server.url, clock=clock)
    assert problem_codes(finding) == ["rate_limited"]
    assert "secondary rate limit" in (finding.reason or "")
    assert sum(clock.sleeps) >= 60  # GitHub's advice for a limit that says no wait: at least a minute
