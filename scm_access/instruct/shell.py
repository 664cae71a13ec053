"""Commands printed for a person to copy and run.

Every argument is quoted for a POSIX shell, so declared text (an integration's name, a repository) reaches
the command as one argument and never as shell syntax.
"""

from __future__ import annotations

import shlex


def command(*argv: str) -> str:
    """One command line whose ``shlex.split`` gives back exactly ``argv``."""
    return shlex.join(argv)
