"""GitHub scope catalog: classic personal-access-token scopes and fine-grained permissions.

Classic scopes follow GitHub docs "Scopes for OAuth apps" and the token form's checkbox tree: a parent row
contains the rows indented under it (GitHub drops implied children when it stores a token's scopes, so
``X-OAuth-Scopes`` shows parents only). Fine-grained permissions follow the permission tables of GitHub docs
"Managing your personal access tokens"; they are written ``<permission>:<level>``, the permission name being
the one GitHub's pre-filled creation URL and ``X-Accepted-GitHub-Permissions`` use.

High privilege, the same rule for classic scopes and fine-grained permissions, marks what lets the holder
  (a) change code, CI configuration or secrets, or published artefacts that others consume;
  (b) administer an organisation, enterprise or instance, its hooks, runners, roles or members;
  (c) delete repositories or packages; or
  (d) add keys to the account, credentials that outlive the token.
"""

from __future__ import annotations

from scm_access.core.kinds import CredentialKind
from scm_access.scopes.catalog import Scope, ScopeCatalog

CLASSIC = frozenset({CredentialKind.GITHUB_CLASSIC_PAT})
FINE_GRAINED = frozenset(
    {CredentialKind.GITHUB_FINE_GRAINED_PAT, CredentialKind.GITHUB_APP_INSTALLATION_TOKEN}
)
APP_ONLY = frozenset({CredentialKind.GITHUB_APP_INSTALLATION_TOKEN})
DEPLOY_KEY = frozenset({CredentialKind.GITHUB_DEPLOY_KEY})
"""A deploy key clones (and, read-write, pushes to) one repository: it holds repository contents, nothing the
API serves (not even metadata)."""

HP = True
__ = False

