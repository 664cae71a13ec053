"""The two revisions a review compares, read from git.

A revision is exported with ``git archive`` into a temporary folder: a clean copy of what was committed, never
the working tree, and nothing in the repository (index, worktrees, refs) changes.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from scm_access.errors import ScmAccessError

WORKING_TREE = "working tree"

# Where CI systems name the branch a pull/merge request targets.
_TARGET_BRANCH_VARIABLES = (
    "GITHUB_BASE_REF",
    "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",
    "CI_DEFAULT_BRANCH",
    "SYSTEM_PULLREQUEST_TARGETBRANCH",
    "BITBUCKET_PR_DESTINATION_BRANCH",
)


class RevisionError(ScmAccessError):
    """A revision cannot be read (not a git repository, unknown revision, no default branch)."""


@dataclass(frozen=True)
class Revision:
    """A commit (``commit`` set) or the working tree (``commit`` None)."""

    name: str
    """What the user asked for (``main``, ``HEAD~1``) or ``working tree``."""
    commit: str | None

    @property
    def label(self) -> str:
        return self.name if self.commit is None else f"{self.name} ({self.commit[:10]})"


@dataclass(frozen=True)
class Repository:
    top: Path
    """The repository's top folder."""
    project: str
    """The project folder relative to the top (POSIX, ``.`` for the top itself)."""

    @classmethod
    def around(cls, project_dir: Path) -> Repository:
        project_dir = project_dir.resolve()
        top = Path(_git(project_dir, "rev-parse", "--show-toplevel", what="find the git repository")).resolve()
        relative = project_dir.relative_to(top).as_posix()
        return cls(top=top, project=relative or ".")

    def resolve(self, revision: str) -> Revision:
        commit = _git(self.top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", what=f"read revision {revision!r}")
        return Revision(name=revision, commit=commit)

    def default_base(self) -> Revision:
        """The merge base of HEAD with the default branch: what a pull request would be compared with."""
        branch = self.default_branch()
        base = _git(self.top, "merge-base", "HEAD", branch, what=f"find the merge base of HEAD and {branch}")
        return Revision(name=f"merge-base({branch})", commit=base)

    def default_branch(self) -> str:
        # Azure Pipelines names the branch as a ref (refs/heads/main).
        candidates = [os.environ[v].removeprefix("refs/heads/") for v in _TARGET_BRANCH_VARIABLES if os.environ.get(v)]
        remote_head = _git_or_none(self.top, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
        if remote_head:
            candidates.append(remote_head)
        candidates += ["main", "master", "origin/main", "origin/master"]
        for candidate in candidates:
            for name in (candidate, f"origin/{candidate}"):
                if _git_or_none(self.top, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"):
                    return name
        raise RevisionError("cannot find the default branch (no main, master or origin/HEAD): pass --base REV")

    def export(self, revision: Revision, into: Path) -> Path:
        """Write the committed files of the project folder at ``revision`` into ``into``; return the project
        folder inside it."""
        if revision.commit is None:
            return self.top / self.project
        into.mkdir(parents=True, exist_ok=True)
        paths = [] if self.project == "." else ["--", self.project]
        process = subprocess.Popen(
            ["git", "-C", str(self.top), "archive", "--format=tar", revision.commit, *paths],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        with tarfile.open(fileobj=cast(IO[bytes], process.stdout), mode="r|") as archive:
            archive.extractall(into, filter="data")
        stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
        if process.wait() != 0:
            raise RevisionError(f"cannot export {revision.label}: {stderr.strip() or 'git archive failed'}")
        project = into / self.project
        if not project.is_dir():
            raise RevisionError(f"{revision.label} has no folder {self.project!r}")
        return project


def _git(cwd: Path, *arguments: str, what: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(cwd), *arguments], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed: the review reads revisions with git") from None
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "no such revision"
        raise RevisionError(f"cannot {what}: {detail}")
    return result.stdout.strip()


def _git_or_none(cwd: Path, *arguments: str) -> str | None:
    result = subprocess.run(["git", "-C", str(cwd), *arguments], capture_output=True, text=True, check=False)
    return result.stdout.strip() or None if result.returncode == 0 else None
