from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the Pulumi program and the policy pack import from the project root
    sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="session")
def today() -> date:
    return TODAY


FIXTURE_PROJECT = ROOT / "tests" / "fixtures" / "project"
"""The tests' own declarations and policy; the shipped examples in connections/ have one smoke test."""


@pytest.fixture(scope="session")
def fixture_project() -> Path:
    return FIXTURE_PROJECT


@pytest.fixture(autouse=True)
def event_loop_for_pulumi():
    """`asyncio.run` leaves the main thread without a current loop; the Pulumi SDK still asks for one."""
    try:
        asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        asyncio.set_event_loop(asyncio.new_event_loop())
    yield
