"""The `scm-access` command line.

Exit codes: 0 nothing to act on · 1 policy violations or actions pending · 2 usage or declaration error ·
3 a verification reached no verdict.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import typer
from rich.console import Console

from scm_access.errors import ExitCode, ScmAccessError

app = typer.Typer(
    name="scm-access",
    help="Connections-as-code for source-control credentials: plan, instruct and verify the access"
    " integrations need on GitHub, GitLab, Azure DevOps and Bitbucket.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

stderr = Console(stderr=True, highlight=False)


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn errors a user can cause into one clear message per problem and a documented exit code."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScmAccessError as error:
            for line in str(error).splitlines():
                stderr.print(f"[red]error:[/red] {line}", markup=True, soft_wrap=True)
            raise typer.Exit(int(error.exit_code)) from None

    return run


def _register_commands() -> None:
    from scm_access.cli import plan_commands, review, scopes, verify

    plan_commands.register(app)
    verify.register(app)
    review.register(app)
    scopes.register(app)


_register_commands()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        stderr.print("interrupted")
        sys.exit(130)


__all__ = ["ExitCode", "app", "main", "user_errors"]
