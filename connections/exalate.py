"""Exalate: syncs work items between trackers, logging in to Azure DevOps and GitHub with a token.

The Exalate guide for Azure DevOps asks for Work Items read & write, Project and Team read, User
Profile read, Identity read and Member Entitlement Management read, by a member of Project Collection
Administrators, with "the longest expiration period". The GitHub guide asks for `repo` and public
organization membership.
"""

from scm_access.declarations import (
    AzureDevOpsAccess,
    Connection,
    CredentialKind,
    GitHubAccess,
    GroupMembership,
    IntegrationField,
    Person,
    PublicOrgMembership,
)

ADMIN = Person(name="carla", login="carla.mendes@acme.example")

CONNECTION = Connection(
    name="exalate",
    integration="Exalate",
    owner="pmo-tooling",
    purpose="Exalate synchronises work items and issues between Azure DevOps, GitHub and the PMO tracker.",
    guide="Exalate docs: How to Generate a Personal Access Token",
    access=[
        AzureDevOpsAccess(
            organization="acme",
            scopes=[
                "Work Items: Read & write",
                "Project and Team: Read",
                "User Profile: Read",
                "Identity: Read",
                "Member Entitlement Management: Read",
            ],
            holder=[ADMIN],
            max_lifetime_days="longest",
            prerequisites=[GroupMembership(group="Project Collection Administrators")],
            delivery=IntegrationField(location="Exalate admin console → login", field="Token"),
        ),
        GitHubAccess(
            kind=CredentialKind.GITHUB_CLASSIC_PAT,
            scopes=["repo"],
            org="acme",
            holder=[Person(name="carla", login="carla-mendes")],
            prerequisites=[PublicOrgMembership(org="acme")],
            delivery=IntegrationField(location="Exalate admin console → login", field="Token"),
        ),
    ],
)
