"""Commands printed for a person to copy and run.

Every argument is quoted for a POSIX shell, so declared text (an integration's name, a repository) reaches
the command as one argument and never as shell syntax.
"""

from __future__ import annotations

import shlex
from functools import lru_cache

_quoted = lru_cache(maxsize=65536)(shlex.quote)
"""The same words recur in thousands of commands (the program, subcommands, options, connection names)."""


def command(*argv: str) -> str:
    """One command line whose ``shlex.split`` gives back exactly ``argv`` (``shlex.join``)."""
    return " ".join(map(_quoted, argv))
