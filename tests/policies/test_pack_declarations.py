"""Declarations the pack cannot read or plan are reported, never passed over."""

from __future__ import annotations

import textwrap

import pytest

from policies import pack
from tests.policies.policy_harness import analyze, analyze_stack, servicer

GROUP_TOKEN = "gitlab:index/groupAccessToken:GroupAccessToken"
TOO_LONG = {"group": "acme", "name": "t", "scopes": ["api"], "accessLevel": "developer",
            "rotationConfiguration": {"expirationDays": 120, "rotateBeforeDays": 7}}

BROKEN = """
from scm_access.declarations import Connection, GitLabAccess, ServiceIdentity
CONNECTION = Connection(name="broken", integration="X", owner="o", purpose="p", access=[
    GitLabAccess(scopes=["read_everything"], group="acme", holder=ServiceIdentity(service="s"))])
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The pack pointed at a project of the test's own; its cached reading forgotten before and after."""
    (tmp_path / "connections").mkdir()
    monkeypatch.setattr(pack, "PROJECT_ROOT", tmp_path)
    for cached in (pack.declared, pack.declared_access_levels, pack._overridden):
        cached.cache_clear()
    yield tmp_path
    for cached in (pack.declared, pack.declared_access_levels, pack._overridden):
        cached.cache_clear()


def test_a_declaration_error_is_a_mandatory_violation_naming_connection_and_field(project):
    (project / "connections" / "broken.py").write_text(textwrap.dedent(BROKEN))
    (diagnostic,) = analyze_stack(servicer())
    name, level, message = diagnostic
    assert (name, level) == ("declarations-valid", "MANDATORY")
    assert "connection 'broken'" in message and "scopes[0]" in message


def test_resources_are_still_judged_by_the_policy_when_the_declarations_are_broken(project):
    (project / "connections" / "broken.py").write_text(textwrap.dedent(BROKEN))
    found = {name for name, _, _ in analyze(servicer(), GROUP_TOKEN, TOO_LONG)}
    assert "lifetime-exceeds-policy" in found


def test_valid_declarations_raise_nothing_at_the_stack(project):
    assert analyze_stack(servicer()) == []
