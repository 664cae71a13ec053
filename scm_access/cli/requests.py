"""`scm-access requests`: decide pending fine-grained token requests by the declarations.

Reads the requests through the organisation's GitHub App (the administrator credentials `inventory` uses,
from the environment only), decides each — approve, deny with a reason, or leave for a person — and prints
every decision. Nothing is sent without ``--apply``, and with it only when the policy says
``review_token_requests = "enforce"``; every act is reported (request, decision, reason, result).

Exit codes: 0 nothing pending, or every decision sent and accepted · 1 requests left pending (a dry run,
advise, or undecided) · 2 usage or declaration error, or the policy's review is off · 3 a source could not
be read or an act failed · 4 a bug in scm-access.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from scm_access.cli.options import ProjectOption, UsageError, format_option, load_and_plan
from scm_access.errors import ExitCode
from scm_access.outputs import OutputFormat, emit


def requests_command(
    orgs: Annotated[
        Optional[list[str]],
        typer.Option("--org", metavar="ORG", help="Organisation whose requests to read (repeat for several)."
                     " Default: every organisation a fine-grained token is declared for."),
    ] = None,
    base_url: Annotated[
        Optional[str],
        typer.Option("--base-url", metavar="URL", help="API root (GitHub Enterprise Server https://HOST/api/v3, or a"
                     " test server). Default: from the declarations, else https://api.github.com."),
    ] = None,
    apply: Annotated[
        bool,
        typer.Option("--apply", help="Send the approvals and denials (only when the policy says"
                     " review_token_requests = \"enforce\"). Without it nothing is sent."),
    ] = False,
    format: Annotated[OutputFormat, format_option("requests")] = OutputFormat.TERMINAL,
    project_dir: ProjectOption = Path("."),
) -> None:
    """Decide pending fine-grained token requests by the declarations: approve, deny with a reason, or leave
    for a person. Dry run unless --apply (and the policy enforces). Exit 0 nothing pending, 1 requests left
    pending, 2 usage error, 3 a source or an act failed, 4 a bug in scm-access."""
    code = _run(orgs or [], base_url, apply, format, project_dir)
    raise typer.Exit(int(code))


def _run(orgs: list[str], base_url: str | None, apply: bool, format: OutputFormat, project_dir: Path) -> ExitCode:
    import asyncio
    import os
    from datetime import datetime, timezone

    from scm_access.cli.console import stdout
    from scm_access.http import ApiClient, insecure_reason
    from scm_access.inventory.decisions.runner import RequestsRun, review_requests

    if base_url is not None:
        refused = insecure_reason(base_url) if base_url.startswith(("http://", "https://")) else "not an http(s) URL"
        if refused is not None:
            raise UsageError(f"--base-url: {refused}")
    project, plan = load_and_plan(project_dir, None)
    policy = project.policy
    if policy.review_token_requests == "off":
        raise UsageError(
            "the policy's review_token_requests is 'off': set it to 'advise' (decide and show) or 'enforce'"
            " (also send with --apply) in policies/credential_policy.py"
        )
    now = datetime.now(timezone.utc)

    async def go() -> RequestsRun:
        async with ApiClient() as http:
            return await review_requests(
                plan.slots, policy, os.environ, now, apply=apply, http=http, orgs=orgs, api_root=base_url
            )

    run = asyncio.run(go())
    if not any(s.status != "skipped" for s in run.sources):
        reasons = "; ".join(s.detail for s in run.sources) or "no platform has token requests"
        raise UsageError(f"no token requests could be read: {reasons}")
    emit("requests", format, run.document(now, policy, apply), stdout())
    return run.exit_code
