"""Each platform's scope catalog: what it lists, and that its labels, kinds and flags are consistent."""

from __future__ import annotations

import pytest

from scm_access.core.discovery import platform_folders
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.platforms.azure_devops.scopes import CATALOG as AZURE_DEVOPS
from scm_access.platforms.bitbucket.scopes import CATALOG as BITBUCKET
from scm_access.platforms.github.scopes import CATALOG as GITHUB
from scm_access.platforms.gitlab.scopes import CATALOG as GITLAB
from scm_access.platforms.azure_devops import scope_data as azure_devops_published
from scm_access.platforms.github import permissions_data as github_published
from scm_access.platforms.registry import all_platforms
from scm_access.scopes.catalog import ScopeCatalog, normalize_label

ALL = [spec.catalog for spec in all_platforms()]
"""Every discovered platform's catalog: a new platform folder joins the laws below without a test edit."""
by_platform = pytest.mark.parametrize("catalog", ALL, ids=lambda c: c.platform)

# Every scope of Microsoft's Azure DevOps REST API 7.1 specifications (their oauth2 security definitions).
AZURE_DEVOPS_SPEC_SCOPES = frozenset(
    {
        "vso.agentpools", "vso.agentpools_manage", "vso.auditlog", "vso.auditstreams_manage",
        "vso.build", "vso.build_execute", "vso.code", "vso.code_manage", "vso.code_status",
        "vso.code_write", "vso.dashboards", "vso.dashboards_manage", "vso.environment_manage",
        "vso.extension", "vso.extension.data", "vso.extension.data_write", "vso.extension_manage",
        "vso.graph", "vso.graph_manage", "vso.identity", "vso.identity_manage", "vso.machinegroup_manage",
        "vso.memberentitlementmanagement", "vso.memberentitlementmanagement_write", "vso.notification",
        "vso.notification_diagnostics", "vso.notification_manage", "vso.notification_write",
        "vso.packaging", "vso.packaging_manage", "vso.packaging_write", "vso.pipelineresources_manage",
        "vso.pipelineresources_use", "vso.profile", "vso.profile_write", "vso.project",
        "vso.project_manage", "vso.project_write", "vso.release", "vso.release_execute",
        "vso.release_manage", "vso.securefiles_manage", "vso.securefiles_read", "vso.securefiles_write",
        "vso.security_manage", "vso.serviceendpoint", "vso.serviceendpoint_manage",
        "vso.serviceendpoint_query", "vso.symbols", "vso.symbols_manage", "vso.symbols_write",
        "vso.taskgroups_manage", "vso.taskgroups_read", "vso.taskgroups_write", "vso.test",
        "vso.test_write", "vso.threads_full", "vso.tokenadministration", "vso.variablegroups_manage",
        "vso.variablegroups_read", "vso.wiki", "vso.wiki_write", "vso.work", "vso.work_write",
    }
)

GITHUB_CLASSIC_SCOPES = frozenset(
    {
        "repo", "repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events",
        "workflow", "write:packages", "read:packages", "delete:packages",
        "admin:org", "write:org", "read:org", "manage_runners:org",
        "admin:public_key", "write:public_key", "read:public_key",
        "admin:repo_hook", "write:repo_hook", "read:repo_hook", "admin:org_hook",
        "gist", "notifications", "user", "read:user", "user:email", "user:follow", "delete_repo",
        "write:discussion", "read:discussion",
        "admin:enterprise", "manage_runners:enterprise", "manage_billing:enterprise", "read:enterprise",
        "scim:enterprise", "audit_log", "read:audit_log", "codespace", "codespace:secrets",
        "copilot", "manage_billing:copilot", "write:network_configurations", "read:network_configurations",
        "project", "read:project", "admin:gpg_key", "write:gpg_key", "read:gpg_key",
        "admin:ssh_signing_key", "write:ssh_signing_key", "read:ssh_signing_key",
        "site_admin", "admin:pre_receive_hook",
    }
)

GITLAB_ACCESS_TOKEN_SCOPES = frozenset(
    {
        "api", "read_api", "read_user", "read_repository", "write_repository", "read_registry",
        "write_registry", "read_virtual_registry", "write_virtual_registry", "create_runner",
        "manage_runner", "k8s_proxy", "self_rotate", "ai_features", "sudo", "admin_mode",
        "read_service_ping", "read_observability", "write_observability",
    }
)

GITLAB_DEPLOY_TOKEN_SCOPES = frozenset(
    {
        "read_repository", "read_registry", "write_registry", "read_package_registry",
        "write_package_registry", "read_virtual_registry", "write_virtual_registry",
    }
)

