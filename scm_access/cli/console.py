"""Where the command line prints, and how it reports errors.

- A mistake a user can make (a bad argument, a bad declaration, no token) is one line per problem on
  standard error, exit 2 (or the error's own documented code).
- A bug in this program is one line that says so and where to report it; the traceback only with
  ``--debug``; exit 4.
- Nothing that came from a user, a declaration or a server is read as rich markup, and its control
  characters are shown, not obeyed.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from scm_access.errors import DeclarationError, ExitCode, ScmAccessError
from scm_access.outputs.text import visible

F = TypeVar("F", bound=Callable[..., Any])

PIPED_WIDTH = 160
"""Width of terminal-format output that is piped (no terminal to ask): a plan is still meant to be read."""


class _Settings:
    debug = False


settings = _Settings()


def stdout() -> Console:
    """The console for a command's output: the terminal's width, or PIPED_WIDTH (or $COLUMNS) when piped."""
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else PIPED_WIDTH
    return Console(width=width, highlight=False, markup=False, emoji=False)


def stderr() -> Console:
    return Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)


def print_error(message: str) -> None:
    """One ``error:`` line per line of the message, each shown as text (never markup, controls visible)."""
    from scm_access.judge.secrets import scrub  # a token a server echoed into an error never shows

    console = stderr()
    for line in scrub(message).splitlines() or ["error"]:
        console.print(Text.assemble(("error:", "red"), " ", visible(line)))


def _error_lines(error: ScmAccessError) -> list[str]:
    if isinstance(error, DeclarationError):
        return error.lines()
    return str(error).splitlines()


def bug_report_hint() -> str:
    """Where to report a bug: the package's Issues URL when its metadata names one."""
    try:
        from importlib.metadata import metadata

        for entry in metadata("scm-access").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().lower() in {"issues", "bug tracker", "bugs"}:
                return f"report it at {url.strip()}"
    except Exception:  # noqa: BLE001 - the hint must never hide the bug it reports
        pass
    return "report it to the maintainers of scm-access (the team that runs it for you)"


def guarded(command: F) -> F:
    """Run a command so that every way it can end has its documented exit code and at most one line per
    problem: user errors exit 2 (or their own code), bugs exit 4 with a one-line note."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
            raise
        except ScmAccessError as error:
            for line in _error_lines(error) or ["error"]:
                print_error(line)
            raise typer.Exit(int(error.exit_code)) from None
        except Exception as error:  # noqa: BLE001 - a bug: say so in one line, the traceback on request
            report_bug(error)
            raise typer.Exit(int(ExitCode.BUG)) from None

    return run  # type: ignore[return-value]


def report_bug(error: BaseException) -> None:
    """One line for a bug in this program. The exception's own message is not printed: it could quote a
    token or a server's answer; ``--debug`` prints the traceback for whoever fixes it."""
    where = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    place = f" in {os.path.basename(where.filename)}:{where.lineno}" if where else ""
    if settings.debug:
        traceback.print_exception(error, file=sys.stderr)
    hint = "" if settings.debug else "; run again with --debug for the traceback"
    print_error(
        f"this is a bug in scm-access ({type(error).__name__}{place}), not a problem with your input: "
        f"{bug_report_hint()}{hint}"
    )
