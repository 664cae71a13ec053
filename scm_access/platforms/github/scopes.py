"""GitHub scope catalog: classic personal-access-token scopes, fine-grained token and GitHub App permissions.

Classic scopes follow GitHub's scope table ("Scopes for OAuth apps", github/docs): a scope indented under
another is contained in it, and a scope's description may say what else it includes (``repo`` includes
repository hooks, so it contains ``admin:repo_hook``). GitHub drops implied children when it stores a token's
scopes, so ``X-OAuth-Scopes`` shows parents only. Scopes the classic token form shows but the table does not
(``manage_runners:org``, ``codespace:secrets``, the SSH-signing-key and network-configuration scopes, ...)
are kept as unconfirmed, as are the nestings only the form shows: they never fold a scope a guide asked for.
The form's labels are known only from third-party reproductions of the page: every classic label is
unconfirmed.

Fine-grained permissions and GitHub App permissions come from GitHub's published data, turned into
``permissions_data.py`` by ``scripts/generate_catalogs.py``: a fine-grained token can hold a permission level
when GitHub's fine-grained permission data lists an endpoint needing it; a GitHub App installation token can
when the App permission schema of GitHub's OpenAPI description offers it or GitHub's App permission data lists
an endpoint needing it. They are written
``<permission>:<level>``, the permission name being the one ``X-Accepted-GitHub-Permissions`` uses. A few
permissions that no REST endpoint needs (Copilot, Models, knowledge bases) appear in no current source; they
are kept as unconfirmed so that declarations naming them still resolve.

High privilege, the same rule for classic scopes and fine-grained permissions, marks what lets the holder
  (a) change code, CI configuration or secrets, or published artefacts that others consume;
  (b) administer an organisation, enterprise or instance, its hooks, runners, roles or members;
  (c) delete repositories or packages; or
  (d) add keys to the account, credentials that outlive the token.
"""

from __future__ import annotations

from scm_access.core.kinds import CredentialKind
from scm_access.platforms.github import permissions_data as published
from scm_access.scopes.catalog import Flag, Implication, Scope, ScopeCatalog, Source, implies

CLASSIC = frozenset({CredentialKind.GITHUB_CLASSIC_PAT})
FINE_GRAINED_PAT = CredentialKind.GITHUB_FINE_GRAINED_PAT
APP = CredentialKind.GITHUB_APP_INSTALLATION_TOKEN
DEPLOY_KEY = CredentialKind.GITHUB_DEPLOY_KEY

CHECKED = "2026-11-30"
SCOPE_TABLE = Source(
    "github/docs:content/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps.md@0460e4095b13"
    " (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps)",
    CHECKED,
)
FINE_GRAINED_DATA = Source(published.FINE_GRAINED_SOURCE, published.FINE_GRAINED_CHECKED)
APP_SCHEMA = Source(published.APP_SCHEMA_SOURCE, published.APP_SCHEMA_CHECKED)
APP_DATA = Source(published.APP_DATA_SOURCE, published.APP_DATA_CHECKED)
LEVEL_ORDER_SOURCE = Source(
    "github/docs:content/apps/creating-github-apps/registering-a-github-app/"
    "choosing-permissions-for-a-github-app.md@159bd1b02c04 (an endpoint needs \"at least\" a level)",
    CHECKED,
)
TEAM_DISCUSSIONS_SUNSET = Source("https://github.blog/changelog/2023-02-08-sunset-notice-team-discussions/", CHECKED)
DEPLOY_KEYS = Source(
    "github/docs:content/authentication/connecting-to-github-with-ssh/managing-deploy-keys.md@0e9604825fae"
    " (read-only by default; with write access a deployment can push)",
    CHECKED,
)
PROJECTS_CLASSIC_SUNSET = Source("https://github.blog/changelog/2024-05-23-sunset-notice-projects-classic/", CHECKED)

HP = True
__ = False

# -- classic scopes ---------------------------------------------------------------------------------
_FORM_ONLY = (
    "not in GitHub's scope table; the classic token form offers it, as third parties reproduce the form"
)
_FORM_NESTING = "the classic token form nests it here; GitHub's scope table does not say so"
_FORM_LABEL = "the classic token form's label as third parties reproduce it; GitHub's docs do not show the form"

