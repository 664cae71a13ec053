"""`scm-access verify`: check tokens in hand against the declarations.

One token: ``scm-access verify CONNECTION --platform P [--holder NAME]`` reads the token from
``SCM_ACCESS_TOKEN`` or standard input (never from an argument). Every token: ``scm-access verify --all``
reads each user-PAT slot's token from the variable named after the slot (``Slot.token_env_var``).

Exit codes: 0 ok · 1 action required · 2 usage or declaration error · 3 no verdict (API error, rate limit).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console

from scm_access.cli.options import ProjectOption, UsageError, format_option, load_and_plan, platform_option
from scm_access.core.kinds import Platform
from scm_access.errors import ExitCode
from scm_access.outputs import OutputFormat, emit
from scm_access.outputs.findings import FindingsView
from scm_access.plan.selection import select_one_slot
from scm_access.plan.slot import Slot, Strategy

if TYPE_CHECKING:
    from scm_access.declarations.policy import Policy

# The HTTP layer and the verifiers are imported when a verification runs: `plan` and `schema` start without them.


def verify_command(
    connection: Annotated[
        Optional[str], typer.Argument(metavar="CONNECTION", help="Connection whose token to verify (omit with --all).")
    ] = None,
    platform: Annotated[Optional[Platform], platform_option("Platform of the token.")] = None,
    holder: Annotated[
        Optional[str], typer.Option("--holder", metavar="NAME", help="Whose token it is, when several people hold one.")
    ] = None,
    base_url: Annotated[
        Optional[str],
        typer.Option(
            "--base-url",
            metavar="URL",
            help="API root to talk to: GitHub https://api.github.com or https://HOST/api/v3; GitLab"
            " instance root; Azure DevOps organization URL. Default: from the declaration.",
        ),
    ] = None,
    all_slots: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Verify every personal-token slot whose token is in its environment variable: SCM_ACCESS_TOKEN__"
            " followed by the connection, platform and holder, as the instructions name it.",
        ),
    ] = False,
    format: Annotated[OutputFormat, format_option("findings")] = OutputFormat.TERMINAL,
    project_dir: ProjectOption = Path("."),
) -> None:
    """Verify a token: scopes, expiry, owner, single sign-on and memberships, against the declaration.

    The token is read from SCM_ACCESS_TOKEN or standard input (prompted without echo), never from an
    argument. Exit 0 ok, 1 action required, 2 usage error, 3 no verdict, 4 a bug in scm-access, 5 every
    fact the token shows is right but some cannot be seen with it (partially verified)."""
    code = _run(connection, platform, holder, base_url, all_slots, format, project_dir)
    raise typer.Exit(int(code))


def _run(
    connection: str | None,
    platform: Platform | None,
    holder: str | None,
    base_url: str | None,
    all_slots: bool,
    format: OutputFormat,
    project_dir: Path,
) -> ExitCode:
    if all_slots and connection:
        raise UsageError("give either a CONNECTION or --all, not both")
    if not all_slots and not connection:
        raise UsageError("name the CONNECTION whose token to verify, or pass --all")
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise UsageError(f"--base-url must be an http(s) URL, got {base_url!r}")
    if base_url is not None:
        from scm_access.http import insecure_reason

        # The HTTP layer refuses too; saying so here makes it the usage error it is, before anything runs.
        refused = insecure_reason(base_url)
        if refused is not None:
            raise UsageError(f"--base-url: {refused}")
    if all_slots and base_url and platform is None:
        raise UsageError("--base-url with --all needs --platform: each platform has its own API")

    import asyncio

    from scm_access.verify.report import exit_code_for
    from scm_access.verify.runner import verify_slot
    from scm_access.verify.token import read_token

    project, result = load_and_plan(project_dir, None)
    if all_slots:
        return _verify_every_slot(result.slots, project.policy, platform, base_url, format)
    slot = _choose_slot(result.slots, connection or "", platform, holder)
    token = read_token()
    finding = asyncio.run(verify_slot(slot, token, policy=project.policy, api_root=base_url))
    emit("findings", format, FindingsView([finding], single=True), _console())
    return exit_code_for([finding])


def _console() -> Console:
    from scm_access.cli.console import stdout

    return stdout()


def _choose_slot(slots: list[Slot], connection: str, platform: Platform | None, holder: str | None) -> Slot:
    slot = select_one_slot(slots, connection, platform.value if platform else None, holder)
    if slot.strategy != Strategy.USER_PAT:
        raise UsageError(
            f"{slot.id} is provisioned by scm-access ({slot.kind.label}), not a token a person holds"
        )
    return slot


def _verify_every_slot(
    slots: list[Slot], policy: Policy, platform: Platform | None, base_url: str | None, format: OutputFormat
) -> ExitCode:
    import asyncio

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from scm_access.verify.report import exit_code_for
    from scm_access.verify.runner import slot_token, verify_all

    chosen = [s for s in slots if s.strategy == Strategy.USER_PAT and (platform is None or s.platform == platform)]
    items = [slot_token(s) for s in chosen]
    if not any(item.token or item.unusable for item in items):
        names = ", ".join(s.token_env_var for s in chosen[:3]) + (", …" if len(chosen) > 3 else "")
        raise UsageError(f"no token in the environment for any personal-token slot (expected e.g. {names})")
    roots = {platform.value: base_url} if platform is not None and base_url else None
    show_progress = format == OutputFormat.TERMINAL and sys.stderr.isatty()

    if show_progress:
        with Progress(
            TextColumn("verifying"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            task = progress.add_task("verify", total=len(items))
            findings = asyncio.run(
                verify_all(items, policy=policy, api_roots=roots, on_finding=lambda _: progress.advance(task))
            )
    else:
        findings = asyncio.run(verify_all(items, policy=policy, api_roots=roots))
    emit("findings", format, FindingsView(findings), _console())
    return exit_code_for(findings)
