"""Review a change: export both revisions, plan each in its own process, compare the plans."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import scm_access
from scm_access.errors import ExitCode, ScmAccessError, format_problem
from scm_access.review.checkout import WORKING_TREE, Repository, Revision
from scm_access.review.diff import compare
from scm_access.review.model import Review, RevisionInfo


class RevisionDeclarationError(ScmAccessError):
    """The declarations at one revision do not load or validate: each problem named by revision, file, line."""

    exit_code = ExitCode.USAGE


@dataclass
class Timings:
    checkout: float = 0.0
    plan: dict[str, float] = field(default_factory=dict)
    """Wall time of each revision's planning process (they run side by side)."""
    plan_wall: float = 0.0
    diff: float = 0.0


def review(
    project_dir: Path,
    base: str | None = None,
    head: str | None = None,
    today: date | None = None,
    timings: Timings | None = None,
) -> Review:
    """The semantic difference in access between two revisions of the project in ``project_dir``.

    ``base`` defaults to the merge base of HEAD with the default branch, ``head`` to the working tree.
    """
    timings = timings if timings is not None else Timings()
    today = today or date.today()
    repository = Repository.around(project_dir)
    base_revision = repository.resolve(base) if base else repository.default_base()
    head_revision = repository.resolve(head) if head else Revision(name=WORKING_TREE, commit=None)
    with tempfile.TemporaryDirectory(prefix="scm-access-review-") as scratch:
        work = Path(scratch)
        started = time.perf_counter()
        base_dir = repository.export(base_revision, work / "base")
        same = head_revision.commit is not None and head_revision.commit == base_revision.commit
        head_dir = base_dir if same else repository.export(head_revision, work / "head")
        timings.checkout = time.perf_counter() - started
        started = time.perf_counter()
        planned = _plan_side_by_side(
            {"base": (base_revision, base_dir)} | ({} if same else {"head": (head_revision, head_dir)}),
            today,
            work,
            timings,
        )
        timings.plan_wall = time.perf_counter() - started
    started = time.perf_counter()
    result = compare(
        planned["base"],
        planned.get("head", planned["base"]),
        _info(base_revision),
        _info(head_revision, repository if head_revision.commit is None else None),
        path_prefix=repository.project,
    )
    timings.diff = time.perf_counter() - started
    return result


def snapshot_command(project: Path, today: date) -> list[str]:
    """A fresh interpreter that plans one revision. ``-P``: the checkout's own folders never shadow the tool's
    modules (a repository that holds scm_access itself)."""
    return [sys.executable, "-P", "-m", "scm_access.review.snapshot", "--project", str(project), "--today", today.isoformat()]


def snapshot_environment() -> dict[str, str]:
    """This process's environment, with this very scm_access first on the path: both revisions are planned by
    the tool that compares them."""
    package_parent = str(Path(scm_access.__file__).resolve().parent.parent)
    path = [package_parent, *(p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p)]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(path))}


def _plan_side_by_side(
    revisions: dict[str, tuple[Revision, Path]], today: date, cwd: Path, timings: Timings
) -> dict[str, dict[str, Any]]:
    started: dict[str, float] = {}
    processes: dict[str, subprocess.Popen[str]] = {}
    environment = snapshot_environment()
    for side, (_, directory) in revisions.items():
        started[side] = time.perf_counter()
        processes[side] = subprocess.Popen(
            snapshot_command(directory, today),
            cwd=cwd,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    outputs: dict[str, tuple[int, str, str]] = {}
    for side, process in processes.items():
        stdout, stderr = process.communicate()
        timings.plan[side] = time.perf_counter() - started[side]
        outputs[side] = (process.returncode, stdout, stderr)
    documents: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for side, (code, stdout, stderr) in outputs.items():
        revision = revisions[side][0]
        if code == ExitCode.USAGE and stdout.startswith("{"):
            problems.extend(_located_problems(side, revision, json.loads(stdout)))
        elif code != 0:
            last = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit code {code}"
            raise RuntimeError(f"planning the {side} revision {revision.label} failed: {last}")
        else:
            documents[side] = json.loads(stdout)
    if problems:
        raise RevisionDeclarationError("\n".join(problems))
    return documents


def _located_problems(side: str, revision: Revision, document: dict[str, Any]) -> list[str]:
    lines = []
    for problem in document.get("problems", []):
        where = f"{problem['file']}:{problem['line']}: " if problem.get("file") else ""
        text = format_problem(problem.get("connection"), problem.get("field", ""), problem.get("message", ""))
        lines.append(f"{side} revision {revision.label}: {where}{text}")
    return lines or [f"{side} revision {revision.label}: the declarations do not load"]


def _info(revision: Revision, repository: Repository | None = None) -> RevisionInfo:
    commit = revision.commit
    if commit is None and repository is not None:
        # Links from the working tree point at the commit it is based on.
        try:
            commit_of_head = repository.resolve("HEAD").commit
        except ScmAccessError:
            commit_of_head = None
        return RevisionInfo(name=revision.name, commit=None, label=revision.label, based_on=commit_of_head)
    return RevisionInfo(name=revision.name, commit=commit, label=revision.label)


__all__ = ["RevisionDeclarationError", "Timings", "review", "snapshot_command"]
