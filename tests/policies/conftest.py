from __future__ import annotations

import pytest

from policies import pack
from tests.provision.harness import FIXTURE_PROJECT


@pytest.fixture(autouse=True)
def pack_reads_the_fixture_project(monkeypatch):
    """The pack applies the tests' own declarations and policy, not the shipped examples; its cached
    reading is forgotten before and after so no test sees another project's."""
    monkeypatch.setattr(pack, "PROJECT_ROOT", FIXTURE_PROJECT)
    for cached in (pack.declared, pack.declared_access_levels, pack._overridden):
        cached.cache_clear()
    yield
    for cached in (pack.declared, pack.declared_access_levels, pack._overridden):
        cached.cache_clear()
