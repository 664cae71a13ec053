"""Platform registry: one folder per platform, each exposing ``SPEC`` (a :class:`PlatformSpec`)."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from scm_access.declarations.kinds import Platform
from scm_access.platforms.base import PlatformSpec

_MODULES: dict[Platform, str] = {
    Platform.GITHUB: "scm_access.platforms.github",
    Platform.GITLAB: "scm_access.platforms.gitlab",
    Platform.AZURE_DEVOPS: "scm_access.platforms.azure_devops",
    Platform.BITBUCKET: "scm_access.platforms.bitbucket",
}


@cache
def get_platform(platform: Platform | str) -> PlatformSpec:
    return import_module(_MODULES[Platform(platform)]).SPEC


def all_platforms() -> list[PlatformSpec]:
    return [get_platform(p) for p in Platform]


__all__ = ["PlatformSpec", "all_platforms", "get_platform"]
