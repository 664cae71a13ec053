"""Each platform's scope catalog: what it lists, and that its labels, kinds and flags are consistent."""

from __future__ import annotations

import pytest

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.platforms.azure_devops.scopes import CATALOG as AZURE_DEVOPS
from scm_access.platforms.bitbucket.scopes import CATALOG as BITBUCKET
from scm_access.platforms.github.scopes import CATALOG as GITHUB
from scm_access.platforms.gitlab.scopes import CATALOG as GITLAB
from scm_access.scopes.catalog import ScopeCatalog, normalize_label

ALL = [GITHUB, GITLAB, AZURE_DEVOPS, BITBUCKET]
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


def test_github_classic_labels_are_the_token_form_labels() -> None:
    assert GITHUB.label("repo") == "Full control of private repositories"
    assert GITHUB.label("repo:status") == "Access commit status"
    assert GITHUB.label("workflow") == "Update GitHub Action workflows"
    assert GITHUB.label("read:org") == "Read org and team membership, read org projects"
    assert GITHUB.label("write:packages") == "Upload packages to GitHub Package Registry"


def test_github_fine_grained_permissions_carry_only_documented_levels() -> None:
    fine_grained = names_for(GITHUB, CredentialKind.GITHUB_FINE_GRAINED_PAT)
    assert {"contents:read", "contents:write", "metadata:read", "workflows:write"} <= fine_grained
    assert "metadata:write" not in GITHUB
    assert "workflows:read" not in GITHUB
    assert "organization_administration:admin" not in GITHUB
    admin_levels = {s for s in fine_grained if s.endswith(":admin")}
    assert admin_levels == {"organization_projects:admin", "organization_custom_properties:admin"}


def test_github_fine_grained_permissions_are_grouped_as_in_the_form() -> None:
    assert GITHUB["contents:read"].group == "Repository permissions"
    assert GITHUB["members:write"].group == "Organization permissions"
    assert GITHUB["gpg_keys:read"].group == "Account permissions"
    groups = {s.group for s in GITHUB.for_kind(CredentialKind.GITHUB_FINE_GRAINED_PAT)}
    assert groups == {"Repository permissions", "Organization permissions", "Account permissions"}


def test_github_fine_grained_permissions_serve_app_installation_tokens_too() -> None:
    fine_grained = names_for(GITHUB, CredentialKind.GITHUB_FINE_GRAINED_PAT)
    installation = names_for(GITHUB, CredentialKind.GITHUB_APP_INSTALLATION_TOKEN)
    assert fine_grained < installation
    # Reading the organisation's fine-grained token grants is for GitHub Apps only.
    assert "organization_personal_access_tokens:read" in installation - fine_grained


def test_github_labels_follow_the_form() -> None:
    assert GITHUB.label("contents:read") == "Contents: Read-only"
    assert GITHUB.label("contents:write") == "Contents: Read and write"
    assert GITHUB.label("organization_projects:admin") == "Projects: Admin"
    # Display names shared by two groups are qualified outside the repository group.
    assert GITHUB.label("administration:write") == "Administration: Read and write"
    organization_administration = GITHUB.label("organization_administration:write")
    assert organization_administration == "Administration (organization): Read and write"


def test_github_high_privilege_scopes() -> None:
    high = {s.name for s in GITHUB.scopes.values() if s.high_privilege}
    assert {"repo", "delete_repo", "workflow", "admin:org", "site_admin", "admin:enterprise"} <= high
    assert {"contents:write", "administration:write", "workflows:write"} <= high
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
        assert scope.deprecated and "2026-07-28" in scope.deprecated, name
        assert not scope.ui_selectable, name
    assert "2023-05-15" in (BITBUCKET["project:write"].deprecated or "")


def test_bitbucket_api_token_scopes_are_current() -> None:
    for scope in BITBUCKET.for_kind(CredentialKind.BITBUCKET_API_TOKEN):
        assert scope.deprecated is None, scope.name
        assert scope.ui_selectable, scope.name
