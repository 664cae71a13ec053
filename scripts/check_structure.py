"""Check the package's structure with import-linter: the flow's layers import only downward, platform folders
are plug-ins that nothing generic imports, and they do not import each other.

The platform folders are discovered (adding a platform is adding a folder), so the contracts are written
from them on each run rather than kept in a file that would have to name every platform.
Usage: python scripts/check_structure.py   (exit 0 when every contract is kept)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scm_access.core.discovery import platform_folders  # noqa: E402  (after the path is set)

# The flow, top to bottom. `|` separates layers that must not import each other. The outputs render what every
# step produces (the inventory's report included) for the commands, the stack outputs and the review; that the
# inventory sits below them changes nothing between the ways of acting on a plan: see SIBLINGS.
GENERIC_LAYERS = [
    "scm_access.cli",
    "{platforms}",
    "scm_access.review | scm_access.provision",
    "scm_access.outputs",
    "scm_access.inventory",
    "scm_access.verify",
    "scm_access.judge",
    "scm_access.instruct",
    "scm_access.plan",
    "scm_access.validate",
    "scm_access.rules",
    "scm_access.platforms.base | scm_access.platforms.registry",
    "scm_access.declarations",
    "scm_access.http | scm_access.scopes",
    "scm_access.errors",
    "scm_access.core",
]


SIBLINGS = ["scm_access.review", "scm_access.provision", "scm_access.inventory"]
"""Ways of acting on a plan, side by side in the flow whatever their layers: none imports another."""


def contracts(folders: list[str]) -> str:
    plugins = [f"scm_access.platforms.{name}" for name in folders]
    layers: list[str] = []
    generic: list[str] = []
    for layer in GENERIC_LAYERS:
        if layer == "{platforms}":
            layers.append(" | ".join(plugins))
            continue
        present = [m.strip() for m in layer.split("|") if _module_exists(m.strip())]
        if present:  # a planned layer that does not exist yet constrains nothing
            layers.append(" | ".join(present))
            generic += [m for m in present if not m.startswith("scm_access.platforms.")]
    indented = "\n".join
    return f"""[importlinter]
root_package = scm_access
include_external_packages = False
# Annotations only: a plug-in's Protocol may name a type from a higher layer without importing it at run time.
exclude_type_checking_imports = True

[importlinter:contract:flow]
name = The flow: each layer imports only the layers below it (function-level imports included)
type = layers
layers =
{indented("    " + layer for layer in layers)}

[importlinter:contract:plugins-found-by-registry]
name = Only the registry finds a platform folder: generic code never imports one
type = forbidden
source_modules =
{indented("    " + m for m in generic)}
forbidden_modules =
{indented("    " + m for m in plugins)}

[importlinter:contract:siblings-independent]
name = Provisioning, the review and the inventory do not import each other
type = independence
modules =
{indented("    " + m for m in SIBLINGS if _module_exists(m))}

[importlinter:contract:platforms-independent]
name = Platform folders do not import each other
type = independence
modules =
{indented("    " + m for m in plugins)}
"""


def _module_exists(name: str) -> bool:
    path = ROOT / Path(*name.split("."))
    return path.is_dir() or path.with_suffix(".py").is_file()


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "importlinter.ini"
        config.write_text(contracts(platform_folders()), encoding="utf-8")
        command = [str(Path(sys.executable).with_name("lint-imports")), str(config), "--no-cache", "--no-logo"]
        return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
