"""GitLab's rules for group and project paths.

Each segment of a path: letters, digits, '_', '.' and '-'; not starting with '-' or '.', not ending with
'.', '.git' or '.atom' (GitLab's slug rule; newer instances are stricter still, which GitLab itself
enforces when the group or project is created). Segments are joined by '/'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scm_access.platforms.naming import NameRule

if TYPE_CHECKING:
    from scm_access.platforms.gitlab.access import GitLabAccess

_SEGMENT = r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?<!\.)(?<!\.git)(?<!\.atom)"
PATH = NameRule(
    "a GitLab group or project path",
    rf"{_SEGMENT}(?:/{_SEGMENT})*",
    255,
    "segments of letters, digits, '_', '.' and '-' joined by '/', each not starting with '-' or '.'"
    " and not ending with '.', '.git' or '.atom'",
)


def name_problems(access: GitLabAccess) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if isinstance(access.group, str) and (problem := PATH.problem(access.group)):
        problems.append(("group", problem))
    for index, project in enumerate(access.projects):
        if problem := PATH.problem(project):
            problems.append((f"projects[{index}]", problem))
    return problems
