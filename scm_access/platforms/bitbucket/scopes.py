"""Bitbucket Cloud scope catalog: API-token scopes and the legacy app-password scopes.

API-token scopes (``read:repository:bitbucket`` ...) follow Atlassian's "API token permissions" page and the
scope list of the Bitbucket Cloud REST API docs. They contain nothing: a write scope does not include the
read scope, and an admin scope includes neither, per Atlassian docs.

App-password scopes (``repository``, ``repository:write`` ...) follow Atlassian's "App password permissions"
page and "Scopes for the Bitbucket Cloud REST API", including the few containments those pages state. App
passwords cannot be created since 2025-09-09 and stopped working on 2026-07-28; the scopes stay so that old
declarations and guides resolve and get a clear deprecation instead of "unknown scope".

Labels are "<category>: <level>" as the permission pages name them (unconfirmed: that the token dialog
words every category and level the same way). App-password labels carry "(app password)" so that they do
not collide with the API-token labels that replaced them.

High privilege: scopes that push code or merge (repository write, pull request write), administer
repositories, projects, workspaces, pipelines (variables) or permissions, register runners, create webhooks
or keys, or delete anything.
"""

from __future__ import annotations

from scm_access.core.kinds import CredentialKind
from scm_access.scopes.catalog import Flag, Implication, Scope, ScopeCatalog, Source

CHECKED = "2026-11-30"
API_TOKEN_PERMISSIONS = Source("https://support.atlassian.com/bitbucket-cloud/docs/api-token-permissions/", CHECKED)
APP_PASSWORD_PERMISSIONS = Source(
    "https://support.atlassian.com/bitbucket-cloud/docs/app-password-permissions/", CHECKED
)
REST_API_SCOPES = Source("https://developer.atlassian.com/cloud/bitbucket/bitbucket-cloud-rest-api-scopes/", CHECKED)
APP_PASSWORD_BROWNOUT = Source(
    "https://community.atlassian.com/forums/Bitbucket-articles/"
    "Deprecation-notice-Bitbucket-Cloud-app-password-brownout/ba-p/3237429",
    CHECKED,
)
PROJECT_WRITE_NOTICE = Source(
    "https://developer.atlassian.com/cloud/bitbucket/deprecation-notice-project-write-scope/", CHECKED
)

API_TOKEN = frozenset({CredentialKind.BITBUCKET_API_TOKEN})
APP_PASSWORD = frozenset({CredentialKind.BITBUCKET_APP_PASSWORD})

HP = True
__ = False

# -- API tokens -------------------------------------------------------------------------------------
# resource in the scope string, category, levels with their high-privilege flag
_API_TOKEN_CATEGORIES: tuple[tuple[str, str, tuple[tuple[str, bool], ...]], ...] = (
    ("repository", "Repositories", (("read", __), ("write", HP), ("admin", HP), ("delete", HP))),
    ("pullrequest", "Pull requests", (("read", __), ("write", HP))),
    ("project", "Projects", (("read", __), ("admin", HP))),
    ("workspace", "Workspaces", (("read", __), ("admin", HP))),
    ("user", "User data", (("read", __), ("write", __))),
    ("pipeline", "Pipelines", (("read", __), ("write", __), ("admin", HP))),
    ("runner", "Runners", (("read", __), ("write", HP))),
    ("issue", "Issues", (("read", __), ("write", __), ("delete", HP))),
    ("webhook", "Webhooks", (("read", __), ("write", HP), ("delete", HP))),
    ("snippet", "Snippets", (("read", __), ("write", __), ("delete", HP))),
    ("ssh-key", "SSH keys", (("read", __), ("write", HP), ("delete", HP))),
    ("gpg-key", "GPG keys", (("read", __), ("write", HP), ("delete", HP))),
    ("permission", "Permissions", (("read", __), ("write", HP), ("delete", HP))),
)