BITBUCKET_APP_PASSWORD_SCOPES = frozenset(
    {
        "email", "account", "account:write", "team", "team:write", "project", "project:write",
        "project:admin", "repository", "repository:write", "repository:admin", "repository:delete",
        "pullrequest", "pullrequest:write", "issue", "issue:write", "wiki", "snippet", "snippet:write",
        "webhook", "pipeline", "pipeline:write", "pipeline:variable", "runner", "runner:write",
    }
)


def names_for(catalog: ScopeCatalog, kind: CredentialKind) -> frozenset[str]:
    return frozenset(scope.name for scope in catalog.for_kind(kind))


# -- every catalog --------------------------------------------------------------------------------------


@by_platform
def test_catalog_is_named_after_its_platform(catalog: ScopeCatalog) -> None:
    assert Platform(catalog.platform)
    assert len(catalog) > 0


@by_platform
def test_every_scope_belongs_to_kinds_of_its_platform(catalog: ScopeCatalog) -> None:
    for scope in catalog.scopes.values():
        assert scope.kinds, scope.name
        assert {kind.platform for kind in scope.kinds} == {Platform(catalog.platform)}, scope.name


@by_platform
def test_every_label_and_alias_resolves_back_to_its_scope(catalog: ScopeCatalog) -> None:
    for scope in catalog.scopes.values():
        for label in (scope.label, *scope.aliases):
            assert catalog.resolve(label) == scope.name, label


@by_platform
def test_no_label_collides(catalog: ScopeCatalog) -> None:
    owners: dict[str, str] = {}
    for scope in catalog.scopes.values():
        for label in (scope.label, *scope.aliases):
            assert owners.setdefault(normalize_label(label), scope.name) == scope.name, label
            # A label spelled like another scope's string would be shadowed by that string.
            assert label not in catalog.scopes or label == scope.name, label


@by_platform
def test_every_scope_has_a_label_and_a_description(catalog: ScopeCatalog) -> None:
    for scope in catalog.scopes.values():
        assert scope.label.strip(), scope.name
        assert scope.description.strip(), scope.name


@by_platform
def test_every_scope_is_traced_to_a_source_or_says_why_not(catalog: ScopeCatalog) -> None:
    for scope in catalog.scopes.values():
        assert scope.sources or (scope.unconfirmed or "").strip(), scope.name
        for source in scope.sources:
            assert source.ref.strip() and len(source.checked) == 10, scope.name


@by_platform
def test_every_implication_is_traced_to_a_source_or_says_why_not(catalog: ScopeCatalog) -> None:
    for scope in catalog.scopes.values():
        for implied in scope.implies:
            assert implied.source is not None or (implied.unconfirmed or "").strip(), (scope.name, implied)
            assert implied.source is None or implied.unconfirmed is None, (scope.name, implied)


@by_platform
def test_every_label_is_traced_to_the_platform_or_says_why_not(catalog: ScopeCatalog) -> None:
    for scope in catalog.scopes.values():
        assert scope.label_source is not None or (scope.label_unconfirmed or "").strip(), scope.name


@by_platform
def test_deprecations_and_previews_carry_their_source(catalog: ScopeCatalog) -> None:
    for scope in catalog.scopes.values():
        for flag in (scope.deprecated, scope.experimental):
            if flag is not None:
                assert flag.reason.strip() and flag.source.ref.strip(), scope.name
                assert flag.since is None or len(flag.since) == 10, scope.name


@by_platform
def test_high_privilege_is_inherited_upwards(catalog: ScopeCatalog) -> None:
    # A scope that contains a high-privilege scope is itself high privilege.
    for scope in catalog.scopes.values():
        contained = catalog.closure({scope.name}) - {scope.name}
        if any(catalog[other].high_privilege for other in contained):
            assert scope.high_privilege, scope.name


@by_platform
def test_catalog_order_is_the_listing_order(catalog: ScopeCatalog) -> None:
    names = list(catalog.scopes)
    assert catalog.sorted(reversed(names)) == names


# -- GitHub ---------------------------------------------------------------------------------------------


def test_github_lists_every_classic_scope() -> None:
    assert names_for(GITHUB, CredentialKind.GITHUB_CLASSIC_PAT) == GITHUB_CLASSIC_SCOPES


def test_github_classic_scopes_missing_from_the_scope_table_are_unconfirmed() -> None:
    unconfirmed = {s.name for s in GITHUB.for_kind(CredentialKind.GITHUB_CLASSIC_PAT) if s.unconfirmed}
    assert unconfirmed == {
        "manage_runners:org", "write:discussion", "read:discussion", "scim:enterprise", "audit_log",
        "codespace:secrets", "copilot", "manage_billing:copilot", "write:network_configurations",
        "read:network_configurations", "admin:ssh_signing_key", "write:ssh_signing_key",
        "read:ssh_signing_key", "admin:pre_receive_hook",
    }


