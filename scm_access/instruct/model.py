"""Manual steps for a person: the data every renderer (terminal, Markdown, JSON, HTML) shows.

Plain frozen dataclasses: instructions are built from already-validated slots, often by the thousand.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class ScopeLine:
    name: str
    label: str
    group: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    """One numbered step. `text` may hold **bold** UI labels and `code` spans (a Markdown subset)."""

    text: str
    link: str | None = None
    items: list[str] = field(default_factory=list)
    """Sub-items: scopes to tick, fields to fill."""


class Section(StrEnum):
    """What a page section is about."""

    CREATE = "create"
    """A person creates the token: the steps to make it, deliver it and check it."""
    HANDOFF = "handoff"
    """The stack makes the credential: where it lands, or how a person carries it, and when again."""
    BLOCKED = "blocked"
    """The stack would make it, but the policy refuses the declaration: what to fix."""


@dataclass(frozen=True, slots=True)
class Instructions:
    slot: str
    connection: str
    integration: str
    platform: str
    platform_name: str
    holder: str
    kind: str
    kind_label: str
    title: str
    host: str
    """Web root the steps apply to (cloud or self-hosted)."""
    token_name: str
    expires_at: date
    lifetime_days: int
    creation_link: str | None
    """Pre-filled token creation page, where the platform supports one."""
    scopes: list[ScopeLine]
    steps: list[Step]
    verify_command: str
    token_env_var: str
    prerequisites: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    section: Section = Section.CREATE
    expiry: str | None = None
    """How the expiry reads where it is not a date a person picks (a credential the stack makes)."""

    def to_dict(self) -> dict:
        data = asdict(self)
        data["expires_at"] = self.expires_at.isoformat()
        return data
