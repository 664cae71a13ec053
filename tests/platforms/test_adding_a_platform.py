"""Adding a platform is adding a folder (docs/adding-a-platform.md): a throwaway platform, written here into a
temporary folder that only joins the platforms package's path, is declared, validated, planned and instructed
by the unchanged command line. Nothing outside that folder names it.

Platforms and credential kinds are built once, when the package is first imported, so each run is a fresh
interpreter that extends the path before anything else is imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scm_access.core.discovery import platform_folders

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-23"

FOLDER = {
    "__init__.py": '"""Forge: a code forge that exists only in this test."""\n',
    "kinds.py": """
        from scm_access.core.kinds import KindSpec

        KINDS = (
            KindSpec(
                value="forge_personal_token",
                label="Forge personal token",
                short_label="personal token",
                personal=True,
                lifetime_ceiling_days=180,
                token_prefixes=("fgp_",),
            ),
        )
    """,
    "scopes.py": """
        from scm_access.core.kinds import CredentialKind
        from scm_access.scopes.catalog import Implication, Scope, ScopeCatalog, Source

        DOCS = Source("https://forge.invalid/docs/tokens", "2026-11-23")
        TOKEN = frozenset({CredentialKind("forge_personal_token")})

        CATALOG = ScopeCatalog.of(
            "forge",
            [
                Scope(
                    "read:repository", "Repositories: Read", TOKEN, description="Clone and read repositories.",
                    sources=(DOCS,), label_source=DOCS,
                ),
                Scope(
                    "write:repository", "Repositories: Read and write", TOKEN,
                    implies=(Implication("read:repository", DOCS),), description="Push to repositories.",
                    high_privilege=True,
                    sources=(DOCS,), label_source=DOCS,
                ),
            ],
        )
    """,
    "access.py": """
        from typing import Literal

        from pydantic import Field

        from scm_access.declarations.access import Access

        __all__ = ["ForgeAccess"]


        class ForgeAccess(Access):
            platform: Literal["forge"] = "forge"
            owner: str = Field(description="The forge user or organisation owning the repositories.")
            repositories: list[str] = Field(default_factory=list)


        ACCESS = ForgeAccess
    """,
    "spec.py": """
        from scm_access.core.kinds import CredentialKind, Platform
        from scm_access.instruct.model import Step
        from scm_access.platforms.base import PlatformSpec
        from scm_access.platforms.forge.access import ForgeAccess
        from scm_access.platforms.forge.scopes import CATALOG


        class Forge(PlatformSpec):
            platform = Platform("forge")
            display_name = "Forge"
            catalog = CATALOG
            cloud_web_url = "https://forge.invalid"
            personal_kind = CredentialKind("forge_personal_token")

            def org_managed_equivalent(self, access, scopes, policy):
                return None, "Forge has no token an organisation owns"

            def owner(self, access):
                return access.owner if isinstance(access, ForgeAccess) else None

            def instruction_steps(self, slot, token_name, link):
                return [
                    Step(text="Open **Settings** → **Access tokens**.", link=f"{self.web_url(slot.access)}/tokens"),
                    Step(text=f"**Name**: `{token_name}`; **Expires**: **{slot.expires_at.isoformat()}**."),
                    Step(
                        text="Tick exactly these:",
                        items=[f"**{CATALOG.label(s)}** (`{s}`)" for s in slot.scopes],
                    ),
                ]


        SPEC = Forge()
    """,
}

LAUNCHER = """
import sys

import scm_access.platforms

scm_access.platforms.__path__.append(sys.argv[1])  # before the platforms are discovered
sys.argv = ["scm-access", *sys.argv[2:]]
from scm_access.cli import main

main()
"""


def _declaration(scopes: list[str]) -> str:
    return textwrap.dedent(f"""
        from scm_access.declarations import Connection, ForgeAccess, Person

        CONNECTION = Connection(
            name="forge-mirror",
            integration="Mirror",
            owner="platform",
            purpose="Mirrors the platform repositories to the forge.",
            access=[
                ForgeAccess(
                    scopes={scopes!r},
                    owner="acme",
                    repositories=["platform"],
                    holder=[Person(name="ana", login="ana-f")],
                    max_lifetime_days=60,
                ),
            ],
        )
    """)


@pytest.fixture
def forge(tmp_path: Path) -> Path:
    """The extra platforms folder holding forge/; nothing else in the project changes."""
    extra = tmp_path / "extra"
    (extra / "forge").mkdir(parents=True)
    for name, text in FOLDER.items():
        (extra / "forge" / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    (tmp_path / "launch.py").write_text(LAUNCHER, encoding="utf-8")
    return extra


def _project(tmp_path: Path, scopes: list[str]) -> Path:
    project = tmp_path / "project"
    (project / "connections").mkdir(parents=True, exist_ok=True)
    (project / "connections" / "mirror.py").write_text(_declaration(scopes), encoding="utf-8")
    return project


def _run(forge: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(forge.parent / "launch.py"), str(forge), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "COLUMNS": "120"},
    )


def test_the_platform_exists_only_in_its_folder():
    assert "forge" not in platform_folders()


def test_a_folder_alone_is_planned(forge: Path, tmp_path: Path):
    project = _project(tmp_path, ["read:repository", "Repositories: Read and write"])
    result = _run(forge, "plan", "--format", "json", "--project", str(project), "--today", TODAY, "--fail-on", "none")
    assert result.returncode == 0, result.stderr
    (slot,) = json.loads(result.stdout)["slots"]
    assert (slot["platform"], slot["kind"], slot["strategy"]) == ("forge", "forge_personal_token", "user_pat")
    assert slot["scopes"] == ["write:repository"]
    assert slot["folded_scopes"] == {"read:repository": "write:repository"}
    assert slot["expires_at"] == "2027-01-22"  # 60 days, within the kind's own 180-day ceiling


def test_a_folder_alone_is_instructed(forge: Path, tmp_path: Path):
    project = _project(tmp_path, ["write:repository"])
    result = _run(forge, "instructions", "--format", "markdown", "--project", str(project), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert "Forge personal token" in result.stdout
    assert "https://forge.invalid/tokens" in result.stdout
    assert "**Repositories: Read and write** (`write:repository`)" in result.stdout


def test_a_folder_alone_is_validated(forge: Path, tmp_path: Path):
    project = _project(tmp_path, ["write:repositories"])
    result = _run(forge, "plan", "--project", str(project), "--today", TODAY)
    assert result.returncode == 2
    assert "connection 'forge-mirror': access[0].scopes[0]: unknown scope 'write:repositories'" in result.stderr
    assert "write:repositories" in result.stderr and "write:repository" in result.stderr  # the nearest name
    assert "Traceback" not in result.stderr