def test_github_team_discussion_scopes_are_deprecated_since_the_sunset() -> None:
    for name in ("write:discussion", "read:discussion", "team_discussions:read", "team_discussions:write"):
        flag = GITHUB[name].deprecated
        assert flag is not None and flag.since == "2023-02-08", name


def test_github_classic_labels_are_the_token_form_labels() -> None:
    assert GITHUB.label("repo") == "Full control of private repositories"
    assert GITHUB.label("repo:status") == "Access commit status"
    assert GITHUB.label("workflow") == "Update GitHub Action workflows"
    assert GITHUB.label("read:org") == "Read org and team membership, read org projects"
    assert GITHUB.label("write:packages") == "Upload packages to GitHub Package Registry"
    # GitHub's docs do not show the form, so none of these labels is confirmed by GitHub.
    assert all(s.label_unconfirmed for s in GITHUB.for_kind(CredentialKind.GITHUB_CLASSIC_PAT))


def _levels(name: str) -> set[str]:
    return {s.split(":")[1] for s in GITHUB.scopes if s.split(":")[0] == name}


def test_github_fine_grained_permissions_are_exactly_githubs_data_plus_the_flagged_ones() -> None:
    published = {
        f"{name}:{level}"
        for name, _, _, fine_grained, _ in github_published.PERMISSIONS
        for level in fine_grained
    }
    fine_grained = names_for(GITHUB, CredentialKind.GITHUB_FINE_GRAINED_PAT)
    assert published <= fine_grained
    for name in fine_grained - published:
        assert GITHUB[name].unconfirmed, name
    # Named by GitHub's current data, missing before.
    assert {"code_quality:read", "agent_secrets:write", "issue_fields:write"} <= fine_grained
    assert {"contents:read", "contents:write", "metadata:read", "workflows:write"} <= fine_grained
    assert "workflows:read" not in GITHUB


def test_github_app_permissions_are_exactly_githubs_app_schema_and_app_data() -> None:
    published = {f"{name}:{level}" for name, _, _, _, app in github_published.PERMISSIONS for level in app}
    assert names_for(GITHUB, CredentialKind.GITHUB_APP_INSTALLATION_TOKEN) == published


def test_github_apps_and_fine_grained_tokens_each_have_permissions_the_other_lacks() -> None:
    fine_grained = names_for(GITHUB, CredentialKind.GITHUB_FINE_GRAINED_PAT)
    installation = names_for(GITHUB, CredentialKind.GITHUB_APP_INSTALLATION_TOKEN)
    assert {"organization_personal_access_tokens:read", "checks:write", "code_quality:write"} <= (
        installation - fine_grained
    )
    # Account permissions serve tokens acting for a user, not installation tokens.
    assert {"watching:read", "blocking:write", "gists:write"} <= fine_grained - installation
    # The same permission is spelled differently by the two sources.
    assert "emails:read" in fine_grained and "email_addresses:read" in installation
    assert "keys:write" in fine_grained and "git_ssh_keys:write" in installation


def test_github_fine_grained_permissions_are_grouped_as_githubs_data_says() -> None:
    assert GITHUB["contents:read"].group == "Repository permissions"
    assert GITHUB["members:write"].group == "Organization permissions"
    assert GITHUB["gpg_keys:read"].group == "User permissions"
    groups = {s.group for s in GITHUB.for_kind(CredentialKind.GITHUB_FINE_GRAINED_PAT)}
    assert groups == {"Repository permissions", "Organization permissions", "User permissions"}


def test_github_labels_follow_githubs_titles() -> None:
    assert GITHUB.label("contents:read") == "Contents: Read-only"
    assert GITHUB.label("contents:write") == "Contents: Read and write"
    assert GITHUB.label("organization_custom_properties:admin") == "Custom properties (organization): Admin"
    assert GITHUB.label("organization_private_registries:write") == "Organization private registries: Read and write"
    # Titles shared by two groups are qualified outside the repository group.
    assert GITHUB.label("administration:write") == "Administration: Read and write"
    assert GITHUB.label("organization_administration:write") == "Administration (organization): Read and write"


def test_github_high_privilege_scopes() -> None:
    high = {s.name for s in GITHUB.scopes.values() if s.high_privilege}
    assert {"repo", "delete_repo", "workflow", "admin:org", "site_admin", "admin:enterprise"} <= high
    assert {"contents:write", "administration:write", "workflows:write", "agent_secrets:write"} <= high
    assert not {"read:org", "repo:status", "contents:read", "metadata:read", "notifications"} & high