_TEAM_DISCUSSIONS = Flag(
    reason="GitHub sunset team discussions (notice of 2023-02-08) in favour of organization discussions;"
    " the scope is absent from GitHub's current scope table",
    source=TEAM_DISCUSSIONS_SUNSET,
    since="2023-02-08",
)

# In the token form's order.
# scope, UI label, high privilege, meaning, documented in GitHub's scope table
_CLASSIC: tuple[tuple[str, str, bool, str, bool], ...] = (
    ("repo", "Full control of private repositories", HP,
     "Full read and write on public, private and internal repositories: code, statuses, invitations,"
     " collaborators, deployment statuses and repository webhooks; also organisation projects, invitations,"
     " team memberships and webhooks.", True),
    ("repo:status", "Access commit status", __,
     "Read and write commit statuses without access to code.", True),
    ("repo_deployment", "Access deployment status", __,
     "Read and write deployment statuses without access to code.", True),
    ("public_repo", "Access public repositories", HP,
     "Like repo, limited to public repositories; also needed to star repositories.", True),
    ("repo:invite", "Access repository invitations", __,
     "Accept or decline invitations to collaborate on a repository.", True),
    ("security_events", "Read and write security events", __,
     "Read and write code scanning (and, on GitHub Enterprise Cloud, secret scanning) security events.", True),
    ("workflow", "Update GitHub Action workflows", HP,
     "Add and update files under .github/workflows; repo does not include it.", True),
    ("write:packages", "Upload packages to GitHub Package Registry", HP,
     "Publish packages.", True),
    ("read:packages", "Download packages from GitHub Package Registry", __,
     "Install packages.", True),
    ("delete:packages", "Delete packages from GitHub Package Registry", HP,
     "Delete packages.", True),
    ("admin:org", "Full control of orgs and teams, read and write org projects", HP,
     "Fully manage the organisation, its teams, projects and memberships.", True),
    ("write:org", "Read and write org and team membership, read and write org projects", HP,
     "Read and write organisation membership and organisation projects.", True),
    ("read:org", "Read org and team membership, read org projects", __,
     "Read organisation membership, team membership and organisation projects.", True),
    ("manage_runners:org", "Manage org runners and runner groups", HP,
     "Manage the organisation's self-hosted runners and runner groups.", False),
    ("admin:public_key", "Full control of user public keys", HP,
     "Create, list, view and delete the user's public SSH keys.", True),
    ("write:public_key", "Write user public keys", HP,
     "Create, list and view the user's public SSH keys.", True),
    ("read:public_key", "Read user public keys", __,
     "List and view the user's public SSH keys.", True),
    ("admin:repo_hook", "Full control of repository hooks", HP,
     "Read, write, ping and delete repository webhooks (repo and public_repo can do this as well).", True),
    ("write:repo_hook", "Write repository hooks", __,
     "Read, write and ping repository webhooks.", True),
    ("read:repo_hook", "Read repository hooks", __,
     "Read and ping repository webhooks.", True),
    ("admin:org_hook", "Full control of organization hooks", HP,
     "Read, write, ping and delete organisation webhooks (a token acts only on hooks its user created).", True),
    ("gist", "Create gists", __,
     "Write access to gists.", True),
    ("notifications", "Access notifications", __,
     "Read notifications, mark them read, watch and unwatch, manage thread subscriptions.", True),
    ("user", "Update ALL user data", __,
     "Read and write the user's profile; includes user:email and user:follow.", True),
    ("read:user", "Read ALL user profile data", __,
     "Read the user's profile.", True),
    ("user:email", "Access user email addresses (read-only)", __,
     "Read the user's email addresses.", True),
    ("user:follow", "Follow and unfollow users", __,
     "Follow and unfollow other users.", True),
    ("delete_repo", "Delete repositories", HP,
     "Delete repositories the user administers.", True),
    ("write:discussion", "Read and write team discussions", __,
     "Read and write team discussions.", False),
    ("read:discussion", "Read team discussions", __,
     "Read team discussions.", False),
    ("admin:enterprise", "Full control of enterprises", HP,
     "Full control of the enterprise's functionality.", True),
    ("manage_runners:enterprise", "Manage enterprise runners and runner groups", HP,
     "Manage the enterprise's self-hosted runners and runner groups.", True),
    ("manage_billing:enterprise", "Read and write enterprise billing data", HP,
     "Read and write the enterprise's billing data.", True),
    ("read:enterprise", "Read enterprise profile data", __,
     "Read the enterprise profile.", True),
    ("scim:enterprise", "Provisioning of users and groups via SCIM", HP,
     "Provision enterprise users and groups through SCIM (the setup token of an enterprise with managed"
     " users needs it).", False),
    ("audit_log", "Full control of audit log", HP,
     "Full control of the audit log.", False),
    ("read:audit_log", "Read access of audit log", __,
     "Read the audit log.", True),
    ("codespace", "Full control of codespaces", HP,
     "Create and manage codespaces, including their secrets.", True),
    ("codespace:secrets", "Ability to create, read, update, and delete codespace secrets", HP,
     "Create, read, update and delete codespace secrets.", False),
    ("copilot", "Full control of GitHub Copilot settings and seat assignments", HP,
     "Manage GitHub Copilot settings and seat assignments.", False),
    ("manage_billing:copilot", "View and edit Copilot Business seat assignments", HP,
     "View and edit Copilot Business seat assignments.", False),
    ("write:network_configurations", "Write org hosted compute network configurations", HP,
     "Write the organisation's hosted compute network configurations.", False),
    ("read:network_configurations", "Read org hosted compute network configurations", __,
     "Read the organisation's hosted compute network configurations.", False),
    ("project", "Full control of projects", __,
     "Read and write user and organisation projects.", True),
    ("read:project", "Read access of projects", __,
     "Read user and organisation projects.", True),
    ("admin:gpg_key", "Full control of public user GPG keys", HP,
     "Create, list, view and delete the user's public GPG keys.", True),
    ("write:gpg_key", "Write public user GPG keys", HP,
     "Create, list and view the user's public GPG keys.", True),
    ("read:gpg_key", "Read public user GPG keys", __,
     "List and view the user's public GPG keys.", True),
    ("admin:ssh_signing_key", "Full control of public user SSH signing keys", HP,
     "Create, list, view and delete the user's SSH signing keys.", False),
    ("write:ssh_signing_key", "Write public user SSH signing keys", HP,
     "Create, list and view the user's SSH signing keys.", False),
    ("read:ssh_signing_key", "Read public user SSH signing keys", __,
     "List and view the user's SSH signing keys.", False),
    ("site_admin", "Site admin", HP,
     "GitHub Enterprise Server only: site administrators' access to the Enterprise Administration API.", True),
    ("admin:pre_receive_hook", "Full control of pre-receive hooks", HP,
     "GitHub Enterprise Server only: manage pre-receive hooks.", False),
)

