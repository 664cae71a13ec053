"""Manual steps for a person: the data every renderer (terminal, Markdown, JSON, HTML) shows."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class ScopeLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    label: str
    group: str = ""


class Step(BaseModel):
    """One numbered step. `text` may hold **bold** UI labels and `code` spans (Markdown subset)."""

    model_config = ConfigDict(frozen=True)

    text: str
    link: str | None = None
    items: list[str] = Field(default_factory=list, description="Sub-items: scopes to tick, fields to fill.")


class Instructions(BaseModel):
    model_config = ConfigDict(frozen=True)

    slot: str
    connection: str
    integration: str
    platform: str
    platform_name: str
    holder: str
    kind: str
    kind_label: str
    title: str
    host: str = Field(description="Web root the steps apply to (cloud or self-hosted).")
    token_name: str
    expires_at: date
    lifetime_days: int
    creation_link: str | None = Field(None, description="Pre-filled token creation page, where supported.")
    scopes: list[ScopeLine]
    prerequisites: list[str] = Field(default_factory=list)
    steps: list[Step]
    notes: list[str] = Field(default_factory=list)
    verify_command: str
    token_env_var: str
