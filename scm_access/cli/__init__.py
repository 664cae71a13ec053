"""The `scm-access` command line: one module per command, sharing `console` (output and errors) and
`options`.

Exit codes: 0 nothing to act on · 1 something to act on (see `plan --fail-on`) · 2 usage or declaration
error · 3 a verification reached no verdict · 4 a bug in scm-access (the traceback with --debug).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Iterator, MutableMapping
from importlib import import_module
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.main import get_command_from_info

from scm_access.cli.console import guarded, report_bug, settings, stderr
from scm_access.errors import ExitCode

COMMANDS: dict[str, tuple[str, str]] = {
    "plan": ("scm_access.cli.plan", "plan_command"),
    "instructions": ("scm_access.cli.instructions", "instructions_command"),
    "verify": ("scm_access.cli.verify", "verify_command"),
    "inventory": ("scm_access.cli.inventory", "inventory_command"),
    "schema": ("scm_access.cli.schema", "schema_command"),
    "requests": ("scm_access.cli.requests", "requests_command"),
    "review": ("scm_access.cli.review", "register"),
    "scopes": ("scm_access.cli.scopes", "register"),
}
"""Each command, in the order the help lists them: its module and its function (or the module's ``register``,
which adds the command to the app it is given). A command's module is imported when the command is used
(or the help lists it): a run of `plan` does not pay for what `review` or `inventory` import."""


class _Commands(MutableMapping[str, Any]):
    """The group's commands by name, each built from its module on first use (see :data:`COMMANDS`)."""

    def __init__(self, built: dict[str, Any], settings: dict[str, Any]) -> None:
        self._built = built
        self._settings = settings

    def __getitem__(self, name: str) -> Any:
        if name not in self._built and name in COMMANDS:
            self._built[name] = _build(name, self._settings)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self._built if name not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS.keys() | self._built.keys())


def _build(name: str, settings: dict[str, Any]) -> Any:
    module, attribute = COMMANDS[name]
    function = getattr(import_module(module), attribute)
    holder = typer.Typer()
    if attribute == "register":
        function(holder)
    else:
        holder.command(name)(guarded(function))
    [info] = [c for c in holder.registered_commands if c.name == name]
    return get_command_from_info(info, **settings)


class _LazyGroup(TyperGroup):
    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands(dict(self.commands), _GROUP_SETTINGS)


app = typer.Typer(
    cls=_LazyGroup,
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
    from importlib.metadata import PackageNotFoundError, version  # only for --version: slow to import

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


_GROUP_SETTINGS = {"pretty_exceptions_short": app.pretty_exceptions_short, "rich_markup_mode": app.rich_markup_mode}


COLLECTOR_THRESHOLDS = (100_000, 50, 1000)
"""Python's cyclic garbage collector runs after this many new container objects (and each older generation
after this many runs of the younger one). A plan builds hundreds of thousands of objects that all live until
the command ends: at the default (700, 10, 10) the collector scanned them again and again, a third of a large
plan's time, and found next to nothing (the program makes few reference cycles)."""


PYDANTIC_PLUGINS_SETTING = "PYDANTIC_DISABLE_PLUGINS"
"""Pydantic looks for plugins (observers of validation) in the metadata of every installed package when the
first model is built: tens of milliseconds of each start, for plugins the command's own models have no use for.
A run tells pydantic there are none, unless the person's environment says otherwise."""


def main() -> None:
    os.environ.setdefault(PYDANTIC_PLUGINS_SETTING, "__all__")
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


def run() -> None:
    """The process's entry (``scm-access``, ``python -m scm_access``): :func:`main`, then out at once. Tearing
    down what a large run built, object by object, takes a second at 100,000 slots and serves nobody: the
    command has closed its files by then; the streams are flushed here."""
    try:
        main()
        status = 0
    except SystemExit as done:
        status = _status(done.code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away (`| head`): what it wanted, it had
            pass
        except (OSError, ValueError):  # a full disk, a closed stream: the output is incomplete, as Python says
            status = status or 120
    logging.shutdown()
    os._exit(status)


def _status(code: object) -> int:
    """The exit status ``sys.exit(code)`` gives: None is 0, a number itself, anything else is printed and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


__all__ = ["ExitCode", "app", "main", "run"]