_CLASSIC_IMPLIES: dict[str, tuple[Implication, ...]] = {
    # The scope table indents these under repo, and says repo includes repository hooks.
    "repo": implies(
        "repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events", "admin:repo_hook",
        source=SCOPE_TABLE,
    ),
    "admin:repo_hook": implies("write:repo_hook", "read:repo_hook", source=SCOPE_TABLE),
    # The descriptions: write is "read, write, and ping", read is "read and ping".
    "write:repo_hook": implies("read:repo_hook", source=SCOPE_TABLE),
    "admin:org": (
        *implies("write:org", "read:org", source=SCOPE_TABLE),
        Implication("manage_runners:org", unconfirmed=_FORM_NESTING),
    ),
    # write:org's description leaves out team membership, which read:org reads.
    "write:org": (Implication("read:org", unconfirmed=_FORM_NESTING + " (and write:org omits team membership)"),),
    "admin:public_key": implies("write:public_key", "read:public_key", source=SCOPE_TABLE),
    "write:public_key": implies("read:public_key", source=SCOPE_TABLE),
    "user": implies("read:user", "user:email", "user:follow", source=SCOPE_TABLE),
    "project": implies("read:project", source=SCOPE_TABLE),
    # The scope table lists write:packages and read:packages side by side, not nested.
    "write:packages": (Implication("read:packages", unconfirmed=_FORM_NESTING),),
    "admin:gpg_key": implies("write:gpg_key", "read:gpg_key", source=SCOPE_TABLE),
    "write:gpg_key": implies("read:gpg_key", source=SCOPE_TABLE),
    "admin:enterprise": implies(
        "manage_runners:enterprise", "manage_billing:enterprise", "read:enterprise", source=SCOPE_TABLE
    ),
    "manage_billing:enterprise": (Implication("read:enterprise", unconfirmed=_FORM_NESTING),),
    "audit_log": (Implication("read:audit_log", unconfirmed=_FORM_NESTING),),
    "codespace": (Implication("codespace:secrets", unconfirmed=_FORM_NESTING),),
    "copilot": (Implication("manage_billing:copilot", unconfirmed=_FORM_NESTING),),
    "write:network_configurations": (Implication("read:network_configurations", unconfirmed=_FORM_NESTING),),
    "admin:ssh_signing_key": (
        Implication("write:ssh_signing_key", unconfirmed=_FORM_NESTING),
        Implication("read:ssh_signing_key", unconfirmed=_FORM_NESTING),
    ),
    "write:ssh_signing_key": (Implication("read:ssh_signing_key", unconfirmed=_FORM_NESTING),),
    "write:discussion": (Implication("read:discussion", unconfirmed=_FORM_NESTING),),
}

