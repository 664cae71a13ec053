"""The Azure DevOps admin inventory against a local organization answering with Microsoft's official
examples (Graph users, token administration)."""

from __future__ import annotations

import asyncio
import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from platforms.azure_devops.server import ORGANIZATION, basic, official
from platforms.inventory_helpers import everything_shown, inventory_settings, judged, run_inventory, source
from platforms.local_server import Reply, Request, Reset, load_fixture
from platforms.verify_helpers import slot_for
from scm_access.core.kinds import CredentialKind
from scm_access.declarations import AzureDevOpsAccess
from scm_access.declarations.connection import Person
from scm_access.http import HttpSettings, RetryPolicy
from scm_access.inventory.model import HolderState, SourceStatus
from scm_access.platforms.azure_devops import inventory as reader
from scm_access.platforms.registry import get_platform

ADMIN_PAT = "adminpat-canary-7c0ffee-DO-NOT-LEAK-0000000000000000"
ENV = {reader.ADMIN_TOKEN_VAR: ADMIN_PAT}
USERS = load_fixture("azure_devops/graph_users_list.json")
TOKENS = load_fixture("azure_devops/tokenadmin_personal_access_tokens.json")
OFFICIAL_USERS = USERS["responses"]["200"]["body"]["value"]
JAMAL = next(u for u in OFFICIAL_USERS if u["displayName"] == "Jamal Hartnett")
SERVICE = next(u for u in OFFICIAL_USERS if u["descriptor"].startswith("svc."))
GRAPH_USERS = f"/{ORGANIZATION}/_apis/graph/users"
TOKEN_ADMIN = f"/{ORGANIZATION}/_apis/tokenadmin/personalaccesstokens/"

# Built from the GraphUser schema (the official example has no second page and nobody deleted in Entra).
LEAVER = {
    "subjectKind": "user", "metaType": "member", "domain": "45aa3d2d-7442-473d-b4d3-3c670da9dd96",
    "principalName": "leaver@vscsi.us", "mailAddress": "leaver@vscsi.us", "origin": "aad",
    "originId": "0b7a2c6e-1111-4222-8333-944455556666", "displayName": "Left Company",
    "isDeletedInOrigin": True, "descriptor": "aad.bGVhdmVyLWRlc2NyaXB0b3I",
}
# Built from the SessionToken schema: a token for named organizations (targetAccounts), with a name.
SCOPED = {
    **TOKENS["responses"]["200"]["body"]["value"][1],
    "authorizationId": "7b7a7c65-8a52-4f90-a637-f76f1ea91510",
    "displayName": "Exalate (exalate)",
    "scope": "vso.code vso.work_write",
    "validTo": "2027-05-01T00:00:00",
    "targetAccounts": ["0efb4611-d565-4cd1-9a64-7d6cb6d7d5f0"],
}


@dataclass
class Organization:
    """Graph users in two pages (the official page, then the leaver); token administration per user."""

    pat: str = ADMIN_PAT
    tokens_of: dict[str, Reply | Reset] = field(default_factory=dict)
    users_reply: Reply | Reset | None = None

    def __call__(self, request: Request) -> Reply | Reset:
        if request.headers.get("authorization") != basic(self.pat):
            return Reply.text(401, "Unauthorized")
        if request.path == GRAPH_USERS:
            if self.users_reply is not None:
                return self.users_reply
            if request.query.get("continuationToken") == ["page-2"]:
                return Reply.json(200, {"count": 1, "value": [LEAVER]})
            first = official(USERS)
            return Reply(first.status, {**first.headers, "X-MS-ContinuationToken": "page-2"}, first.body)
        if request.path.startswith(TOKEN_ADMIN):
            descriptor = request.path[len(TOKEN_ADMIN):]
            if descriptor in self.tokens_of:
                return self.tokens_of[descriptor]
            if descriptor == JAMAL["descriptor"]:
                return official(TOKENS)
            if descriptor == LEAVER["descriptor"]:
                return Reply.json(200, {"value": [SCOPED], "continuationToken": None})
            if descriptor == SERVICE["descriptor"]:
                return Reply.json(404, {"message": "user not found"})
            return Reply.json(200, {"value": [], "continuationToken": None})
        return Reply.json(404, {"message": "not found"})


def organization_slot(base_url: str | None = None):
    holder = [Person(name="jamal", login="fabrikamfiber4@hotmail.com")]
    return slot_for(AzureDevOpsAccess(organization=ORGANIZATION, scopes=["vso.code"], holder=holder, base_url=base_url))


def read_organization(server, org: Organization | None = None, **options):
    org = org or Organization()
    ado = server(org)
    inventory = run_inventory(reader, ENV, api_root=f"{ado.url}/{ORGANIZATION}", **options)
    return ado, inventory


