"""The facts a rule judges. Built from a planned slot (`scm-access plan`) or from a provider resource's
inputs (the CrossGuard pack), so both apply the very same rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from scm_access.core.kinds import CredentialKind, Platform


@dataclass(frozen=True, slots=True)
class CredentialFacts:
    platform: Platform
    kind: CredentialKind
    scopes: frozenset[str] = frozenset()
    lifetime_days: int | None = None
    """Days from creation to expiry; None when the credential never expires."""
    requested_longest_lifetime: bool = False
    holder_is_person: bool = True
    org_managed_alternative: str | None = None
    """An org-managed kind that could replace a personal token, and why (planner only)."""
    rotation_days: int | None = None
    """Provisioned tokens: rotate this many days before expiry; None when rotation is not configured."""
    access_level: str | None = None
    declared_access_level: str | None = None
    plaintext_secret_fields: tuple[str, ...] = field(default=())
    """Inputs that should hold a secret but hold plain text."""
