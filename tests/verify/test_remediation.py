"""What a finding tells the holder to do, taken from the slot's own instructions and prerequisites."""

from __future__ import annotations

from scm_access.declarations.connection import GroupMembership, RepositoryPermission
from scm_access.verify import ProblemCode
from scm_access.judge.remediation import remediation
from tests.verify.conftest import github_slot


def test_a_missing_repository_role_names_the_repository_and_the_role():
    slot = github_slot(prerequisites=[RepositoryPermission(repository="acme/workflows", permission="write")])
    [line] = remediation(slot, ProblemCode.NOT_IN_REQUIRED_GROUP)
    assert line == "Ask an administrator to grant it: You need write permission on the repository acme/workflows."


def test_a_missing_group_membership_names_the_group():
    slot = github_slot(prerequisites=[GroupMembership(group="Project Collection Administrators")])
    lines = remediation(slot, ProblemCode.NOT_IN_REQUIRED_GROUP)
    assert lines[0] == "Ask an administrator to grant it: You must be a member of Project Collection Administrators."


def test_a_scope_problem_lists_the_step_with_the_scopes_to_tick():
    lines = remediation(github_slot(), ProblemCode.EXCESS_SCOPE)
    assert any("`repo`" in line for line in lines[1:])