_API_TOKEN_MEANINGS: dict[str, str] = {
    "read:repository": "View repositories: source, file browsing, settings such as branching model and"
    " default reviewers. Not pull requests.",
    "write:repository": "Modify repositories, including pushing source; not pull requests. Does not include"
    " read:repository:bitbucket.",
    "admin:repository": "Repository administration: create repositories, branch restrictions, branching"
    " model, default reviewers. Includes neither read nor write.",
    "delete:repository": "Delete repositories.",
    "read:pullrequest": "View pull requests and comment on them; not the repository endpoints.",
    "write:pullrequest": "Create, update, approve, decline and merge pull requests. Does not include"
    " write:repository:bitbucket.",
    "read:project": "View projects and their permissions.",
    "admin:project": "Create, update and delete projects; no access to their repositories.",
    "read:workspace": "View workspaces and their permissions.",
    "admin:workspace": "Create, update and delete workspaces; no access to their contents.",
    "read:user": "View the current user's data (GET /2.0/user).",
    "write:user": "Update the current user's data.",
    "read:pipeline": "View pipelines, steps, caches, artefacts, logs, tests and code insights.",
    "write:pipeline": "Run and stop pipelines, upload tests and code insights.",
    "admin:pipeline": "Pipeline administration, such as creating pipeline variables.",
    "read:runner": "View runners.",
    "write:runner": "Manage runners.",
    "read:issue": "View issues.",
    "write:issue": "Create and update issues.",
    "delete:issue": "Delete issues.",
    "read:webhook": "View webhooks.",
    "write:webhook": "Create and update webhooks.",
    "delete:webhook": "Delete webhooks.",
    "read:snippet": "View snippets.",
    "write:snippet": "Create and update snippets.",
    "delete:snippet": "Delete snippets.",
    "read:ssh-key": "View SSH keys and deploy keys.",
    "write:ssh-key": "Create and update SSH keys and deploy keys.",
    "delete:ssh-key": "Delete SSH keys and deploy keys.",
    "read:gpg-key": "View GPG keys.",
    "write:gpg-key": "Create and update GPG keys.",
    "delete:gpg-key": "Delete GPG keys.",
    "read:permission": "View permissions.",
    "write:permission": "Create and modify permissions.",
    "delete:permission": "Delete permissions.",
}


_DIALOG_WORDING = "Atlassian's permission page names the category and level; the token dialog's wording is not shown"


def _api_token_scopes() -> list[Scope]:
    return [
        Scope(
            name=f"{level}:{resource}:bitbucket",
            label=f"{category}: {level.capitalize()}",
            label_source=API_TOKEN_PERMISSIONS,
            label_unconfirmed=_DIALOG_WORDING,
            sources=(API_TOKEN_PERMISSIONS,),
            kinds=API_TOKEN,
            description=_API_TOKEN_MEANINGS[f"{level}:{resource}"],
            group=category,
            high_privilege=high,
        )
        for resource, category, levels in _API_TOKEN_CATEGORIES
        for level, high in levels
    ]


# -- app passwords (removed) ------------------------------------------------------------------------
APP_PASSWORDS_REMOVED = (
    "Bitbucket app passwords cannot be created since 2025-09-09 and stopped working on 2026-07-28"
)
_READ_BY_EARLIER_CATALOG = (
    "the containment the scope page was read to state before; not found again on Atlassian's pages when"
    " the catalog was traced"
)
# What Atlassian's pages say each app-password scope contains: containing scope -> implications.
_APP_PASSWORD_IMPLIES: dict[str, tuple[Implication, ...]] = {
    # "Read access (repository) to all the repositories in the projects is also granted."
    "project": (Implication("repository", source=APP_PASSWORD_PERMISSIONS),),
    # "This scope implies repository, which does not need to be requested separately."
    "repository:write": (Implication("repository", source=REST_API_SCOPES),),
    "pullrequest": (Implication("repository", unconfirmed=_READ_BY_EARLIER_CATALOG),),
    "pullrequest:write": (
        Implication("pullrequest", unconfirmed=_READ_BY_EARLIER_CATALOG),
        Implication("repository:write", unconfirmed=_READ_BY_EARLIER_CATALOG),
    ),
    "issue:write": (Implication("issue", unconfirmed=_READ_BY_EARLIER_CATALOG),),
    "snippet:write": (Implication("snippet", unconfirmed=_READ_BY_EARLIER_CATALOG),),
}

