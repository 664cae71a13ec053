"""The Bitbucket (Atlassian organization) admin inventory against a local server answering with Atlassian's
documented response, and what it says Bitbucket cannot show."""

from __future__ import annotations

import copy

from platforms.inventory_helpers import everything_shown, inventory_settings, run_inventory, source
from platforms.local_server import Reply, Request, Reset, load_fixture
from scm_access.core.kinds import CredentialKind
from scm_access.inventory.model import SourceStatus
from scm_access.judge import Fact
from scm_access.platforms.bitbucket import inventory as reader

ADMIN_KEY = "ATCTT3xFfGN0-canary-7c0ffee-DO-NOT-LEAK"
ORG_ID = "8a9b0c1d-2e3f-4a5b-6c7d-8e9f0a1b2c3d"
ENV = {reader.ADMIN_KEY_VAR: ADMIN_KEY, reader.ORG_ID_VAR: ORG_ID}
TOKENS_PATH = f"/orgs/{ORG_ID}/api-tokens"
DOCUMENTED = load_fixture("bitbucket/atlassian_api_tokens.json")


def documented(**body_changes) -> Reply:
    body = {**copy.deepcopy(DOCUMENTED["body"]), **body_changes}
    return Reply.json(200, body, DOCUMENTED["headers"])


def read_with(server, reply: Reply | Reset, env=ENV, **options):
    api = server(lambda request: reply if request.path == TOKENS_PATH else Reply.json(404, {}))
    return api, run_inventory(reader, env, api_root=api.url, **options)


def test_each_listed_token_is_found_with_label_owner_and_dates(server):
    _, inventory = read_with(server, documented())
    found = {c.name: c for c in inventory.credentials}
    icr = found["iCR (icr)"]
    assert icr.owner == "maria@example.com" and icr.kind == CredentialKind.BITBUCKET_API_TOKEN
    assert icr.expires_at.isoformat() == "2027-06-01T10:00:00+00:00" and icr.active is True
    assert icr.usage_shown and icr.last_used_at is not None


def test_a_token_never_active_says_never_used_rather_than_not_seen(server):
    _, inventory = read_with(server, documented())
    old = next(c for c in inventory.credentials if c.name == "old script")
    assert old.usage_shown is True and old.last_used_at is None


def test_scopes_and_the_owners_account_state_are_said_to_be_unobservable(server):
    _, inventory = read_with(server, documented())
    for found in inventory.credentials:
        assert found.scopes is None and found.owner_state is None
        assert reader.SCOPES_UNOBSERVABLE in found.unobservable and reader.HOLDER_UNOBSERVABLE in found.unobservable


def test_the_source_says_only_managed_accounts_are_listed(server):
    _, inventory = read_with(server, documented())
    report = source(inventory, "atlassian_api_tokens")
    assert report.status == SourceStatus.READ and "only managed accounts" in report.detail and report.scope == ORG_ID


def test_app_passwords_and_access_tokens_are_reported_as_not_listable(server):
    _, inventory = read_with(server, documented())
    for name in ("app_passwords", "access_tokens"):
        report = source(inventory, name)
        assert report.status == SourceStatus.SKIPPED and report.detail.startswith("not listable")


def test_the_key_goes_as_a_bearer_token_in_get_requests_only(server):
    api, _ = read_with(server, documented())
    assert api.methods == {"GET"}
    assert all(r.headers.get("authorization") == f"Bearer {ADMIN_KEY}" for r in api.requests)


def test_pages_are_followed_by_the_next_link(server):
    second = copy.deepcopy(DOCUMENTED["body"])
    second["data"] = second["data"][1:]
    first = copy.deepcopy(DOCUMENTED["body"])
    first["data"] = first["data"][:1]

    def route(request: Request) -> Reply:
        if request.query.get("cursor") == ["page-2"]:
            return Reply.json(200, second)
        first["links"]["next"] = "page-2"
        return Reply.json(200, first)

    api = server(route)
    inventory = run_inventory(reader, ENV, api_root=api.url)
    assert [c.name for c in inventory.credentials] == ["iCR (icr)", "old script"]
    assert len(api.requests) == 2


def test_a_next_link_to_another_host_is_not_followed_and_fails_the_source(server):
    _, inventory = read_with(server, documented(links={"next": "https://elsewhere.example/orgs/x/api-tokens?cursor=2"}))
    assert source(inventory, "atlassian_api_tokens").status == SourceStatus.FAILED
    assert inventory.credentials == []


def test_a_refused_key_fails_the_source_and_still_says_what_cannot_be_seen(server):
    _, inventory = read_with(server, Reply.json(401, {"message": f"Unauthorized {ADMIN_KEY}"}))
    report = source(inventory, "atlassian_api_tokens")
    assert report.status == SourceStatus.FAILED and "refused the admin API key" in report.detail
    assert source(inventory, "app_passwords").status == SourceStatus.SKIPPED
    assert ADMIN_KEY not in everything_shown(inventory)


def test_an_unreachable_api_fails_the_source_with_one_line(server):
    settings = inventory_settings(attempts=1)
    _, inventory = read_with(server, Reset(), settings=settings)
    report = source(inventory, "atlassian_api_tokens")
    assert report.status == SourceStatus.FAILED and "\n" not in report.detail


def test_an_entry_without_an_id_fails_the_source(server):
    _, inventory = read_with(server, documented(data=[{"label": "no id"}]))
    assert source(inventory, "atlassian_api_tokens").status == SourceStatus.FAILED


def test_without_both_variables_it_is_skipped_naming_the_missing_one():
    inventory = run_inventory(reader, {reader.ADMIN_KEY_VAR: ADMIN_KEY})
    report = source(inventory, "atlassian_api_tokens")
    assert report.status == SourceStatus.SKIPPED and reader.ORG_ID_VAR in report.detail
    assert reader.ADMIN_KEY_VAR not in report.detail


def test_the_managed_accounts_list_claims_no_kind_in_full_and_tokens_are_blind_to_scopes(server):
    _, inventory = read_with(server, documented())
    assert source(inventory, "atlassian_api_tokens").kinds == ()
    assert source(inventory, "app_passwords").kinds == (CredentialKind.BITBUCKET_APP_PASSWORD,)
    assert all(c.blind_to == frozenset({Fact.SCOPES}) and c.scope is None for c in inventory.credentials)
