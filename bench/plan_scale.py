"""The main job as a user runs it: `scm-access plan --out DIR` on a generated project, as a subprocess.

Measures wall time (the terminal output and every file written included) and the process's peak memory,
best of three runs, at 10,000 slots (2,000 connections x 5 holders) and 100,000 slots, plus the start-up
of the command on a one-connection project. Prints each figure and the targets:

- 100,000 slots under 10 s wall on one core, every file included;
- 100,000 / 10,000 within 11x once start-up is subtracted;
- peak memory growing by under 8 KB per slot between the two sizes.

Beside each size it prints the CPU time Python takes to compile that project's declaration modules, measured
apart: what a run pays before scm-access does anything where no bytecode is kept (see below).

Run: .venv/bin/python bench/plan_scale.py [--sizes 10000,100000] [--tree PATH] [--repeats 3] [--no-bytecode]
(`--tree` measures another checkout of the package, e.g. an older commit, with the same generated project.)

Python compiles each module (the package's and the declarations') when it first runs it and keeps the
bytecode in `__pycache__/`: run 1 of each size is what a fresh checkout (a CI job) pays, and the later runs
what a person re-running the plan waits. The bench prints run 1 apart and takes the best of all runs. Where
PYTHONDONTWRITEBYTECODE is set, Python compiles everything on every run: `--no-bytecode` measures that case
(the bench otherwise lifts the variable for the command it runs, as a user's shell has it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOLDERS_PER_CONNECTION = 5
CONNECTIONS_PER_MODULE = 100
"""Large organisations generate declarations: one module per team, a hundred integrations in each."""

_ACCESS = (
    # Personal tokens on every platform, a provisioned group token, mixed scopes and prerequisites.
    "GitHubAccess(scopes=['All repo options', 'workflow', 'read:org'], org='acme', holder={people},"
    " prerequisites=[SamlSsoAuthorization(org='acme')], delivery=DELIVERY)",
    "AzureDevOpsAccess(organization='acme', scopes=['Code: Read & write', 'Work Items: Read & write'],"
    " holder={people}, prerequisites=[GroupMembership(group='Project Collection Administrators')],"
    " delivery=DELIVERY)",
    "GitLabAccess(scopes=['api'], group='acme/g{n}', holder={people}, base_url='https://gitlab.acme.example')",
    "BitbucketAccess(scopes=['read:repository:bitbucket'], workspace='acme', repositories=['r{n}'],"
    " holder={people})",
    "GitHubAccess(scopes=['metadata:read', 'contents:read'], org='acme', repositories=['r{n}'],"
    " holder={people}, max_lifetime_days=30)",
)


def write_project(root: Path, connections: int) -> int:
    """A project folder with `connections` declarations of HOLDERS_PER_CONNECTION people each."""
    (root / "connections").mkdir(parents=True)
    header = (
        "from scm_access.declarations import (AzureDevOpsAccess, BitbucketAccess, Connection, GitHubAccess,\n"
        "    GitLabAccess, GroupMembership, IntegrationField, Person, SamlSsoAuthorization)\n\n"
        "DELIVERY = IntegrationField(location='Integration → Settings', field='Token')\n\n"
        "CONNECTIONS = [\n"
    )
    for first in range(0, connections, CONNECTIONS_PER_MODULE):
        body = []
        for n in range(first, min(first + CONNECTIONS_PER_MODULE, connections)):
            people = "[" + ", ".join(
                f"Person(name='dev-{n}-{i}', login='dev{n}x{i}')" for i in range(HOLDERS_PER_CONNECTION)
            ) + "]"
            access = _ACCESS[n % len(_ACCESS)].format(people=people, n=n)
            body.append(
                f"    Connection(name='integration-{n}', integration='Integration {n}', owner='team',"
                f" purpose='Benchmark integration {n}.', access=[{access}]),\n"
            )
        module = root / "connections" / f"team_{first // CONNECTIONS_PER_MODULE:04d}.py"
        module.write_text(header + "".join(body) + "]\n")
    return connections * HOLDERS_PER_CONNECTION


def compile_seconds(project: Path) -> float:
    """CPU time Python takes to compile the project's declaration modules: what every run pays where the
    bytecode is not kept (PYTHONDONTWRITEBYTECODE, a fresh checkout), whatever scm-access does."""
    started = time.process_time()
    for module in sorted((project / "connections").glob("*.py")):
        compile(module.read_bytes(), str(module), "exec")
    return time.process_time() - started


def run_once(tree: Path, project: Path, out: Path, bytecode: bool) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak resident KiB, bytes written to out/ and the terminal) for one run."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "120"}
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    with tempfile.TemporaryFile() as terminal:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "scm_access", "plan", "--project", str(project), "--out", str(out),
             "--today", "2026-11-23"],
            stdout=terminal, stderr=subprocess.STDOUT, env=env, cwd=project,
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        terminal.seek(0)
        printed = terminal.read()
    if process.returncode not in (0, 1):
        raise SystemExit(f"plan failed with exit {process.returncode}:\n{printed.decode()[-2000:]}")
    written = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, written + len(printed)


def best_of(
    repeats: int, tree: Path, project: Path, out: Path, label: str, bytecode: bool
) -> tuple[float, float, int, float]:
    """Best wall, best CPU and lowest peak memory of `repeats` runs, and run 1's wall time (the machine may
    be shared: CPU time is what the run itself cost, wall time what a user waits; the load average is
    printed beside each run)."""
    runs = []
    for attempt in range(1, repeats + 1):
        seconds, cpu, peak_kib, written = run_once(tree, project, out, bytecode)
        runs.append((seconds, cpu, peak_kib))
        print(f"  {label} run {attempt}: {seconds:6.2f} s wall, {cpu:6.2f} s CPU, peak {peak_kib / 1024:7.1f} MiB, "
              f"{written / 1e6:6.1f} MB written, load {os.getloadavg()[0]:.2f}", flush=True)
    return min(r[0] for r in runs), min(r[1] for r in runs), min(r[2] for r in runs), runs[0][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="slot counts, comma-separated")
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--no-bytecode", dest="bytecode", action="store_false",
        help="compile every module on every run, as where PYTHONDONTWRITEBYTECODE is set",
    )
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    print(
        "Python keeps the bytecode: run 1 of each size compiles (a fresh checkout), later runs reuse it"
        if options.bytecode
        else "every module compiled on every run (--no-bytecode: as where PYTHONDONTWRITEBYTECODE is set)"
    )

    with tempfile.TemporaryDirectory(prefix="scm-access-bench-") as scratch:
        work = Path(scratch)
        start_project = work / "start"
        write_project(start_project, 1)
        startup, startup_cpu, startup_peak, _ = best_of(
            options.repeats, options.tree, start_project, work / "out", "start-up", options.bytecode
        )
        print(f"start-up (1 connection): {startup:.2f} s wall, {startup_cpu:.2f} s CPU, "
              f"peak {startup_peak / 1024:.1f} MiB")
        results: dict[int, tuple[float, int]] = {}
        cpu_results: dict[int, float] = {}
        first_runs: dict[int, float] = {}
        for size in sizes:
            project = work / f"p{size}"
            slots = write_project(project, size // HOLDERS_PER_CONNECTION)
            seconds, cpu, peak, first = best_of(
                options.repeats, options.tree, project, work / "out", f"{slots:,} slots", options.bytecode
            )
            results[slots] = (seconds, peak)
            cpu_results[slots] = cpu
            first_runs[slots] = first
            print(f"{slots:>7,} slots: {seconds:6.2f} s wall, {cpu:6.2f} s CPU (best of {options.repeats}), "
                  f"peak {peak / 1024:7.1f} MiB, {slots / seconds:,.0f} slots/s", flush=True)
            print(f"  of which compiling its declaration modules (where no bytecode is kept): "
                  f"{compile_seconds(project):.2f} s CPU, measured apart", flush=True)
            shutil.rmtree(project)

    if len(results) >= 2:
        (small, (t_small, m_small)), (large, (t_large, m_large)) = sorted(results.items())[:1] + sorted(
            results.items()
        )[-1:]
        ratio = (t_large - startup) / max(t_small - startup, 1e-9)
        cpu_ratio = (cpu_results[large] - startup_cpu) / max(cpu_results[small] - startup_cpu, 1e-9)
        per_slot_kib = (m_large - m_small) / (large - small)
        print(f"ratio {large:,} / {small:,} after start-up: {ratio:.1f}x wall, {cpu_ratio:.1f}x CPU"
              f" (target <= {large / small * 1.1:.0f}x)")
        print(f"peak memory growth: {per_slot_kib:.1f} KiB per slot (target < 8)")
    if 100_000 in results:
        verdict = "yes" if results[100_000][0] < 10 else "NO"
        print(f"100,000 slots under 10 s: {verdict} ({results[100_000][0]:.2f} s wall, {cpu_results[100_000]:.2f} s CPU;"
              f" run 1, which compiles the declarations: {first_runs[100_000]:.2f} s wall)")


if __name__ == "__main__":
    main()
