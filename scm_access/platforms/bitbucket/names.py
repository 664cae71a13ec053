"""Bitbucket Cloud's rules for workspace IDs and repository slugs.

Workspace IDs and repository slugs are lower case: letters, digits, '-' and '_' (slugs also '.'); they
are the path segments of every Bitbucket URL. Repositories are named within the workspace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scm_access.platforms.naming import NameRule, within_owner

if TYPE_CHECKING:
    from scm_access.platforms.bitbucket.access import BitbucketAccess

WORKSPACE = NameRule(
    "a Bitbucket workspace ID",
    r"[a-z0-9][a-z0-9_-]*",
    255,
    "lower-case letters, digits, '-' and '_'",
)
REPOSITORY = NameRule(
    "a Bitbucket repository slug",
    r"(?!\.\.?$)[a-z0-9_.-]+",
    255,
    "lower-case letters, digits, '.', '-' and '_' (the slug in the repository's URL)",
)


def name_problems(access: BitbucketAccess) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if problem := WORKSPACE.problem(access.workspace):
        problems.append(("workspace", problem))
    for index, repository in enumerate(access.repositories):
        problem = within_owner(repository, access.workspace, "workspace") or REPOSITORY.problem(repository)
        if problem:
            problems.append((f"repositories[{index}]", problem))
    return problems
