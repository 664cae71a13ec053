"""GitHub names in declarations follow GitHub's own rules; repositories are named within the org."""

import pytest

from scm_access.declarations import PublicOrgMembership, RepositoryPermission
from scm_access.platforms.github.access import GitHubAccess
from scm_access.platforms.registry import get_platform


def problems(**fields):
    access = GitHubAccess(scopes=["repo"], holder=["alice"], **fields)
    return get_platform("github").name_problems(access)


@pytest.mark.parametrize("org", ["acme", "Acme-Corp", "a1", "a" * 39])
def test_valid_owners_pass(org):
    assert problems(org=org) == []


@pytest.mark.parametrize("org", ["-acme", "acme corp", "acme/x", "acme?x", "[/link]", "a" * 40, "ac_me"])
def test_an_owner_outside_githubs_rule_is_refused(org):
    [(field, message)] = problems(org=org)
    assert field == "org" and message.startswith(f"{org!r} is not a GitHub organization or user name")


@pytest.mark.parametrize("name", ["app", "my.app", "my_app-2", "a" * 100, ".github"])
def test_valid_repository_names_pass(name):
    assert problems(org="acme", repositories=[name]) == []


@pytest.mark.parametrize("name", ["..", ".", "my app", "app?x=1", "app#x", "a" * 101, "appé"])
def test_a_repository_name_outside_githubs_rule_is_refused(name):
    [(field, message)] = problems(org="acme", repositories=[name])
    assert field == "repositories[0]" and "is not a GitHub repository name" in message


def test_a_repository_written_with_its_org_is_refused_with_the_one_documented_form():
    assert problems(org="acme", repositories=["acme/a"]) == [
        ("repositories[0]", "write 'a': repositories are named within org 'acme', without it")
    ]


def test_a_repository_of_another_owner_is_refused():
    assert problems(org="acme", repositories=["other/a"]) == [
        ("repositories[0]", "'other/a' is not in org 'acme': repositories are named within it")
    ]


def test_without_an_org_the_fix_moves_the_owner_to_org():
    assert problems(repositories=["acme/a"]) == [("repositories[0]", "write org='acme' and the repository as 'a'")]


def test_prerequisites_name_owners_and_repositories_by_the_same_rules():
    found = problems(
        prerequisites=[PublicOrgMembership(org="ac me"), RepositoryPermission(repository="acme/x y")]
    )
    assert [field for field, _ in found] == ["prerequisites[0].org", "prerequisites[1].repository"]


def test_a_repository_permission_names_the_owner():
    assert problems(prerequisites=[RepositoryPermission(repository="tools")]) == [
        ("prerequisites[0].repository", "write the repository with its owner, e.g. 'acme/tools'")
    ]
