"""Azure DevOps scope catalog: the scopes of a personal access token.

Which scopes exist, Microsoft's names, containment ("Inherits From") and the high-privilege flag come from
Microsoft's Azure DevOps OAuth scope table and the OAuth scopes of the REST API 7.1 specifications, turned
into ``scope_data.py`` by ``scripts/generate_catalogs.py``. Each level includes the one below it (write
includes read, manage includes write, full includes manage) plus the cross-group inclusions that table lists.
``app_token`` is the "Full access" choice of the token dialog (the scope the Tokens API's examples give a
full-access token).

Labels are "<group>: <level>" as the token dialog shows them under "Custom defined". Microsoft's own pages
show only a few of them ("Agent Pools (Read & manage)", "Read Audit Log"); the rest follow the wording of the
dialog as integration guides reproduce it and are marked unconfirmed. Microsoft's scope names ("Code (read and
write)") are aliases, so either spelling resolves.
"""

from __future__ import annotations

from scm_access.core.kinds import CredentialKind
from scm_access.platforms.azure_devops import scope_data as published
from scm_access.scopes.catalog import Flag, Implication, Scope, ScopeCatalog, Source

PAT = frozenset({CredentialKind.AZURE_DEVOPS_PAT})
FULL_ACCESS = "app_token"

CHECKED = "2026-11-30"
SCOPE_TABLE = Source(
    published.TABLE_SOURCE
    + " (https://learn.microsoft.com/azure/devops/integrate/get-started/authentication/oauth#scopes)",
    published.TABLE_CHECKED,
)
REST_SPECS = Source(published.SPEC_SOURCE, published.TABLE_CHECKED)
PAT_STEPS = Source(
    "MicrosoftDocs/azure-devops-docs:docs/repos/git/includes/personal-access-tokens.md@04f01236f310"
    " (https://learn.microsoft.com/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate)",
    CHECKED,
)
TOKENS_API_EXAMPLE = Source(
    "MicrosoftDocs/vsts-rest-api-specs:specification/tokens/7.1/httpExamples/Pats/CreatePat.json", CHECKED
)

_GUIDE_LABEL = (
    "the token dialog's wording as integration guides reproduce it; Microsoft's pages do not show this row"
)
# Labels Microsoft's own pages show, with the alias spelling they use.
_MICROSOFT_LABELS: dict[str, tuple[str, ...]] = {
    "vso.agentpools_manage": ("Agent Pools (Read & manage)",),
    # The PAT steps say to "select Read Audit Log" to read audit log events.
    "vso.auditlog": ("Read Audit Log",),
}
_ENTRA_ONLY = frozenset({"user_impersonation"})  # Microsoft Entra OAuth only; a PAT cannot carry it

