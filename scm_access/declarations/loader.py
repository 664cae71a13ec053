"""Load the project's declarations: `connections/*.py` and `policies/credential_policy.py`.

Each connections module exposes ``CONNECTIONS`` (a list) or ``CONNECTION``. The policy module exposes
``POLICY``; without it the defaults of :class:`Policy` apply.
"""

from __future__ import annotations

import importlib.util
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, ModuleType
from typing import TypeVar

from pydantic import ValidationError

from scm_access.declarations import deferred
from scm_access.declarations.connection import Connection
from scm_access.declarations.location import relative_to
from scm_access.declarations.policy import Policy
from scm_access.errors import DeclarationError

CONNECTIONS_DIR = "connections"
POLICY_MODULE = "policies/credential_policy.py"
T = TypeVar("T")


@dataclass
class Project:
    root: Path
    connections: list[Connection]
    policy: Policy
    sources: dict[str, str] = field(default_factory=dict)
    """Connection name → file it is declared in (relative to the root)."""
    policy_source: str | None = None
    """The file the policy was read from; None when there is no policy file and the defaults apply."""


def load_project(root: Path) -> Project:
    root = root.resolve()
    directory = root / CONNECTIONS_DIR
    if not directory.is_dir():
        raise DeclarationError.single(None, "", f"no {CONNECTIONS_DIR}/ folder in {root.name or root}")
    connections: list[Connection] = []
    sources: dict[str, str] = {}
    problems: list[tuple[str | None, str, str]] = []
    with _interrupts_told_apart() as interrupted:
        for path in sorted(directory.glob("*.py")):
            if path.name.startswith("_"):
                continue
            relative = path.relative_to(root).as_posix()
            declared, found = _run_declaration(
                path, f"scm_access_connections.{path.stem}", interrupted, lambda m: _connections_of(m, relative)
            )
            problems.extend(found)
            for connection in declared or []:
                if connection.name in sources:
                    problems.append(
                        (
                            connection.name,
                            "name",
                            f"declared twice ({sources[connection.name]} and {relative}); names must be unique",
                        )
                    )
                    continue
                sources[connection.name] = relative
                for declared_model in (connection, *connection.access):
                    relative_to(declared_model, root)
                connections.append(connection)
        policy, found = _load_policy(root, interrupted)
    problems.extend(found)
    if problems or policy is None:
        raise DeclarationError(problems)
    relative_to(policy, root)
    source = POLICY_MODULE if (root / POLICY_MODULE).exists() else None
    return Project(root=root, connections=connections, policy=policy, sources=sources, policy_source=source)


def load_policy(root: Path) -> Policy:
    with _interrupts_told_apart() as interrupted:
        policy, problems = _load_policy(root.resolve(), interrupted)
    if problems or policy is None:
        raise DeclarationError(problems)
    return policy


def _load_policy(root: Path, interrupted: list[bool]) -> tuple[Policy | None, list[Problem]]:
    path = root / POLICY_MODULE
    if not path.exists():
        return Policy(), []
    if not path.is_file():
        # Silently falling back to the defaults would apply rules nobody chose.
        return None, [(None, POLICY_MODULE, "is not a file; the policy must be a Python module")]
    return _run_declaration(path, "scm_access_policies.credential_policy", interrupted, _policy_of)


def _policy_of(module: ModuleType) -> Policy:
    policy = getattr(module, "POLICY", None)
    if not isinstance(policy, Policy):
        raise DeclarationError.single(None, "", "must define POLICY = Policy(...)")
    return policy


def _connections_of(module: ModuleType, relative: str) -> list[Connection]:
    if hasattr(module, "CONNECTIONS"):
        value = module.CONNECTIONS
        if not isinstance(value, (list, tuple)):
            raise DeclarationError.single(
                None, "", f"CONNECTIONS must be a list of Connection(...), not {type(value).__name__}"
            )
        declared = list(value)
    elif hasattr(module, "CONNECTION"):
        declared = [module.CONNECTION]
    else:
        raise DeclarationError.single(None, "", "defines neither CONNECTIONS nor CONNECTION")
    for item in declared:
        if not isinstance(item, Connection):
            raise DeclarationError.single(None, "", f"CONNECTIONS holds a {type(item).__name__}, not a Connection")
    # A connection with mistakes is reported by the collector, under its name.
    return [item for item in declared if not deferred.is_deferred(item)]


Problem = tuple[str | None, str, str]


def _run_declaration(
    path: Path, name: str, interrupted: list[bool], read: Callable[[ModuleType], T]
) -> tuple[T | None, list[Problem]]:
    """Run one declaration file and read what it declares; every way it can go wrong is a problem
    naming the file, never an exit, an interrupt or a traceback."""
    problems: list[Problem] = []
    result: T | None = None
    with deferred.collecting(path) as collector:
        try:
            result = read(_import(path, name))
        except DeclarationError as error:
            problems.extend(error.located(_where(path, error)).problems)
        except ValidationError as error:  # Policy(...) or a model validated by hand in the module
            problems.extend(DeclarationError.from_validation(error, None, error.title).located(_where(path, error)).problems)
        except KeyboardInterrupt:
            if interrupted:
                raise  # the person pressed Ctrl-C: stop, as they asked
            problems.append((None, _where(path, sys.exc_info()[1]), "raises KeyboardInterrupt while being loaded"))
        except SystemExit as error:
            # A declaration that exits would end a CI gate as a success (or a failure) with nothing said.
            problems.append(
                (
                    None,
                    _where(path, error),
                    f"exits while being loaded (sys.exit({error.code!r})); a declaration must not end the run",
                )
            )
        except BaseException as error:  # noqa: BLE001 - a broken file reads as one line, never a traceback
            problems.append((None, _where(path, error), f"{type(error).__name__}: {error}"))
        unclaimed: list[Problem] = []
        for entry in collector.unclaimed():
            where = f"{path.parent.name}/{path.name}" + (f":{entry.line}" if entry.line else "")
            if isinstance(entry.model, Connection):
                found = DeclarationError.from_validation(entry.error, connection=entry.data.get("name"))
                unclaimed.extend((c, f, f"{m} ({where})") for c, f, m in found.problems)
            else:
                found = DeclarationError.from_validation(entry.error, None, type(entry.model).__name__)
                unclaimed.extend(found.located(where).problems)
    # The models' own mistakes first: an exception after them is often their consequence.
    return result, [*unclaimed, *problems]


def _import(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise DeclarationError.single(None, "", "cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@contextmanager
def _interrupts_told_apart() -> Iterator[list[bool]]:
    """A declaration may raise KeyboardInterrupt itself; only a Ctrl-C from the person interrupts the run.
    The list holds True once a real SIGINT arrived (it stays empty outside the main thread)."""
    interrupted: list[bool] = []
    if threading.current_thread() is not threading.main_thread():
        yield interrupted
        return

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        interrupted.append(True)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)


def _where(path: Path, error: BaseException | None) -> str:
    line = _line_in(path, error) if error is not None else None
    return f"{path.parent.name}/{path.name}" + (f":{line}" if line else "")


def _line_in(path: Path, error: BaseException) -> int | None:
    if isinstance(error, SyntaxError) and Path(error.filename or "") == path:
        return error.lineno
    frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename) == path]
    return frames[-1].lineno if frames else None
