"""What a GitHub entry of a connection names: the organisation and, optionally, its repositories."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from scm_access.core.defaults import empty_list
from scm_access.declarations.access import Access

__all__ = ["GitHubAccess"]


class GitHubAccess(Access):
    platform: Literal["github"] = "github"
    org: str | None = Field(None, description="Organisation (or user) that owns the repositories.")
    repositories: list[str] = Field(
        default_factory=empty_list, description="Repository names in the org; empty means all the holder can reach."
    )


ACCESS = GitHubAccess