# scope, UI group, UI level, meaning (our words)
_UI: tuple[tuple[str, str, str, str], ...] = (
    ("vso.advsec", "Advanced Security", "Read",
     "Read Advanced Security alerts and analysis results."),
    ("vso.advsec_write", "Advanced Security", "Read & write",
     "Also upload SARIF analyses."),
    ("vso.advsec_manage", "Advanced Security", "Read, write, & manage",
     "Also manage Advanced Security."),
    ("vso.agentpools", "Agent Pools", "Read",
     "View tasks, pools, queues, agents and their current or recent jobs."),
    ("vso.agentpools_manage", "Agent Pools", "Read & manage",
     "Manage pools, queues and agents."),
    ("vso.environment_manage", "Environment", "Read & manage",
     "Manage pools, queues, agents and environments."),
    ("vso.machinegroup_manage", "Deployment Groups", "Read & manage",
     "Manage deployment groups and agent pools."),
    ("vso.analytics", "Analytics", "Read",
     "Query Analytics data."),
    ("vso.auditlog", "Auditing", "Read Audit Log",
     "Read the audit log."),
    ("vso.auditstreams_manage", "Auditing", "Manage Audit Streams",
     "Manage audit streams."),
    ("vso.build", "Build", "Read",
     "Read build results, definitions and requests; receive build events through service hooks."),
    ("vso.build_execute", "Build", "Read & execute",
     "Also queue builds and update build properties."),
    ("vso.code", "Code", "Read",
     "Read source code and version-control metadata, search code, receive code events through service hooks."),
    ("vso.code_write", "Code", "Read & write",
     "Also update and delete source code, create and manage pull requests and code reviews."),
    ("vso.code_manage", "Code", "Read, write, & manage",
     "Also create and manage repositories."),
    ("vso.code_full", "Code", "Full",
     "Full access to source code and version-control metadata, with limited Client OM support."),
    ("vso.code_status", "Code", "Status",
     "Read and write commit and pull request statuses."),
    ("vso.connected_server", "Connected Server", "",
     "Endpoints an on-premises connected server needs."),
    ("vso.entitlements", "Entitlements", "Read",
     "Read the licensing entitlements of the organisation."),
    ("vso.memberentitlementmanagement", "Member Entitlement Management", "Read",
     "Read users, their licences and the projects and extensions they can access."),
    ("vso.memberentitlementmanagement_write", "Member Entitlement Management", "Read & write",
     "Manage users, their licences and the projects and extensions they can access."),
    ("vso.extension", "Extensions", "Read",
     "Read installed extensions."),
    ("vso.extension_manage", "Extensions", "Read & manage",
     "Install, uninstall and administer extensions."),
    ("vso.extension.data", "Extension Data", "Read",
     "Read data (settings and documents) that installed extensions store."),
    ("vso.extension.data_write", "Extension Data", "Read & write",
     "Read and write data that installed extensions store."),
    ("vso.githubconnections", "GitHub Connections", "Read",
     "Read GitHub connections and GitHub repository data."),
    ("vso.githubconnections_manage", "GitHub Connections", "Read & manage",
     "Also manage GitHub connections."),
    ("vso.graph", "Graph", "Read",
     "Read users, groups, scopes and group memberships."),
    ("vso.graph_manage", "Graph", "Read & manage",
     "Also add users and groups and manage group memberships."),
    ("vso.identity", "Identity", "Read",
     "Read identities and groups."),
    ("vso.identity_manage", "Identity", "Read & manage",
     "Read, write and manage identities and groups."),
    ("vso.gallery", "Marketplace", "Read",
     "Read public and private Marketplace items and publishers."),
    ("vso.gallery_acquire", "Marketplace", "Acquire",
     "Also acquire items."),
    ("vso.gallery_publish", "Marketplace", "Publish",
     "Also upload, update and share items."),
    ("vso.gallery_manage", "Marketplace", "Manage",
     "Also publish and manage items and publishers."),
    ("vso.notification", "Notifications", "Read",
     "Read subscriptions and event metadata."),
    ("vso.notification_write", "Notifications", "Write",
     "Also write subscriptions."),
    ("vso.notification_manage", "Notifications", "Manage",
     "Also manage subscriptions."),
    ("vso.notification_diagnostics", "Notifications", "Diagnostics",
     "Read notification diagnostic logs and enable diagnostics on subscriptions."),
    ("vso.packaging", "Packaging", "Read",
     "Read and search feeds and packages."),
    ("vso.packaging_write", "Packaging", "Read & write",
     "Also create feeds and packages."),
    ("vso.packaging_manage", "Packaging", "Read, write, & manage",
     "Also update and delete feeds and packages."),
    ("vso.pipelineresources_use", "Pipeline Resources", "Use",
     "Approve a pipeline's request to use a protected resource (agent pool, environment, queue, repository, secure file, service connection, variable group)."),
    ("vso.pipelineresources_manage", "Pipeline Resources", "Use & manage",
     "Also manage protected resources and requests to use them."),
    ("vso.project", "Project and Team", "Read",
     "Read projects and teams."),
    ("vso.project_write", "Project and Team", "Read & write",
     "Also update projects and teams."),
    ("vso.project_manage", "Project and Team", "Read, write, & manage",
     "Also create and delete projects and teams."),
    ("vso.threads_full", "Pull Request Threads", "Read & write",
     "Read and write pull request comment threads."),
    ("vso.release", "Release", "Read",
     "Read releases, release definitions and release environments."),
    ("vso.release_execute", "Release", "Read, write, & execute",
     "Also update release artefacts and queue releases."),
    ("vso.release_manage", "Release", "Read, write, execute, & manage",
     "Also delete release artefacts and approve releases."),
    ("vso.securefiles_read", "Secure Files", "Read",
     "Read secure files."),
    ("vso.securefiles_write", "Secure Files", "Read & create",
     "Also create secure files."),
    ("vso.securefiles_manage", "Secure Files", "Read, create, & manage",
     "Also manage secure files."),
    ("vso.security_manage", "Security", "Manage",
     "Read, write and manage security permissions."),
    ("vso.serviceendpoint", "Service Connections", "Read",
     "Read service connections."),
    ("vso.serviceendpoint_query", "Service Connections", "Read & query",
     "Also query service connections."),
    ("vso.serviceendpoint_manage", "Service Connections", "Read, query, & manage",
     "Also manage service connections."),
    ("vso.hooks", "Service Hooks", "Read",
     "Read service hook subscriptions and their metadata."),
    ("vso.hooks_write", "Service Hooks", "Read & write",
     "Create and update service hook subscriptions."),
    ("vso.hooks_interact", "Service Hooks", "Interact",
     "Act on events received through service hooks."),
    ("vso.settings", "Settings", "Read",
     "Read settings."),
    ("vso.settings_write", "Settings", "Read & write",
     "Read and write settings."),
    ("vso.symbols", "Symbols", "Read",
     "Read symbols."),
    ("vso.symbols_write", "Symbols", "Read & write",
     "Also write symbols."),
    ("vso.symbols_manage", "Symbols", "Read, write, & manage",
     "Also manage symbols."),
    ("vso.taskgroups_read", "Task Groups", "Read",
     "Read task groups."),
    ("vso.taskgroups_write", "Task Groups", "Read & create",
     "Also create task groups."),
    ("vso.taskgroups_manage", "Task Groups", "Read, create, & manage",
     "Also manage task groups."),
    ("vso.dashboards", "Team Dashboard", "Read",
     "Read team dashboards."),
    ("vso.dashboards_manage", "Team Dashboard", "Read & manage",
     "Manage team dashboards."),
    ("vso.test", "Test Management", "Read",
     "Read test plans, cases, results and other test artefacts."),
    ("vso.test_write", "Test Management", "Read & write",
     "Also create and update test artefacts."),
    ("vso.tokens", "Tokens", "Read & manage",
     "Manage the user's delegated authorisation tokens."),
    ("vso.tokenadministration", "Token Administration", "Read & manage",
     "For organisation administrators: view and revoke existing tokens of the organisation's users."),
    ("vso.profile", "User Profile", "Read",
     "Read your profile, accounts, collections, projects, teams and other top-level artefacts."),
    ("vso.profile_write", "User Profile", "Read & write",
     "Write your profile."),
    ("vso.variablegroups_read", "Variable Groups", "Read",
     "Read variable groups."),
    ("vso.variablegroups_write", "Variable Groups", "Read & create",
     "Also create variable groups."),
    ("vso.variablegroups_manage", "Variable Groups", "Read, create, & manage",
     "Also manage variable groups."),
    ("vso.wiki", "Wiki", "Read",
     "Read and search wikis, wiki pages and attachments."),
    ("vso.wiki_write", "Wiki", "Read & write",
     "Also create and update wikis, pages and attachments."),
    ("vso.work", "Work Items", "Read",
     "Read work items, queries, boards, area and iteration paths; run queries; receive work item events through service hooks."),
    ("vso.work_write", "Work Items", "Read & write",
     "Also create and update work items and queries and update board metadata."),
    ("vso.work_full", "Work Items", "Read, write, & manage",
     "Full access to work items, queries, backlogs, plans and work item metadata."),
    ("vso.loadtest", "Load Test", "Read",
     "Read cloud load tests (service retired)."),
    ("vso.loadtest_write", "Load Test", "Read & write",
     "Create and update cloud load tests (service retired)."),
    ("vso.governance", "Component Governance", "",
     "Component Governance."),
)

