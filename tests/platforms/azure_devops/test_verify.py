"""Azure DevOps PAT verification against a local organization answering with Microsoft's official examples."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from platforms.azure_devops.server import (
    CONNECTION_DATA,
    ORGANIZATION,
    PCA,
    RATE_LIMITED,
    SIGN_IN_PAGE,
    USER_ACCOUNT,
    AzureDevOpsOrganization,
    official,
)
from tests.support.fake_time import FakeTime
from platforms.local_server import NoAnswer, LocalServer, Reply, Request, Reset
from platforms.verify_helpers import ATTEMPTS, CANARY, codes, run_platform_verify, run_verify, slot_for
from scm_access.declarations import CredentialKind
from scm_access.platforms.azure_devops.access import AzureDevOpsAccess
from scm_access.declarations.access import GroupMembership, Person
from scm_access.http import MalformedResponse
from scm_access.platforms.azure_devops import verify as azure_devops
from scm_access.platforms.azure_devops.responses import (
    find_group,
    parse_connection_data,
    parse_descriptor,
    parse_groups,
)
from scm_access.platforms.azure_devops.verify import GRAPH_HOST, api_root, graph_root, service_root
from scm_access.judge import Status

PAT = "azdopat" + "q" * 40 + "WxYz"
CONNECTION_DATA_PATH = f"/{ORGANIZATION}/_apis/connectionData"
PCA_NAME = "Project Collection Administrators"


def pat_slot(
    scopes: list[str],
    *,
    login: str | None = USER_ACCOUNT,
    projects: tuple[str, ...] = ("Platform",),
    group: str | None = PCA_NAME,
):
    return slot_for(
        AzureDevOpsAccess(
            organization=ORGANIZATION,
            projects=list(projects),
            scopes=scopes,
            holder=[Person(name="jtseng", login=login)],
            prerequisites=[GroupMembership(group=group)] if group else [],
        )
    )


def org_url(server: LocalServer) -> str:
    return f"{server.url}/{ORGANIZATION}"


def verify(server: LocalServer, slot, token: str = PAT, **options):
    return run_verify(slot, token, org_url(server), **options)


# -- a token that checks out as far as a PAT can show -------------------------------------------------


def test_a_good_token_is_never_ok_because_expiry_and_excess_scopes_cannot_be_seen(server):
    ado = server(AzureDevOpsOrganization(PAT))
    finding = verify(ado, pat_slot(["vso.code", "vso.project"]))
    assert finding.status == Status.PARTIALLY_VERIFIED
    assert codes(finding) == []
    assert any(item.startswith("expiry") for item in finding.facts.unobservable)
    assert any(item.startswith("granted scopes") for item in finding.facts.unobservable)


def test_the_observed_facts_name_the_owner_the_kind_and_the_group(server):
    ado = server(AzureDevOpsOrganization(PAT))
    finding = verify(ado, pat_slot(["vso.code"]))
    assert finding.facts.owner_login == USER_ACCOUNT
    assert finding.facts.token_kind == CredentialKind.AZURE_DEVOPS_PAT
    assert finding.facts.groups == [PCA["principalName"]]
    assert finding.facts.token_last_four == "WxYz"


def test_the_pat_is_the_basic_password_with_an_empty_user_and_sign_in_redirects_suppressed(server):
    ado = server(AzureDevOpsOrganization(PAT))
    verify(ado, pat_slot(["vso.code"]))
    first = ado.requests[0]
    assert first.path == CONNECTION_DATA_PATH
    assert first.headers["authorization"] == "Basic " + base64.b64encode(f":{PAT}".encode()).decode()
    assert first.headers["x-tfs-fedauthredirect"] == "Suppress"


def test_only_reads_are_sent(server):
    ado = server(AzureDevOpsOrganization(PAT))
    verify(ado, pat_slot(["vso.code_write", "vso.work_write", "vso.project"]))
    assert ado.methods <= {"GET", "HEAD"}


def test_a_read_scope_confirmed_by_its_probe_is_not_listed_as_unobservable(server):
    ado = server(AzureDevOpsOrganization(PAT))
    finding = verify(ado, pat_slot(["vso.code"]))
    assert not any(item.startswith("vso.code ") for item in finding.facts.unobservable)
    assert ado.count(f"/{ORGANIZATION}/_apis/git/repositories") == 1


def test_a_write_level_is_reported_as_seen_only_at_read_level(server):
    ado = server(AzureDevOpsOrganization(PAT))
    finding = verify(ado, pat_slot(["vso.work_write"]))
    assert any(item.startswith("vso.work_write") and "read level was confirmed" in item
               for item in finding.facts.unobservable)


def test_a_read_still_in_preview_is_asked_again_with_the_preview_flag(server):
    ado = server(AzureDevOpsOrganization(PAT, preview_only={"/_apis/wit/fields"}))
    finding = verify(ado, pat_slot(["vso.work"]))
    versions = [r.query["api-version"][0] for r in ado.requests if r.path.endswith("/_apis/wit/fields")]
    assert versions == ["7.1", "7.1-preview"]
    assert not any(item.startswith("vso.work ") for item in finding.facts.unobservable)


def test_the_cloud_organization_url_is_the_api_root():
    assert api_root(pat_slot(["vso.code"])) == "https://dev.azure.com/fabrikam"


def server_slot(base_url: str, organization: str):
    return slot_for(
        AzureDevOpsAccess(
            base_url=base_url, organization=organization, scopes=["vso.code"], holder=[Person(name="ann")]
        )
    )


def test_on_azure_devops_server_the_api_root_is_the_collection_url():
    assert api_root(server_slot("https://tfs.example.com/tfs", "DefaultCollection")) == (
        "https://tfs.example.com/tfs/DefaultCollection"
    )


def test_a_base_url_that_already_names_the_collection_is_kept():
    assert api_root(server_slot("https://tfs.example.com/tfs/DefaultCollection/", "DefaultCollection")) == (
        "https://tfs.example.com/tfs/DefaultCollection"
    )


@pytest.mark.parametrize(
    ("organization_url", "graph"),
    [
        ("https://dev.azure.com/fabrikam", "https://vssps.dev.azure.com/fabrikam"),
        ("https://fabrikam.visualstudio.com/", "https://fabrikam.vssps.visualstudio.com"),
        ("https://tfs.example.com/tfs/DefaultCollection", "https://tfs.example.com/tfs/DefaultCollection"),
    ],
)
def test_graph_lives_on_the_vssps_host_in_the_cloud_and_on_the_collection_on_a_server(organization_url, graph):
    assert graph_root(organization_url) == graph


def test_graph_can_be_pointed_elsewhere(server):
    ado = server(AzureDevOpsOrganization(PAT))
    vssps = server(AzureDevOpsOrganization(PAT))
    finding = run_platform_verify(azure_devops.verify, pat_slot(["vso.code"]), PAT, org_url(ado),
                                  service_urls={GRAPH_HOST: org_url(vssps)})
    assert finding.facts.groups == [PCA["principalName"]]
    assert not any("/_apis/graph/" in r.path for r in ado.requests)
    assert any("/_apis/graph/" in r.path for r in vssps.requests)


# Probes whose area lives on a host of its own in the cloud: scope, service host, path.
OTHER_HOSTS = [
    ("vso.memberentitlementmanagement", "vsaex", "_apis/userentitlements"),
    ("vso.packaging", "feeds", "_apis/packaging/feeds"),
    ("vso.auditlog", "auditservice", "_apis/audit/auditlog"),
]


@pytest.mark.parametrize(
    ("organization_url", "service", "root"),
    [
        ("https://dev.azure.com/fabrikam", "vsaex", "https://vsaex.dev.azure.com/fabrikam"),
        ("https://dev.azure.com/fabrikam/", "feeds", "https://feeds.dev.azure.com/fabrikam"),
        ("https://dev.azure.com/fabrikam", "auditservice", "https://auditservice.dev.azure.com/fabrikam"),
        ("https://fabrikam.visualstudio.com/", "vsaex", "https://fabrikam.vsaex.visualstudio.com"),
        ("https://fabrikam.vssps.visualstudio.com", "vssps", "https://fabrikam.vssps.visualstudio.com"),
        ("https://tfs.example.com/tfs/DefaultCollection", "vsaex", "https://tfs.example.com/tfs/DefaultCollection"),
        ("https://tfs.example.com/tfs/DefaultCollection/", "feeds", "https://tfs.example.com/tfs/DefaultCollection"),
        ("https://dev.azure.com/fabrikam/", None, "https://dev.azure.com/fabrikam"),
    ],
)
def test_a_service_has_its_own_host_in_the_cloud_and_is_the_collection_on_a_server(organization_url, service, root):
    assert service_root(organization_url, service) == root


@pytest.mark.parametrize(("scope", "service", "path"), OTHER_HOSTS)
def test_a_probe_is_sent_to_its_service_host(server, scope, service, path):
    ado = server(AzureDevOpsOrganization(PAT))
    elsewhere = server(AzureDevOpsOrganization(PAT, reads={scope}))
    finding = run_platform_verify(azure_devops.verify, pat_slot([scope], group=None), PAT, org_url(ado),
                                  service_urls={service: org_url(elsewhere)})
    assert elsewhere.count(f"/{ORGANIZATION}/{path}") == 1
    assert not any(r.path.endswith(path) for r in ado.requests)
    assert "missing_scope" not in codes(finding)
    assert not any(item.startswith(f"{scope} ") for item in finding.facts.unobservable)


def test_the_audit_log_is_asked_for_one_entry_at_its_preview_version(server):
    ado = server(AzureDevOpsOrganization(PAT, reads={"vso.auditlog"}))
    verify(ado, pat_slot(["vso.auditlog"], group=None))
    [request] = [r for r in ado.requests if r.path.endswith("/_apis/audit/auditlog")]
    assert request.query["api-version"] == ["7.1-preview.1"]
    assert request.query["batchSize"] == ["1"]


def test_write_levels_on_other_hosts_are_checked_with_reads_only(server):
    ado = server(AzureDevOpsOrganization(PAT, reads={scope for scope, _, _ in OTHER_HOSTS}))
    finding = verify(ado, pat_slot(["vso.memberentitlementmanagement_write", "vso.packaging_manage",
                                    "vso.auditstreams_manage"], group=None))
    assert ado.methods <= {"GET", "HEAD"}
    for _, _, path in OTHER_HOSTS:
        assert ado.count(f"/{ORGANIZATION}/{path}") == 1
    assert "missing_scope" not in codes(finding)
    assert any(item.startswith("vso.packaging_manage") and "read level was confirmed" in item
               for item in finding.facts.unobservable)


# -- certain problems ------------------------------------------------------------------------------------


def test_a_refused_token_is_invalid(server):
    ado = server(AzureDevOpsOrganization("another-token-entirely"))
    finding = verify(ado, pat_slot(["vso.code"]))
    assert finding.status == Status.ACTION_REQUIRED
    assert codes(finding) == ["invalid_token"]


def test_an_expired_token_is_named_by_the_service_error_header(server):
    ado = server(AzureDevOpsOrganization(PAT, expired=True))
    finding = verify(ado, pat_slot(["vso.code"]))
    assert codes(finding) == ["expired"]


def test_a_refused_probe_means_the_scope_is_missing(server):
    ado = server(AzureDevOpsOrganization(PAT, reads={"vso.project", "vso.graph"}))
    finding = verify(ado, pat_slot(["vso.code_write", "vso.project"]))
    assert finding.status != Status.OK
    [missing] = [p for p in finding.problems if p.code == "missing_scope"]
    assert "vso.code_write" in missing.detail and "_apis/git/repositories" in missing.detail
    assert missing.remediation


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize(("scope", "service", "path"), OTHER_HOSTS)
def test_a_refused_probe_on_a_service_host_means_the_scope_is_missing(server, scope, service, path, status):
    organization = AzureDevOpsOrganization(PAT, reads={scope, "vso.graph"})

    def route(request: Request) -> Reply:
        if request.path.endswith(path):
            return Reply.text(status, "Unauthorized" if status == 401 else "Forbidden", "text/html")
        return organization(request)

    ado = server(route)
    finding = verify(ado, pat_slot([scope]))
    assert finding.status != Status.OK
    [missing] = [p for p in finding.problems if p.code == "missing_scope"]
    assert scope in missing.detail and path in missing.detail and f"{service} host" in missing.detail
    assert f"HTTP {status}" in missing.detail


def test_a_token_of_another_person_has_the_wrong_owner(server):
    ado = server(AzureDevOpsOrganization(PAT))
    finding = verify(ado, pat_slot(["vso.code"], login="someone.else@vscsi.us"))
    assert "wrong_owner" in codes(finding)


def test_an_owner_outside_the_required_group_is_not_in_it(server):
    ado = server(AzureDevOpsOrganization(PAT, member_of=set()))
    finding = verify(ado, pat_slot(["vso.code"]))
    [problem] = [p for p in finding.problems if p.code == "not_in_required_group"]
    assert PCA_NAME in problem.detail


def test_the_required_group_is_found_on_a_later_page(server):
    ado = server(AzureDevOpsOrganization(PAT, groups_per_page=2))
    finding = verify(ado, pat_slot(["vso.code"]))
    assert finding.facts.groups == [PCA["principalName"]]
    assert ado.count(f"/{ORGANIZATION}/_apis/graph/groups") > 1


def test_the_membership_check_asks_graph_about_the_connection_data_identity(server):
    ado = server(AzureDevOpsOrganization(PAT))
    verify(ado, pat_slot(["vso.code"]))
    subject = CONNECTION_DATA["responses"]["200"]["body"]["authenticatedUser"]["subjectDescriptor"]
    [check] = [r for r in ado.requests if r.method == "HEAD"]
    assert check.path == f"/{ORGANIZATION}/_apis/graph/memberships/{subject}/{PCA['descriptor']}"


# -- what stays unobservable -------------------------------------------------------------------------------


def test_without_graph_read_the_membership_is_not_observable(server):
    ado = server(AzureDevOpsOrganization(PAT, reads={"vso.code"}))
    finding = verify(ado, pat_slot(["vso.code"]))
    assert "not_in_required_group" not in codes(finding)
    assert any(item.startswith(f"membership of {PCA_NAME}") and "vso.graph" in item
               for item in finding.facts.unobservable)


def test_a_group_that_does_not_exist_is_not_observable_rather_than_missing(server):
    ado = server(AzureDevOpsOrganization(PAT))
    finding = verify(ado, pat_slot(["vso.code"], group="Release Managers"))
    assert "not_in_required_group" not in codes(finding)
    assert any("no group has that name" in item for item in finding.facts.unobservable)


def test_a_project_family_without_a_declared_project_is_not_observable(server):
    ado = server(AzureDevOpsOrganization(PAT))
    finding = verify(ado, pat_slot(["vso.build"], projects=()))
    assert any(item.startswith("vso.build ") and "no project is declared" in item
               for item in finding.facts.unobservable)


def test_an_unknown_project_is_not_read_as_a_missing_scope(server):
    ado = server(AzureDevOpsOrganization(PAT, reads={"vso.build", "vso.graph"}, projects=set()))
    finding = verify(ado, pat_slot(["vso.build"]))
    assert "missing_scope" not in codes(finding)
    assert any("not found" in item for item in finding.facts.unobservable)


def test_a_scope_without_a_read_probe_is_not_observable(server):
    ado = server(AzureDevOpsOrganization(PAT))
    finding = verify(ado, pat_slot(["vso.code_status"]))
    assert any(item.startswith("vso.code_status") for item in finding.facts.unobservable)


def test_an_anonymous_identity_gives_unknown(server):
    anonymous = {**CONNECTION_DATA["responses"]["200"]["body"],
                 "authenticatedUser": {"id": "00000000-0000-0000-0000-000000000000", "providerDisplayName": "Anonymous"}}
    ado = server(lambda request: Reply.json(200, anonymous))
    finding = verify(ado, pat_slot(["vso.code"]))
    assert finding.status == Status.UNKNOWN
    assert "anonymous" in (finding.reason or "")


# -- faults: each gives unknown with a reason, retries stay bounded ----------------------------------------


def test_the_203_sign_in_page_is_never_success(server):
    ado = server(lambda request: Reply.text(203, SIGN_IN_PAGE, "text/html; charset=utf-8"))
    finding = verify(ado, pat_slot(["vso.code"]))
    assert finding.status == Status.UNKNOWN
    assert "sign-in page" in (finding.reason or "")
    assert "invalid_token" not in codes(finding)


def test_an_html_page_with_200_is_never_success(server):
    ado = server(lambda request: Reply.text(200, SIGN_IN_PAGE, "text/html"))
    finding = verify(ado, pat_slot(["vso.code"]))
    assert finding.status == Status.UNKNOWN


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_gives_unknown_after_bounded_retries(server, status):
    ado = server(lambda request: Reply.text(status, "trouble"))
    finding = verify(ado, pat_slot(["vso.code"]))
    assert finding.status == Status.UNKNOWN
    assert codes(finding) == ["api_error"]
    assert str(status) in (finding.reason or "")
    assert ado.count(CONNECTION_DATA_PATH) == ATTEMPTS


def test_a_rate_limit_with_retry_after_is_honoured_then_gives_unknown(server):
    ado = server(lambda request: official(RATE_LIMITED, "429"))
    clock = FakeTime()
    finding = verify(ado, pat_slot(["vso.code"]), clock=clock)
    assert codes(finding) == ["rate_limited"]
    assert ado.count(CONNECTION_DATA_PATH) == ATTEMPTS
    assert sum(clock.sleeps) >= (ATTEMPTS - 1) * 1.0


def test_a_rate_limit_on_a_probe_gives_unknown_and_keeps_what_was_seen(server):
    organization = AzureDevOpsOrganization(PAT)

    def route(request: Request) -> Reply:
        if request.path.endswith("/_apis/git/repositories"):
            return official(RATE_LIMITED, "429")
        return organization(request)

    ado = server(route)
    finding = verify(ado, pat_slot(["vso.code"]))
    assert finding.status == Status.UNKNOWN
    assert "rate_limited" in codes(finding)
    assert finding.facts.owner_login == USER_ACCOUNT


def test_a_timeout_gives_unknown(server):
    ado = server(lambda request: NoAnswer())
    finding = verify(ado, pat_slot(["vso.code"]), timeout=0.05)
    assert finding.status == Status.UNKNOWN
    assert "no answer within" in (finding.reason or "")


def test_a_reset_connection_gives_unknown(server):
    ado = server(lambda request: Reset())
    finding = verify(ado, pat_slot(["vso.code"]))
    assert finding.status == Status.UNKNOWN
    assert len(ado.requests) == ATTEMPTS


def test_malformed_json_gives_unknown(server):
    ado = server(lambda request: Reply.text(200, '{"authenticatedUser": {', "application/json"))
    finding = verify(ado, pat_slot(["vso.code"]))
    assert finding.status == Status.UNKNOWN
    assert "not valid JSON" in (finding.reason or "")


def test_connection_data_without_an_identity_gives_unknown(server):
    ado = server(lambda request: Reply.json(200, {"instanceId": "8cb9df66-e487-4ad9-9852-28da9bf255b2"}))
    finding = verify(ado, pat_slot(["vso.code"]))
    assert finding.status == Status.UNKNOWN
    assert "authenticatedUser" in (finding.reason or "")


# -- the token never leaks ------------------------------------------------------------------------------------

CANARY_ROUTES: dict[str, Callable[[Request], Reply]] = {
    "checked": AzureDevOpsOrganization(CANARY),
    "refused": AzureDevOpsOrganization("not-the-canary"),
    "sign_in": lambda request: Reply.text(203, SIGN_IN_PAGE, "text/html"),
    "server_error": lambda request: Reply.text(503, "down"),
    "rate_limited": lambda request: official(RATE_LIMITED, "429"),
    "reset": lambda request: Reset(),
    "malformed": lambda request: Reply.text(200, "{", "application/json"),
    "echo": lambda request: Reply.json(500, {"message": request.headers.get("authorization", "")}),
}


@pytest.mark.parametrize("scenario", sorted(CANARY_ROUTES))
def test_the_token_appears_in_no_finding_and_no_log(server, caplog, scenario):
    caplog.set_level(logging.DEBUG)
    ado = server(CANARY_ROUTES[scenario])
    finding = verify(ado, pat_slot(["vso.code", "vso.work_write"]), token=CANARY)
    encoded = base64.b64encode(f":{CANARY}".encode()).decode()
    for text in (finding.model_dump_json(), repr(finding), caplog.text):
        assert CANARY not in text
        assert encoded not in text


# -- the readers take any JSON without crashing ------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=20,
)
IDENTITY_LIKE = st.fixed_dictionaries(
    {}, optional={"id": JSON, "subjectDescriptor": JSON, "providerDisplayName": JSON, "properties": JSON}
)


@settings(max_examples=300, deadline=None)
@given(JSON | st.fixed_dictionaries({"authenticatedUser": IDENTITY_LIKE}) | st.fixed_dictionaries({"value": JSON}))
def test_any_json_is_read_as_documented_or_refused_as_malformed(data):
    for parse in (parse_connection_data, parse_descriptor, parse_groups):
        try:
            parse(data)
        except MalformedResponse:
            pass
    try:
        find_group(parse_groups(data), PCA_NAME, ORGANIZATION)
    except MalformedResponse:
        pass
