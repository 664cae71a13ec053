"""Declarations: the reviewed desired state (connections) and the organisation's rules (policy)."""

from scm_access.declarations.connection import (
    Access,
    AzureDevOpsAccess,
    AzureServiceConnection,
    BitbucketAccess,
    Connection,
    GitHubAccess,
    GitLabAccess,
    GroupMembership,
    IntegrationField,
    Person,
    PublicOrgMembership,
    RepositoryPermission,
    SamlSsoAuthorization,
    SecretStore,
    ServiceIdentity,
)
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations.policy import Policy

__all__ = [
    "Access",
    "AzureDevOpsAccess",
    "AzureServiceConnection",
    "BitbucketAccess",
    "Connection",
    "CredentialKind",
    "GitHubAccess",
    "GitLabAccess",
    "GroupMembership",
    "IntegrationField",
    "Person",
    "Platform",
    "Policy",
    "PublicOrgMembership",
    "RepositoryPermission",
    "SamlSsoAuthorization",
    "SecretStore",
    "ServiceIdentity",
]
