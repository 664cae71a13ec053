"""A throwaway project folder for command-line tests: declarations written as text, run as a user runs them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

HEADER = (
    "from scm_access.declarations import (AzureDevOpsAccess, Connection, GitHubAccess, GitLabAccess,\n"
    "    GroupMembership, IntegrationField, Person, Policy, ServiceIdentity)\n"
)


def declare(root: Path, module: str, body: str) -> Path:
    """Write connections/<module>.py with the declarations' usual imports."""
    (root / "connections").mkdir(parents=True, exist_ok=True)
    path = root / "connections" / f"{module}.py"
    path.write_text(HEADER + textwrap.dedent(body))
    return path


def set_policy(root: Path, body: str = "POLICY = Policy()\n") -> None:
    (root / "policies").mkdir(parents=True, exist_ok=True)
    (root / "policies" / "credential_policy.py").write_text(HEADER + textwrap.dedent(body))


def run(root: Path, *args: str, columns: int = 120, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {"COLUMNS": str(columns), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[2]),
                   **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "scm_access", *args], cwd=root, capture_output=True, text=True, timeout=120,
        env=environment,
    )


def plan_out(root: Path, folder: Path, today: str) -> Path:
    """Run `plan --out folder` as a user does and hand back the folder (a plan with tokens to create exits 1)."""
    result = run(root, "plan", "--out", str(folder), "--today", today)
    assert result.returncode in (0, 1), result.stderr
    return folder
