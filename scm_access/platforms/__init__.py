"""Platform plug-ins: one folder per platform (see ``docs/adding-a-platform.md``).

This package holds the folders and nothing else at import time, so that :mod:`scm_access.core` can find them
while it builds :class:`~scm_access.core.kinds.Platform` and :class:`~scm_access.core.kinds.CredentialKind`.
The registry (:mod:`scm_access.platforms.registry`) loads a folder's spec on first use.
"""

from __future__ import annotations

from typing import Any

_REGISTRY_NAMES = frozenset({"all_platforms", "get_platform", "platform_module"})


def __getattr__(name: str) -> Any:
    # The registry imports the core, which imports this package: resolve its names on first use.
    if name in _REGISTRY_NAMES:
        from scm_access.platforms import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