def token(inventory, authorization_id: str):
    [found] = [c for c in inventory.credentials if c.id == authorization_id]
    return found


# -- what is read -------------------------------------------------------------------------------------------


def test_every_token_of_the_official_example_is_found_with_its_owner(server):
    _, inventory = read_organization(server)
    jamals = [c for c in inventory.credentials if c.owner_id == JAMAL["descriptor"]]
    assert {c.id for c in jamals} == {e["authorizationId"] for e in TOKENS["responses"]["200"]["body"]["value"]}
    assert {c.owner for c in jamals} == {"fabrikamfiber4@hotmail.com"}
    assert {c.kind for c in jamals} == {CredentialKind.AZURE_DEVOPS_PAT}


def test_the_scope_string_is_split_into_catalog_scopes(server):
    _, inventory = read_organization(server)
    assert token(inventory, "c2e0abd5-85a8-40b0-a179-88e98538ec7c").scopes == frozenset(
        {"vso.dashboards", "vso.taskgroups_manage"}
    )
    assert token(inventory, "952858d3-7084-4635-964e-3c2a57645185").scopes == frozenset({"app_token"})


def test_a_token_without_target_accounts_reaches_every_organization_and_says_when_it_stops(server):
    _, inventory = read_organization(server)
    found = token(inventory, "952858d3-7084-4635-964e-3c2a57645185")
    assert found.all_organizations is True
    assert dict(found.extra)["global_token_stops_working"] == "2026-12-01"


def test_a_token_for_named_organizations_is_not_global(server):
    _, inventory = read_organization(server)
    found = token(inventory, SCOPED["authorizationId"])
    assert found.all_organizations is False and found.name == "Exalate (exalate)"
    assert found.expires_at.isoformat() == "2027-05-01T00:00:00+00:00"


def test_a_user_deleted_in_entra_is_a_departed_holder(server):
    _, inventory = read_organization(server)
    assert token(inventory, SCOPED["authorizationId"]).owner_state == HolderState.DELETED
    assert token(inventory, "952858d3-7084-4635-964e-3c2a57645185").owner_state == HolderState.ACTIVE


def test_last_use_is_said_to_be_unobservable_never_guessed(server):
    _, inventory = read_organization(server)
    assert all(reader.LAST_USE_UNOBSERVABLE in c.unobservable and not c.usage_shown for c in inventory.credentials)


def test_users_are_followed_across_continuation_pages(server):
    ado, inventory = read_organization(server)
    assert ado.count(GRAPH_USERS) == 2
    assert source(inventory, "graph_users").detail.startswith(f"{len(OFFICIAL_USERS) + 1} users (1 deleted")


def test_each_user_costs_exactly_one_token_administration_request(server):
    ado, _ = read_organization(server)
    asked = [r.path for r in ado.requests if r.path.startswith(TOKEN_ADMIN)]
    assert sorted(asked) == sorted(TOKEN_ADMIN + u["descriptor"] for u in [*OFFICIAL_USERS, LEAVER])


def test_the_first_pages_users_are_asked_for_their_tokens_before_the_next_page_of_users_is_read(server):
    ado, _ = read_organization(server)
    order = [
        "tokens" if r.path.startswith(TOKEN_ADMIN) else f"users page {r.query.get('continuationToken', ['1'])[0]}"
        for r in ado.requests
    ]
    assert order.index("tokens") < order.index("users page page-2")


def test_a_later_page_of_users_failing_fails_both_sources_and_keeps_no_token_read(server):
    def second_page_refused(request: Request) -> Reply | Reset:
        if request.path == GRAPH_USERS and request.query.get("continuationToken") == ["page-2"]:
            return Reply.json(401, {"message": "expired"})
        return Organization()(request)

    ado = server(second_page_refused)
    inventory = run_inventory(reader, ENV, api_root=f"{ado.url}/{ORGANIZATION}")
    assert source(inventory, "graph_users").status == SourceStatus.FAILED
    assert source(inventory, "token_administration").status == SourceStatus.FAILED
    assert inventory.credentials == []


def test_a_users_token_list_is_followed_across_continuation_tokens(server):
    first = Reply.json(200, {"value": TOKENS["responses"]["200"]["body"]["value"][:1], "continuationToken": "next-1"})
    rest = Reply.json(200, {"value": TOKENS["responses"]["200"]["body"]["value"][1:], "continuationToken": None})

    def paged(request: Request) -> Reply | Reset:
        if request.path == TOKEN_ADMIN + JAMAL["descriptor"]:
            return rest if request.query.get("continuationToken") == ["next-1"] else first
        return Organization()(request)

    ado = server(paged)
    inventory = run_inventory(reader, ENV, api_root=f"{ado.url}/{ORGANIZATION}")
    assert len([c for c in inventory.credentials if c.owner_id == JAMAL["descriptor"]]) == 3


