"""`scm-access instructions`: the manual steps to create each personal token."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from scm_access.cli.console import stdout
from scm_access.cli.options import ProjectOption, TodayOption, format_option, load_and_plan, platform_option
from scm_access.core.kinds import Platform
from scm_access.instruct.build import sections_for
from scm_access.plan.selection import select_slots
from scm_access.outputs import OutputFormat, emit
from scm_access.outputs.instructions import InstructionsView


def instructions_command(
    connection: Annotated[Optional[str], typer.Argument(metavar="CONNECTION", help="Connection name; all when omitted.")] = None,
    platform: Annotated[Optional[Platform], platform_option("Only this platform's tokens.")] = None,
    holder: Annotated[Optional[str], typer.Option("--holder", metavar="NAME", help="Only this person's steps.")] = None,
    format: Annotated[OutputFormat, format_option("instructions")] = OutputFormat.TERMINAL,
    project_dir: ProjectOption = Path("."),
    today: TodayOption = None,
) -> None:
    """Print the manual steps to create each personal token, with pre-filled links where supported, and the
    hand-off of each credential the stack makes (where it lands, or how to carry it to the integration)."""
    project, result = load_and_plan(project_dir, today)
    # A name that matches nothing is a typo, not "nothing to do": the same choice as verify's.
    slots = select_slots(result.slots, connection, platform.value if platform else None, holder)
    title = f"Credentials of {connection}" if connection else "Credentials to create or hand over"
    items = sections_for(
        slots, rotate_before_days=project.policy.rotate_before_days, today=result.today, project=str(project.root)
    )
    emit("instructions", format, InstructionsView(items, title=title), stdout())
