"""iCR in a CI/CD pipeline (Jenkins): a token lets iCR fetch repositories and branches.

The iCR guide asks for a GitHub classic token with `repo`, `workflow` and `notifications`, limited to 90
days; GitLab and Bitbucket credentials are set up the same way. In CI the credential belongs to the
pipeline, not to a person, so it is held by a service identity and minted by the organisation where
the platform allows it.
"""

from scm_access.declarations import (
    BitbucketAccess,
    Connection,
    CredentialKind,
    GitHubAccess,
    GitLabAccess,
    IntegrationField,
    ServiceIdentity,
)

JENKINS_FORM = IntegrationField(
    location="Jenkins → the iCR job's configuration form",
    field="Field 2 (VCS token)",
)

CONNECTION = Connection(
    name="icr",
    integration="iCR",
    owner="developer-productivity",
    purpose="iCR reviews code in CI: it reads repositories and branches and receives notifications.",
    guide="iCR docs: Creating a Personal Access Token",
    access=[
        GitHubAccess(
            kind=CredentialKind.GITHUB_CLASSIC_PAT,
            scopes=["repo", "workflow", "notifications"],
            org="acme",
            holder=ServiceIdentity(service="icr-jenkins", login="acme-icr-bot"),
            max_lifetime_days=90,
            delivery=JENKINS_FORM,
        ),
        GitLabAccess(
            # Read access to repositories and branches through the API and over git.
            scopes=["read_api", "read_repository"],
            group="acme/platform",
            access_level="reporter",
            holder=ServiceIdentity(service="icr-jenkins"),
            max_lifetime_days=90,
            delivery=JENKINS_FORM,
        ),
        BitbucketAccess(
            kind=CredentialKind.BITBUCKET_API_TOKEN,
            scopes=["read:repository:bitbucket", "read:pullrequest:bitbucket"],
            workspace="acme",
            holder=ServiceIdentity(service="icr-jenkins", login="acme-icr-bot", email="icr-bot@acme.example"),
            guide_asked_for=["Bitbucket app password"],  # the iCR guide predates their retirement
            max_lifetime_days=90,
            delivery=JENKINS_FORM,
        ),
    ],
)
