"""The `scm-access` command line: one module per command, sharing `console` (output and errors) and
`options`.

Exit codes: 0 nothing to act on · 1 something to act on (see `plan --fail-on`) · 2 usage or declaration
error · 3 a verification reached no verdict · 4 a bug in scm-access (the traceback with --debug).
"""

from __future__ import annotations

import gc
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated

import typer

from scm_access.cli import review, scopes
from scm_access.cli.console import guarded, report_bug, settings, stderr
from scm_access.cli.instructions import instructions_command
from scm_access.cli.inventory import inventory_command
from scm_access.cli.plan import plan_command
from scm_access.cli.requests import requests_command
from scm_access.cli.schema import schema_command
from scm_access.cli.verify import verify_command
from scm_access.errors import ExitCode

app = typer.Typer(
    name="scm-access",
    help="Connections-as-code for source-control credentials: plan, instruct and verify the access"
    " integrations need on GitHub, GitLab, Azure DevOps and Bitbucket.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: wrapped at word boundaries, nothing cut off, no user text read as markup.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def package_version() -> str:
    try:
        return version("scm-access")
    except PackageNotFoundError:
        from scm_access import __version__

        return __version__


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"scm-access {package_version()}")
        raise typer.Exit()


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="On a bug in scm-access, print the traceback (for the bug report).")
    ] = False,
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    settings.debug = debug


app.command("plan")(guarded(plan_command))
app.command("instructions")(guarded(instructions_command))
app.command("verify")(guarded(verify_command))
app.command("inventory")(guarded(inventory_command))
app.command("schema")(guarded(schema_command))
app.command("requests")(guarded(requests_command))
review.register(app)
scopes.register(app)


COLLECTOR_THRESHOLDS = (100_000, 50, 1000)
"""Python's cyclic garbage collector runs after this many new container objects (and each older generation
after this many runs of the younger one). A plan builds hundreds of thousands of objects that all live until
the command ends: at the default (700, 10, 10) the collector scanned them again and again, a third of a large
plan's time, and found next to nothing (the program makes few reference cycles)."""


def main() -> None:
    # What start-up imported lives as long as the process: the collector need not look at it again.
    gc.freeze()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    try:
        app()
    except KeyboardInterrupt:
        stderr().print("interrupted")
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - a bug outside any command (option parsing, start-up)
        report_bug(error)
        sys.exit(int(ExitCode.BUG))


__all__ = ["ExitCode", "app", "main"]
