"""The report of one inventory run, as every output reads it."""

from __future__ import annotations

from datetime import UTC, datetime

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.inventory.model import FoundCredential
from scm_access.inventory.report import InventoryReport, UndeclaredCredential


def test_a_report_spells_out_its_counts_not_its_contents():
    # asyncio builds the repr of a run's result (restoring its interrupt handler): a large report spelt out
    # whole took seconds.
    found = FoundCredential(
        platform=Platform.GITLAB, source="personal_access_tokens", id="1", kind=CredentialKind.GITLAB_PAT,
        kind_label="personal access token",
    )
    report = InventoryReport(
        date=datetime(2026, 11, 23, 12, tzinfo=UTC), stale_days=90,
        undeclared=[UndeclaredCredential(found, ()) for _ in range(5_000)],
    )
    assert repr(report) == "InventoryReport(date=2026-11-23T12:00:00Z, 0 sources, 0 findings, 5000 undeclared)"
