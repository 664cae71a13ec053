"""Bitbucket workspace IDs and repository slugs are lower case; repositories are named within the workspace."""

import pytest

from scm_access.platforms.bitbucket.access import BitbucketAccess
from scm_access.platforms.registry import get_platform


def problems(workspace="acme", **fields):
    access = BitbucketAccess(scopes=["read:repository:bitbucket"], holder=["alice"], workspace=workspace, **fields)
    return get_platform("bitbucket").name_problems(access)


def test_valid_names_pass():
    assert problems("acme_labs-2", repositories=["my.repo_2-x"]) == []


@pytest.mark.parametrize("workspace", ["Acme", "ac me", "acme/x", "-acme", ""])
def test_a_workspace_outside_the_rule_is_refused(workspace):
    assert [field for field, _ in problems(workspace)] == ["workspace"]


@pytest.mark.parametrize("repository", ["My-Repo", "my repo", "..", "a?b"])
def test_a_repository_slug_outside_the_rule_is_refused(repository):
    assert [field for field, _ in problems(repositories=[repository])] == ["repositories[0]"]


def test_a_repository_written_with_its_workspace_gets_the_fix():
    assert problems(repositories=["acme/app"]) == [
        ("repositories[0]", "write 'app': repositories are named within workspace 'acme', without it")
    ]
