"""Where platform folders are found: every package under :mod:`scm_access.platforms` (on its ``__path__``)
is a platform, named by its folder. This module and the registry are the only generic code that loads a
platform folder, and only by name."""

from __future__ import annotations

import pkgutil
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

# Found by name, as every platform folder is: the core sits below the plug-ins it discovers. Importing the
# package loads none of the folders.
PLATFORMS_PACKAGE = "scm_access.platforms"


def platform_folders() -> list[str]:
    """Folder names of the platforms, in a stable order (sorted, duplicates on the path ignored)."""
    path = import_module(PLATFORMS_PACKAGE).__path__  # a throwaway platform may extend it (tests)
    names = {info.name for info in pkgutil.iter_modules(path) if info.ispkg}
    return sorted(names)


def platform_module_name(folder: str, module: str | None = None) -> str:
    base = f"{PLATFORMS_PACKAGE}.{folder}"
    return f"{base}.{module}" if module else base


def load_platform_module(folder: str, module: str) -> ModuleType | None:
    """A platform folder's module (``kinds``, ``spec``, ``access``, ``provision``...), or None if it has none."""
    name = platform_module_name(folder, module)
    if find_spec(name) is None:
        return None
    return import_module(name)
