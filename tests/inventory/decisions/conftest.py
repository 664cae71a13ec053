"""Declarations of their own for the decision tests: planned the way `scm-access plan` plans them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations import Connection, GitHubAccess, Person, Policy
from scm_access.inventory.decisions import TokenRequest
from scm_access.plan.planner import plan
from scm_access.plan.slot import Slot

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)
TODAY = date(2026, 12, 1)
FINE_GRAINED = CredentialKind.GITHUB_FINE_GRAINED_PAT


def scanner_access(**changes: Any) -> GitHubAccess:
    fields: dict[str, Any] = {
        "scopes": ["contents:read", "issues:write"],
        "org": "acme",
        "repositories": ["scanner", "tools"],
        "holder": [Person(name="dora", login="Dora-Dev")],
        "max_lifetime_days": 30,
    }
    fields.update(changes)
    return GitHubAccess(**fields)


def slots_for(*accesses: GitHubAccess, policy: Policy | None = None) -> list[Slot]:
    """Each access declared by its own connection: ``scanner``, then ``scanner-2``, ``scanner-3``..."""
    connections = [
        Connection(
            name="scanner" if index == 0 else f"scanner-{index + 1}",
            integration="Scanner",
            owner="appsec",
            purpose="Scans the tools.",
            access=[access],
        )
        for index, access in enumerate(accesses)
    ]
    return plan(connections, policy or Policy(), TODAY).slots


def request(**changes: Any) -> TokenRequest:
    """Dora's request for exactly what the scanner declaration gives her."""
    fields: dict[str, Any] = {
        "platform": Platform.GITHUB,
        "id": "101",
        "org": "acme",
        "requester": "dora-dev",
        "kind": FINE_GRAINED,
        "token_name": "Scanner (scanner)",
        "scopes": frozenset({"contents:read", "issues:write", "metadata:read"}),
        "repository_selection": "subset",
        "repositories": frozenset({"acme/scanner", "acme/tools"}),
        "expires_at": NOW + timedelta(days=30),
        "never_expires": False,
        "created_at": NOW,
    }
    fields.update(changes)
    return TokenRequest(**fields)