# -- classic scopes ---------------------------------------------------------------------------------
# In the token form's order. "parent" is the scope whose checkbox contains this one.
# scope, parent, UI label, high privilege, meaning
_CLASSIC: tuple[tuple[str, str | None, str, bool, str], ...] = (
    ("repo", None, "Full control of private repositories", HP,
     "Full read and write on public, private and internal repositories: code, statuses, invitations,"
     " collaborators, deployment statuses and repository webhooks; also organisation projects, invitations,"
     " team memberships and webhooks."),
    ("repo:status", "repo", "Access commit status", __,
     "Read and write commit statuses without access to code."),
    ("repo_deployment", "repo", "Access deployment status", __,
     "Read and write deployment statuses without access to code."),
    ("public_repo", "repo", "Access public repositories", HP,
     "Like repo, limited to public repositories; also needed to star repositories."),
    ("repo:invite", "repo", "Access repository invitations", __,
     "Accept or decline invitations to collaborate on a repository."),
    ("security_events", "repo", "Read and write security events", __,
     "Read and write code scanning (and, on GitHub Enterprise Cloud, secret scanning) security events."),
    ("workflow", None, "Update GitHub Action workflows", HP,
     "Add and update files under .github/workflows; repo does not include it."),
    ("write:packages", None, "Upload packages to GitHub Package Registry", HP,
     "Publish packages."),
    ("read:packages", "write:packages", "Download packages from GitHub Package Registry", __,
     "Install packages."),
    ("delete:packages", None, "Delete packages from GitHub Package Registry", HP,
     "Delete packages."),
    ("admin:org", None, "Full control of orgs and teams, read and write org projects", HP,
     "Fully manage the organisation, its teams, projects and memberships."),
    ("write:org", "admin:org", "Read and write org and team membership, read and write org projects", HP,
     "Read and write organisation membership, team membership and organisation projects."),
    ("read:org", "write:org", "Read org and team membership, read org projects", __,
     "Read organisation membership, team membership and organisation projects."),
    ("manage_runners:org", "admin:org", "Manage org runners and runner groups", HP,
     "Manage the organisation's self-hosted runners and runner groups."),
    ("admin:public_key", None, "Full control of user public keys", HP,
     "Create, list, view and delete the user's public SSH keys."),
    ("write:public_key", "admin:public_key", "Write user public keys", HP,
     "Create, list and view the user's public SSH keys."),
    ("read:public_key", "write:public_key", "Read user public keys", __,
     "List and view the user's public SSH keys."),
    ("admin:repo_hook", None, "Full control of repository hooks", HP,
     "Read, write, ping and delete repository webhooks (repo and public_repo can do this as well)."),
    ("write:repo_hook", "admin:repo_hook", "Write repository hooks", __,
     "Read, write and ping repository webhooks."),
    ("read:repo_hook", "write:repo_hook", "Read repository hooks", __,
     "Read and ping repository webhooks."),
    ("admin:org_hook", None, "Full control of organization hooks", HP,
     "Read, write, ping and delete organisation webhooks (a token acts only on hooks its user created)."),
    ("gist", None, "Create gists", __,
     "Write access to gists."),
    ("notifications", None, "Access notifications", __,
     "Read notifications, mark them read, watch and unwatch, manage thread subscriptions."),
    ("user", None, "Update ALL user data", __,
     "Read and write the user's profile; includes user:email and user:follow."),
    ("read:user", "user", "Read ALL user profile data", __,
     "Read the user's profile."),
    ("user:email", "user", "Access user email addresses (read-only)", __,
     "Read the user's email addresses."),
    ("user:follow", "user", "Follow and unfollow users", __,
     "Follow and unfollow other users."),
    ("delete_repo", None, "Delete repositories", HP,
     "Delete repositories the user administers."),
    ("write:discussion", None, "Read and write team discussions", __,
     "Read and write team discussions."),
    ("read:discussion", "write:discussion", "Read team discussions", __,
     "Read team discussions."),
    ("admin:enterprise", None, "Full control of enterprises", HP,
     "Full control of the enterprise's functionality."),
    ("manage_runners:enterprise", "admin:enterprise", "Manage enterprise runners and runner groups", HP,
     "Manage the enterprise's self-hosted runners and runner groups."),
    ("manage_billing:enterprise", "admin:enterprise", "Read and write enterprise billing data", HP,
     "Read and write the enterprise's billing data."),
    ("read:enterprise", "manage_billing:enterprise", "Read enterprise profile data", __,
     "Read the enterprise profile."),
    # unconfirmed: whether admin:enterprise contains scim:enterprise; the form lists it under
    # read:enterprise, GitHub docs do not nest it, so nothing implies it here.
    ("scim:enterprise", None, "Provisioning of users and groups via SCIM", HP,
     "Provision enterprise users and groups through SCIM (the setup token of an enterprise with managed"
     " users needs it)."),
    ("audit_log", None, "Full control of audit log", HP,
     "Full control of the audit log."),
    ("read:audit_log", "audit_log", "Read access of audit log", __,
     "Read the audit log."),
    ("codespace", None, "Full control of codespaces", HP,
     "Create and manage codespaces, including their secrets."),
    ("codespace:secrets", "codespace", "Ability to create, read, update, and delete codespace secrets", HP,
     "Create, read, update and delete codespace secrets."),
    ("copilot", None, "Full control of GitHub Copilot settings and seat assignments", HP,
     "Manage GitHub Copilot settings and seat assignments."),
    ("manage_billing:copilot", "copilot", "View and edit Copilot Business seat assignments", HP,
     "View and edit Copilot Business seat assignments."),
    ("write:network_configurations", None, "Write org hosted compute network configurations", HP,
     "Write the organisation's hosted compute network configurations."),
    ("read:network_configurations", "write:network_configurations",
     "Read org hosted compute network configurations", __,
     "Read the organisation's hosted compute network configurations."),
    ("project", None, "Full control of projects", __,
     "Read and write user and organisation projects."),
    ("read:project", "project", "Read access of projects", __,
     "Read user and organisation projects."),
    ("admin:gpg_key", None, "Full control of public user GPG keys", HP,
     "Create, list, view and delete the user's public GPG keys."),
    ("write:gpg_key", "admin:gpg_key", "Write public user GPG keys", HP,
     "Create, list and view the user's public GPG keys."),
    ("read:gpg_key", "write:gpg_key", "Read public user GPG keys", __,
     "List and view the user's public GPG keys."),
    ("admin:ssh_signing_key", None, "Full control of public user SSH signing keys", HP,
     "Create, list, view and delete the user's SSH signing keys."),
    ("write:ssh_signing_key", "admin:ssh_signing_key", "Write public user SSH signing keys", HP,
     "Create, list and view the user's SSH signing keys."),
    ("read:ssh_signing_key", "write:ssh_signing_key", "Read public user SSH signing keys", __,
     "List and view the user's SSH signing keys."),
    # GitHub Enterprise Server only. unconfirmed: the form's label for site_admin.
    ("site_admin", None, "Site admin", HP,
     "GitHub Enterprise Server only: site administrators' access to the Enterprise Administration API."),
    # unconfirmed: GitHub docs name the pre-receive hook endpoints (GHES, classic tokens only) but not
    # this scope; the name comes from GitHub's scope table as seen in public code, the label is ours.
    ("admin:pre_receive_hook", None, "Full control of pre-receive hooks", HP,
     "GitHub Enterprise Server only: manage pre-receive hooks."),
)

_CLASSIC_ALIASES: dict[str, tuple[str, ...]] = {
    # Integration guides say "all repo options" for ticking repo with every child.
    "repo": ("All repo options",),
}

