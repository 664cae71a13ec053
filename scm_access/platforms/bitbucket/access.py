"""What a Bitbucket entry of a connection names: the workspace and, optionally, its repositories."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from scm_access.core.defaults import empty_list
from scm_access.declarations.access import Access

__all__ = ["BitbucketAccess"]


class BitbucketAccess(Access):
    platform: Literal["bitbucket"] = "bitbucket"
    workspace: str
    repositories: list[str] = Field(default_factory=empty_list)


ACCESS = BitbucketAccess
