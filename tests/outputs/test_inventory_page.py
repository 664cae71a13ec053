"""The inventory's HTML page: each of its tables labels its own columns on a narrow screen."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.inventory.model import FoundCredential
from scm_access.inventory.report import InventoryReport, UndeclaredCredential
from scm_access.outputs.inventory import html


@pytest.fixture
def page() -> str:
    found = FoundCredential(
        platform=Platform.GITLAB, source="personal_access_tokens", id="1", kind=CredentialKind.GITLAB_PAT,
        kind_label="personal access token", owner="mallory", name="old token",
    )
    report = InventoryReport(
        date=datetime(2026, 11, 23, 12, tzinfo=UTC), stale_days=90, undeclared=[UndeclaredCredential(found, ())]
    )
    return html(report)


def _labels(page: str, table: str) -> list[str]:
    narrow = re.search(rf"@media \(max-width: \d+rem\) \{{\s*table\.{table} .*?\n\}}", page, re.DOTALL)
    assert narrow, f"no narrow-screen rules for table.{table}"
    return re.findall(rf'table\.{table} td:nth-child\(\d+\)::before {{ content: "([^"]*)"; }}', narrow.group(0))


def _header(page: str, table: str) -> list[str]:
    head = re.search(rf'<table class="{table}"><thead><tr>(.*?)</tr>', page)
    assert head, f"no table.{table} on the page"
    return re.findall(r"<th>(.*?)</th>", head.group(1))


def test_the_undeclared_table_is_labelled_with_its_own_columns(page):
    assert _labels(page, "undeclared") == _header(page, "undeclared")


def test_the_sources_table_is_labelled_with_its_own_columns(page):
    assert _labels(page, "sources") == ["platform", "source", "scope", "status", "detail"]


def test_the_page_carries_none_of_the_plan_index_labels(page):
    assert 'content: "Connection"' not in page
