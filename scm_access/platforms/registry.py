"""Platform registry: the platform folders found by :mod:`scm_access.core.discovery`, each with a
``spec.py`` exposing ``SPEC`` (a :class:`~scm_access.platforms.base.PlatformSpec`)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from scm_access.core.discovery import load_platform_module, platform_module_name
from scm_access.core.kinds import Platform

if TYPE_CHECKING:
    from scm_access.platforms.base import PlatformSpec


def platform_module(platform: Platform | str) -> str:
    """The package of a platform's folder: named after the platform's value."""
    return platform_module_name(Platform(platform).value)


@cache
def get_platform(platform: Platform | str) -> PlatformSpec:
    module = load_platform_module(Platform(platform).value, "spec")
    if module is None:
        raise RuntimeError(f"platform folder {Platform(platform).value!r} has no spec.py")
    spec: PlatformSpec = module.SPEC
    return spec


def all_platforms() -> list[PlatformSpec]:
    return [get_platform(p) for p in Platform]