# -- GitLab ---------------------------------------------------------------------------------------------


def test_gitlab_lists_every_access_token_and_deploy_token_scope() -> None:
    access_kinds = {
        CredentialKind.GITLAB_PAT,
        CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN,
        CredentialKind.GITLAB_GROUP_ACCESS_TOKEN,
    }
    access = {s.name for s in GITLAB.scopes.values() if s.kinds & access_kinds}
    assert access == GITLAB_ACCESS_TOKEN_SCOPES
    assert names_for(GITLAB, CredentialKind.GITLAB_DEPLOY_TOKEN) == GITLAB_DEPLOY_TOKEN_SCOPES


def test_gitlab_shared_scope_strings_are_one_entry_with_both_kinds() -> None:
    kinds = GITLAB["read_repository"].kinds
    assert CredentialKind.GITLAB_PAT in kinds
    assert CredentialKind.GITLAB_DEPLOY_TOKEN in kinds


def test_gitlab_kinds_per_scope() -> None:
    project = names_for(GITLAB, CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN)
    group = names_for(GITLAB, CredentialKind.GITLAB_GROUP_ACCESS_TOKEN)
    personal = names_for(GITLAB, CredentialKind.GITLAB_PAT)
    service_account = names_for(GITLAB, CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN)
    assert "read_user" in personal and "read_user" not in project | group
    assert {"read_observability", "write_observability"} <= project & group
    assert not {"read_observability", "write_observability"} & (personal | service_account)
    assert {"read_virtual_registry", "write_virtual_registry"} <= group
    assert not {"read_virtual_registry", "write_virtual_registry"} & project
    assert {"sudo", "admin_mode", "read_service_ping"} <= personal
    assert not {"sudo", "admin_mode", "read_service_ping"} & (project | group | service_account)
    assert {"read_package_registry", "write_package_registry"}.isdisjoint(personal)


def test_gitlab_label_is_the_scope_string() -> None:
    for scope in GITLAB.scopes.values():
        assert scope.label == scope.name


def test_gitlab_observability_scopes_are_flagged_as_behind_a_feature_flag() -> None:
    for name in ("read_observability", "write_observability"):
        assert GITLAB[name].experimental is not None
        assert not GITLAB[name].ui_selectable
        assert GITLAB[name].unconfirmed
    current = [s for s in GITLAB.scopes.values() if s.experimental is None]
    assert all(s.unconfirmed is None for s in current)


def test_gitlab_api_git_clause_is_for_personal_tokens_only() -> None:
    (clause,) = [i for i in GITLAB["api"].implies if i.scope == "write_repository"]
    assert clause.kinds == {CredentialKind.GITLAB_PAT, CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN}


# -- Azure DevOps ---------------------------------------------------------------------------------------


def test_azure_devops_covers_every_scope_of_the_rest_specifications() -> None:
    assert len(AZURE_DEVOPS_SPEC_SCOPES) == 64
    assert AZURE_DEVOPS_SPEC_SCOPES <= set(AZURE_DEVOPS.scopes)


def test_azure_devops_lists_the_scopes_beyond_the_specifications() -> None:
    extra = {
        "app_token", "vso.advsec", "vso.advsec_write", "vso.advsec_manage", "vso.analytics",
        "vso.code_full", "vso.connected_server", "vso.entitlements", "vso.githubconnections",
        "vso.githubconnections_manage", "vso.gallery", "vso.gallery_acquire", "vso.gallery_publish",
        "vso.gallery_manage", "vso.hooks", "vso.hooks_write", "vso.hooks_interact", "vso.settings",
        "vso.settings_write", "vso.tokens", "vso.variablegroups_write", "vso.work_full",
        "vso.loadtest", "vso.loadtest_write", "vso.governance",
    }
    assert set(AZURE_DEVOPS.scopes) == AZURE_DEVOPS_SPEC_SCOPES | extra


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("vso.work_write", "Work Items: Read & write"),
        ("vso.code_write", "Code: Read & write"),
        ("vso.auditlog", "Auditing: Read Audit Log"),
        ("vso.build_execute", "Build: Read & execute"),
        ("vso.pipelineresources_manage", "Pipeline Resources: Use & manage"),
        ("vso.project_manage", "Project and Team: Read, write, & manage"),
        ("vso.release_execute", "Release: Read, write, & execute"),
        ("vso.serviceendpoint_manage", "Service Connections: Read, query, & manage"),
        ("vso.packaging_write", "Packaging: Read & write"),
        ("vso.agentpools_manage", "Agent Pools: Read & manage"),
        ("app_token", "Full access"),
    ],
)
def test_azure_devops_labels_are_the_dialog_labels(name: str, label: str) -> None:
    assert AZURE_DEVOPS.label(name) == label


