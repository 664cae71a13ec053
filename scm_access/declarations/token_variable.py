"""Where a personal token is read from: one environment variable per (connection, platform, holder).

`verify --all` and the Pulumi program read a slot's token from its variable, so two slots must never share
one (a token would reach the other slot's host): :func:`shared_token_variables` finds declarations that would.
"""

from __future__ import annotations

import re
from functools import lru_cache

from scm_access.declarations.connection import Connection

_NOT_ENV_SAFE = re.compile(r"[^A-Z0-9]+")


def token_env_var(connection: str, platform: str, holder: str) -> str:
    """``SCM_ACCESS_TOKEN__<CONNECTION>__<PLATFORM>__<HOLDER>``, upper case, other characters as ``_``."""
    return f"SCM_ACCESS_TOKEN__{_env_part(connection)}__{_env_part(str(platform))}__{_env_part(holder)}"


@lru_cache(maxsize=65536)
def _env_part(name: str) -> str:
    """Connection, platform and holder names recur across thousands of slots: each is converted once."""
    return _NOT_ENV_SAFE.sub("_", name.upper())


def shared_token_variables(connections: list[Connection]) -> list[tuple[str, str, str]]:
    """Every holder whose token variable another holder already has, as (connection, field, message)
    naming both."""
    first: dict[str, tuple[str, str, str]] = {}
    problems = []
    for connection in connections:
        for index, access in enumerate(connection.access):
            names = [access.service.service] if access.service else [p.name for p in access.people]
            for name in names:
                variable = token_env_var(connection.name, access.platform, name)
                here = (connection.name, f"access[{index}]", name)
                earlier = first.setdefault(variable, here)
                if earlier == here:
                    continue
                other = (
                    f"connection {earlier[0]!r} ({earlier[1]}, holder {earlier[2]!r})"
                    if earlier[0] != connection.name
                    else f"{earlier[1]} (holder {earlier[2]!r})"
                )
                problems.append(
                    (
                        connection.name,
                        f"access[{index}].holder",
                        f"holder {name!r} would read its token from {variable}, as {other} does; one token"
                        " would reach both: rename one of them",
                    )
                )
    return problems
