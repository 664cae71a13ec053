"""The inventory on a terminal: tables where they fit, lines on a narrow terminal, where a table would break
identifiers, dates and problem codes in the middle."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from rich.console import Console

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.inventory.model import FoundCredential, SourceReport, SourceStatus
from scm_access.inventory.report import InventoryReport, UndeclaredCredential
from scm_access.judge import Problem, ProblemCode
from scm_access.outputs.inventory import WIDE, terminal


@pytest.fixture
def report() -> InventoryReport:
    found = FoundCredential(
        platform=Platform.AZURE_DEVOPS, source="token_administration", id="7", kind=CredentialKind.AZURE_DEVOPS_PAT,
        kind_label="personal access token", owner="someone.with.a.long.name@example.com", name="nightly_export",
        expires_at=datetime(2026, 12, 31, tzinfo=UTC),
    )
    problem = Problem(code=ProblemCode.UNDECLARED_CREDENTIAL, detail="no declaration accounts for it")
    source = SourceReport(
        "azure_devops", "token_administration", SourceStatus.READ, "1 personal access tokens of 1 users", "fabrikam"
    )
    return InventoryReport(
        date=datetime(2026, 11, 23, 12, tzinfo=UTC), stale_days=90, sources=[source],
        undeclared=[UndeclaredCredential(found, (problem,))],
    )


def shown(report: InventoryReport, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    terminal(report, console)
    return console.file.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize("whole", [
    "token_administration", "undeclared_credential", "2026-12-31", "someone.with.a.long.name@example.com",
    "nightly_export", "azure_devops",
])
def test_at_80_columns_nothing_is_broken_in_the_middle(report, whole):
    assert whole in shown(report, 80)


def test_at_80_columns_there_are_lines_not_tables(report):
    assert "┃" not in shown(report, 80)


def test_where_they_fit_the_parts_are_tables(report):
    assert "┃ platform" in shown(report, WIDE)


def test_no_line_ends_in_blanks_at_80_columns(report):
    assert all(line == line.rstrip() for line in shown(report, 80).splitlines())
