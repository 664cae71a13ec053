"""A rule: one small named check with its metadata beside its logic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scm_access.declarations.policy import Policy
from scm_access.plan.slot import Severity
from scm_access.rules.facts import CredentialFacts

Check = Callable[[CredentialFacts, Policy], list[str]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    """Stable violation code, e.g. ``forbidden_scope``."""
    name: str
    """Kebab-case name the CrossGuard pack registers, e.g. ``no-forbidden-scopes``."""
    description: str
    severity: Severity
    check: Check
    applies_to_provisioned: bool = True
    """Whether the CrossGuard pack runs it on provider resources (some rules judge only the plan)."""
