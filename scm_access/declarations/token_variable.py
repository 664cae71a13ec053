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
    return token_env_var_prefix(connection, str(platform)) + env_part(holder)


@lru_cache(maxsize=4096)
def token_env_var_prefix(connection: str, platform: str) -> str:
    """What the token variables of a connection's holders on a platform start with (asked for once per
    holder, in a row: converted once)."""
    return f"SCM_ACCESS_TOKEN__{env_part(connection)}__{env_part(platform)}__"


_SLUG_LIKE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""Most names (declared names are slugs): their only unsafe characters are single dashes."""


def env_part(name: str) -> str:
    """A declared name as a part of a token variable (what :func:`token_env_var` makes of each of its names)."""
    if _SLUG_LIKE.fullmatch(name):
        return name.upper().replace("-", "_")  # what the substitution below gives, a few times faster
    return _NOT_ENV_SAFE.sub("_", name.upper())


_SLUG_LIKE_WORDS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?: [a-z0-9]+(?:-[a-z0-9]+)*)*")
"""Slug-like names joined by spaces (a space is in none of them)."""


def env_parts(names: list[str]) -> list[str]:
    """``[env_part(name) for name in names]``: a declaration's holders are converted together when every one
    of them is slug-like, as they nearly always are (one look at all of them, not one per holder)."""
    joined = " ".join(names)
    if _SLUG_LIKE_WORDS.fullmatch(joined):
        parts = joined.upper().replace("-", "_").split(" ")
        if len(parts) == len(names):  # else a name held a space of its own
            return parts
    return [env_part(name) for name in names]


def shared_token_variables(connections: list[Connection]) -> list[tuple[str, str, str]]:
    """Every holder whose token variable another holder already has, as (connection, field, message)
    naming both."""
    first: dict[str, tuple[str, int, str]] = {}
    problems = []
    for connection in connections:
        for index, access in enumerate(connection.access):
            names = [access.service.service] if access.service else [p.name for p in access.people]
            prefix = token_env_var_prefix(connection.name, str(access.platform))
            for name, part in zip(names, env_parts(names)):
                variable = prefix + part
                here = (connection.name, index, name)
                earlier = first.setdefault(variable, here)
                if earlier == here:
                    continue
                other = (
                    f"connection {earlier[0]!r} (access[{earlier[1]}], holder {earlier[2]!r})"
                    if earlier[0] != connection.name
                    else f"access[{earlier[1]}] (holder {earlier[2]!r})"
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