def test_requests_are_gets_with_basic_auth_and_the_preview_version(server):
    ado, _ = read_organization(server)
    assert ado.methods == {"GET"}
    token_requests = [r for r in ado.requests if r.path.startswith(TOKEN_ADMIN)]
    assert all(r.query["api-version"] == ["7.1-preview.1"] and r.query["isPublic"] == ["false"] for r in token_requests)


def test_a_user_unknown_to_token_administration_is_counted_not_a_failure(server):
    _, inventory = read_organization(server)
    report = source(inventory, "token_administration")
    assert report.status == SourceStatus.READ and "1 users unknown" in report.detail


def test_declared_organizations_are_read_at_their_own_url():
    slot = organization_slot()
    ctx = type("Ctx", (), {"api_root": None, "slots": [slot]})()
    assert reader.organizations(ctx) == [(f"https://dev.azure.com/{ORGANIZATION}", ORGANIZATION)]  # type: ignore[arg-type]


# -- faults -----------------------------------------------------------------------------------------------


def test_a_caller_who_is_not_a_token_administrator_fails_the_source_after_one_request(server):
    refused = Reply.json(401, {"message": "not a token administrator"})
    org = Organization(tokens_of={u["descriptor"]: refused for u in [*OFFICIAL_USERS, LEAVER]})
    ado, inventory = read_organization(server, org)
    report = source(inventory, "token_administration")
    assert report.status == SourceStatus.FAILED and "Project Collection Administrator" in report.detail
    assert sum(1 for r in ado.requests if r.path.startswith(TOKEN_ADMIN)) == 1
    assert inventory.credentials == []


def test_one_users_list_failing_fails_the_source_rather_than_report_half(server):
    org = Organization(tokens_of={LEAVER["descriptor"]: Reset()})
    _, inventory = read_organization(server, org, settings=inventory_settings(attempts=1))
    assert source(inventory, "token_administration").status == SourceStatus.FAILED
    assert source(inventory, "graph_users").status == SourceStatus.READ
    assert inventory.credentials == []


def test_graph_refusing_fails_both_sources_with_a_reason(server):
    _, inventory = read_organization(server, Organization(users_reply=Reply.json(401, {})))
    assert source(inventory, "graph_users").status == SourceStatus.FAILED
    assert "vso.graph" in source(inventory, "graph_users").detail
    assert source(inventory, "token_administration").status == SourceStatus.FAILED


def test_every_user_unknown_fails_the_source_as_not_offered(server):
    org = Organization(tokens_of={u["descriptor"]: Reply.json(404, {}) for u in [*OFFICIAL_USERS, LEAVER]})
    _, inventory = read_organization(server, org)
    report = source(inventory, "token_administration")
    assert report.status == SourceStatus.FAILED and "Azure DevOps Server" in report.detail


def test_a_rate_limited_read_fails_the_source_saying_so(server):
    limited = official(load_fixture("azure_devops/rate_limited.json"), "429")
    org = Organization(tokens_of={JAMAL["descriptor"]: limited})
    _, inventory = read_organization(server, org, settings=inventory_settings(attempts=1))
    report = source(inventory, "token_administration")
    assert report.status == SourceStatus.FAILED and "rate limit" in report.detail


def test_an_entry_without_an_authorization_id_fails_the_source(server):
    broken = copy.deepcopy(TOKENS["responses"]["200"]["body"])
    del broken["value"][0]["authorizationId"]
    _, inventory = read_organization(server, Organization(tokens_of={JAMAL["descriptor"]: Reply.json(200, broken)}))
    assert source(inventory, "token_administration").status == SourceStatus.FAILED


def test_the_admin_pat_appears_in_no_output(server):
    echo = Reply.json(401, {"message": f"denied {ADMIN_PAT}"})
    _, failed = read_organization(server, Organization(users_reply=echo))
    _, read_fine = read_organization(server)
    assert ADMIN_PAT not in everything_shown(failed) + everything_shown(read_fine)


def test_without_the_variable_it_is_skipped_naming_it():
    [report] = run_inventory(reader, {}).sources
    assert report.status == SourceStatus.SKIPPED and reader.ADMIN_TOKEN_VAR in report.detail


