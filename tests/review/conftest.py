"""A real git repository with a declarations project, built per test: commits are the revisions reviewed."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

POLICY = """
from scm_access.declarations import CredentialKind, Platform, Policy

POLICY = Policy(
    default_max_lifetime_days=90,
    max_lifetime_days={CredentialKind.GITHUB_FINE_GRAINED_PAT: 90},
    forbidden_scopes={Platform.GITHUB: ["delete_repo", "admin:enterprise"]},
)
"""


class GitProject:
    """A git repository whose top folder is a declarations project (connections/, policies/)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.write("policies/credential_policy.py", POLICY)

    def git(self, *arguments: str) -> str:
        result = subprocess.run(
            ["git", "-c", "user.email=review@example.org", "-c", "user.name=Review", *arguments],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    def write(self, relative: str, source: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip())

    def remove(self, relative: str) -> None:
        (self.root / relative).unlink()

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")


def connection_module(name: str, access: str, integration: str | None = None) -> str:
    """A connections/ module declaring one connection with the given access entries (Python source)."""
    return (
        "from scm_access.declarations import *\n\n"
        f"CONNECTION = Connection(\n"
        f"    name={name!r},\n"
        f"    integration={(integration or name.title())!r},\n"
        f"    owner='platform',\n"
        f"    purpose='Test integration {name}.',\n"
        f"    access=[\n{textwrap.indent(textwrap.dedent(access).strip(), ' ' * 8)}\n    ],\n"
        f")\n"
    )


@pytest.fixture
def git_project(tmp_path: Path) -> GitProject:
    return GitProject(tmp_path / "repo")


# -- reviews built in-process, from declarations made in the test ------------------------------------

from datetime import date  # noqa: E402

from scm_access.declarations import Connection, Policy  # noqa: E402
from scm_access.declarations.loader import Project  # noqa: E402
from scm_access.declarations.location import relative_to  # noqa: E402
from scm_access.review.diff import compare  # noqa: E402
from scm_access.review.model import Review, RevisionInfo  # noqa: E402
from scm_access.review.snapshot import document_of  # noqa: E402

REPOSITORY_TOP = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 23)


def planned(connections: list[Connection], policy: Policy | None = None) -> dict:
    """A revision's snapshot document, planned in this process (declaration lines are in the test file)."""
    policy = policy or Policy(forbidden_scopes={"github": ["delete_repo"]})
    for model in (policy, *connections, *(a for c in connections for a in c.access)):
        relative_to(model, REPOSITORY_TOP)
    return document_of(Project(root=REPOSITORY_TOP, connections=connections, policy=policy), DAY)


def reviewed(base: dict, head: dict) -> Review:
    return compare(
        base,
        head,
        RevisionInfo(name="main", commit="a" * 40, label="main (aaaaaaaaaa)"),
        RevisionInfo(name="feature", commit="b" * 40, label="feature (bbbbbbbbbb)"),
    )