def test_azure_devops_scopes_hidden_from_the_dialog() -> None:
    hidden = {s.name for s in AZURE_DEVOPS.scopes.values() if not s.ui_selectable}
    assert {"vso.hooks", "vso.hooks_write", "vso.hooks_interact", "vso.governance"} <= hidden
    assert {"vso.loadtest", "vso.loadtest_write"} <= hidden
    assert AZURE_DEVOPS["vso.loadtest"].deprecated


def test_azure_devops_high_privilege_follows_microsoft() -> None:
    high = {s.name for s in AZURE_DEVOPS.scopes.values() if s.high_privilege}
    assert {"app_token", "vso.code_write", "vso.code_manage", "vso.packaging_write", "vso.build_execute",
            "vso.serviceendpoint_manage", "vso.tokenadministration", "vso.securefiles_read"} <= high
    assert not {"vso.code", "vso.work_write", "vso.profile", "vso.project_write"} & high


def test_azure_devops_implications_and_flags_are_microsofts_table() -> None:
    for name, _, ms_name, high, inherits, _ in azure_devops_published.SCOPES:
        if name == "user_impersonation":  # Microsoft Entra OAuth only
            assert name not in AZURE_DEVOPS
            continue
        scope = AZURE_DEVOPS[name]
        assert scope.high_privilege == high, name
        assert [i.scope for i in scope.implies] == ([inherits] if inherits else []), name
        assert ms_name in AZURE_DEVOPS.labels(name) or ms_name == scope.label, name


def test_azure_devops_labels_microsoft_shows_are_confirmed_and_resolve() -> None:
    assert AZURE_DEVOPS.resolve("Read Audit Log") == "vso.auditlog"
    assert AZURE_DEVOPS.resolve("Agent Pools (Read & manage)") == "vso.agentpools_manage"
    assert AZURE_DEVOPS["vso.auditlog"].label_source is not None
    assert AZURE_DEVOPS["vso.work_write"].label_unconfirmed


def test_azure_devops_load_test_is_retired_and_unconfirmed() -> None:
    for name in ("vso.loadtest", "vso.loadtest_write"):
        assert AZURE_DEVOPS[name].deprecated is not None
        assert AZURE_DEVOPS[name].unconfirmed


def test_azure_devops_scopes_are_for_personal_access_tokens() -> None:
    assert names_for(AZURE_DEVOPS, CredentialKind.AZURE_DEVOPS_PAT) == set(AZURE_DEVOPS.scopes)


# -- Bitbucket ------------------------------------------------------------------------------------------


def test_bitbucket_api_token_scopes_by_category() -> None:
    api = names_for(BITBUCKET, CredentialKind.BITBUCKET_API_TOKEN)
    assert len(api) == 35
    assert {
        "read:repository:bitbucket", "write:repository:bitbucket", "admin:repository:bitbucket",
        "delete:repository:bitbucket", "read:pullrequest:bitbucket", "write:pullrequest:bitbucket",
        "read:user:bitbucket", "admin:pipeline:bitbucket", "delete:ssh-key:bitbucket",
    } <= api
    assert BITBUCKET.label("read:repository:bitbucket") == "Repositories: Read"
    assert BITBUCKET.label("write:pullrequest:bitbucket") == "Pull requests: Write"


def test_bitbucket_app_password_scopes_are_all_deprecated() -> None:
    legacy = names_for(BITBUCKET, CredentialKind.BITBUCKET_APP_PASSWORD)
    assert legacy == BITBUCKET_APP_PASSWORD_SCOPES
    for name in legacy:
        scope = BITBUCKET[name]
        assert scope.deprecated is not None and "2026-07-28" in scope.deprecated.reason, name
        assert scope.deprecated.since in ("2026-07-28", "2023-05-15"), name
        assert not scope.ui_selectable, name
    project_write = BITBUCKET["project:write"].deprecated
    assert project_write is not None and project_write.since == "2023-05-15"


def test_bitbucket_api_token_scopes_are_current() -> None:
    for scope in BITBUCKET.for_kind(CredentialKind.BITBUCKET_API_TOKEN):
        assert scope.deprecated is None, scope.name
        assert scope.ui_selectable, scope.name


def test_the_catalog_laws_run_over_every_platform_folder():
    assert sorted(Platform(c.platform).value for c in ALL) == platform_folders()
