"""Platform registry: one folder per platform, named after its :class:`Platform` value, each exposing ``SPEC``
(a :class:`PlatformSpec`)."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from scm_access.declarations.kinds import Platform
from scm_access.platforms.base import PlatformSpec


def platform_module(platform: Platform) -> str:
    """The package of a platform's folder: named after the platform's value."""
    return f"{__name__}.{Platform(platform).value}"


@cache
def get_platform(platform: Platform | str) -> PlatformSpec:
    return import_module(platform_module(Platform(platform))).SPEC


def all_platforms() -> list[PlatformSpec]:
    return [get_platform(p) for p in Platform]


__all__ = ["PlatformSpec", "all_platforms", "get_platform", "platform_module"]
