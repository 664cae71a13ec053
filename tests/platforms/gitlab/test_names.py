"""GitLab group and project paths follow GitLab's slug rule, segment by segment."""

import pytest

from scm_access.platforms.gitlab.access import GitLabAccess
from scm_access.platforms.registry import get_platform


def problems(**fields):
    return get_platform("gitlab").name_problems(GitLabAccess(scopes=["read_api"], holder=["alice"], **fields))


@pytest.mark.parametrize("path", ["acme", "acme/platform", "acme/sub.group/my_project-2", "_legacy"])
def test_valid_paths_pass(path):
    assert problems(group=path, projects=[path]) == []


def test_a_numeric_group_id_is_not_a_path():
    assert problems(group=101) == []


@pytest.mark.parametrize(
    "path", ["-acme", "acme/-x", "acme/app.git", "acme/app.atom", "acme/app.", "acme//x", "acme/x y", "../x", "acme/?"]
)
def test_a_path_outside_gitlabs_rule_is_refused(path):
    assert [field for field, _ in problems(group=path, projects=[path])] == ["group", "projects[0]"]
