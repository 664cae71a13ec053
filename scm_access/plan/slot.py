"""A slot: one credential that must exist. The unit of planning, verifying and reporting."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from scm_access.declarations.connection import Access, Delivery, Prerequisite
from scm_access.declarations.token_variable import token_env_var
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations.location import declared_at
from scm_access.rules.rule import Severity, Violation


class Strategy(StrEnum):
    PROVISION = "provision"
    """An org-managed credential the program mints and rotates through the platform API."""
    USER_PAT = "user_pat"
    """A personal token only a person can create: instruct, then verify."""


class Slot(BaseModel):
    model_config = ConfigDict(frozen=True)

    connection: str
    integration: str
    purpose: str
    platform: Platform
    holder: str = Field(description="Person name or service identity name.")
    holder_is_person: bool
    holder_login: str | None = None
    holder_email: str | None = Field(None, description="Account email of the holder, where declared.")
    guide: str | None = Field(None, description="The integration's setup guide, as the connection names it.")
    role: str | None = Field(None, description="Role the credential gets where the platform gives one (GitLab).")
    kind: CredentialKind
    scopes: list[str] = Field(description="Least-privilege scope set: the minimal cover, in UI order.")
    folded_scopes: dict[str, str] = Field(
        default_factory=dict,
        description="Declared scopes left out because another planned scope contains them: scope → container.",
    )
    strategy: Strategy
    reason: str = Field(description="Why this strategy was chosen.")
    lifetime_days: int
    expires_at: date
    prerequisites: list[Prerequisite] = Field(default_factory=list)
    violations: list[Violation] = Field(default_factory=list)
    base_url: str | None = Field(None, description="Self-hosted web root; None for the cloud service.")
    delivery: Delivery | None = None
    access: Access = Field(exclude=True, repr=False)

    @property
    def id(self) -> str:
        return f"{self.connection}/{self.platform.value}/{self.holder}"

    @property
    def token_name(self) -> str:
        """Name (note) given to the token, so its owner and an admin can tell what it is for."""
        return f"{self.integration} ({self.connection})"

    @property
    def token_env_var(self) -> str:
        """Environment variable `verify --all` reads this slot's token from."""
        return token_env_var(self.connection, self.platform, self.holder)

    @property
    def blocking(self) -> bool:
        return any(v.severity == Severity.ERROR for v in self.violations)

    def summary(self) -> dict:
        """The JSON shape of `scm-access plan --format json` (no expiry for a kind that has none)."""
        document = self.model_dump(mode="json")
        if not self.kind.spec.expires:
            document["expires_at"] = None
        if self.strategy == Strategy.USER_PAT:
            document["token_env_var"] = self.token_env_var  # where `verify --all` and `pulumi up` read it
        location = declared_at(self.access)  # reviews and code scanning point at the declaring line
        document["declared_at"] = {"file": location.file, "line": location.line} if location else None
        return document


__all__ = ["Slot", "Strategy", "token_env_var"]
