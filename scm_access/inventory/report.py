"""What one inventory run found, in the shape every output format and the Pulumi program read.

The JSON form (:meth:`InventoryReport.document`) is documented in ``docs/inventory.md``; nothing in it is a
secret (the run scrubs every credential value in use before a report exists).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from scm_access.inventory.model import FoundCredential, SourceReport, SourceStatus
from scm_access.judge import Finding, Problem, Status, worst_status


@dataclass(frozen=True)
class CredentialRef:
    """Which credential a finding is about, without anything secret: enough to find it in the platform."""

    id: str
    source: str
    name: str | None
    token_last_eight: str | None = None

    @classmethod
    def of(cls, found: FoundCredential) -> CredentialRef:
        return cls(id=found.id, source=found.source, name=found.name, token_last_eight=found.token_last_eight)


@dataclass(frozen=True)
class SlotFinding:
    finding: Finding
    matched_by: str | None = None
    """``resource_id``, ``name``, ``heuristic``; None when nothing was matched."""
    credentials: tuple[CredentialRef, ...] = ()
    not_shown: tuple[str, ...] = ()
    """What the views that listed it cannot show (notes that do not hold the verdict back)."""
    found: tuple[FoundCredential, ...] = ()
    """The credentials matched, best first, as read (for decisions about them; not part of the document)."""

    def document(self) -> dict[str, Any]:
        data = self.finding.model_dump(mode="json")
        data["facts"]["not_shown"] = list(self.not_shown)
        data["matched_by"] = self.matched_by
        data["credentials"] = [
            {"id": c.id, "source": c.source, "name": c.name, "token_last_eight": c.token_last_eight}
            for c in self.credentials
        ]
        return data


@dataclass(frozen=True)
class UndeclaredCredential:
    credential: FoundCredential
    problems: tuple[Problem, ...]

    def document(self, steps: dict[tuple[int, ...], list[dict[str, Any]]] | None = None) -> dict[str, Any]:
        """``steps``: the documents of remediation steps already made, by the steps' identity (thousands of
        undeclared credentials share the same few)."""
        found = self.credential
        # str() of these string enums is their value, as .value is, without the enum property's cost (Python
        # 3.11): a report documents tens of thousands of credentials.
        return {
            "platform": str(found.platform),
            "kind": str(found.kind) if found.kind is not None else found.kind_label,
            "owner": found.owner,
            "name": found.name,
            "scopes": sorted(found.scopes) if found.scopes is not None else None,
            "expires_at": _iso(found.expires_at),
            "never_expires": found.never_expires,
            "last_used_at": _iso(found.last_used_at),
            "usage_shown": found.usage_shown,
            "source": found.source,
            "id": found.id,
            "scope": found.scope,
            "owner_state": str(found.owner_state) if found.owner_state is not None else None,
            "token_last_eight": found.token_last_eight,
            "not_shown": list(found.unobservable),
            "problems": [problem_document(p, {} if steps is None else steps) for p in self.problems],
        }


def problem_document(problem: Problem, steps: dict[tuple[int, ...], list[dict[str, Any]]]) -> dict[str, Any]:
    """``problem.model_dump(mode="json")``, made without pydantic's serializer (a tenth of its time, per
    problem of tens of thousands): its fields are plain text but for the code, a string enum."""
    key = tuple(map(id, problem.remediation))
    dumped = steps.get(key)
    if dumped is None:
        dumped = steps[key] = [step.model_dump(mode="json") for step in problem.remediation]
    # Copies: a document may be changed by whoever reads it; the steps made once must not be.
    return {
        "code": str(problem.code),
        "detail": problem.detail,
        "remediation": [{k: list(v) if isinstance(v, list) else v for k, v in step.items()} for step in dumped],
    }


PROBLEM_DOCUMENT_FIELDS = ("code", "detail", "remediation")
"""The fields of :class:`Problem` that :func:`problem_document` writes (a test holds them to the model's)."""


@dataclass(repr=False)
class InventoryReport:
    date: datetime
    stale_days: int
    sources: list[SourceReport] = field(default_factory=list)
    findings: list[SlotFinding] = field(default_factory=list)
    undeclared: list[UndeclaredCredential] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """One line per platform not read, naming what enables it."""

    def __repr__(self) -> str:
        # Short: asyncio shows the result of the run's task in messages it builds even when nobody reads
        # them (restoring the interrupt handler at the end of asyncio.run), and the whole report of tens of
        # thousands of credentials took seconds to spell out.
        return (
            f"InventoryReport(date={_iso(self.date)}, {len(self.sources)} sources, {len(self.findings)} findings,"
            f" {len(self.undeclared)} undeclared)"
        )

    @property
    def failed_sources(self) -> list[SourceReport]:
        return [s for s in self.sources if s.status == SourceStatus.FAILED]

    def worst(self) -> Status | None:
        return worst_status(f.finding.status for f in self.findings)

    def summary(self) -> dict[str, int]:
        counts = Counter(f.finding.status.value for f in self.findings)
        result = {status.value: counts.get(status.value, 0) for status in Status if status != Status.MISSING}
        result["undeclared"] = len(self.undeclared)
        result["sources_failed"] = len(self.failed_sources)
        return result

    def document(self) -> dict[str, Any]:
        steps: dict[tuple[int, ...], list[dict[str, Any]]] = {}
        return {
            "date": _iso(self.date),
            "stale_days": self.stale_days,
            "sources": [
                {"platform": s.platform, "source": s.source, "status": s.status.value, "detail": s.detail,
                 "scope": s.scope}
                for s in self.sources
            ],
            "findings": [f.document() for f in self.findings],
            "undeclared": [u.document(steps) for u in self.undeclared],
            "skipped": list(self.skipped),
            "summary": self.summary(),
        }


@lru_cache(maxsize=4096)
def _iso(moment: datetime | None) -> str | None:
    """A moment in UTC as ISO 8601 with ``Z``. Kept for the last few thousand moments: a listing's moments
    repeat (GitLab's expiry dates are days; tokens made together), and formatting an aware moment is slow."""
    if moment is None:
        return None
    if moment.tzinfo is not UTC:  # the views' moments are in UTC already (inventory.listing.moment)
        moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.isoformat().replace("+00:00", "Z")