# -- fine-grained permissions -----------------------------------------------------------------------
# Levels: r = read, w = write, a = admin. "high from" is the lowest level that is high privilege.
REPOSITORY = "Repository permissions"
ORGANIZATION = "Organization permissions"
ACCOUNT = "Account permissions"

# permission, display name, levels, high from
_REPOSITORY_PERMISSIONS: tuple[tuple[str, str, str, str | None], ...] = (
    ("actions", "Actions", "rw", "write"),
    ("administration", "Administration", "rw", "write"),
    ("artifact_metadata", "Artifact Metadata", "rw", None),
    ("attestations", "Attestations", "rw", "write"),
    ("security_events", "Code scanning alerts", "rw", None),
    ("codespaces", "Codespaces", "rw", None),
    ("codespaces_lifecycle_admin", "Codespaces lifecycle admin", "rw", None),
    ("codespaces_metadata", "Codespaces metadata", "r", None),
    ("codespaces_secrets", "Codespaces secrets", "w", "write"),
    ("statuses", "Commit statuses", "rw", None),
    ("contents", "Contents", "rw", "write"),
    ("repository_custom_properties", "Custom properties", "rw", None),
    ("vulnerability_alerts", "Dependabot alerts", "rw", None),
    ("dependabot_secrets", "Dependabot secrets", "rw", "write"),
    ("deployments", "Deployments", "rw", None),
    ("discussions", "Discussions", "rw", None),
    ("environments", "Environments", "rw", "write"),
    ("issues", "Issues", "rw", None),
    ("merge_queues", "Merge queues", "rw", None),
    ("metadata", "Metadata", "r", None),
    ("pages", "Pages", "rw", "write"),
    ("pull_requests", "Pull requests", "rw", None),
    ("repository_advisories", "Repository security advisories", "rw", None),
    ("secret_scanning_alerts", "Secret scanning alerts", "rw", None),
    ("secrets", "Secrets", "rw", "write"),
    ("actions_variables", "Variables", "rw", "write"),
    ("repository_hooks", "Webhooks", "rw", "write"),
    ("workflows", "Workflows", "w", "write"),
)

_ORGANIZATION_PERMISSIONS: tuple[tuple[str, str, str, str | None], ...] = (
    ("organization_api_insights", "API Insights", "r", None),
    ("organization_administration", "Administration", "rw", "write"),
    ("organization_user_blocking", "Blocking users", "rw", None),
    ("organization_campaigns", "Campaigns", "rw", None),
    ("organization_custom_org_roles", "Custom organization roles", "rw", "write"),
    ("organization_custom_properties", "Custom repository properties", "rwa", "admin"),
    ("organization_custom_roles", "Custom repository roles", "rw", "write"),
    ("organization_events", "Events", "r", None),
    ("organization_copilot_seat_management", "GitHub Copilot Business", "rw", "write"),
    ("issue_types", "Issue Types", "rw", None),
    ("organization_knowledge_bases", "Knowledge bases", "rw", None),
    ("members", "Members", "rw", "write"),
    ("organization_models", "Models", "r", None),
    ("organization_network_configurations", "Network configurations", "rw", "write"),
    ("organization_announcement_banners", "Organization announcement banners", "rw", None),
    ("organization_codespaces", "Organization codespaces", "rw", None),
    ("organization_codespaces_secrets", "Organization codespaces secrets", "rw", "write"),
    ("organization_codespaces_settings", "Organization codespaces settings", "rw", "write"),
    ("organization_dependabot_secrets", "Organization dependabot secrets", "rw", "write"),
    ("organization_code_scanning_dismissal_requests", "Code scanning dismissal requests", "rw", None),
    ("organization_private_registries", "Private registries", "rw", "write"),
    ("organization_plan", "Plan", "r", None),
    ("organization_projects", "Projects", "rwa", "admin"),
    ("organization_secrets", "Secrets", "rw", "write"),
    ("organization_self_hosted_runners", "Self-hosted runners", "rw", "write"),
    ("team_discussions", "Team discussions", "rw", None),
    ("organization_actions_variables", "Variables", "rw", "write"),
    ("organization_hooks", "Webhooks", "rw", "write"),
)

# GitHub App permissions that fine-grained tokens cannot carry: an app needs them to read and act on the
# organisation's fine-grained token requests and grants.
_ORGANIZATION_APP_PERMISSIONS: tuple[tuple[str, str, str, str | None], ...] = (
    ("organization_personal_access_tokens", "Personal access tokens", "rw", "write"),
    ("organization_personal_access_token_requests", "Personal access token requests", "rw", "write"),
)

