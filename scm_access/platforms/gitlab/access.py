"""What a GitLab entry of a connection names: a group (path or numeric ID), projects, the token's role."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictInt

from scm_access.core.defaults import empty_list
from scm_access.declarations.access import Access

__all__ = ["GitLabAccess"]


class GitLabAccess(Access):
    platform: Literal["gitlab"] = "gitlab"
    group: str | Annotated[StrictInt, Field(gt=0)] | None = Field(
        None, description="Group full path (acme/platform), or the group's numeric ID."
    )
    projects: list[str] = Field(default_factory=empty_list, description="Project full paths.")
    access_level: Literal["guest", "planner", "reporter", "developer", "maintainer", "owner"] | None = Field(
        None, description="Role of a project or group access token; least privilege when omitted."
    )


ACCESS = GitLabAccess
