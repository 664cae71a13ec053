"""Azure DevOps naming restrictions for organizations and projects.

Organization: letters, digits and hyphens, starting and ending with a letter or digit, at most 50
characters. Project: at most 64 characters, no control characters, none of \\ / : * ? " ' < > ; # $ { } ,
+ = [ ] |, not starting with '_' or '.', not ending with '.'. Project names may hold spaces and other
characters that links and API paths must encode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scm_access.platforms.naming import NameRule

if TYPE_CHECKING:
    from scm_access.platforms.azure_devops.access import AzureDevOpsAccess

ORGANIZATION = NameRule(
    "an Azure DevOps organization name",
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?",
    50,
    "letters, digits and hyphens, starting and ending with a letter or digit, at most 50 characters",
)
PROJECT = NameRule(
    "an Azure DevOps project name",
    r"(?![_.])[^\x00-\x1f\x7f\\/:*?\"'<>;#$*{},+=\[\]|]+(?<!\.)",
    64,
    "at most 64 characters, none of \\ / : * ? \" ' < > ; # $ { } , + = [ ] | or control characters,"
    " not starting with '_' or '.', not ending with '.'",
)


def name_problems(access: AzureDevOpsAccess) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if problem := ORGANIZATION.problem(access.organization):
        problems.append(("organization", problem))
    for index, project in enumerate(access.projects):
        if problem := PROJECT.problem(project):
            problems.append((f"projects[{index}]", problem))
    connection = access.service_connection
    if connection is not None and (problem := PROJECT.problem(connection.project)):
        problems.append(("service_connection.project", problem))
    return problems