_ACCOUNT_PERMISSIONS: tuple[tuple[str, str, str, str | None], ...] = (
    ("blocking", "Block another user", "rw", None),
    ("codespaces_user_secrets", "Codespaces user secrets", "rw", "write"),
    ("copilot_messages", "Copilot Chat", "r", None),
    ("copilot_editor_context", "Copilot Editor Context", "r", None),
    ("copilot_requests", "Copilot requests", "w", None),
    ("emails", "Email addresses", "rw", None),
    ("user_events", "Events", "r", None),
    ("followers", "Followers", "rw", None),
    ("gpg_keys", "GPG keys", "rw", "write"),
    ("gists", "Gists", "w", None),
    ("keys", "Git SSH keys", "rw", "write"),
    ("interaction_limits", "Interaction limits", "rw", None),
    ("knowledge_bases", "Knowledge bases", "rw", None),
    ("user_models", "Models", "r", None),
    ("plan", "Plan", "r", None),
    ("private_repository_invitations", "Private repository invitations", "r", None),
    ("profile", "Profile", "w", None),
    ("git_signing_ssh_public_keys", "SSH signing keys", "rw", "write"),
    ("starring", "Starring", "rw", None),
    ("watching", "Watching", "rw", None),
)

_LEVELS = {"r": "read", "w": "write", "a": "admin"}
_LEVEL_ORDER = ("read", "write", "admin")
_LEVEL_LABELS = {"read": "Read-only", "write": "Read and write", "admin": "Admin"}

_METADATA_NOTE = (
    " GitHub's token form adds Metadata: Read-only to any repository permission by itself;"
    " this permission does not contain metadata:read here, so list it when it is needed."
)


def _classic_scopes() -> list[Scope]:
    children: dict[str, list[str]] = {}
    for name, parent, *_ in _CLASSIC:
        if parent:
            children.setdefault(parent, []).append(name)
    return [
        Scope(
            name=name,
            label=label,
            kinds=CLASSIC,
            implies=tuple(children.get(name, ())),
            description=meaning,
            group=parent or "",
            aliases=_CLASSIC_ALIASES.get(name, ()),
            high_privilege=high,
        )
        for name, parent, label, high, meaning in _CLASSIC
    ]


def _shared_display_names() -> set[str]:
    """Display names used by more than one group; outside the repository group they get a qualifier."""
    seen: dict[str, set[str]] = {}
    tables = (
        (REPOSITORY, _REPOSITORY_PERMISSIONS),
        (ORGANIZATION, _ORGANIZATION_PERMISSIONS + _ORGANIZATION_APP_PERMISSIONS),
        (ACCOUNT, _ACCOUNT_PERMISSIONS),
    )
    for group, rows in tables:
        for _, display, _, _ in rows:
            seen.setdefault(display, set()).add(group)
    return {display for display, groups in seen.items() if len(groups) > 1}


def _permission_scopes(
    group: str,
    rows: tuple[tuple[str, str, str, str | None], ...],
    kinds: frozenset[CredentialKind],
    shared: set[str],
) -> list[Scope]:
    qualifier = {ORGANIZATION: " (organization)", ACCOUNT: " (account)"}.get(group, "")
    entries = []
    for permission, display, level_codes, high_from in rows:
        # The token form shows the bare display name under its group heading; labels must be unique
        # across the catalog, so a name that also appears under another group is qualified.
        shown = display + qualifier if display in shared else display
        levels = [_LEVELS[code] for code in level_codes]
        for index, level in enumerate(levels):
            note = _METADATA_NOTE if group == REPOSITORY and permission != "metadata" else ""
            high = high_from is not None and _LEVEL_ORDER.index(level) >= _LEVEL_ORDER.index(high_from)
            entries.append(
                Scope(
                    name=f"{permission}:{level}",
                    label=f"{shown}: {_LEVEL_LABELS[level]}",
                    kinds=kinds | DEPLOY_KEY if (group, permission) == (REPOSITORY, "contents") else kinds,
                    # write contains read and admin contains write, per GitHub docs.
                    implies=(f"{permission}:{levels[index - 1]}",) if index else (),
                    description=f"{display} ({group.lower()}), {level} access.{note}",
                    group=group,
                    high_privilege=high,
                )
            )
    return entries


def _fine_grained_scopes() -> list[Scope]:
    shared = _shared_display_names()
    return [
        *_permission_scopes(REPOSITORY, _REPOSITORY_PERMISSIONS, FINE_GRAINED, shared),
        *_permission_scopes(ORGANIZATION, _ORGANIZATION_PERMISSIONS, FINE_GRAINED, shared),
        *_permission_scopes(ORGANIZATION, _ORGANIZATION_APP_PERMISSIONS, APP_ONLY, shared),
        *_permission_scopes(ACCOUNT, _ACCOUNT_PERMISSIONS, FINE_GRAINED, shared),
    ]


CATALOG = ScopeCatalog.of("github", [*_classic_scopes(), *_fine_grained_scopes()])
