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
from scm_access.core.kinds import CredentialKind
from scm_access.scopes.catalog import (
    CatalogError,
    Implication,
    Scope,
    ScopeCatalog,
    Source,
    UnknownScopeError,
)

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


# -- kinds and confirmation -----------------------------------------------------------------------------


@st.composite
def catalog_kind_and_sets(draw: st.DrawFn, count: int):
    catalog, sets = draw(catalog_and_sets(count))
    kinds = sorted({kind for scope in catalog.scopes.values() for kind in scope.kinds}, key=lambda k: k.value)
    return catalog, draw(st.sampled_from(kinds)), sets


@EXAMPLES
@given(catalog_kind_and_sets(1))
def test_a_kind_sees_at_least_what_every_kind_sees_and_never_more_than_the_reach(drawn) -> None:
    catalog, kind, (scopes,) = drawn
    assert catalog.closure(scopes) <= catalog.closure(scopes, kind) <= catalog.reach(scopes)


@EXAMPLES
@given(catalog_kind_and_sets(2))
def test_the_laws_hold_for_every_kind(drawn) -> None:
    catalog, kind, (granted, required) = drawn
    cover = catalog.minimal_cover(required, kind)
    assert catalog.closure(cover, kind) == catalog.closure(required, kind)
    comparison = catalog.compare(granted, required, kind)
    assert (not comparison.missing) == (catalog.closure(granted, kind) >= catalog.closure(required, kind))
    assert (not comparison.excess) == (catalog.closure(granted, kind) <= catalog.closure(required, kind))


@EXAMPLES
@given(catalog_kind_and_sets(1))
def test_a_scope_kept_only_because_its_container_is_unconfirmed_is_named(drawn) -> None:
    catalog, kind, (scopes,) = drawn
    kept = catalog.minimal_cover(scopes, kind)
    for member, container in catalog.unconfirmed_containers(kept, kind).items():
        assert {member, container} <= kept
        assert member in catalog.reach({container}) and member not in catalog.closure({container}, kind)


SOURCE = Source("https://example.test/scopes", "2026-11-30")
PERSONAL = CredentialKind.GITLAB_PAT
GROUP = CredentialKind.GITLAB_GROUP_ACCESS_TOKEN


def tiny(*implications: Implication) -> ScopeCatalog:
    kinds = frozenset({PERSONAL, GROUP})
    return ScopeCatalog.of(
        "gitlab",
        [
            Scope(name="all", label="all", kinds=kinds, implies=implications),
            Scope(name="push", label="push", kinds=kinds),
        ],
    )


def test_an_implication_for_some_kinds_folds_only_for_those_kinds() -> None:
    catalog = tiny(Implication("push", source=SOURCE, kinds=frozenset({PERSONAL})))
    assert catalog.minimal_cover({"all", "push"}, PERSONAL) == {"all"}
    assert catalog.minimal_cover({"all", "push"}, GROUP) == {"all", "push"}
    # With no kind known, only what holds for every kind counts.
    assert catalog.minimal_cover({"all", "push"}) == {"all", "push"}
    assert catalog.compare({"all"}, {"push"}, GROUP).missing == {"push"}
    assert catalog.compare({"all"}, {"push"}, PERSONAL).missing == frozenset()
    assert catalog.implied_by("push", PERSONAL) == {"all"}
    assert catalog.implied_by("push", GROUP) == frozenset()


def test_an_unconfirmed_implication_never_folds_but_counts_for_reach() -> None:
    catalog = tiny(Implication("push", unconfirmed="only a third party says so"))
    assert catalog.minimal_cover({"all", "push"}, PERSONAL) == {"all", "push"}
    assert catalog.reach({"all"}) == {"all", "push"}
    assert catalog.unconfirmed_containers({"all", "push"}, PERSONAL) == {"push": "all"}


def test_a_cycle_through_any_implication_is_refused() -> None:
    kinds = frozenset({PERSONAL})
    with pytest.raises(CatalogError, match="cycle"):
        ScopeCatalog.of(
            "gitlab",
            [
                Scope(name="a", label="a", kinds=kinds, implies=(Implication("b", unconfirmed="?"),)),
                Scope(name="b", label="b", kinds=kinds, implies=(Implication("a", source=SOURCE),)),
            ],
        )


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
        # GitHub's scope table: repo grants full access to repositories, including repository hooks.
        "admin:repo_hook", "write:repo_hook", "read:repo_hook",
    }


def test_github_repo_does_not_cover_workflow() -> None:
    assert GITHUB.compare(granted={"repo"}, required={"repo", "workflow"}).missing == {"workflow"}


def test_github_admin_org_contains_what_the_scope_table_nests_under_it() -> None:
    assert GITHUB.closure({"admin:org"}) == {"admin:org", "write:org", "read:org"}
    # Only the token form nests read:org under write:org (write:org omits team membership): unconfirmed.
    assert GITHUB.closure({"write:org"}) == {"write:org"}
    assert "read:org" in GITHUB.reach({"write:org"})
    assert GITHUB.minimal_cover({"write:org", "read:org"}) == {"write:org", "read:org"}
    assert GITHUB.unconfirmed_containers({"write:org", "read:org"}) == {"read:org": "write:org"}


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


def test_gitlab_api_includes_git_over_http_on_personal_tokens_only() -> None:
    # GitLab's scope table, footnote 1: group and project access tokens do not include this clause.
    personal = {CredentialKind.GITLAB_PAT, CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN}
    for kind in personal:
        assert {"write_repository", "read_repository", "read_registry", "write_registry"} <= GITLAB.closure(
            {"api"}, kind
        )
        assert GITLAB.minimal_cover({"api", "write_repository"}, kind) == {"api"}
    for kind in (CredentialKind.GITLAB_GROUP_ACCESS_TOKEN, CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN):
        assert "write_repository" not in GITLAB.closure({"api"}, kind)
        assert GITLAB.minimal_cover({"api", "write_repository"}, kind) == {"api", "write_repository"}
        assert GITLAB.compare({"api"}, {"write_repository"}, kind).missing == {"write_repository"}


def test_gitlab_api_containing_the_runner_and_rotation_scopes_is_unconfirmed() -> None:
    kept = GITLAB.minimal_cover({"api", "create_runner", "self_rotate"}, CredentialKind.GITLAB_PAT)
    assert kept == {"api", "create_runner", "self_rotate"}
    assert GITLAB.unconfirmed_containers(kept, CredentialKind.GITLAB_PAT) == {
        "create_runner": "api", "self_rotate": "api",
    }


def test_gitlab_virtual_registry_write_contains_read() -> None:
    # GitLab's scope tables: write_virtual_registry grants pull, push and delete.
    assert GITLAB.closure({"write_virtual_registry"}) == {"write_virtual_registry", "read_virtual_registry"}


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


def test_bitbucket_app_password_containment_is_what_atlassian_states() -> None:
    assert BITBUCKET.closure({"repository:write"}) == {"repository:write", "repository"}
    assert BITBUCKET.closure({"project"}) == {"project", "repository"}
    assert BITBUCKET.closure({"repository:admin"}) == {"repository:admin"}
    # Containments no Atlassian page was found to state are unconfirmed: kept, never folded.
    assert BITBUCKET.closure({"pullrequest:write"}) == {"pullrequest:write"}
    assert BITBUCKET.reach({"pullrequest:write"}) == {
        "pullrequest:write", "pullrequest", "repository:write", "repository",
    }


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
