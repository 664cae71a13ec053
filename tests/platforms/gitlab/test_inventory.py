"""The GitLab admin inventory against a local server answering with GitLab's documented responses."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from platforms.inventory_helpers import everything_shown, inventory_settings, judged, run_inventory, source, statuses
from platforms.local_server import Reply, Request, Reset
from platforms.verify_helpers import NOW, slot_for
from scm_access.core.kinds import CredentialKind
from scm_access.declarations import GitLabAccess
from scm_access.declarations.access import ServiceIdentity
from scm_access.declarations.connection import Person
from scm_access.inventory.model import HolderState, SourceStatus
from scm_access.judge import Fact, ProblemCode, Status
from scm_access.platforms.gitlab import inventory as reader
from scm_access.platforms.registry import get_platform
from scm_access.declarations import Policy
from scm_access.http import ApiClient
from scm_access.inventory.judging import judge_not_found
from scm_access.inventory.reader import InventoryContext
from scm_access.platforms.gitlab.inventory import Instance, is_gitlab_com, read_instance
from scm_access.verify.token import Token
from tests.support.fake_time import FakeTime

ADMIN_TOKEN = "glpat-admin-canary-7c0ffee-DO-NOT-LEAK"
ENV = {reader.ADMIN_TOKEN_VAR: ADMIN_TOKEN}
API = "/api/v4"
GROUP = "acme/platform"
PROJECT = "acme/platform/api"


def recorded(name: str) -> Reply:
    return Reply.recorded(f"gitlab/inventory/{name}.json")


ROUTES = {
    "/user": "admin_user",
    "/users": "users",
    "/personal_access_tokens": "personal_access_tokens",
    "/groups/acme%2Fplatform/access_tokens": "group_access_tokens",
    "/groups/acme%2Fplatform/deploy_tokens": "group_deploy_tokens",
    "/projects/acme%2Fplatform%2Fapi/access_tokens": "project_access_tokens",
    "/projects/acme%2Fplatform%2Fapi/deploy_tokens": "deploy_tokens",
    "/groups/acme/service_accounts": "service_accounts",
    "/groups/acme/service_accounts/57/personal_access_tokens": "service_account_tokens",
    "/groups/acme/manage/personal_access_tokens": "manage_personal_access_tokens",
    "/groups/acme/manage/resource_access_tokens": "manage_resource_access_tokens",
    "/groups/acme/enterprise_users": "enterprise_users",
}


def gitlab(**overrides: Reply | Reset) -> Callable[[Request], Reply | Reset]:
    """A GitLab instance answering each view from the documented responses; ``overrides`` by path."""

    def route(request: Request) -> Reply | Reset:
        path = request.path.removeprefix(API)
        if path in overrides:
            return overrides[path]
        return recorded(ROUTES.get(path, "not_found"))

    return route


def declared_slot(base_url: str | None, **access: object):
    holder = [Person(name="john", login="john_smith")]
    return slot_for(GitLabAccess(scopes=["read_api"], holder=holder, base_url=base_url, **access))


def self_managed(server, **overrides):
    gl = server(gitlab(**overrides))
    slot = declared_slot(gl.url, group=GROUP, projects=[PROJECT])
    return gl, run_inventory(reader, ENV, slots=[slot])


def by_id(inventory, source_name: str, credential_id: str):
    [found] = [c for c in inventory.credentials if c.source == source_name and c.id == credential_id]
    return found


# -- telling the instance apart ---------------------------------------------------------------------------


def test_gitlab_com_is_the_instance_at_gitlab_com_and_no_other():
    assert is_gitlab_com("https://gitlab.com")
    assert not is_gitlab_com("https://gitlab.example.com")
    assert not is_gitlab_com("https://gitlab.com.example.net")


def test_a_slot_without_base_url_is_read_on_gitlab_com():
    [instance] = reader.instances(_ctx([declared_slot(None, group=GROUP)]))
    assert instance.is_gitlab_com and instance.groups == {GROUP}


def test_base_url_overrides_every_slots_own_root():
    slots = [declared_slot("https://gitlab.one.example", group="one"), declared_slot(None, group="two")]
    [instance] = reader.instances(_ctx(slots, api_root="https://gitlab.local.example"))
    assert instance.web_root == "https://gitlab.local.example" and instance.groups == {"one", "two"}


def _ctx(slots, api_root=None):
    return InventoryContext(slots=slots, http=None, environ={}, policy=Policy(), now=NOW, api_root=api_root)  # type: ignore[arg-type]


# -- self-managed, as an administrator ---------------------------------------------------------------------


def test_an_administrator_reads_every_token_of_the_instance_with_its_owner(server):
    _, inventory = self_managed(server)
    found = by_id(inventory, "personal_access_tokens", "4")
    assert found.owner == "john_smith" and found.kind == CredentialKind.GITLAB_PAT
    assert found.scopes == frozenset({"api"}) and found.never_expires is True
    assert found.usage_shown and found.last_used_at is not None


def test_a_blocked_owner_is_a_blocked_holder(server):
    _, inventory = self_managed(server)
    assert by_id(inventory, "personal_access_tokens", "5").owner_state == HolderState.BLOCKED


def test_a_deactivated_owner_is_a_blocked_holder(server):
    _, inventory = self_managed(server)
    assert by_id(inventory, "personal_access_tokens", "6").owner_state == HolderState.BLOCKED


def test_an_inactive_token_that_is_not_revoked_is_expired(server):
    _, inventory = self_managed(server)
    found = by_id(inventory, "personal_access_tokens", "6")
    assert found.expired is True and found.active is False and found.revoked is False


def test_expiry_is_midnight_utc_of_the_expiry_date(server):
    _, inventory = self_managed(server)
    assert by_id(inventory, "personal_access_tokens", "5").expires_at.isoformat() == "2027-01-15T00:00:00+00:00"


def test_a_group_token_listed_twice_is_kept_once_with_its_group_and_role(server):
    _, inventory = self_managed(server)
    [found] = [c for c in inventory.credentials if c.id == "42" and c.kind != CredentialKind.GITLAB_DEPLOY_TOKEN]
    assert found.source == "group_access_tokens" and found.owner == GROUP
    assert found.kind == CredentialKind.GITLAB_GROUP_ACCESS_TOKEN and found.access_level == "maintainer"


def test_a_project_token_carries_its_role(server):
    _, inventory = self_managed(server)
    found = by_id(inventory, "project_access_tokens", "58")
    assert found.owner == PROJECT and found.access_level == "developer"
    assert found.scopes == frozenset({"api", "read_repository"})


def test_deploy_tokens_show_scopes_and_say_their_use_is_not_recorded(server):
    _, inventory = self_managed(server)
    found = by_id(inventory, "project_deploy_tokens", "1")
    assert found.kind == CredentialKind.GITLAB_DEPLOY_TOKEN and found.scopes == frozenset({"read_repository", "read_registry"})
    assert found.usage_shown is False and reader.DEPLOY_TOKEN_USAGE in found.unobservable
    assert dict(found.extra)["username"] == "gitlab+deploy-token-1"


def test_service_account_tokens_are_read_from_the_top_level_group(server):
    _, inventory = self_managed(server)
    found = by_id(inventory, "service_account_tokens", "61")
    assert found.kind == CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN
    assert found.owner.startswith("service_account_group_345_") and found.scope == "acme"


def test_every_view_read_is_reported_read(server):
    _, inventory = self_managed(server)
    assert set(statuses(inventory).values()) == {SourceStatus.READ}
    assert source(inventory, "users").detail.startswith("4 users")


def test_only_get_requests_carry_the_admin_token_in_its_header(server):
    gl, _ = self_managed(server)
    assert gl.methods == {"GET"}
    assert all(r.headers.get("private-token") == ADMIN_TOKEN for r in gl.requests)


def test_the_token_list_is_followed_through_every_page(server):
    pages = {
        None: Reply.json(200, [{"id": 1, "name": "a", "scopes": ["api"], "user_id": 3, "active": True, "revoked": False}],
                         {"X-Next-Page": "2"}),
        "2": Reply.json(200, [{"id": 2, "name": "b", "scopes": ["api"], "user_id": 3, "active": True, "revoked": False}],
                        {"X-Next-Page": ""}),
    }

    def route(request: Request) -> Reply | Reset:
        if request.path == f"{API}/personal_access_tokens":
            return pages[request.query.get("page", [None])[0]]
        return gitlab()(request)

    gl = server(route)
    inventory = run_inventory(reader, ENV, api_root=gl.url)
    assert sorted(c.id for c in inventory.credentials) == ["1", "2"]
    assert all(r.query.get("per_page") == ["100"] for r in gl.requests if r.path.endswith("/personal_access_tokens"))


def token_page(number: int, headers: dict[str, str]) -> Reply:
    entry = {"id": number, "name": f"t{number}", "scopes": ["api"], "user_id": 3, "active": True, "revoked": False}
    return Reply.json(200, [entry], headers)


def test_the_token_pages_counted_on_the_first_are_asked_for_together(server):
    # Pages 2 and 3 each wait, in the server, for the other to arrive: read one after the other they never would.
    both_asked = threading.Barrier(2, timeout=5)

    def route(request: Request) -> Reply | Reset:
        if request.path != f"{API}/personal_access_tokens":
            return gitlab()(request)
        number = int(request.query.get("page", ["1"])[0])
        if number > 1:
            both_asked.wait()
        return token_page(number, {"X-Page": str(number), "X-Total-Pages": "3", "X-Next-Page": "" if number == 3 else str(number + 1)})

    gl = server(route)
    inventory = run_inventory(reader, ENV, api_root=gl.url)
    assert [c.id for c in inventory.credentials if c.source == "personal_access_tokens"] == ["1", "2", "3"]
    assert gl.count(f"{API}/personal_access_tokens") == 3


def test_past_ten_thousand_tokens_without_a_count_the_pages_are_followed_by_their_links(server):
    # GitLab leaves X-Total and X-Total-Pages out past 10,000 entries; keyset pages name the next one in Link.
    def route(request: Request) -> Reply | Reset:
        if request.path != f"{API}/personal_access_tokens":
            return gitlab()(request)
        number = int(request.query.get("page", ["1"])[0])
        link = {} if number == 3 else {"Link": f'<{gl.url}{API}/personal_access_tokens?per_page=100&page={number + 1}>; rel="next"'}
        return token_page(number, link)

    gl = server(route)
    inventory = run_inventory(reader, ENV, api_root=gl.url)
    assert [c.id for c in inventory.credentials if c.source == "personal_access_tokens"] == ["1", "2", "3"]


def test_a_token_whose_owner_is_not_listed_has_no_kind_and_says_why(server):
    _, inventory = self_managed(server, **{"/users": Reply.json(200, [])})
    found = by_id(inventory, "personal_access_tokens", "4")
    assert found.owner is None and found.kind is None
    assert any(note.startswith("owner:") for note in found.unobservable)


# -- self-managed, not as an administrator ----------------------------------------------------------------


def test_a_token_of_someone_not_an_administrator_skips_the_instance_list_saying_why(server):
    gl, inventory = self_managed(server, **{"/user": recorded("user_not_admin")})
    report = source(inventory, "personal_access_tokens")
    assert report.status == SourceStatus.SKIPPED and "not an administrator" in report.detail
    assert gl.count(f"{API}/personal_access_tokens") == 0
    assert source(inventory, "group_access_tokens").status == SourceStatus.READ


# -- GitLab.com --------------------------------------------------------------------------------------------


def read_as_gitlab_com(server, **overrides):
    """The GitLab.com views, served locally."""
    gl = server(gitlab(**overrides))
    clock = FakeTime()

    async def go():
        async with ApiClient(inventory_settings(), sleep=clock.sleep, clock=clock.clock) as http:
            instance = Instance(gl.url, groups={GROUP}, projects={PROJECT}, is_gitlab_com=True)
            return await read_instance(http, instance, Token(ADMIN_TOKEN))

    return gl, asyncio.run(go())


def test_on_gitlab_com_the_instance_list_is_skipped_and_never_asked(server):
    gl, inventory = read_as_gitlab_com(server)
    assert source(inventory, "personal_access_tokens").status == SourceStatus.SKIPPED
    assert gl.count(f"{API}/personal_access_tokens") == 0 and gl.count(f"{API}/user") == 0


def test_on_gitlab_com_the_credentials_inventory_names_enterprise_owners_and_their_state(server):
    _, inventory = read_as_gitlab_com(server)
    found = by_id(inventory, "credentials_inventory_personal_access_tokens", "12767704")
    assert found.owner == "enterprise_jane" and found.owner_state == HolderState.BLOCKED
    report = source(inventory, "credentials_inventory_personal_access_tokens")
    assert "who are not its enterprise users are not listed" in report.detail


def test_on_gitlab_com_resource_tokens_of_the_hierarchy_carry_their_resource_and_role(server):
    _, inventory = read_as_gitlab_com(server)
    found = by_id(inventory, "credentials_inventory_resource_access_tokens", "12767703")
    assert found.kind == CredentialKind.GITLAB_GROUP_ACCESS_TOKEN and found.access_level == "guest"
    assert dict(found.extra)["resource"] == "group 77449520"


def test_a_tier_without_the_credentials_inventory_is_skipped_saying_why(server):
    _, inventory = read_as_gitlab_com(server, **{
        "/groups/acme/manage/personal_access_tokens": recorded("forbidden"),
        "/groups/acme/manage/resource_access_tokens": recorded("not_found"),
    })
    for name in ("credentials_inventory_personal_access_tokens", "credentials_inventory_resource_access_tokens"):
        report = source(inventory, name)
        assert report.status == SourceStatus.SKIPPED and "Premium or Ultimate" in report.detail
    assert source(inventory, "group_access_tokens").status == SourceStatus.READ


# -- faults --------------------------------------------------------------------------------------------------


def test_a_view_that_fails_alone_leaves_the_others_intact(server):
    _, inventory = self_managed(server, **{"/groups/acme%2Fplatform/deploy_tokens": Reset()})
    assert source(inventory, "group_deploy_tokens").status == SourceStatus.FAILED
    assert source(inventory, "project_deploy_tokens").status == SourceStatus.READ
    assert by_id(inventory, "personal_access_tokens", "4").owner == "john_smith"


def test_a_refused_admin_token_fails_each_view_with_one_line(server):
    refused = Reply.json(401, {"message": "401 Unauthorized"})
    gl = server(lambda request: refused)
    inventory = run_inventory(reader, ENV, slots=[declared_slot(gl.url, group=GROUP)])
    assert {s.status for s in inventory.sources} == {SourceStatus.FAILED}
    assert all("refused the admin token" in s.detail and "\n" not in s.detail for s in inventory.sources)


def test_a_rate_limited_view_fails_and_says_so(server):
    _, inventory = self_managed(server, **{"/personal_access_tokens": Reply.recorded("gitlab/rate_limited.json")})
    report = source(inventory, "personal_access_tokens")
    assert report.status == SourceStatus.FAILED and "rate limit" in report.detail


def test_a_page_that_is_not_the_documented_shape_fails_the_view(server):
    _, inventory = self_managed(server, **{"/groups/acme%2Fplatform/access_tokens": Reply.json(200, {"tokens": []})})
    assert source(inventory, "group_access_tokens").status == SourceStatus.FAILED


def test_the_admin_token_appears_in_no_output_even_when_the_server_echoes_it(server):
    echo = Reply.json(401, {"message": f"401 Unauthorized {ADMIN_TOKEN}"})
    _, inventory = self_managed(server, **{"/groups/acme%2Fplatform/access_tokens": echo})
    _, read_fine = self_managed(server)
    assert ADMIN_TOKEN not in everything_shown(inventory) + everything_shown(read_fine)


def test_without_the_variable_nothing_is_asked_and_the_line_names_it():
    inventory = run_inventory(reader, {})
    [report] = inventory.sources
    assert report.status == SourceStatus.SKIPPED and reader.ADMIN_TOKEN_VAR in report.detail
    assert reader.configured({}) is not None and reader.configured(ENV) is None


def test_a_declarations_owner_is_its_group_else_its_one_project():
    gitlab_spec = get_platform(declared_slot(None, group=GROUP).platform)
    assert gitlab_spec.owner(declared_slot(None, group=GROUP, projects=[PROJECT]).access) == GROUP
    assert gitlab_spec.owner(declared_slot(None, projects=[PROJECT]).access) == PROJECT
    assert gitlab_spec.owner(declared_slot(None, projects=[PROJECT, "acme/other"]).access) is None


def test_the_instance_list_and_its_users_stand_for_every_access_token_kind(server):
    _, inventory = self_managed(server)
    assert set(source(inventory, "personal_access_tokens").kinds) == set(reader.ACCESS_TOKEN_KINDS)
    assert set(source(inventory, "users").kinds) == set(reader.ACCESS_TOKEN_KINDS)
    assert source(inventory, "group_access_tokens", GROUP).kinds == (CredentialKind.GITLAB_GROUP_ACCESS_TOKEN,)


def test_the_enterprise_only_credentials_inventory_claims_no_kind_in_full(server):
    _, inventory = read_as_gitlab_com(server)
    assert source(inventory, "credentials_inventory_personal_access_tokens").kinds == ()
    assert CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN in source(inventory, "credentials_inventory_resource_access_tokens").kinds


def test_a_fine_grained_token_is_blind_to_scopes_by_nature(server):
    granular = Reply.json(200, [{"id": 9, "name": "fg", "user_id": 3, "granular": True, "active": True,
                                 "revoked": False, "scopes": [], "expires_at": "2027-01-01"}])
    _, inventory = self_managed(server, **{"/personal_access_tokens": granular})
    found = by_id(inventory, "personal_access_tokens", "9")
    assert found.scopes is None and found.kind == CredentialKind.GITLAB_PAT
    assert found.blind_to == frozenset({Fact.SCOPES}) and found.kind_label == reader.FINE_GRAINED_LABEL


def test_through_the_whole_inventory_the_holders_token_is_found_and_judged(server):
    gl = server(gitlab())
    report = judged(ENV, [declared_slot(gl.url, group=GROUP)], gl.url)
    [finding] = [f.finding for f in report.findings]
    # The documented token of john_smith: api (more than read_api), no expiry, last used in 2021.
    assert {p.code.value for p in finding.problems} == {"excess_scope", "no_expiry", "stale"}


# -- where a declared token lives -------------------------------------------------------------------------

def project_token_slot(base_url: str, **access: object):
    return slot_for(GitLabAccess(
        scopes=["api"], holder=ServiceIdentity(service="api-bot"), projects=[PROJECT],
        kind=CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN, base_url=base_url, **access,
    ))


def test_a_project_token_slot_declaring_its_group_too_depends_on_its_projects_view(server):
    # The token lives in the project: its view refused leaves the slot without a verdict, whatever the
    # group's views (read fine) say.
    gl = server(gitlab(**{"/projects/acme%2Fplatform%2Fapi/access_tokens": recorded("forbidden")}))
    [finding] = judged(ENV, [project_token_slot(gl.url, group=GROUP)], gl.url).findings
    assert finding.finding.status == Status.UNKNOWN
    assert "project_access_tokens" in finding.finding.problems[0].detail


def test_a_project_token_slot_declaring_its_group_too_is_missing_when_its_project_lists_none(server):
    gl = server(gitlab(**{"/projects/acme%2Fplatform%2Fapi/access_tokens": Reply.json(200, [])}))
    [finding] = judged(ENV, [project_token_slot(gl.url, group=GROUP)], gl.url).findings
    assert [p.code for p in finding.finding.problems] == [ProblemCode.MISSING]
    assert "project_access_tokens of acme/platform/api" in finding.finding.problems[0].detail


def test_a_subgroup_declared_by_numeric_id_has_its_service_accounts_read_in_its_top_level_group(server):
    subgroup = Reply.json(200, {"id": 77, "full_path": "acme/platform", "parent_id": 5})
    gl = server(gitlab(**{"/groups/77": subgroup}))
    run_inventory(reader, ENV, slots=[declared_slot(gl.url, group=77)])
    asked = {r.path.removeprefix(API) for r in gl.requests}
    assert {"/groups/77/access_tokens", "/groups/acme/service_accounts"} <= asked
    assert "/groups/77/service_accounts" not in asked


def test_a_top_level_group_declared_by_numeric_id_is_read_by_its_id(server):
    top = Reply.json(200, {"id": 5, "full_path": "acme", "parent_id": None})
    gl = server(gitlab(**{"/groups/5": top}))
    run_inventory(reader, ENV, slots=[declared_slot(gl.url, group=5)])
    asked = {r.path.removeprefix(API) for r in gl.requests}
    assert {"/groups/5/access_tokens", "/groups/5/service_accounts"} <= asked



def service_account_slot(group: object):
    return slot_for(GitLabAccess(
        scopes=["read_api"], holder=ServiceIdentity(service="sync-bot"), group=group,
        kind=CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN,
    ))


def sources_on_gitlab_com(server, group: str, **overrides):
    """What GitLab.com's views said for a declared group: no instance-wide list there, so only the group's
    own views and its top-level group's can say a service account's token is absent."""
    gl = server(gitlab(**overrides))
    clock = FakeTime()

    async def go():
        async with ApiClient(inventory_settings(), sleep=clock.sleep, clock=clock.clock) as http:
            instance = Instance(gl.url, groups={group}, is_gitlab_com=True)
            return await read_instance(http, instance, Token(ADMIN_TOKEN))

    return asyncio.run(go()).sources


def test_a_service_account_slot_on_a_subgroup_declared_by_numeric_id_is_missing_when_its_top_level_lists_none(server):
    subgroup = Reply.json(200, {"id": 77, "full_path": "acme/platform", "parent_id": 5})
    sources = sources_on_gitlab_com(
        server, "77", **{"/groups/77": subgroup, "/groups/acme/service_accounts": Reply.json(200, [])}
    )
    finding = judge_not_found(service_account_slot(77), sources)
    assert [p.code for p in finding.problems] == [ProblemCode.MISSING]
    assert "service_account_tokens of 77" in finding.problems[0].detail


def test_a_service_account_slot_on_a_group_whose_top_level_is_unknown_has_no_verdict(server):
    sources = sources_on_gitlab_com(server, "77", **{"/groups/77": recorded("forbidden")})
    finding = judge_not_found(service_account_slot(77), sources)
    assert finding.status == Status.UNKNOWN