# scope, category, level, high privilege, API-token successor ("" if none), meaning
# unconfirmed: the successors of team and team:write (Atlassian publishes no mapping for them).
_APP_PASSWORD_SCOPES: tuple[tuple[str, str, str, bool, str, str], ...] = (
    ("email", "Account", "Email", __, "read:user:bitbucket",
     "View the user's primary email address."),
    ("account", "Account", "Read", __, "read:user:bitbucket",
     "View the user's account information (names, email addresses, groups, SSH keys...)."),
    ("account:write", "Account", "Write", HP, "write:user:bitbucket",
     "Manage the user's account, including deleting it."),
    ("team", "Workspace membership", "Read", __, "read:workspace:bitbucket",
     "View the workspaces the user belongs to."),
    ("team:write", "Workspace membership", "Write", HP, "admin:workspace:bitbucket",
     "Manage the workspaces the user administers."),
    ("project", "Projects", "Read", __, "read:project:bitbucket",
     "View projects; also read access to every repository in them."),
    ("project:write", "Projects", "Write", __, "admin:project:bitbucket",
     "Obsolete, replaced by project:admin."),
    ("project:admin", "Projects", "Admin", HP, "admin:project:bitbucket",
     "Project administration; includes neither project nor access to the repositories' contents."),
    ("repository", "Repositories", "Read", __, "read:repository:bitbucket",
     "Read repositories and clone over HTTPS; not pull requests."),
    ("repository:write", "Repositories", "Write", HP, "write:repository:bitbucket",
     "Push over HTTPS and fork; includes repository."),
    ("repository:admin", "Repositories", "Admin", HP, "admin:repository:bitbucket",
     "Repository administration; includes neither repository nor repository:write."),
    ("repository:delete", "Repositories", "Delete", HP, "delete:repository:bitbucket",
     "Delete repositories."),
    ("pullrequest", "Pull requests", "Read", __, "read:pullrequest:bitbucket",
     "View, list and comment on pull requests."),
    ("pullrequest:write", "Pull requests", "Write", HP,
     "write:pullrequest:bitbucket",
     "Create, approve, decline and merge pull requests."),
    ("issue", "Issues", "Read", __, "read:issue:bitbucket",
     "View, create, comment on, watch and vote for issues."),
    ("issue:write", "Issues", "Write", HP, "write:issue:bitbucket",
     "Also transition and delete issues."),
    ("wiki", "Wikis", "Read and write", __, "",
     "View and edit wikis."),
    ("snippet", "Snippets", "Read", __, "read:snippet:bitbucket",
     "View snippets and comment on them."),
    ("snippet:write", "Snippets", "Write", __, "write:snippet:bitbucket",
     "Create, edit and delete snippets."),
    ("webhook", "Webhooks", "Read and write", HP, "the read, write and delete webhook scopes",
     "List, create, update and delete webhook subscriptions."),
    ("pipeline", "Pipelines", "Read", __, "read:pipeline:bitbucket",
     "View pipelines, steps, deployment environments and variables."),
    ("pipeline:write", "Pipelines", "Write", __, "write:pipeline:bitbucket",
     "Stop, rerun, resume and trigger pipelines."),
    ("pipeline:variable", "Pipelines", "Edit variables", HP, "admin:pipeline:bitbucket",
     "Create pipeline variables at workspace, repository and deployment level."),
    ("runner", "Runners", "Read", __, "read:runner:bitbucket",
     "View runners."),
    ("runner:write", "Runners", "Write", HP, "write:runner:bitbucket",
     "Create, edit, disable and delete runners."),
)

_PROJECT_WRITE_REMOVED = "Removed from the Bitbucket API on 2023-05-15 in favour of project:admin. "
_ATLASSIAN_LISTS = (
    "email", "account", "account:write", "team", "team:write", "project", "project:write", "project:admin",
)
_LISTED_ELSEWHERE = (
    "Atlassian's app-password page names the scope string; its category and level wording after Projects"
    " is known from third parties only"
)


def _app_password_scopes() -> list[Scope]:
    entries = []
    for name, category, level, high, successor, meaning in _APP_PASSWORD_SCOPES:
        if not successor:
            reason = f"{APP_PASSWORDS_REMOVED}; API tokens have no equivalent scope."
        elif successor.endswith(":bitbucket"):
            reason = f"{APP_PASSWORDS_REMOVED}; use an API token with scope {successor}."
        else:
            reason = f"{APP_PASSWORDS_REMOVED}; use an API token with {successor}."
        deprecated = Flag(reason=reason, source=APP_PASSWORD_BROWNOUT, since="2026-07-28")
        if name == "project:write":
            deprecated = Flag(reason=_PROJECT_WRITE_REMOVED + reason, source=PROJECT_WRITE_NOTICE, since="2023-05-15")
        entries.append(
            Scope(
                name=name,
                label=f"{category}: {level} (app password)",
                label_source=APP_PASSWORD_PERMISSIONS if name in _ATLASSIAN_LISTS else None,
                label_unconfirmed=None if name in _ATLASSIAN_LISTS else _LISTED_ELSEWHERE,
                kinds=APP_PASSWORD,
                implies=_APP_PASSWORD_IMPLIES.get(name, ()),
                description=meaning,
                group=category,
                deprecated=deprecated,
                high_privilege=high,
                # Creation is disabled, so nothing can be ticked any more.
                ui_selectable=False,
                sources=(APP_PASSWORD_PERMISSIONS, REST_API_SCOPES),
            )
        )
    return entries


CATALOG = ScopeCatalog.of("bitbucket", [*_api_token_scopes(), *_app_password_scopes()])