_CLASSIC_PARENT = {
    implied.scope: parent for parent, rows in _CLASSIC_IMPLIES.items() for implied in rows
}

_CLASSIC_ALIASES: dict[str, tuple[str, ...]] = {
    # Integration guides say "all repo options" for ticking repo with every child.
    "repo": ("All repo options",),
}

_CLASSIC_DEPRECATED = {"write:discussion": _TEAM_DISCUSSIONS, "read:discussion": _TEAM_DISCUSSIONS}


def _classic_scopes() -> list[Scope]:
    return [
        Scope(
            name=name,
            label=label,
            label_unconfirmed=_FORM_LABEL,
            kinds=CLASSIC,
            implies=_CLASSIC_IMPLIES.get(name, ()),
            description=meaning,
            group=_CLASSIC_PARENT.get(name, ""),
            aliases=_CLASSIC_ALIASES.get(name, ()),
            high_privilege=high,
            deprecated=_CLASSIC_DEPRECATED.get(name),
            sources=(SCOPE_TABLE,) if documented else (),
            unconfirmed=None if documented else _FORM_ONLY,
        )
        for name, label, high, meaning, documented in _CLASSIC
    ]


# -- fine-grained and GitHub App permissions --------------------------------------------------------
REPOSITORY_GROUP = "Repository permissions"
_GROUP_HEADINGS = {
    "Repository": REPOSITORY_GROUP,
    "Organization": "Organization permissions",
    "User": "User permissions",
    "Enterprise": "Enterprise permissions",
}
_QUALIFIERS = {"Organization": " (organization)", "User": " (user)", "Enterprise": " (enterprise)"}
_LEVEL_LABELS = {"read": "Read-only", "write": "Read and write", "admin": "Admin"}
_LEVEL_ORDER = ("read", "write", "admin")

# The lowest level that is high privilege, per permission (the rule in the module's docstring).
_HIGH_FROM: dict[str, str] = {
    # repository
    "actions": "write", "administration": "write", "agent_secrets": "write", "agent_variables": "write",
    "attestations": "write", "codespaces_secrets": "write", "contents": "write", "dependabot_secrets": "write",
    "environments": "write", "pages": "write", "secrets": "write", "actions_variables": "write",
    "repository_hooks": "write", "workflows": "write", "packages": "write", "single_file": "write",
    # organization
    "organization_administration": "write", "organization_agent_secrets": "write",
    "organization_agent_variables": "write", "organization_copilot_agent_settings": "write",
    "org_copilot_content_exclusion": "write", "organization_custom_org_roles": "write",
    "organization_custom_properties": "admin", "organization_custom_roles": "write",
    "organization_copilot_seat_management": "write", "organization_runner_custom_images": "write",
    "members": "write", "organization_network_configurations": "write",
    "organization_codespaces_secrets": "write", "organization_codespaces_settings": "write",
    "organization_dependabot_secrets": "write", "organization_private_registries": "write",
    "organization_projects": "admin", "organization_secrets": "write", "organization_self_hosted_runners": "write",
    "organization_actions_variables": "write", "organization_hooks": "write", "organization_packages": "write",
    "organization_personal_access_tokens": "write", "organization_personal_access_token_requests": "write",
    # user
    "codespaces_user_secrets": "write", "gpg_keys": "write", "keys": "write", "git_ssh_keys": "write",
    "git_signing_ssh_public_keys": "write",
    # enterprise
    "enterprise_administration": "write", "enterprise_custom_properties_for_organizations": "admin",
    "enterprise_organization_installations": "write", "enterprise_organization_installation_repositories": "write",
    "enterprise_teams": "write",
}

