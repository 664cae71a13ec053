"""GitLab roles: project, group and service-account tokens carry a role besides their scopes."""

from __future__ import annotations

from scm_access.core.kinds import CredentialKind
from scm_access.platforms.gitlab.scopes import ROLE_RANK

ROLE_KINDS = frozenset(
    {
        CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN,
        CredentialKind.GITLAB_GROUP_ACCESS_TOKEN,
        CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN,
    }
)
"""Kinds whose token (or whose service account's membership) the stack gives a role."""

# The least role with which each scope does what it says on a private project: reading code needs
# Reporter, pushing code or images needs Developer, runner administration needs Maintainer.
_LEAST_ROLE = {
    "self_rotate": "guest",
    "read_api": "reporter",
    "read_repository": "reporter",
    "read_registry": "reporter",
    "read_virtual_registry": "reporter",
    "read_observability": "reporter",
    "api": "developer",
    "write_repository": "developer",
    "write_registry": "developer",
    "write_virtual_registry": "developer",
    "write_observability": "developer",
    "k8s_proxy": "developer",
    "ai_features": "developer",
    "create_runner": "maintainer",
    "manage_runner": "maintainer",
}


def least_access_level(scopes: list[str] | frozenset[str]) -> str:
    """The lowest role that lets every scope work; unknown scopes count as writes."""
    roles = [_LEAST_ROLE.get(s, "developer") for s in scopes] or ["guest"]
    return max(roles, key=ROLE_RANK.__getitem__)