# Scopes that exist but cannot be ticked in the token dialog.
_NOT_IN_DIALOG = frozenset(
    {
        "vso.hooks", "vso.hooks_write", "vso.hooks_interact",  # Microsoft: "no longer public"
        "vso.governance",  # Microsoft: not selectable for a custom-defined token
        "vso.loadtest", "vso.loadtest_write",  # retired
    }
)

_LOAD_TEST_RETIRED = Flag(
    reason="absent from Microsoft's current scope table: Azure DevOps cloud load testing was retired",
    source=SCOPE_TABLE,
)
_OLDER_TABLES_ONLY = "only older Microsoft scope tables list it; the current table and the REST specifications do not"

# Scopes outside Microsoft's current table: where each is documented, or why it is unconfirmed.
_OUTSIDE_TABLE: dict[str, tuple[tuple[Source, ...], str | None]] = {
    "vso.governance": ((PAT_STEPS,), None),
    "vso.loadtest": ((), _OLDER_TABLES_ONLY),
    "vso.loadtest_write": ((), _OLDER_TABLES_ONLY),
}
_OUTSIDE_TABLE_IMPLIES = {
    "vso.loadtest_write": (Implication("vso.loadtest", unconfirmed=_OLDER_TABLES_ONLY),),
}
_DEPRECATED = {"vso.loadtest": _LOAD_TEST_RETIRED, "vso.loadtest_write": _LOAD_TEST_RETIRED}