# Permissions only the App schema names: GitHub's schema gives no title or group, so these are ours.
_APP_ONLY_TITLES: dict[str, tuple[str, str]] = {
    "checks": ("Repository", "Checks"),
    "discussions": ("Repository", "Discussions"),
    "merge_queues": ("Repository", "Merge queues"),
    "packages": ("Repository", "Packages"),
    "repository_projects": ("Repository", "Projects (classic)"),
    "single_file": ("Repository", "Single file"),
    "custom_properties_for_organizations": ("Organization", "Custom properties for organizations"),
    "organization_custom_roles": ("Organization", "Custom repository roles"),
    "organization_announcement_banners": ("Organization", "Announcement banners"),
    "organization_personal_access_tokens": ("Organization", "Personal access tokens"),
    "organization_personal_access_token_requests": ("Organization", "Personal access token requests"),
    "organization_plan": ("Organization", "Plan"),
    "organization_packages": ("Organization", "Packages"),
    "email_addresses": ("User", "Email addresses"),
    "git_ssh_keys": ("User", "Git SSH keys"),
    "enterprise_custom_properties_for_organizations": ("Enterprise", "Custom properties for organizations"),
    "enterprise_administration": ("Enterprise", "Administration"),
    "enterprise_organization_installations": ("Enterprise", "Organization installations"),
    "enterprise_organization_installation_repositories": ("Enterprise", "Organization installation repositories"),
}
_APP_ONLY_TITLE = "GitHub's App permission schema names the permission but not its title or group; both are ours"
_LEVEL_WORDING = (
    "the level wording (Read-only, Read and write, Admin) is the token form's; GitHub's permission data gives"
    " the title only"
)

# Fine-grained permissions no current source names: no REST endpoint needs them, so GitHub's endpoint data
# leaves them out, and the URL-prefill tables that listed them left GitHub's docs.
_PREFILL_ONLY = (
    "named only by the permission tables of the URL-prefill section of GitHub's token docs, which GitHub"
    " removed on 2026-05-22 (github/docs pull request 44419); absent from GitHub's permission data"
)
# permission, group, title, levels
_FINE_GRAINED_UNCONFIRMED: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("organization_code_scanning_dismissal_requests", "Organization", "Code scanning dismissal requests",
     ("read", "write")),
    ("organization_knowledge_bases", "Organization", "Knowledge bases", ("read", "write")),
    ("organization_models", "Organization", "Models", ("read",)),
    ("team_discussions", "Organization", "Team discussions", ("read", "write")),
    ("copilot_messages", "User", "Copilot Chat", ("read",)),
    ("copilot_editor_context", "User", "Copilot Editor Context", ("read",)),
    ("copilot_requests", "User", "Copilot requests", ("write",)),
    ("user_events", "User", "Events", ("read",)),
    ("knowledge_bases", "User", "Knowledge bases", ("read", "write")),
    ("user_models", "User", "Models", ("read",)),
)

_PERMISSION_DEPRECATED = {
    "team_discussions": _TEAM_DISCUSSIONS,
    "repository_projects": Flag(
        reason="GitHub sunset Projects (classic) (notice of 2024-05-23) in favour of the new Projects",
        source=PROJECTS_CLASSIC_SUNSET,
        since="2024-05-23",
    ),
}

_METADATA_NOTE = (
    " GitHub's token form adds Metadata: Read-only to any repository permission by itself;"
    " this permission does not contain metadata:read here, so list it when it is needed."
)


