"""The scope algebra: closure, minimal cover and comparison, over every platform's catalog.

Property tests state the laws for all four catalogs; the examples below them read as the specification of
the implications that matter in practice.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scm_access.platforms.azure_devops.scopes import CATALOG as AZURE_DEVOPS
from scm_access.platforms.bitbucket.scopes import CATALOG as BITBUCKET
from scm_access.platforms.github.scopes import CATALOG as GITHUB
from scm_access.platforms.gitlab.scopes import CATALOG as GITLAB
from scm_access.scopes.catalog import ScopeCatalog, UnknownScopeError

CATALOGS: dict[str, ScopeCatalog] = {
    catalog.platform: catalog for catalog in (GITHUB, GITLAB, AZURE_DEVOPS, BITBUCKET)
}

EXAMPLES = settings(max_examples=150, deadline=None)


@st.composite
def catalog_and_sets(draw: st.DrawFn, count: int) -> tuple[ScopeCatalog, list[frozenset[str]]]:
    """A catalog and ``count`` small sets of its scope names.

    Sets are drawn either from the whole catalog or from the closure of a few shared seeds, so that they
    often contain, or are contained in, one another through implication.
    """
    catalog = CATALOGS[draw(st.sampled_from(sorted(CATALOGS)))]
    every_name = sorted(catalog.scopes)
    seeds = draw(st.frozensets(st.sampled_from(every_name), min_size=1, max_size=3))
    related = sorted(catalog.closure(seeds))
    names = st.one_of(st.sampled_from(related), st.sampled_from(every_name))
    return catalog, [draw(st.frozensets(names, max_size=6)) for _ in range(count)]


# -- closure --------------------------------------------------------------------------------------------


@EXAMPLES
@given(catalog_and_sets(1))
def test_closure_is_extensive(drawn: tuple[ScopeCatalog, list[frozenset[str]]]) -> None:
    catalog, (scopes,) = drawn
    assert scopes <= catalog.closure(scopes)


@EXAMPLES
@given(catalog_and_sets(1))
def test_closure_is_idempotent(drawn: tuple[ScopeCatalog, list[frozenset[str]]]) -> None:
    catalog, (scopes,) = drawn
    closed = catalog.closure(scopes)
    assert catalog.closure(closed) == closed


@EXAMPLES
@given(catalog_and_sets(2))
def test_closure_is_monotone(drawn: tuple[ScopeCatalog, list[frozenset[str]]]) -> None:
    catalog, (smaller, extra) = drawn
    assert catalog.closure(smaller) <= catalog.closure(smaller | extra)


# -- minimal cover --------------------------------------------------------------------------------------


@EXAMPLES
@given(catalog_and_sets(1))
def test_minimal_cover_keeps_the_closure(drawn: tuple[ScopeCatalog, list[frozenset[str]]]) -> None:
    catalog, (scopes,) = drawn
    cover = catalog.minimal_cover(scopes)
    assert cover <= scopes
    assert catalog.closure(cover) == catalog.closure(scopes)


@EXAMPLES
@given(catalog_and_sets(1))
def test_minimal_cover_has_no_redundant_member(drawn: tuple[ScopeCatalog, list[frozenset[str]]]) -> None:
    catalog, (scopes,) = drawn
    cover = catalog.minimal_cover(scopes)
    for member in cover:
        assert catalog.closure(cover - {member}) < catalog.closure(cover), member


# -- comparison -----------------------------------------------------------------------------------------


@EXAMPLES
@given(catalog_and_sets(2))
def test_nothing_is_missing_exactly_when_the_grant_covers_the_need(
    drawn: tuple[ScopeCatalog, list[frozenset[str]]],
) -> None:
    catalog, (granted, required) = drawn
    comparison = catalog.compare(granted, required)
    covers = catalog.closure(granted) >= catalog.closure(required)
    assert (not comparison.missing) == covers
    assert comparison.missing <= catalog.minimal_cover(required)


@EXAMPLES
@given(catalog_and_sets(2))
def test_nothing_is_excess_exactly_when_the_grant_stays_within_the_need(
    drawn: tuple[ScopeCatalog, list[frozenset[str]]],
) -> None:
    catalog, (granted, required) = drawn
    comparison = catalog.compare(granted, required)
    within = catalog.closure(granted) <= catalog.closure(required)
    assert (not comparison.excess) == within
    assert comparison.excess <= catalog.minimal_cover(granted)


@EXAMPLES
@given(catalog_and_sets(1))
def test_a_grant_equal_to_the_need_is_exact(drawn: tuple[ScopeCatalog, list[frozenset[str]]]) -> None:
    catalog, (scopes,) = drawn
    assert catalog.compare(scopes, scopes).exact
    assert catalog.compare(catalog.minimal_cover(scopes), catalog.closure(scopes)).exact


# -- GitHub ---------------------------------------------------------------------------------------------


def test_github_repo_granted_where_public_repo_is_needed_is_excess() -> None:
    comparison = GITHUB.compare(granted={"repo"}, required={"public_repo"})
    assert comparison.missing == frozenset()
    assert comparison.excess == {"repo"}


def test_github_repo_covers_its_children() -> None:
    comparison = GITHUB.compare(granted={"repo"}, required={"repo:status", "public_repo"})
    assert comparison.missing == frozenset()
    assert GITHUB.closure({"repo"}) == {
        "repo", "repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events",
    }


def test_github_repo_does_not_cover_workflow() -> None:
    assert GITHUB.compare(granted={"repo"}, required={"repo", "workflow"}).missing == {"workflow"}


def test_github_admin_org_contains_write_org_contains_read_org() -> None:
    assert GITHUB.closure({"admin:org"}) == {"admin:org", "write:org", "read:org", "manage_runners:org"}
    assert GITHUB.closure({"write:org"}) == {"write:org", "read:org"}


def test_github_minimal_cover_drops_children_as_github_stores_scopes() -> None:
    assert GITHUB.minimal_cover({"user", "gist", "user:email"}) == {"user", "gist"}


def test_github_fine_grained_write_contains_read_and_admin_contains_write() -> None:
    assert GITHUB.closure({"contents:write"}) == {"contents:write", "contents:read"}
    assert GITHUB.closure({"organization_projects:admin"}) == {
        "organization_projects:admin", "organization_projects:write", "organization_projects:read",
    }


def test_github_contents_does_not_contain_metadata() -> None:
    assert GITHUB.compare(granted={"contents:read"}, required={"metadata:read"}).missing == {"metadata:read"}


# -- GitLab ---------------------------------------------------------------------------------------------


def test_gitlab_write_registry_does_not_contain_read_registry() -> None:
    assert "read_registry" not in GITLAB.closure({"write_registry"})
    comparison = GITLAB.compare(granted={"write_registry"}, required={"read_registry"})
    assert comparison.missing == {"read_registry"}
    assert comparison.excess == {"write_registry"}


def test_gitlab_api_contains_read_api() -> None:
    assert "read_api" in GITLAB.closure({"api"})
    assert GITLAB.compare(granted={"api"}, required={"read_api"}).missing == frozenset()


def test_gitlab_write_repository_contains_read_repository() -> None:
    assert GITLAB.closure({"write_repository"}) == {"write_repository", "read_repository"}


def test_gitlab_read_api_does_not_contain_write_scopes() -> None:
    assert GITLAB.compare(granted={"read_api"}, required={"api"}).missing == {"api"}


def test_gitlab_virtual_registry_write_does_not_contain_read() -> None:
    assert "read_virtual_registry" not in GITLAB.closure({"write_virtual_registry"})


# -- Azure DevOps ---------------------------------------------------------------------------------------


def test_azure_devops_code_manage_contains_write_contains_read() -> None:
    assert {"vso.code_write", "vso.code"} <= AZURE_DEVOPS.closure({"vso.code_manage"})
    assert "vso.code" in AZURE_DEVOPS.closure({"vso.code_write"})
    assert "vso.code_manage" not in AZURE_DEVOPS.closure({"vso.code_write"})


def test_azure_devops_code_status_stands_alone() -> None:
    assert "vso.code_status" not in AZURE_DEVOPS.closure({"vso.code_full"})


def test_azure_devops_environment_manage_contains_agent_pools_manage() -> None:
    assert {"vso.agentpools_manage", "vso.agentpools"} <= AZURE_DEVOPS.closure({"vso.environment_manage"})


def test_azure_devops_full_access_contains_every_selectable_scope() -> None:
    selectable = {s.name for s in AZURE_DEVOPS.scopes.values() if s.ui_selectable}
    assert selectable <= AZURE_DEVOPS.closure({"app_token"})
    comparison = AZURE_DEVOPS.compare(granted={"app_token"}, required={"vso.code_write"})
    assert comparison.missing == frozenset()
    assert comparison.excess == {"app_token"}


# -- Bitbucket ------------------------------------------------------------------------------------------


def test_bitbucket_api_token_write_does_not_contain_read() -> None:
    comparison = BITBUCKET.compare(
        granted={"write:repository:bitbucket"}, required={"read:repository:bitbucket"}
    )
    assert comparison.missing == {"read:repository:bitbucket"}
    assert comparison.excess == {"write:repository:bitbucket"}


def test_bitbucket_api_token_admin_contains_nothing() -> None:
    assert BITBUCKET.closure({"admin:repository:bitbucket"}) == {"admin:repository:bitbucket"}


def test_bitbucket_api_token_scopes_contain_nothing() -> None:
    for scope in BITBUCKET.scopes.values():
        if scope.name.endswith(":bitbucket"):
            assert BITBUCKET.closure({scope.name}) == {scope.name}


def test_bitbucket_app_password_write_contains_read_as_atlassian_documented() -> None:
    assert BITBUCKET.closure({"pullrequest:write"}) == {
        "pullrequest:write", "pullrequest", "repository:write", "repository",
    }
    assert BITBUCKET.closure({"repository:admin"}) == {"repository:admin"}


# -- labels ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("catalog", "label", "name"),
    [
        (AZURE_DEVOPS, "Code: Read & write", "vso.code_write"),
        (AZURE_DEVOPS, "Work Items: Read & write", "vso.work_write"),
        (AZURE_DEVOPS, "Auditing: Read Audit Log", "vso.auditlog"),
        (AZURE_DEVOPS, "Full access", "app_token"),
        (GITHUB, "All repo options", "repo"),
        (GITHUB, "Full control of private repositories", "repo"),
        (GITHUB, "Contents: Read and write", "contents:write"),
        (GITLAB, "write_repository", "write_repository"),
        (BITBUCKET, "Repositories: Read", "read:repository:bitbucket"),
    ],
)
def test_label_lookup_both_ways(catalog: ScopeCatalog, label: str, name: str) -> None:
    assert catalog.resolve(label) == name
    assert catalog.resolve(name) == name
    assert label in (catalog.label(name), *catalog[name].aliases)


@pytest.mark.parametrize(
    ("catalog", "spelling", "name"),
    [
        (AZURE_DEVOPS, "code: read and write", "vso.code_write"),
        (AZURE_DEVOPS, "Code: Read & Write", "vso.code_write"),
        (AZURE_DEVOPS, "Code (read and write)", "vso.code_write"),
        (AZURE_DEVOPS, "Project and Team: Read, write & manage", "vso.project_manage"),
        (AZURE_DEVOPS, "Service Connections: Read, query & manage", "vso.serviceendpoint_manage"),
        (AZURE_DEVOPS, "  Release: Read, write & execute ", "vso.release_execute"),
        (GITHUB, "all REPO options", "repo"),
        (GITHUB, "contents: read & write", "contents:write"),
    ],
)
def test_labels_resolve_whatever_the_spelling(catalog: ScopeCatalog, spelling: str, name: str) -> None:
    assert catalog.resolve(spelling) == name


def test_unknown_scope_suggests_the_nearest_names() -> None:
    with pytest.raises(UnknownScopeError) as raised:
        GITHUB.resolve("repo:stauts")
    assert "repo:status" in raised.value.suggestions
    assert "repo:status" in str(raised.value)


def test_unknown_label_suggests_the_nearest_labels_once_each() -> None:
    with pytest.raises(UnknownScopeError) as raised:
        AZURE_DEVOPS.resolve("Services Connections: Read, query & manage")
    suggestions = raised.value.suggestions
    assert suggestions[0] == "Service Connections: Read, query, & manage"
    assert len(suggestions) == len(set(suggestions))


def test_a_scope_of_another_platform_is_unknown() -> None:
    with pytest.raises(UnknownScopeError):
        GITLAB.resolve("repo")
