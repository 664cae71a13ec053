"""Manual steps for a person: the data every renderer (terminal, Markdown, JSON, HTML) shows.

Plain frozen dataclasses: instructions are built from already-validated slots, often by the thousand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple


class ScopeLine(NamedTuple):
    """A scope as the platform's form shows it. A named tuple (as :class:`Holder`): the renderers look a
    section's scopes up by value in their caches, and a tuple hashes without calling back into Python."""

    name: str
    label: str
    group: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "group": self.group}


@dataclass(frozen=True, slots=True)
class Step:
    """One numbered step. `text` may hold **bold** UI labels and `code` spans (a Markdown subset)."""

    text: str
    link: str | None = None
    items: list[str] = field(default_factory=list)
    """Sub-items: scopes to tick, fields to fill."""

    def to_dict(self) -> dict:
        return {"text": self.text, "link": self.link, "items": list(self.items)}


class Section(StrEnum):
    """What a page section is about."""

    CREATE = "create"
    """A person creates the token: the steps to make it, deliver it and check it."""
    HANDOFF = "handoff"
    """The stack makes the credential: where it lands, or how a person carries it, and when again."""
    BLOCKED = "blocked"
    """The stack would make it, but the policy refuses the declaration: what to fix."""


class Holder(NamedTuple):
    """One holder of a section's credential: what is theirs alone (everything else the holders share).

    A named tuple rather than a frozen dataclass: as immutable, and built in half the time (a large plan
    has a hundred thousand holders)."""

    slot: str
    """The holder's slot id: the anchor a link to their row (or to their section) points at."""
    name: str
    login: str | None
    """The account to sign in as, where declared."""
    email: str | None
    is_person: bool
    token_name: str
    """A personal token's name carries the holder's own slot tag."""
    creation_link: str | None
    """The holder's pre-filled token creation page, where the platform supports one."""
    token_env_var: str
    """The variable `verify --all` and `pulumi up` read the holder's token from."""
    verify_command: str

    def to_dict(self) -> dict:
        return {
            "slot": self.slot,
            "holder": self.name,
            "login": self.login,
            "email": self.email,
            "token_name": self.token_name,
            "creation_link": self.creation_link,
            "token_env_var": self.token_env_var,
            "verify_command": self.verify_command,
        }


@dataclass(frozen=True, slots=True)
class Instructions:
    """One section of a page: a declaration's credential (connection × access) and every holder of it.

    The steps are written once. With one holder they name that holder's own values (sign-in account, token
    name, pre-filled link, verify command); with several, the steps that differ point to the holder's row in
    the holders table."""

    connection: str
    integration: str
    platform: str
    platform_name: str
    kind: str
    kind_label: str
    title: str
    host: str
    """Web root the steps apply to (cloud or self-hosted)."""
    expires_at: date
    lifetime_days: int
    scopes: list[ScopeLine]
    steps: list[Step]
    holders: list[Holder]
    prerequisites: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    section: Section = Section.CREATE
    expiry: str | None = None
    """How the expiry reads where it is not a date a person picks (a credential the stack makes)."""

    @property
    def sole(self) -> Holder:
        """The holder of a section that has exactly one (every hand-off; a declaration with one holder)."""
        if len(self.holders) != 1:
            raise ValueError(f"{self.title}: {len(self.holders)} holders where one was expected")
        return self.holders[0]

    # One holder's values, for a section that has one.
    @property
    def slot(self) -> str:
        return self.sole.slot

    @property
    def holder(self) -> str:
        return self.sole.name

    @property
    def token_name(self) -> str:
        return self.sole.token_name

    @property
    def creation_link(self) -> str | None:
        return self.sole.creation_link

    @property
    def verify_command(self) -> str:
        return self.sole.verify_command

    @property
    def token_env_var(self) -> str:
        return self.sole.token_env_var

    def to_dict(self) -> dict:
        """The section as a record of instructions.json: the shared parts, then ``holders``."""
        return {
            "connection": self.connection,
            "integration": self.integration,
            "platform": self.platform,
            "platform_name": self.platform_name,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "section": self.section.value,
            "title": self.title,
            "host": self.host,
            "expires_at": self.expires_at.isoformat(),
            "lifetime_days": self.lifetime_days,
            "expiry": self.expiry,
            "scopes": [s.to_dict() for s in self.scopes],
            "prerequisites": list(self.prerequisites),
            "steps": [s.to_dict() for s in self.steps],
            "notes": list(self.notes),
            "holders": [h.to_dict() for h in self.holders],
        }
