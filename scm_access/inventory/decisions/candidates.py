"""What the inventory found and judged, as revocation candidates: each matched slot's credential with how it
was matched and its verdict's problems, and each undeclared credential with its own."""

from __future__ import annotations

from collections.abc import Sequence

from scm_access.inventory.decisions.model import Matched, RevocationCandidate
from scm_access.inventory.report import InventoryReport
from scm_access.judge import Status
from scm_access.judge.finding import Problem
from scm_access.plan.slot import Slot
from scm_access.platforms.registry import get_platform

_MATCHED = {"resource_id": Matched.NAME, "name": Matched.NAME, "heuristic": Matched.HEURISTIC}


def revocation_candidates(report: InventoryReport, slots: Sequence[Slot]) -> list[RevocationCandidate]:
    by_id = {slot.id: slot for slot in slots}
    failed = {(s.platform, s.source) for s in report.failed_sources}
    candidates = []
    for slot_finding in report.findings:
        if not slot_finding.found or slot_finding.matched_by is None:
            continue
        finding = slot_finding.finding
        credential = slot_finding.found[0]  # the one judged; any other is a duplicate, judged as such
        slot = by_id.get(finding.slot)
        link = get_platform(slot.platform).creation_link(slot) if slot is not None else None
        candidates.append(
            RevocationCandidate(
                credential=credential,
                slot=finding.slot,
                matched_by=_MATCHED.get(slot_finding.matched_by, Matched.HEURISTIC),
                problems=tuple((p.code.value, p.detail) for p in finding.problems),
                certain=finding.status != Status.UNKNOWN and (credential.platform.value, credential.source) not in failed,
                remedy=f"create the declared token first: {link}" if link else None,
            )
        )
    for undeclared in report.undeclared:
        credential = undeclared.credential
        candidates.append(
            RevocationCandidate(
                credential=credential,
                problems=tuple((p.code.value, p.detail) for p in undeclared.problems),
                certain=_certain(undeclared.problems)
                and (credential.platform.value, credential.source) not in failed,
            )
        )
    return candidates


def _certain(problems: Sequence[Problem]) -> bool:
    return all(p.certain for p in problems)
