"""Links from a report to a declaration's line, in the forge that hosts the repository."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from scm_access.review.model import Location, Review


@dataclass(frozen=True)
class LinkTemplate:
    """A URL with ``{path}``, ``{line}`` and ``{commit}`` placeholders."""

    template: str

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> LinkTemplate | None:
        """The hosting forge's blob URL, from the variables its CI sets (GitHub Actions, GitLab CI, Azure
        Pipelines); None outside CI."""
        env = os.environ if environ is None else environ
        if env.get("GITHUB_SERVER_URL") and env.get("GITHUB_REPOSITORY"):
            return cls(f"{env['GITHUB_SERVER_URL']}/{env['GITHUB_REPOSITORY']}/blob/{{commit}}/{{path}}#L{{line}}")
        if env.get("CI_PROJECT_URL"):
            return cls(f"{env['CI_PROJECT_URL']}/-/blob/{{commit}}/{{path}}#L{{line}}")
        if env.get("SYSTEM_COLLECTIONURI") and env.get("SYSTEM_TEAMPROJECT") and env.get("BUILD_REPOSITORY_NAME"):
            project = quote(env["SYSTEM_TEAMPROJECT"])
            repository = quote(env["BUILD_REPOSITORY_NAME"])
            return cls(
                f"{env['SYSTEM_COLLECTIONURI'].rstrip('/')}/{project}/_git/{repository}"
                "?path=/{path}&version=GC{commit}&line={line}&lineEnd={line}&lineStartColumn=1&lineEndColumn=1"
            )
        return None

    def url(self, review: Review, location: Location) -> str | None:
        if not location.file or not location.line:
            return None
        revision = review.base if location.revision == "base" else review.head
        commit = revision.commit or revision.based_on
        if commit is None and "{commit}" in self.template:
            return None
        # Plain replacement: a user's template may hold other braces.
        return (
            self.template.replace("{path}", quote(location.file))
            .replace("{line}", str(location.line))
            .replace("{commit}", commit or "")
        )