def _label(group: str, level: str) -> str:
    return f"{group}: {level}" if level else group


def _entries() -> list[Scope]:
    facts = {row[0]: row for row in published.SCOPES}
    entries = []
    for name, group, level, meaning in _UI:
        label = _label(group, level)
        microsoft = _MICROSOFT_LABELS.get(name, ())
        if name in facts:
            _, _, ms_name, high, inherits, in_specs = facts[name]
            sources: tuple[Source, ...] = (SCOPE_TABLE, REST_SPECS) if in_specs else (SCOPE_TABLE,)
            implied = (Implication(inherits, source=SCOPE_TABLE),) if inherits else ()
            unconfirmed = None
        else:
            ms_name, high = "", False
            sources, unconfirmed = _OUTSIDE_TABLE[name]
            implied = _OUTSIDE_TABLE_IMPLIES.get(name, ())
        aliases = tuple(dict.fromkeys(a for a in (*microsoft, ms_name) if a and a != label))
        entries.append(
            Scope(
                name=name,
                label=label,
                label_source=PAT_STEPS if microsoft else None,
                label_unconfirmed=None if microsoft else _GUIDE_LABEL,
                kinds=PAT,
                implies=implied,
                description=meaning,
                group=group,
                aliases=aliases,
                deprecated=_DEPRECATED.get(name),
                high_privilege=high,
                ui_selectable=name not in _NOT_IN_DIALOG,
                sources=sources,
                unconfirmed=unconfirmed,
            )
        )
    listed = {entry.name for entry in entries}
    missing = sorted(set(facts) - listed - _ENTRA_ONLY)
    if missing:
        raise RuntimeError(f"Microsoft's scope table has scopes the catalog does not place: {missing}")
    selectable = tuple(entry.name for entry in entries if entry.ui_selectable)
    full_access = Scope(
        name=FULL_ACCESS,
        label="Full access",
        label_unconfirmed="Microsoft's pages speak of full-scoped tokens; the radio's wording comes from a"
        " Microsoft docs issue thread (MicrosoftDocs/azure-devops-docs#11635)",
        kinds=PAT,
        # The "Full access" radio grants everything a custom-defined token could: Microsoft contrasts
        # full-scoped tokens with a "custom defined set of scopes".
        implies=tuple(Implication(name, source=PAT_STEPS) for name in selectable),
        description="Every scope: the token acts with all of its user's rights in the organisation."
        " Organisations can forbid full-access tokens by policy.",
        high_privilege=True,
        sources=(TOKENS_API_EXAMPLE,),
    )
    return [full_access, *entries]


CATALOG = ScopeCatalog.of("azure_devops", _entries())
