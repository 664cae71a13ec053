"""The review in one line: what a reader sees first."""

from __future__ import annotations

from scm_access.review.model import Level, Review
from scm_access.review import rules as R

NO_CHANGE = "No change in access."


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def verdict_line(review: Review, threshold: Level | None) -> str:
    new_errors = sum(1 for v in review.verdicts.new if v.severity == "error")
    new_warnings = len(review.verdicts.new) - new_errors
    fixed = len(review.verdicts.fixed)
    verdicts = []
    if new_errors:
        verdicts.append(_count(new_errors, "new policy error"))
    if new_warnings:
        verdicts.append(_count(new_warnings, "new policy warning"))
    if review.verdicts.updated:
        verdicts.append(_count(len(review.verdicts.updated), "policy verdict") + " changed")
    if fixed:
        verdicts.append(f"{fixed} fixed")
    if not review.changes_access:
        tail = f" Policy verdicts: {review.verdicts.unchanged} unchanged." if review.verdicts.unchanged else ""
        return NO_CHANGE + tail
    parts = []
    by_change = {"added": 0, "removed": 0, "changed": 0}
    for connection in review.connections:
        by_change[connection.change] += 1
    for change, n in by_change.items():
        if n:
            parts.append(f"{_count(n, 'connection')} {change}")
    rules = [f.rule for f in review.findings if f.baseline == "new"]
    high = rules.count(R.HIGH_PRIVILEGE_SCOPE_ADDED.id)
    scopes = rules.count(R.SCOPE_ADDED.id) + high
    if scopes:
        parts.append(_count(scopes, "scope") + " added" + (f" ({high} high-privilege)" if high else ""))
    longer = rules.count(R.LIFETIME_EXTENDED.id)
    if longer:
        parts.append(_count(longer, "lifetime") + " extended")
    personal = rules.count(R.BECAME_PERSONAL.id)
    if personal:
        parts.append(_count(personal, "org-managed credential") + " made personal")
    if review.deleted_credentials:
        parts.append(_count(len(review.deleted_credentials), "provisioned credential") + " deleted")
    relaxed = sum(1 for p in review.policy if p.direction == "relaxed")
    widened = sum(1 for p in review.policy if p.direction == "widened")
    if relaxed:
        parts.append(f"policy relaxed ({_count(relaxed, 'setting')})")
    if widened:
        parts.append(f"policy lets scm-access revoke or deny more ({_count(widened, 'setting')})")
    if review.policy and not (relaxed or widened):
        parts.append(f"policy changed ({_count(len(review.policy), 'setting')})")
    text = ", ".join(parts) or "access changes"
    if verdicts:
        text += "; " + ", ".join(verdicts)
    return text[0].upper() + text[1:] + "."


def status_symbol(review: Review, threshold: Level | None) -> str:
    """🔴 the review fails, 🟡 something deserves attention, 🟢 otherwise."""
    if review.failing(threshold):
        return "🔴"
    if any(f.baseline == "new" and f.level.rank >= Level.WARNING.rank for f in review.findings):
        return "🟡"
    return "🟢"