class _Permission:
    """One permission from any source, with the levels each kind can hold and where that is said."""

    __slots__ = ("name", "group", "title", "levels", "title_from_github", "unconfirmed")

    def __init__(self, name: str, group: str, title: str, title_from_github: bool) -> None:
        self.name, self.group, self.title, self.title_from_github = name, group, title, title_from_github
        self.levels: dict[str, dict[CredentialKind, Source | None]] = {}
        self.unconfirmed: str | None = None

    def offer(self, levels: tuple[str, ...], kind: CredentialKind, source: Source | None) -> None:
        for level in levels:
            self.levels.setdefault(level, {})[kind] = source


def _permissions() -> list[_Permission]:
    found: dict[str, _Permission] = {}
    for name, group, title, fine_grained, app in published.PERMISSIONS:
        if group:
            permission = _Permission(name, group, title, title_from_github=True)
        else:
            own_group, own_title = _APP_ONLY_TITLES[name]
            permission = _Permission(name, own_group, own_title, title_from_github=False)
        permission.offer(fine_grained, FINE_GRAINED_PAT, FINE_GRAINED_DATA)
        permission.offer(app, APP, APP_SCHEMA)
        if name == "contents":
            # A deploy key clones (and, with write access, pushes to) one repository: it holds repository
            # contents, nothing the API serves (not even metadata).
            permission.offer(("read", "write"), DEPLOY_KEY, DEPLOY_KEYS)
        found[name] = permission
    for name, group, title, levels in _FINE_GRAINED_UNCONFIRMED:
        permission = _Permission(name, group, title, title_from_github=False)
        permission.offer(levels, FINE_GRAINED_PAT, None)
        permission.unconfirmed = _PREFILL_ONLY
        found[name] = permission
    return list(found.values())


def _permission_scopes() -> list[Scope]:
    permissions = _permissions()
    titles_by_group: dict[str, set[str]] = {}
    for permission in permissions:
        titles_by_group.setdefault(permission.title, set()).add(permission.group)
    used_labels: set[str] = set()
    entries = []
    for permission in permissions:
        shown = permission.title
        # The form shows the bare title under its group heading; labels must be unique across the catalog,
        # so a title that also appears under another group is qualified outside the repository group.
        if len(titles_by_group[shown]) > 1:
            shown += _QUALIFIERS.get(permission.group, "")
        if any(f"{shown}: {_LEVEL_LABELS[level]}" in used_labels for level in permission.levels):
            shown += " (GitHub App)"
        levels = [level for level in _LEVEL_ORDER if level in permission.levels]
        high_from = _HIGH_FROM.get(permission.name)
        group = _GROUP_HEADINGS[permission.group]
        for index, level in enumerate(levels):
            label = f"{shown}: {_LEVEL_LABELS[level]}"
            used_labels.add(label)
            offered = permission.levels[level]
            sources = [source for source in offered.values() if source is not None]
            if APP in offered:
                sources.append(APP_DATA)
            note = _METADATA_NOTE if permission.group == "Repository" and permission.name != "metadata" else ""
            entries.append(
                Scope(
                    name=f"{permission.name}:{level}",
                    label=label,
                    label_source=FINE_GRAINED_DATA if permission.title_from_github else None,
                    label_unconfirmed=_LEVEL_WORDING if permission.title_from_github else _APP_ONLY_TITLE,
                    kinds=frozenset(offered),
                    implies=(
                        (Implication(f"{permission.name}:{levels[index - 1]}", source=LEVEL_ORDER_SOURCE),)
                        if index
                        else ()
                    ),
                    description=f"{permission.title} ({group.lower()}), {level} access.{note}",
                    group=group,
                    high_privilege=high_from is not None
                    and _LEVEL_ORDER.index(level) >= _LEVEL_ORDER.index(high_from),
                    deprecated=_PERMISSION_DEPRECATED.get(permission.name),
                    sources=tuple(dict.fromkeys(sources)),
                    unconfirmed=permission.unconfirmed,
                )
            )
    return entries


CATALOG = ScopeCatalog.of("github", [*_classic_scopes(), *_permission_scopes()])
