"""Azure DevOps scope catalog: the scopes of a personal access token.

Scope strings, Microsoft's names, containment ("Inherits From") and the high-privilege flag follow Microsoft's
Azure DevOps OAuth scope table (Azure DevOps docs, "Scopes"); each level includes the one below it (write
includes read, manage includes write, full includes manage) plus the cross-group inclusions that table lists.
``app_token`` is the "Full access" choice of the token dialog.

Labels are "<group>: <level>" as the token dialog shows them under "Custom defined". Microsoft documents only
a few of them ("Agent Pools: Read & manage", "Auditing: Read Audit Log", "Full access"); the rest follow the
wording of the dialog as integration guides reproduce it. Microsoft's own scope names ("Code (read and
write)") are aliases, so either spelling resolves.
"""

from __future__ import annotations

from scm_access.core.kinds import CredentialKind
from scm_access.scopes.catalog import Scope, ScopeCatalog

PAT = frozenset({CredentialKind.AZURE_DEVOPS_PAT})
FULL_ACCESS = "app_token"

HP = True
__ = False

# scope, UI group, UI level, directly contains, high privilege, Microsoft's name ("" if none), meaning
_SCOPES: tuple[tuple[str, str, str, tuple[str, ...], bool, str, str], ...] = (
    # unconfirmed: the Advanced Security level labels.
    ("vso.advsec", "Advanced Security", "Read", (), HP, "AdvancedSecurity (read)",
     "Read Advanced Security alerts and analysis results."),
    ("vso.advsec_write", "Advanced Security", "Read & write", ("vso.advsec",), HP,
     "AdvancedSecurity (read and write)", "Also upload SARIF analyses."),
    ("vso.advsec_manage", "Advanced Security", "Read, write, & manage", ("vso.advsec_write",), HP,
     "AdvancedSecurity (read, write, and manage)", "Also manage Advanced Security."),
    ("vso.agentpools", "Agent Pools", "Read", (), __, "Agent Pools (read)",
     "View tasks, pools, queues, agents and their current or recent jobs."),
    ("vso.agentpools_manage", "Agent Pools", "Read & manage", ("vso.agentpools",), HP,
     "Agent Pools (read, manage)", "Manage pools, queues and agents."),
    ("vso.environment_manage", "Environment", "Read & manage", ("vso.agentpools_manage",), HP,
     "Environment (read, manage)", "Manage pools, queues, agents and environments."),
    ("vso.machinegroup_manage", "Deployment Groups", "Read & manage", ("vso.agentpools_manage",), HP,
     "Deployment group (read, manage)", "Manage deployment groups and agent pools."),
    ("vso.analytics", "Analytics", "Read", (), __, "Analytics (read)",
     "Query Analytics data."),
    ("vso.auditlog", "Auditing", "Read Audit Log", (), __, "Audit Log (read)",
     "Read the audit log."),
    # unconfirmed: the dialog's label for audit streams.
    ("vso.auditstreams_manage", "Auditing", "Manage Audit Streams", ("vso.auditlog",), HP,
     "Audit Streams (read)", "Manage audit streams."),
    ("vso.build", "Build", "Read", ("vso.hooks_write",), __, "Build (read)",
     "Read build results, definitions and requests; receive build events through service hooks."),
    ("vso.build_execute", "Build", "Read & execute", ("vso.build",), HP, "Build (read and execute)",
     "Also queue builds and update build properties."),
    ("vso.code", "Code", "Read", ("vso.hooks_write",), __, "Code (read)",
     "Read source code and version-control metadata, search code, receive code events through service"
     " hooks."),
    ("vso.code_write", "Code", "Read & write", ("vso.code",), HP, "Code (read and write)",
     "Also update and delete source code, create and manage pull requests and code reviews."),
    ("vso.code_manage", "Code", "Read, write, & manage", ("vso.code_write",), HP,
     "Code (read, write, and manage)", "Also create and manage repositories."),
    # unconfirmed: that the dialog's "Full" row is vso.code_full.
    ("vso.code_full", "Code", "Full", ("vso.code_manage",), HP, "Code (full)",
     "Full access to source code and version-control metadata, with limited Client OM support."),
    ("vso.code_status", "Code", "Status", (), __, "Code (status)",
     "Read and write commit and pull request statuses."),
    # unconfirmed: whether the token dialog offers Connected Server.
    ("vso.connected_server", "Connected Server", "", (), __, "Connected Server",
     "Endpoints an on-premises connected server needs."),
    # unconfirmed: the Entitlements label.
    ("vso.entitlements", "Entitlements", "Read", (), __, "Entitlements (Read)",
     "Read the licensing entitlements of the organisation."),
    ("vso.memberentitlementmanagement", "Member Entitlement Management", "Read", (), __,
     "MemberEntitlement Management (read)",
     "Read users, their licences and the projects and extensions they can access."),
    ("vso.memberentitlementmanagement_write", "Member Entitlement Management", "Read & write",
     ("vso.memberentitlementmanagement",), HP, "MemberEntitlement Management (write)",
     "Manage users, their licences and the projects and extensions they can access."),
    # unconfirmed: the Extensions and Extension Data labels.
    ("vso.extension", "Extensions", "Read", ("vso.profile",), __, "Extensions (read)",
     "Read installed extensions."),
    ("vso.extension_manage", "Extensions", "Read & manage", ("vso.extension",), HP,
     "Extensions (read and manage)", "Install, uninstall and administer extensions."),
    ("vso.extension.data", "Extension Data", "Read", ("vso.profile",), __, "Extension data (read)",
     "Read data (settings and documents) that installed extensions store."),
    ("vso.extension.data_write", "Extension Data", "Read & write", ("vso.extension.data",), __,
     "Extension data (read and write)", "Read and write data that installed extensions store."),
    ("vso.githubconnections", "GitHub Connections", "Read", (), __, "GitHub Connections (read)",
     "Read GitHub connections and GitHub repository data."),
    ("vso.githubconnections_manage", "GitHub Connections", "Read & manage", ("vso.githubconnections",), HP,
     "GitHub Connections (read and manage)", "Also manage GitHub connections."),
    ("vso.graph", "Graph", "Read", (), __, "Graph (read)",
     "Read users, groups, scopes and group memberships."),
    ("vso.graph_manage", "Graph", "Read & manage", ("vso.graph",), HP, "Graph (manage)",
     "Also add users and groups and manage group memberships."),
    ("vso.identity", "Identity", "Read", (), __, "Identity (read)",
     "Read identities and groups."),
    ("vso.identity_manage", "Identity", "Read & manage", ("vso.identity",), HP, "Identity (manage)",
     "Read, write and manage identities and groups."),
    ("vso.gallery", "Marketplace", "Read", ("vso.profile",), __, "Marketplace",
     "Read public and private Marketplace items and publishers."),
    ("vso.gallery_acquire", "Marketplace", "Acquire", ("vso.gallery",), __, "Marketplace (acquire)",
     "Also acquire items."),
    ("vso.gallery_publish", "Marketplace", "Publish", ("vso.gallery",), HP, "Marketplace (publish)",
     "Also upload, update and share items."),
    ("vso.gallery_manage", "Marketplace", "Manage", ("vso.gallery_publish",), HP, "Marketplace (manage)",
     "Also publish and manage items and publishers."),
    # unconfirmed: the Notifications level labels.
    ("vso.notification", "Notifications", "Read", ("vso.profile",), __, "Notifications (read)",
     "Read subscriptions and event metadata."),
    ("vso.notification_write", "Notifications", "Write", ("vso.notification",), __,
     "Notifications (write)", "Also write subscriptions."),
    ("vso.notification_manage", "Notifications", "Manage", ("vso.notification_write",), __,
     "Notifications (manage)", "Also manage subscriptions."),
    ("vso.notification_diagnostics", "Notifications", "Diagnostics", ("vso.notification",), __,
     "Notifications (diagnostics)",
     "Read notification diagnostic logs and enable diagnostics on subscriptions."),
    ("vso.packaging", "Packaging", "Read", ("vso.profile",), __, "Packaging (read)",
     "Read and search feeds and packages."),
    ("vso.packaging_write", "Packaging", "Read & write", ("vso.packaging",), HP, "Packaging (read and write)",
     "Also create feeds and packages."),
    ("vso.packaging_manage", "Packaging", "Read, write, & manage", ("vso.packaging_write",), HP,
     "Packaging (read, write, and manage)", "Also update and delete feeds and packages."),
    ("vso.pipelineresources_use", "Pipeline Resources", "Use", (), HP, "Pipeline Resources (use)",
     "Approve a pipeline's request to use a protected resource (agent pool, environment, queue, repository,"
     " secure file, service connection, variable group)."),
    ("vso.pipelineresources_manage", "Pipeline Resources", "Use & manage", ("vso.pipelineresources_use",), HP,
     "Pipeline Resources (use and manage)", "Also manage protected resources and requests to use them."),
    ("vso.project", "Project and Team", "Read", (), __, "Project and team (read)",
     "Read projects and teams."),
    ("vso.project_write", "Project and Team", "Read & write", ("vso.project",), __,
     "Project and team (read and write)", "Also update projects and teams."),
    ("vso.project_manage", "Project and Team", "Read, write, & manage", ("vso.project_write",), HP,
     "Project and team (read, write and manage)", "Also create and delete projects and teams."),
    ("vso.threads_full", "Pull Request Threads", "Read & write", (), __, "PR threads",
     "Read and write pull request comment threads."),
    ("vso.release", "Release", "Read", ("vso.profile",), __, "Release (read)",
     "Read releases, release definitions and release environments."),
    ("vso.release_execute", "Release", "Read, write, & execute", ("vso.release",), HP,
     "Release (read, write and execute)", "Also update release artefacts and queue releases."),
    ("vso.release_manage", "Release", "Read, write, execute, & manage", ("vso.release_execute",), HP,
     "Release (read, write, execute and manage)", "Also delete release artefacts and approve releases."),
    # unconfirmed: the Secure Files level labels.
    ("vso.securefiles_read", "Secure Files", "Read", (), HP, "Secure Files (read)",
     "Read secure files."),
    ("vso.securefiles_write", "Secure Files", "Read & create", ("vso.securefiles_read",), HP,
     "Secure Files (read, create)", "Also create secure files."),
    ("vso.securefiles_manage", "Secure Files", "Read, create, & manage", ("vso.securefiles_write",), HP,
     "Secure Files (read, create, and manage)", "Also manage secure files."),
    ("vso.security_manage", "Security", "Manage", (), HP, "Security (manage)",
     "Read, write and manage security permissions."),
    ("vso.serviceendpoint", "Service Connections", "Read", ("vso.profile",), __, "Service Endpoints (read)",
     "Read service connections."),
    ("vso.serviceendpoint_query", "Service Connections", "Read & query", ("vso.serviceendpoint",), __,
     "Service Endpoints (read and query)", "Also query service connections."),
    ("vso.serviceendpoint_manage", "Service Connections", "Read, query, & manage",
     ("vso.serviceendpoint_query",), HP, "Service Endpoints (read, query and manage)",
     "Also manage service connections."),
    ("vso.hooks", "Service Hooks", "Read", ("vso.profile",), __, "Service hooks (read)",
     "Read service hook subscriptions and their metadata."),
    ("vso.hooks_write", "Service Hooks", "Read & write", ("vso.hooks",), __, "Service hooks (read and write)",
     "Create and update service hook subscriptions."),
    ("vso.hooks_interact", "Service Hooks", "Interact", ("vso.profile",), __, "Service hooks (interact)",
     "Act on events received through service hooks."),
    # unconfirmed: the Settings labels and whether the dialog offers them.
    ("vso.settings", "Settings", "Read", (), __, "Settings (read)",
     "Read settings."),
    ("vso.settings_write", "Settings", "Read & write", ("vso.settings",), __, "Settings (read and write)",
     "Read and write settings."),
    # unconfirmed: the Symbols level labels.
    ("vso.symbols", "Symbols", "Read", ("vso.profile",), __, "Symbols (read)",
     "Read symbols."),
    ("vso.symbols_write", "Symbols", "Read & write", ("vso.symbols",), __, "Symbols (read and write)",
     "Also write symbols."),
    ("vso.symbols_manage", "Symbols", "Read, write, & manage", ("vso.symbols_write",), __,
     "Symbols (read, write and manage)", "Also manage symbols."),
    ("vso.taskgroups_read", "Task Groups", "Read", (), __, "Task Groups (read)",
     "Read task groups."),
    ("vso.taskgroups_write", "Task Groups", "Read & create", ("vso.taskgroups_read",), __,
     "Task Groups (read, create)", "Also create task groups."),
    ("vso.taskgroups_manage", "Task Groups", "Read, create, & manage", ("vso.taskgroups_write",), HP,
     "Task Groups (read, create and manage)", "Also manage task groups."),
    ("vso.dashboards", "Team Dashboard", "Read", (), __, "Team dashboards (read)",
     "Read team dashboards."),
    ("vso.dashboards_manage", "Team Dashboard", "Read & manage", ("vso.dashboards",), __,
     "Team dashboards (manage)", "Manage team dashboards."),
    ("vso.test", "Test Management", "Read", ("vso.profile",), __, "Test management (read)",
     "Read test plans, cases, results and other test artefacts."),
    ("vso.test_write", "Test Management", "Read & write", ("vso.test",), __,
     "Test management (read and write)",
     "Also create and update test artefacts."),
    ("vso.tokens", "Tokens", "Read & manage", (), HP, "Delegated Authorization Tokens",
     "Manage the user's delegated authorisation tokens."),
    ("vso.tokenadministration", "Token Administration", "Read & manage", (), HP, "Token Administration",
     "For organisation administrators: view and revoke existing tokens of the organisation's users."),
    ("vso.profile", "User Profile", "Read", (), __, "User profile (read)",
     "Read your profile, accounts, collections, projects, teams and other top-level artefacts."),
    ("vso.profile_write", "User Profile", "Read & write", ("vso.profile",), __, "User profile (write)",
     "Write your profile."),
    ("vso.variablegroups_read", "Variable Groups", "Read", (), __, "Variable Groups (read)",
     "Read variable groups."),
    ("vso.variablegroups_write", "Variable Groups", "Read & create", ("vso.variablegroups_read",), __,
     "Variable Groups (read, create)", "Also create variable groups."),
    ("vso.variablegroups_manage", "Variable Groups", "Read, create, & manage",
     ("vso.variablegroups_write",), HP,
     "Variable Groups (read, create and manage)", "Also manage variable groups."),
    ("vso.wiki", "Wiki", "Read", (), __, "Wiki (read)",
     "Read and search wikis, wiki pages and attachments."),
    ("vso.wiki_write", "Wiki", "Read & write", ("vso.wiki",), __, "Wiki (read and write)",
     "Also create and update wikis, pages and attachments."),
    ("vso.work", "Work Items", "Read", ("vso.hooks_write",), __, "Work items (read)",
     "Read work items, queries, boards, area and iteration paths; run queries; receive work item events"
     " through service hooks."),
    ("vso.work_write", "Work Items", "Read & write", ("vso.work",), __, "Work items (read and write)",
     "Also create and update work items and queries and update board metadata."),
    # unconfirmed: that the dialog's "Read, write, & manage" row is vso.work_full.
    ("vso.work_full", "Work Items", "Read, write, & manage", ("vso.work_write",), __, "Work items (full)",
     "Full access to work items, queries, backlogs, plans and work item metadata."),
    # unconfirmed: retired. Only older Microsoft scope tables list Load Test; the labels are assumed.
    ("vso.loadtest", "Load Test", "Read", (), __, "",
     "Read cloud load tests (service retired)."),
    ("vso.loadtest_write", "Load Test", "Read & write", ("vso.loadtest",), __, "",
     "Create and update cloud load tests (service retired)."),
    # Microsoft: a custom-defined token cannot select Component Governance. unconfirmed: its label.
    ("vso.governance", "Component Governance", "", (), __, "Component Governance",
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

_LOAD_TEST_RETIRED = (
    "Azure DevOps load testing was retired; the scope is absent from Microsoft's current scope table."
)
_DEPRECATED = {"vso.loadtest": _LOAD_TEST_RETIRED, "vso.loadtest_write": _LOAD_TEST_RETIRED}


def _label(group: str, level: str) -> str:
    return f"{group}: {level}" if level else group


def _entries() -> list[Scope]:
    entries = [
        Scope(
            name=name,
            label=_label(group, level),
            kinds=PAT,
            implies=implies,
            description=meaning,
            group=group,
            aliases=(ms_name,) if ms_name and ms_name != _label(group, level) else (),
            deprecated=_DEPRECATED.get(name),
            high_privilege=high,
            ui_selectable=name not in _NOT_IN_DIALOG,
        )
        for name, group, level, implies, high, ms_name, meaning in _SCOPES
    ]
    selectable = tuple(entry.name for entry in entries if entry.ui_selectable)
    full_access = Scope(
        name=FULL_ACCESS,
        label="Full access",
        kinds=PAT,
        # The "Full access" radio grants everything a custom-defined token could.
        implies=selectable,
        description="Every scope: the token acts with all of its user's rights in the organisation."
        " Organisations can forbid full-access tokens by policy.",
        high_privilege=True,
    )
    return [full_access, *entries]


CATALOG = ScopeCatalog.of("azure_devops", _entries())
