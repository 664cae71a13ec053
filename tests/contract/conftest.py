"""Prism, serving a subset of GitHub's official OpenAPI description, on 127.0.0.1.

The npm packages are pinned in ``package.json``/``package-lock.json`` next to this file; when node and npm
are present but the packages are not installed yet, they are installed here (``npm ci``). Without node or
npm the contract tests are skipped with that reason.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PRISM = HERE / "node_modules" / ".bin" / "prism"
STARTUP_SECONDS = 60


def _ensure_packages() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to run GitHub's OpenAPI description in Prism (not installed)")
    if not PRISM.exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=HERE,
            check=True,
            timeout=600,
        )


def _build_subset(folder: Path) -> Path:
    # A file of this run's own: Prism reloads a spec that changes under it, so runs must not share one.
    out = folder / "github-subset.json"
    subprocess.run([sys.executable, str(HERE / "build_github_subset.py"), "--out", str(out)], check=True)
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_prism(spec: Path, *extra: str) -> Iterator[str]:
    port = _free_port()
    log = (spec.parent / f"prism-{port}.log").open("w")
    process = subprocess.Popen(
        [str(PRISM), "mock", "--errors", "-h", "127.0.0.1", "-p", str(port), *extra, str(spec)],
        cwd=HERE,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as a whole, and only it
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"Prism exited with {process.returncode}; see {log.name}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Prism did not listen within {STARTUP_SECONDS}s") from None
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="session")
def github_subset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _ensure_packages()
    return _build_subset(tmp_path_factory.mktemp("prism"))


@pytest.fixture(scope="session")
def prism(github_subset: Path) -> Iterator[str]:
    """Prism answering with the description's examples and rejecting requests it does not describe."""
    yield from _start_prism(github_subset)


@pytest.fixture(scope="session")
def prism_dynamic(github_subset: Path) -> Iterator[str]:
    """Prism answering with random data valid against the description's schemas."""
    yield from _start_prism(github_subset, "--dynamic")
