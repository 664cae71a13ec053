"""Rows as GitHub sends them, slots as the planner makes them, and a local GitHub to read them from."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from scm_access.declarations import CredentialKind, GitHubAccess, Person, Policy
from scm_access.declarations.connection import SecretStore
from scm_access.inventory.model import Inventory
from scm_access.inventory.reader import InventoryContext
from scm_access.plan.slot import Slot, Strategy
from scm_access.platforms.github import inventory as reader
from scm_access.platforms.github.app_auth import APP_ID_VAR, PRIVATE_KEY_VAR
from tests.support.fake_time import NOW
from tests.verify.conftest import github_slot

APP_ID = 4242
OWNER_TOKEN = "ghp_OWNERownerOWNER0123456789abcdefOWNER9"

_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_KEY = _KEY.public_key()
PEM = _KEY.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
).decode()
APP_ENV = {APP_ID_VAR: str(APP_ID), PRIVATE_KEY_VAR: PEM}


def grant(
    id: int = 25381,
    login: str = "diego-rocha",
    name: str = "DeepTraQ scanner",
    selection: str = "subset",
    repository: dict[str, str] | None = None,
    organization: dict[str, str] | None = None,
    expires_at: str | None = "2026-12-20T12:00:00.000-07:00",
    last_used_at: str | None = "2026-11-20T08:00:00.000-07:00",
    expired: bool = False,
    token_id: int | None = None,
) -> dict[str, Any]:
    return {
        "id": id,
        "owner": {"login": login, "id": 1000 + id, "node_id": "U_x", "type": "User", "site_admin": False},
        "repository_selection": selection,
        "repositories_url": f"https://api.github.com/organizations/652551/personal-access-tokens/{id}/repositories",
        "permissions": {
            "organization": organization or {},
            "repository": {"metadata": "read"} if repository is None else repository,
            "other": {},
        },
        "access_granted_at": "2026-11-01T10:00:00.000-07:00",
        "token_id": token_id if token_id is not None else 98700 + id,
        "token_name": name,
        "token_expired": expired,
        "token_expires_at": expires_at,
        "token_last_used_at": last_used_at,
    }


def pat_request(id: int = 7, login: str = "diego-rocha", **changes: Any) -> dict[str, Any]:
    row = grant(id=id, login=login, **changes)
    del row["access_granted_at"]
    row["created_at"] = "2026-11-22T10:00:00Z"
    row["reason"] = "DeepTraQ needs it"
    return row


def authorization(
    id: int = 161195,
    login: str = "alice",
    scopes: list[str] | None = None,
    note: str | None = "StackSpot (stackspot)",
    expires_at: str | None = "2027-01-10T19:06:43Z",
    credential_type: str = "personal access token",
) -> dict[str, Any]:
    return {
        "login": login,
        "credential_id": id,
        "credential_type": credential_type,
        "token_last_eight": "71c3fc11",
        "credential_authorized_at": "2026-10-26T19:06:43Z",
        "credential_accessed_at": "2026-11-20T19:06:43Z",
        "authorized_credential_id": 12345678,
        "authorized_credential_note": note,
        "authorized_credential_expires_at": expires_at,
        "scopes": ["repo"] if scopes is None else scopes,
    }


def deploy_key(id: int = 1, title: str = "key", read_only: bool = True, last_used: str | None = None) -> dict[str, Any]:
    return {
        "id": id,
        "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample",
        "url": f"https://api.github.com/repos/acme/app/keys/{id}",
        "title": title,
        "verified": True,
        "created_at": "2026-10-01T00:00:00Z",
        "read_only": read_only,
        "added_by": "octocat",
        "last_used": last_used,
        "enabled": True,
    }


def fine_grained_slot(**changes: Any) -> Slot:
    access = GitHubAccess(
        scopes=["metadata:read"],
        org="acme",
        repositories=["deeptraq-security-scanner"],
        holder=[Person(name="diego", login="diego-rocha")],
    )
    fields: dict[str, Any] = {
        "connection": "deeptraq",
        "integration": "DeepTraQ",
        "holder": "diego",
        "holder_login": "diego-rocha",
        "kind": CredentialKind.GITHUB_FINE_GRAINED_PAT,
        "scopes": ["metadata:read"],
        "lifetime_days": 30,
        "access": access,
    }
    fields.update(changes)
    return github_slot(**fields)


def deploy_key_slot(repositories: list[str] | None = None, delivery: SecretStore | None = None) -> Slot:
    access = GitHubAccess(
        scopes=["contents:read"],
        org="acme",
        repositories=repositories or ["app"],
        holder=[Person(name="ci", login="ci")],
    )
    return github_slot(
        connection="ci",
        integration="CI",
        holder="ci",
        holder_is_person=False,
        holder_login=None,
        kind=CredentialKind.GITHUB_DEPLOY_KEY,
        scopes=["contents:read"],
        strategy=Strategy.PROVISION,
        expires_at=date(2027, 2, 21),
        delivery=delivery,
        access=access,
    )


def read_inventory(server_url: str, slots: list[Slot], environ: dict[str, str], make_client) -> Inventory:
    async def run() -> Inventory:
        async with make_client(run_time_limit=None) as client:
            ctx = InventoryContext(
                slots=slots, http=client, environ=environ, policy=Policy(), now=NOW, api_root=server_url
            )
            return await reader.read(ctx)

    return asyncio.run(run())
