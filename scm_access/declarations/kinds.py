"""The closed vocabularies shared by every layer: platforms and credential kinds."""

from __future__ import annotations

from enum import StrEnum


class Platform(StrEnum):
    GITHUB = "github"
    GITLAB = "gitlab"
    AZURE_DEVOPS = "azure_devops"
    BITBUCKET = "bitbucket"


class CredentialKind(StrEnum):
    # GitHub
    GITHUB_CLASSIC_PAT = "github_classic_pat"
    GITHUB_FINE_GRAINED_PAT = "github_fine_grained_pat"
    GITHUB_DEPLOY_KEY = "github_deploy_key"
    GITHUB_APP_INSTALLATION_TOKEN = "github_app_installation_token"
    # GitLab
    GITLAB_PAT = "gitlab_pat"
    GITLAB_PROJECT_ACCESS_TOKEN = "gitlab_project_access_token"
    GITLAB_GROUP_ACCESS_TOKEN = "gitlab_group_access_token"
    GITLAB_SERVICE_ACCOUNT_TOKEN = "gitlab_service_account_token"
    GITLAB_DEPLOY_TOKEN = "gitlab_deploy_token"
    # Azure DevOps
    AZURE_DEVOPS_PAT = "azure_devops_pat"
    AZURE_DEVOPS_SERVICE_PRINCIPAL = "azure_devops_service_principal"
    AZURE_DEVOPS_SERVICE_CONNECTION = "azure_devops_service_connection"
    # Bitbucket
    BITBUCKET_API_TOKEN = "bitbucket_api_token"
    BITBUCKET_APP_PASSWORD = "bitbucket_app_password"

    @property
    def platform(self) -> Platform:
        return KIND_PLATFORM[self]

    @property
    def is_personal(self) -> bool:
        """Only a person can create it: no API mints it for the organisation."""
        return self in PERSONAL_KINDS

    @property
    def carries_secret(self) -> bool:
        """False for an identity that authenticates without a secret of its own (a service principal's
        Entra tokens are short-lived and issued on demand): there is no expiry to plan."""
        return self not in SECRETLESS_KINDS

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def short_label(self) -> str:
        """The label without the platform name, for tables that already show the platform."""
        return KIND_SHORT_LABELS[self]


KIND_PLATFORM: dict[CredentialKind, Platform] = {
    kind: Platform(next(p.value for p in Platform if kind.value.startswith(p.value)))
    for kind in CredentialKind
}

PERSONAL_KINDS = frozenset(
    {
        CredentialKind.GITHUB_CLASSIC_PAT,
        CredentialKind.GITHUB_FINE_GRAINED_PAT,
        CredentialKind.GITLAB_PAT,
        CredentialKind.AZURE_DEVOPS_PAT,
        CredentialKind.BITBUCKET_API_TOKEN,
        CredentialKind.BITBUCKET_APP_PASSWORD,
    }
)

SECRETLESS_KINDS = frozenset({CredentialKind.AZURE_DEVOPS_SERVICE_PRINCIPAL})

KIND_LABELS: dict[CredentialKind, str] = {
    CredentialKind.GITHUB_CLASSIC_PAT: "GitHub personal access token (classic)",
    CredentialKind.GITHUB_FINE_GRAINED_PAT: "GitHub fine-grained personal access token",
    CredentialKind.GITHUB_DEPLOY_KEY: "GitHub deploy key",
    CredentialKind.GITHUB_APP_INSTALLATION_TOKEN: "GitHub App installation token",
    CredentialKind.GITLAB_PAT: "GitLab personal access token",
    CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN: "GitLab project access token",
    CredentialKind.GITLAB_GROUP_ACCESS_TOKEN: "GitLab group access token",
    CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN: "GitLab service account token",
    CredentialKind.GITLAB_DEPLOY_TOKEN: "GitLab deploy token",
    CredentialKind.AZURE_DEVOPS_PAT: "Azure DevOps personal access token",
    CredentialKind.AZURE_DEVOPS_SERVICE_PRINCIPAL: "Azure DevOps service principal",
    CredentialKind.AZURE_DEVOPS_SERVICE_CONNECTION: "Azure DevOps service connection",
    CredentialKind.BITBUCKET_API_TOKEN: "Bitbucket API token",
    CredentialKind.BITBUCKET_APP_PASSWORD: "Bitbucket app password",
}

KIND_SHORT_LABELS: dict[CredentialKind, str] = {
    CredentialKind.GITHUB_CLASSIC_PAT: "classic PAT",
    CredentialKind.GITHUB_FINE_GRAINED_PAT: "fine-grained PAT",
    CredentialKind.GITHUB_DEPLOY_KEY: "deploy key",
    CredentialKind.GITHUB_APP_INSTALLATION_TOKEN: "app installation token",
    CredentialKind.GITLAB_PAT: "PAT",
    CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN: "project access token",
    CredentialKind.GITLAB_GROUP_ACCESS_TOKEN: "group access token",
    CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN: "service account token",
    CredentialKind.GITLAB_DEPLOY_TOKEN: "deploy token",
    CredentialKind.AZURE_DEVOPS_PAT: "PAT",
    CredentialKind.AZURE_DEVOPS_SERVICE_PRINCIPAL: "service principal",
    CredentialKind.AZURE_DEVOPS_SERVICE_CONNECTION: "service connection",
    CredentialKind.BITBUCKET_API_TOKEN: "API token",
    CredentialKind.BITBUCKET_APP_PASSWORD: "app password",
}
