"""The structure check: import contracts written from the discovered platform folders, failing on a wrong
import (not a check that cannot fail)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scm_access.core.discovery import platform_folders

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("check_structure", ROOT / "scripts" / "check_structure.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    config = tree / "contracts.ini"
    config.write_text(_script().contracts(platform_folders()), encoding="utf-8")
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(lint), str(config), "--no-cache", "--no-logo"],
        cwd=tree, capture_output=True, text=True, check=False, env={"PYTHONPATH": str(tree), "PATH": ""},
    )


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "scm_access", tmp_path / "scm_access", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_every_discovered_platform_folder_is_a_plug_in_of_the_contracts():
    text = _script().contracts(platform_folders())
    for folder in platform_folders():
        assert f"scm_access.platforms.{folder}" in text


def test_the_package_keeps_every_contract(package_copy: Path):
    result = _lint(package_copy)
    assert result.returncode == 0, result.stdout


def test_generic_code_importing_a_platform_folder_breaks_a_contract(package_copy: Path):
    rules = package_copy / "scm_access" / "rules" / "__init__.py"
    rules.write_text(rules.read_text(encoding="utf-8") + f"\nimport scm_access.platforms.{platform_folders()[0]}\n")
    result = _lint(package_copy)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


def test_a_lower_layer_importing_a_higher_one_inside_a_function_breaks_the_flow(package_copy: Path):
    scopes = package_copy / "scm_access" / "scopes" / "catalog.py"
    scopes.write_text(scopes.read_text(encoding="utf-8") + "\n\ndef _late():\n    import scm_access.plan.slot\n")
    result = _lint(package_copy)
    assert result.returncode != 0
    assert "scm_access.scopes is not allowed to import scm_access.plan" in result.stdout


def test_provisioning_importing_the_inventory_breaks_the_siblings_contract(package_copy: Path):
    component = package_copy / "scm_access" / "provision" / "component.py"
    component.write_text(component.read_text(encoding="utf-8") + "\n\ndef _late():\n    import scm_access.inventory.model\n")
    result = _lint(package_copy)
    assert result.returncode != 0
    assert "Provisioning, the review and the inventory do not import each other BROKEN" in result.stdout
