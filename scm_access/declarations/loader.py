"""Load the project's declarations: `connections/*.py` and `policies/credential_policy.py`.

Each connections module exposes ``CONNECTIONS`` (a list) or ``CONNECTION``. The policy module exposes
``POLICY``; without it the defaults of :class:`Policy` apply.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from pydantic import ValidationError

from scm_access.declarations.connection import Connection
from scm_access.declarations.policy import Policy
from scm_access.errors import DeclarationError

CONNECTIONS_DIR = "connections"
POLICY_MODULE = "policies/credential_policy.py"


@dataclass
class Project:
    root: Path
    connections: list[Connection]
    policy: Policy
    sources: dict[str, str] = field(default_factory=dict)
    """Connection name → file it is declared in (relative to the root)."""


def load_project(root: Path) -> Project:
    root = root.resolve()
    directory = root / CONNECTIONS_DIR
    if not directory.is_dir():
        raise DeclarationError.single(None, "", f"no {CONNECTIONS_DIR}/ folder in {root.name or root}")
    connections: list[Connection] = []
    sources: dict[str, str] = {}
    problems: list[tuple[str | None, str, str]] = []
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        relative = path.relative_to(root).as_posix()
        try:
            module = _import(path, f"scm_access_connections.{path.stem}")
            declared = _connections_of(module, relative)
        except DeclarationError as error:
            problems.extend(error.problems)
            continue
        for connection in declared:
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
            connections.append(connection)
    if problems:
        raise DeclarationError(problems)
    return Project(root=root, connections=connections, policy=load_policy(root), sources=sources)


def load_policy(root: Path) -> Policy:
    path = root / POLICY_MODULE
    if not path.is_file():
        return Policy()
    module = _import(path, "scm_access_policies.credential_policy")
    policy = getattr(module, "POLICY", None)
    if not isinstance(policy, Policy):
        raise DeclarationError.single(None, POLICY_MODULE, "must define POLICY = Policy(...)")
    return policy


def _connections_of(module: ModuleType, relative: str) -> list[Connection]:
    if hasattr(module, "CONNECTIONS"):
        declared = list(module.CONNECTIONS)
    elif hasattr(module, "CONNECTION"):
        declared = [module.CONNECTION]
    else:
        raise DeclarationError.single(None, relative, "defines neither CONNECTIONS nor CONNECTION")
    for item in declared:
        if not isinstance(item, Connection):
            raise DeclarationError.single(None, relative, f"CONNECTIONS holds a {type(item).__name__}, not a Connection")
    return declared


def _import(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except DeclarationError as error:
        raise error.located(_where(path, error)) from None
    except ValidationError as error:  # a model built on its own (GitHubAccess(...), Policy(...)) in the module
        raise DeclarationError.from_validation(error, None, error.title).located(_where(path, error)) from None
    except Exception as error:  # a broken declaration file must read as one line, not a traceback
        raise DeclarationError.single(None, _where(path, error), f"{type(error).__name__}: {error}") from None
    return module


def _where(path: Path, error: Exception) -> str:
    line = _line_in(path, error)
    return f"{path.parent.name}/{path.name}" + (f":{line}" if line else "")


def _line_in(path: Path, error: Exception) -> int | None:
    if isinstance(error, SyntaxError):
        return error.lineno
    frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename) == path]
    return frames[-1].lineno if frames else None
