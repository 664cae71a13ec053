"""GitHub's rules for the names a declaration uses (organizations and users, repositories).

Organization and user names: letters, digits and hyphens, not starting with a hyphen, at most 39 characters
(older accounts may hold a trailing or doubled hyphen, so those are not refused). Repository names: ASCII
letters, digits, '.', '-' and '_', at most 100 characters, never '.' or '..'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scm_access.declarations.access import PublicOrgMembership, RepositoryPermission, SamlSsoAuthorization
from scm_access.platforms.naming import NameRule, within_owner

if TYPE_CHECKING:
    from scm_access.platforms.github.access import GitHubAccess

OWNER = NameRule(
    "a GitHub organization or user name",
    r"[A-Za-z0-9][A-Za-z0-9-]*",
    39,
    "letters, digits and hyphens, not starting with a hyphen, at most 39 characters",
)
REPOSITORY = NameRule(
    "a GitHub repository name",
    r"(?!\.\.?$)[A-Za-z0-9._-]+",
    100,
    "ASCII letters, digits, '.', '-' and '_', at most 100 characters",
)


def name_problems(access: GitHubAccess) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if access.org is not None and (problem := OWNER.problem(access.org)):
        problems.append(("org", problem))
    for index, repository in enumerate(access.repositories):
        problem = within_owner(repository, access.org, "org") or REPOSITORY.problem(repository)
        if problem:
            problems.append((f"repositories[{index}]", problem))
    for index, prerequisite in enumerate(access.prerequisites):
        where = f"prerequisites[{index}]"
        if isinstance(prerequisite, (SamlSsoAuthorization, PublicOrgMembership)):
            if problem := OWNER.problem(prerequisite.org):
                problems.append((f"{where}.org", problem))
        elif isinstance(prerequisite, RepositoryPermission):
            owner, slash, name = prerequisite.repository.partition("/")
            problem = (
                (OWNER.problem(owner) or REPOSITORY.problem(name))
                if slash
                else f"write the repository with its owner, e.g. 'acme/{prerequisite.repository}'"
            )
            if problem:
                problems.append((f"{where}.repository", problem))
    return problems
