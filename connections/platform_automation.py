"""Automation the organisation runs itself: every credential here is minted and rotated by the stack.

- the docs pipeline pushes generated docs to GitLab with a group access token (rotated before expiry);
- the cluster pulls images from the GitLab registry with a read-only deploy token;
- the release workflow on GitHub pushes to the config repository with a deploy key, whose private key is
  written into the workflow repository's Actions secret;
- Azure Pipelines deploys with the pipeline's Entra service principal and an Azure Resource Manager service
  connection using workload identity federation: no PAT and no client secret anywhere.
"""

from scm_access.declarations import (
    AzureDevOpsAccess,
    AzureServiceConnection,
    Connection,
    GitHubAccess,
    GitLabAccess,
    IntegrationField,
    SecretStore,
    ServiceIdentity,
)

CONNECTIONS = [
    Connection(
        name="docs-publisher",
        integration="Docs pipeline",
        owner="developer-productivity",
        purpose="The docs pipeline reads the platform projects and pushes the generated site back to them.",
        access=[
            GitLabAccess(
                scopes=["read_api", "write_repository"],
                group="acme/platform",
                access_level="developer",
                holder=ServiceIdentity(service="docs-ci"),
                max_lifetime_days=90,
                delivery=IntegrationField(
                    location="GitLab CI → docs project → CI/CD variables", field="DOCS_TOKEN"
                ),
            ),
        ],
    ),
    Connection(
        name="cluster-image-pull",
        integration="Kubernetes image pull",
        owner="platform-engineering",
        purpose="The production cluster pulls container images of the platform group from the GitLab registry.",
        access=[
            GitLabAccess(
                scopes=["read_registry"],
                group="acme/platform",
                holder=ServiceIdentity(service="prod-cluster"),
                max_lifetime_days=90,
                delivery=IntegrationField(location="cluster secret `gitlab-registry`", field="password"),
            ),
        ],
    ),
    Connection(
        name="release-config-sync",
        integration="Release workflow",
        owner="release-engineering",
        purpose="The release workflow pushes version bumps to the platform configuration repository.",
        access=[
            GitHubAccess(
                scopes=["contents:write"],
                org="acme",
                repositories=["platform-config"],
                holder=ServiceIdentity(service="release-workflow"),
                max_lifetime_days=90,
                delivery=SecretStore(
                    store="github_actions_secret",
                    name="PLATFORM_CONFIG_DEPLOY_KEY",
                    repository="acme/release-tools",
                    holds="ssh_key",
                ),
            ),
        ],
    ),
    Connection(
        name="azure-pipelines-deploy",
        integration="Azure Pipelines",
        owner="platform-engineering",
        purpose="Azure Pipelines reads the Platform project's code and deploys it to the production subscription.",
        access=[
            AzureDevOpsAccess(
                organization="acme",
                projects=["Platform"],
                scopes=["Code: Read"],
                holder=ServiceIdentity(
                    service="platform-deployer",
                    origin_id="7f0c2a51-3a3e-4c0e-9a57-2d8f3c1b9e44",
                ),
                max_lifetime_days=90,
                service_connection=AzureServiceConnection(
                    name="acme-production",
                    project="Platform",
                    tenant_id="5b1c9e2d-0f4a-4d8e-8c3b-7a6e2f1d0c9b",
                    subscription_id="c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f",
                    subscription_name="acme-production",
                ),
            ),
        ],
    ),
]
