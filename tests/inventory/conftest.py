"""The inventory tests' own slots and found credentials (never the examples in connections/)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations import GitHubAccess, GitLabAccess, Person, Policy
from scm_access.inventory.model import FoundCredential, SourceReport, SourceStatus
from scm_access.plan.slot import Slot, Strategy
from tests.support.fake_time import NOW

POLICY = Policy(default_max_lifetime_days=90, expiry_warning_days=14, stale_after_days=60)


def personal_slot(access: Any, *, connection: str, integration: str, purpose: str, holder: str, login: str,
                  kind: CredentialKind, changes: dict[str, Any]) -> Slot:
    """A personal-token slot of ``access``'s platform, held by ``holder`` (``login``), due in 30 days."""
    fields: dict[str, Any] = {
        "connection": connection,
        "integration": integration,
        "purpose": purpose,
        "platform": Platform(access.platform),
        "holder": holder,
        "holder_is_person": True,
        "holder_login": login,
        "kind": kind,
        "scopes": list(access.scopes),
        "strategy": Strategy.USER_PAT,
        "reason": f"only {holder} can create it",
        "lifetime_days": 30,
        "expires_at": date(2026, 12, 23),
        "access": access,
    }
    fields.update(changes)
    return Slot(**fields)


def scanner_slot(**changes: Any) -> Slot:
    """A fine-grained GitHub slot: the scanner reads one repository's metadata as bruna."""
    login = changes.pop("holder_login", "bruna-lima")
    repositories = changes.pop("repositories", ["scanner"])
    access = GitHubAccess(
        scopes=["metadata:read"], org="acme", repositories=repositories, holder=[Person(name="bruna", login=login)]
    )
    return personal_slot(
        access, connection="scanner", integration="Scanner", purpose="Scans one repository.", holder="bruna",
        login=login, kind=CredentialKind.GITHUB_FINE_GRAINED_PAT, changes=changes,
    )


def grant_for(slot: Slot, **changes: Any) -> FoundCredential:
    """The grant the organisation's list shows for a token created exactly as the slot's instructions say."""
    found = FoundCredential(
        platform=slot.platform,
        source="fine_grained_grants",
        id="25381",
        kind=slot.kind,
        kind_label="fine-grained personal access token",
        name=slot.token_name,
        owner=slot.holder_login,
        owner_id="1",
        scope="acme",
        scopes=frozenset(slot.scopes),
        repository_selection="subset",
        repositories=frozenset({"acme/scanner"}),
        expires_at=NOW + timedelta(days=29),
        never_expires=False,
        expired=False,
        created_at=NOW - timedelta(days=1),
        last_used_at=NOW - timedelta(hours=3),
        usage_shown=True,
    )
    return replace(found, **changes)


def grants_read(**changes: Any) -> SourceReport:
    fields: dict[str, Any] = dict(
        platform="github",
        source="fine_grained_grants",
        status=SourceStatus.READ,
        detail="1 grant",
        scope="acme",
        kinds=(CredentialKind.GITHUB_FINE_GRAINED_PAT,),
    )
    fields.update(changes)
    return SourceReport(**fields)


def gitlab_slot(**changes: Any) -> Slot:
    """A GitLab personal-token slot: the sync job reads the API as carla."""
    access = GitLabAccess(scopes=["read_api"], group="acme", holder=[Person(name="carla", login="carla-dias")])
    return personal_slot(
        access, connection="sync", integration="Sync", purpose="Reads issues.", holder="carla", login="carla-dias",
        kind=CredentialKind.GITLAB_PAT, changes=changes,
    )


def gitlab_token_for(slot: Slot, **changes: Any) -> FoundCredential:
    found = FoundCredential(
        platform=slot.platform,
        source="personal_access_tokens",
        id="4",
        kind=slot.kind,
        kind_label="personal access token",
        name=slot.token_name,
        owner=slot.holder_login,
        scopes=frozenset(slot.scopes),
        expires_at=NOW + timedelta(days=29),
        never_expires=False,
        created_at=NOW - timedelta(days=1),
        last_used_at=NOW - timedelta(hours=1),
        usage_shown=True,
    )
    return replace(found, **changes)
