"""StackSpot "External Connections": each user links their own SCM account with a personal token.

The StackSpot guide asks for a GitHub classic token with all `repo` options, `workflow` and
`write:packages`; an Azure DevOps token with eight custom scopes (or Full access); a GitLab token with
`api`, `write_repository` and `create_runner`.
"""

from scm_access.declarations import (
    AzureDevOpsAccess,
    Connection,
    CredentialKind,
    GitHubAccess,
    GitLabAccess,
    GroupMembership,
    IntegrationField,
    Person,
    RepositoryPermission,
    SamlSsoAuthorization,
)

STACKSPOT_PROFILE = IntegrationField(
    location="StackSpot Account Portal → My Profile → External Connections (edit icon on the card)",
    field="Personal Token",
    steps=[
        "Open the Account Portal, or click your avatar in the StackSpot Portal and choose **My Profile**.",
        "In the main menu, click **External Connections**, then the edit icon on the platform's card.",
        "Fill **User name** with your user name on the platform and **Personal Token** with the token.",
        "Click **Save**.",
    ],
)

DEVELOPERS = [
    Person(name="ana", login="ana-souza"),
    Person(name="bruno", login="bruno-lima"),
]

CONNECTION = Connection(
    name="stackspot",
    integration="StackSpot",
    owner="platform-engineering",
    purpose="StackSpot creates repositories, runs workflows and publishes packages as each developer.",
    guide="StackSpot docs: External Connections",
    access=[
        GitHubAccess(
            kind=CredentialKind.GITHUB_CLASSIC_PAT,
            # The guide ticks every box under `repo` ("All repo options"), plus workflow and packages.
            scopes=["All repo options", "workflow", "write:packages"],
            org="acme",
            holder=DEVELOPERS,
            prerequisites=[
                RepositoryPermission(repository="acme/stackspot-workflows", permission="write"),
                SamlSsoAuthorization(org="acme"),
            ],
            delivery=STACKSPOT_PROFILE,
        ),
        AzureDevOpsAccess(
            organization="acme",
            projects=["Platform"],
            scopes=[
                "Auditing: Read Audit Log",
                "Build: Read & execute",
                "Code: Read & write",
                "Packaging: Read & write",
                "Pipeline Resources: Use & manage",
                "Project and Team: Read, write, & manage",
                "Release: Read, write, & execute",
                "Service Connections: Read, query, & manage",
            ],
            holder=DEVELOPERS,
            guide_asked_for=["Full access"],  # the guide offers it as an alternative to the eight scopes
            prerequisites=[GroupMembership(group="Project Collection Administrators")],
            delivery=STACKSPOT_PROFILE,
        ),
        GitLabAccess(
            scopes=["api", "write_repository", "create_runner"],
            group="acme",
            holder=DEVELOPERS,
            delivery=STACKSPOT_PROFILE,
        ),
    ],
)
