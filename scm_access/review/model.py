"""The review's result: what a change to the declarations does to access, as data.

This is the shape of ``scm-access review --format json`` (documented in docs/review.md); every other format
renders it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

JSON_FORMAT = 1
"""Version of the JSON document; bumped when a field changes meaning or goes away."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Level(StrEnum):
    """How much a finding matters, in SARIF's words (GitHub shows them as error, warning, note)."""

    NOTE = "note"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.NOTE: 1, Level.WARNING: 2, Level.ERROR: 3}


class Location(_Model):
    """A declaration's file (relative to the repository's top folder) and line."""

    file: str | None = None
    line: int | None = None
    revision: Literal["base", "head"] = Field(
        "head", description="Which revision the line is in: base for what the change removes."
    )


class RevisionInfo(_Model):
    name: str
    commit: str | None = Field(description="Commit id; null for the working tree.")
    label: str
    based_on: str | None = Field(None, description="For the working tree: the commit it is based on (HEAD).")


class ScopeChange(_Model):
    scope: str
    label: str
    high_privilege: bool
    grants: list[str] = Field(description="What else the scope grants through implication (its closure).")


class FieldChange(_Model):
    field: str
    before: Any = None
    after: Any = None
    summary: str


class SlotChange(_Model):
    key: str = Field(description="connection/platform[@host]/holder: the slot's identity across revisions.")
    connection: str
    platform: str
    holder: str
    change: Literal["added", "removed", "changed"]
    location: Location
    kind: str = Field(description="Credential kind label (head's, or base's for a removed slot).")
    strategy: str
    scopes_added: list[ScopeChange] = Field(default_factory=list)
    scopes_removed: list[ScopeChange] = Field(default_factory=list)
    newly_granted: list[str] = Field(
        default_factory=list, description="Scopes reachable at head and not at base, implications included."
    )
    no_longer_granted: list[str] = Field(default_factory=list)
    fields: list[FieldChange] = Field(default_factory=list)
    deletes_credential: bool = Field(
        False, description="The stack would delete a credential it provisioned (the slot is gone or changes kind)."
    )


class ConnectionChange(_Model):
    name: str
    integration: str
    change: Literal["added", "removed", "changed"]
    location: Location
    platforms_added: list[str] = Field(default_factory=list)
    platforms_removed: list[str] = Field(default_factory=list)
    slots: list[SlotChange] = Field(default_factory=list)


class PolicyChange(_Model):
    setting: str = Field(description="Dotted path of the policy setting, e.g. forbidden_scopes.github.")
    before: Any = None
    after: Any = None
    direction: Literal["relaxed", "tightened", "widened", "changed"] = Field(
        description="relaxed: credentials may do more; tightened: less; widened: scm-access may revoke, delete or"
        " deny more; changed: neither."
    )
    summary: str
    affected_slots: list[str] = Field(default_factory=list, description="Keys of the slots the change affects.")


class Verdict(_Model):
    slot: str
    code: str
    severity: str
    message: str
    location: Location


class Verdicts(_Model):
    new: list[Verdict] = Field(default_factory=list)
    fixed: list[Verdict] = Field(default_factory=list)
    updated: list[Verdict] = Field(
        default_factory=list, description="Broken at both revisions, with another message (e.g. more scopes)."
    )
    unchanged: int = 0


class Finding(_Model):
    """One thing a reviewer should see, located at a declaration line: code-scanning results are these."""

    rule: str = Field(description="Stable rule id: review/<name> for a change, policy/<code> for a verdict.")
    level: Level
    message: str
    location: Location
    fingerprint: str = Field(description="Stable across unrelated edits: rule, slot or setting, and detail.")
    slot: str | None = None
    connection: str | None = None
    baseline: Literal["new", "updated", "unchanged"] = Field(
        "new", description="Whether the base revision already had it (policy verdicts only)."
    )


class SlotState(_Model):
    """A slot at head (or removed at head), as a one-line verdict: JUnit writes one test case per slot."""

    key: str
    connection: str
    platform: str
    holder: str
    kind: str
    strategy: str
    location: Location
    removed: bool = False
    errors: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class RuleInfo(_Model):
    id: str
    name: str
    description: str
    level: Level
    help: str


class Review(_Model):
    format: int = JSON_FORMAT
    base: RevisionInfo
    head: RevisionInfo
    today: str
    connections: list[ConnectionChange] = Field(default_factory=list)
    policy: list[PolicyChange] = Field(default_factory=list)
    policy_location: Location = Location()
    verdicts: Verdicts = Verdicts()
    deleted_credentials: list[str] = Field(default_factory=list, description="Slot keys.")
    findings: list[Finding] = Field(default_factory=list)
    slots: list[SlotState] = Field(default_factory=list)
    rules: list[RuleInfo] = Field(default_factory=list)

    @property
    def changes_access(self) -> bool:
        return bool(self.connections or self.policy)

    def failing(self, threshold: Level | None) -> list[Finding]:
        """New findings at or above the threshold (None: never fail)."""
        if threshold is None:
            return []
        return [f for f in self.findings if f.baseline == "new" and f.level.rank >= threshold.rank]
