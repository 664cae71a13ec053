"""Declarations: the reviewed desired state (connections) and the organisation's rules (policy).

Declaration files import everything from here: the shared parts below, :class:`Connection`, and each
platform's entry model (``GitHubAccess``...), which lives in its platform's folder (``access.py``) and is
offered here by name. Both are loaded on first use, so that a platform folder can import the shared parts
(``scm_access.declarations.access``) while the connection model is being built from the folders.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations.access import (
    Access,
    GroupMembership,
    IntegrationField,
    Person,
    PublicOrgMembership,
    RepositoryPermission,
    SamlSsoAuthorization,
    SecretStore,
    ServiceIdentity,
)
from scm_access.declarations.policy import Policy

if TYPE_CHECKING:
    from scm_access.declarations.connection import Connection

_SHARED = [
    "Access",
    "Connection",
    "CredentialKind",
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


def __getattr__(name: str) -> Any:
    if name.startswith("__") and name != "__all__":  # the import system's own questions
        raise AttributeError(name)
    connection = import_module("scm_access.declarations.connection")
    if name == "Connection":
        return connection.Connection
    offered = connection.declared_names()
    if name == "__all__":  # `from scm_access.declarations import *` offers every platform's models too
        return sorted({*_SHARED, *offered})
    if name in offered:
        return offered[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
