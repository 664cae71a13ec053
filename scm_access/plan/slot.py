"""A slot: one credential that must exist. The unit of planning, verifying and reporting."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Iterator
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from scm_access.declarations.access import Access, Delivery, Prerequisite
from scm_access.declarations.token_variable import token_env_var
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations.location import declared_at
from scm_access.platforms.registry import get_platform
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
    def tag(self) -> str:
        """Short, stable tag of this slot (:func:`slot_tag`), carried in the name of a personal token."""
        return slot_tag(self.id)

    @property
    def token_name(self) -> str:
        """Name (note) given to the token, so its owner and an admin can tell what it is for. A personal
        token's name ends with the slot's tag, which is how the admin inventory recognises it; the name is
        cut (never the tag) to fit the platform's limit for the kind. A credential the stack makes keeps its
        plain name: it is recognised by the marker in its description, and renaming would replace it."""
        name = f"{self.integration} ({self.connection})"
        if self.strategy != Strategy.USER_PAT:
            return name
        tag = self.tag
        limit = get_platform(self.platform).token_name_limit(self.kind)
        if limit is not None and len(name) + 1 + len(tag) > limit:
            name = name[: max(limit - len(tag) - 1, 0)].rstrip()
        return f"{name} {tag}" if name else tag

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


SLOT_TAG = re.compile(r"(?<![A-Za-z0-9])scm-([a-z2-7]{8})(?![A-Za-z0-9])")
"""A slot tag inside a credential's name, note or label."""


@lru_cache(maxsize=4096)
def slot_tag(slot_id: str) -> str:
    """``scm-`` and 8 characters derived from the slot's id (connection/platform/holder): the same slot has
    the same tag in every plan, and 40 bits keep two slots' tags apart in any realistic declaration set.
    (The first 8 base32 characters of the SHA-256 digest are those of its first 5 bytes; a slot's pages
    ask for its tag several times in a row, hence the small cache.)"""
    digest = hashlib.sha256(slot_id.encode("utf-8")).digest()
    return "scm-" + base64.b32encode(digest[:5]).decode("ascii").lower()


def tags_in(text: str | None) -> list[str]:
    """Every slot tag in ``text`` (a token's name or note), in order."""
    return [f"scm-{match}" for match in SLOT_TAG.findall(text or "")]


_HOLDER_FIELDS = ("holder", "holder_login", "holder_email")
_SHARED_FIELDS = tuple(name for name in Slot.model_fields if name not in _HOLDER_FIELDS)


def summaries(slots: Iterable[Slot]) -> Iterator[dict[str, Any]]:
    """``slot.summary()`` for each slot, dumping what the holders of one declaration share once.

    The planner gives the holders of a declaration the same objects for every field but the holder's own, so
    slots whose other fields are the very same objects (compared by identity: a slot built any other way
    is dumped on its own) differ only in the holder. The documents share their nested lists: they are for
    encoding, not for editing."""
    dumped: dict[tuple[int, ...], tuple[dict[str, Any], Slot]] = {}
    for slot in slots:
        values = slot.__dict__
        key = tuple(map(id, map(values.__getitem__, _SHARED_FIELDS)))
        found = dumped.get(key)
        if found is None:
            # Holding the slot keeps every value in the key alive, so no identity is reused meanwhile.
            dumped[key] = (document := slot.summary(), slot)
            yield document
            continue
        document = dict(found[0])  # the same keys in the same order
        document["holder"] = slot.holder
        document["holder_login"] = slot.holder_login
        document["holder_email"] = slot.holder_email
        if "token_env_var" in document:
            document["token_env_var"] = slot.token_env_var
        yield document


__all__ = ["SLOT_TAG", "Slot", "Strategy", "slot_tag", "summaries", "tags_in", "token_env_var"]
