"""Options and arguments shared by the commands, and the project they load."""

from __future__ import annotations

from datetime import date
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer

from scm_access.core.kinds import Platform
from scm_access.declarations.loader import CONNECTIONS_DIR, Project
from scm_access.errors import ExitCode, ScmAccessError
from scm_access.outputs import FORMAT_ALIASES, OutputFormat, formats_for
from scm_access.plan.planner import Plan, plan_folder

E = TypeVar("E", bound=Enum)


class UsageError(ScmAccessError):
    exit_code = ExitCode.USAGE


def normalise(text: str) -> str:
    """Case- and dash-insensitive: `GitHub`, `azure-devops` and `azure_devops` are one name."""
    return text.strip().lower().replace("-", "_").replace(" ", "_")


class LenientChoice:
    """Parses one of an enum's values, spelt in any case, with dashes or underscores, or by an alias."""

    def __init__(self, enum: type[E], aliases: dict[str, E] | None = None, values: list[E] | None = None) -> None:
        self.enum = enum
        self.values = list(values if values is not None else enum)
        self.aliases = {normalise(k): v for k, v in (aliases or {}).items() if v in self.values}

    def choices(self) -> str:
        return ", ".join(str(v.value).replace("_", "-") for v in self.values)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, self.enum):
            return value
        wanted = normalise(str(value))
        for choice in self.values:
            if normalise(str(choice.value)) == wanted:
                return choice
        if wanted in self.aliases:
            return self.aliases[wanted]
        raise typer.BadParameter(f"{value!r} is not one of: {self.choices()}")


PLATFORM_CHOICE = LenientChoice(Platform)


def platform_option(help: str) -> Any:
    return typer.Option(
        "--platform", "-p", parser=PLATFORM_CHOICE, metavar="PLATFORM", help=f"{help} One of: {PLATFORM_CHOICE.choices()}."
    )


def format_option(subject: str) -> Any:
    choice = LenientChoice(OutputFormat, FORMAT_ALIASES, formats_for(subject))
    return typer.Option(
        "--format", "-f", parser=choice, metavar="FORMAT", show_default=False,
        help=f"Output format, one of: {choice.choices()} (default terminal; `table` is another name for it).",
    )


ProjectOption = Annotated[
    Path,
    typer.Option(
        "--project",
        envvar="SCM_ACCESS_PROJECT",
        help="Folder holding connections/ and policies/ (or set SCM_ACCESS_PROJECT).",
        show_envvar=False,
        metavar="DIR",
        file_okay=False,
    ),
]
TodayOption = Annotated[
    Optional[str], typer.Option("--today", metavar="YYYY-MM-DD", help="Plan as of this date (YYYY-MM-DD); default today.")
]


def load_and_plan(project_dir: Path, today: str | None) -> tuple[Project, Plan]:
    when = parse_today(today)
    if not (project_dir / CONNECTIONS_DIR).is_dir():
        raise UsageError(
            f"no {CONNECTIONS_DIR}/ folder in {project_dir.resolve()}: run scm-access in the project's folder, or"
            " name it with --project DIR (or SCM_ACCESS_PROJECT)"
        )
    return plan_folder(project_dir, today=when)


def parse_today(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--today: {text!r} is not a date (YYYY-MM-DD)") from None


Condition = TypeVar("Condition", bound=StrEnum)


def parse_fail_on(text: str, conditions: type[Condition]) -> set[Condition]:
    """``--fail-on``: comma-separated condition names (case-insensitive), ``none`` alone for none."""
    chosen: set[Condition] = set()
    for part in text.split(","):
        name = part.strip().lower()
        if not name:
            continue
        try:
            chosen.add(conditions(name))
        except ValueError:
            choices = ", ".join(c.value for c in conditions)
            raise UsageError(f"--fail-on: {part.strip()!r} is not one of: {choices}") from None
    none = conditions("none")
    if none in chosen and len(chosen) > 1:
        raise UsageError("--fail-on: none cannot be combined with other conditions")
    return chosen - {none}
