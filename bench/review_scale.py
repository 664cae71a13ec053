"""How long `scm-access review` takes on a large change set, and whether the diff stays linear.

Builds a git repository with 2,000 connections (one module each, 5 holders per connection: 10,000 slots),
commits it, changes 1 % of the connections (a scope added, a lifetime extended), commits again, and reviews
HEAD~1 → HEAD as the CLI does. Pinned to one CPU core (children included). Prints the wall time split into
checkout, planning of each revision (the two run side by side), the diff and rendering; then the diff alone
at 10,000 and 20,000 slots, per slot, to show it is linear. Best of three runs for each figure.

    python bench/review_scale.py [--connections 2000] [--holders 5] [--changed 0.01]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scm_access.review.diff import compare  # noqa: E402
from scm_access.review.model import Level, RevisionInfo  # noqa: E402
from scm_access.review.render import render_markdown, render_sarif  # noqa: E402
from scm_access.review.run import Timings, review, snapshot_command, snapshot_environment  # noqa: E402

TODAY = date(2026, 11, 23)
POLICY = """from scm_access.declarations import Policy

POLICY = Policy(forbidden_scopes={"github": ["delete_repo"]})
"""


def connection_source(index: int, holders: int, changed: bool) -> str:
    scopes = '["repo", "read:org", "admin:org"]' if changed else '["repo", "read:org"]'
    lifetime = 90 if changed else 60
    people = ", ".join(f'"p{index}-{h}"' for h in range(holders))
    return f"""from scm_access.declarations import Connection, GitHubAccess, IntegrationField

CONNECTION = Connection(
    name="c{index:05d}",
    integration="Integration {index}",
    owner="team-{index % 17}",
    purpose="Benchmark connection {index}.",
    access=[
        GitHubAccess(
            org="acme",
            scopes={scopes},
            holder=[{people}],
            max_lifetime_days={lifetime},
            delivery=IntegrationField(location="Settings", field="Token"),
        ),
    ],
)
"""


def git(root: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=bench@example.org", "-c", "user.name=bench", *arguments],
        cwd=root,
        check=True,
        capture_output=True,
    )


def build_repository(root: Path, connections: int, holders: int, changed_share: float) -> int:
    (root / "connections").mkdir(parents=True)
    (root / "policies").mkdir()
    (root / "policies" / "credential_policy.py").write_text(POLICY)
    for index in range(connections):
        (root / "connections" / f"c{index:05d}.py").write_text(connection_source(index, holders, False))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    step = max(1, round(1 / changed_share))
    changed = list(range(0, connections, step))
    for index in changed:
        (root / "connections" / f"c{index:05d}.py").write_text(connection_source(index, holders, True))
    git(root, "commit", "-q", "-am", "head")
    return len(changed)


def _cpu() -> float:
    """CPU seconds of this process and its finished children: what one idle core would take, whatever else
    the machine runs."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best(runs: list[float]) -> str:
    return f"{min(runs):6.2f} s"


def diff_per_slot(document_base: dict, document_head: dict, factor: int) -> float:
    """Best-of-three diff time per slot, with both documents' slots repeated ``factor`` times."""

    def widen(document: dict) -> dict:
        entries = document["entries"]
        widened_entries = [
            {**entry, "connection": f"{entry['connection']}#{copy}"} for copy in range(factor) for entry in entries
        ]
        slots = [
            {**slot, "key": f"{slot['key']}#{copy}", "entry": slot["entry"] + copy * len(entries)}
            for copy in range(factor)
            for slot in document["slots"]
        ]
        connections = [
            {**c, "name": f"{c['name']}#{copy}"} for copy in range(factor) for c in document["connections"]
        ]
        return {**document, "entries": widened_entries, "slots": slots, "connections": connections}

    base, head = widen(document_base), widen(document_head)
    info = RevisionInfo(name="x", commit=None, label="x")
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        compare(base, head, info, info)
        runs.append(time.perf_counter() - started)
    return min(runs) / len(head["slots"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=2000)
    parser.add_argument("--holders", type=int, default=5)
    parser.add_argument("--changed", type=float, default=0.01)
    arguments = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, inherited by the children
    with tempfile.TemporaryDirectory(prefix="review-bench-") as scratch:
        root = Path(scratch) / "repo"
        changed = build_repository(root, arguments.connections, arguments.holders, arguments.changed)
        slots = arguments.connections * arguments.holders
        print(f"{arguments.connections} connections, {slots} slots; {changed} connections changed; one core")
        figures: dict[str, list[float]] = {
            k: [] for k in ("checkout", "base", "head", "plan", "diff", "render", "total", "cpu")
        }
        for _ in range(3):
            timings = Timings()
            cpu_before = _cpu()
            started = time.perf_counter()
            result = review(root, base="HEAD~1", head="HEAD", today=TODAY, timings=timings)
            rendered = time.perf_counter()
            markdown = render_markdown(result, Level.ERROR)
            render_sarif(result)
            done = time.perf_counter()
            figures["checkout"].append(timings.checkout)
            figures["base"].append(timings.plan["base"])
            figures["head"].append(timings.plan["head"])
            figures["plan"].append(timings.plan_wall)
            figures["diff"].append(timings.diff)
            figures["render"].append(done - rendered)
            figures["total"].append(done - started)
            figures["cpu"].append(_cpu() - cpu_before)
        changed_slots = sum(len(c.slots) for c in result.connections)
        print(f"  checkout (git archive x2)        {best(figures['checkout'])}")
        print(f"  plan base revision (own process) {best(figures['base'])}")
        print(f"  plan head revision (own process) {best(figures['head'])}")
        print(f"  plan, both side by side (wall)   {best(figures['plan'])}")
        print(f"  diff                             {best(figures['diff'])}")
        print(f"  render markdown + SARIF          {best(figures['render'])}")
        print(f"  review end to end (wall)         {best(figures['total'])}   (target < 6 s on one core)")
        print(f"  CPU time, all processes          {best(figures['cpu'])}   (= wall on an idle core)")
        print(f"  {changed_slots} slots changed; comment {len(markdown):,} characters")
        # The diff alone, on the planned documents, at 1x and 2x the slots: linear means equal time per slot.
        documents = []
        for revision in ("HEAD~1", "HEAD"):
            export = Path(scratch) / revision.replace("~", "_")
            export.mkdir()
            subprocess.run(f"git -C {root} archive {revision} | tar -x -C {export}", shell=True, check=True)
            output = subprocess.run(
                snapshot_command(export, TODAY), capture_output=True, text=True, check=True, env=snapshot_environment()
            )
            documents.append(json.loads(output.stdout))
        one = diff_per_slot(documents[0], documents[1], 1)
        two = diff_per_slot(documents[0], documents[1], 2)
        print(f"  diff per slot: {one * 1e6:.1f} µs at {slots} slots, {two * 1e6:.1f} µs at {2 * slots} slots"
              f" (ratio {two / one:.2f}; 1.00 = linear)")


if __name__ == "__main__":
    main()