def test_a_base_url_is_read_under_the_declared_organizations_name():
    ctx = type("Ctx", (), {"api_root": "https://ado.example/tfs/DefaultCollection", "slots": [organization_slot()]})()
    assert reader.organizations(ctx) == [("https://ado.example/tfs/DefaultCollection", ORGANIZATION)]  # type: ignore[arg-type]


def test_the_declared_organization_is_what_a_token_is_scoped_to(server):
    ado = server(Organization())
    inventory = run_inventory(reader, ENV, slots=[organization_slot()], api_root=f"{ado.url}/{ORGANIZATION}")
    assert {c.scope for c in inventory.credentials} == {ORGANIZATION}
    assert get_platform(organization_slot().platform).owner(organization_slot().access) == ORGANIZATION


def most_per_user_requests_at_once(server, max_concurrency: int) -> int:
    many = [{**JAMAL, "descriptor": f"aad.dXNlci0{n:04d}", "principalName": f"user{n}@vscsi.us"} for n in range(24)]
    in_flight, most = 0, 0
    lock = threading.Lock()

    def route(request: Request) -> Reply:
        nonlocal in_flight, most
        if request.path == GRAPH_USERS:
            return Reply.json(200, {"count": len(many), "value": many})
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        time.sleep(0.02)
        with lock:
            in_flight -= 1
        return Reply.json(200, {"value": [], "continuationToken": None})

    ado = server(route)
    settings = HttpSettings(timeout=5.0, max_concurrency=max_concurrency, retry=RetryPolicy(attempts=1))
    inventory = run_inventory(reader, ENV, api_root=f"{ado.url}/{ORGANIZATION}", settings=settings)
    assert source(inventory, "token_administration").status == SourceStatus.READ
    return most


def test_per_user_requests_in_flight_never_exceed_the_http_layers_bound(server):
    assert 1 < most_per_user_requests_at_once(server, 3) <= 3


def test_per_user_requests_use_every_lane_of_the_http_layer(server):
    # Only as many are asked at once as the client sends at once (thousands queued at once would make every
    # other platform's next page wait behind all of them), and all of those: the lanes are taken in turn.
    assert most_per_user_requests_at_once(server, 4) == 4


def test_both_views_stand_for_the_organizations_pats(server):
    _, inventory = read_organization(server)
    for name in ("graph_users", "token_administration"):
        report = source(inventory, name)
        assert report.kinds == (CredentialKind.AZURE_DEVOPS_PAT,) and report.scope == ORGANIZATION


def test_through_the_whole_inventory_three_tokens_of_one_holder_are_a_duplicate(server):
    ado = server(Organization())
    report = judged(ENV, [organization_slot()], f"{ado.url}/{ORGANIZATION}")
    [finding] = [f.finding for f in report.findings]
    assert "duplicate" in [p.code.value for p in finding.problems]
    assert [u.credential.owner for u in report.undeclared] == ["leaver@vscsi.us"]


# -- reading users' tokens as their pages come ----------------------------------------------------------------


def _reading() -> reader._TokenReading:
    settings = HttpSettings(max_concurrency=4)
    api = type("Api", (), {"client": type("Client", (), {"settings": settings})()})()
    return reader._TokenReading(api, ORGANIZATION)  # type: ignore[arg-type]


def _users(count: int) -> list[reader._User]:
    return [reader._User(f"aad.user{n}", f"user{n}@example.com", f"User {n}", False) for n in range(count)]


async def _pages(*pages: list[reader._User], then: BaseException | None = None, pause: float = 0.01):
    for page in pages:
        yield page
        await asyncio.sleep(pause)
    if then is not None:
        raise then


def test_an_interrupt_ends_the_users_requests_in_flight_at_once():
    reading = _reading()

    async def slow(user: reader._User) -> list:
        await asyncio.sleep(0 if user.descriptor == "aad.user0" else 30)
        return []

    reading._of = slow  # type: ignore[method-assign]

    async def go() -> float:
        # Cancelled while the next page of users is on its way and the first page's users are being read.
        task = asyncio.create_task(reading.as_listed(_pages(_users(6), _users(2), pause=30), []))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        return time.monotonic() - started

    assert asyncio.run(go()) < 1


def test_a_bug_while_reading_a_users_tokens_is_raised_as_a_bug_even_when_the_listing_fails_after_it():
    reading = _reading()

    async def broken(user: reader._User) -> list:
        if user.descriptor == "aad.user2":
            raise TypeError("a bug")
        return []

    reading._of = broken  # type: ignore[method-assign]
    listing_fails = reader._GraphFailed(reader.ApiError("expired"))

    async def go() -> None:
        await reading.as_listed(_pages(_users(4), then=listing_fails), [])

    with pytest.raises(TypeError, match="a bug"):
        asyncio.run(go())
