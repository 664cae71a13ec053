"""The inventory inside `pulumi up`: with administrator credentials in the stack's config, the program's
findings for personal-token slots come from the platforms' admin views, and the stack lists what exists
without a declaration. Without them, nothing changes.

The credentials are the stack config keys named after the variables the command line reads (each reader's
``ADMIN_CREDENTIALS``), in the ``scm-access`` namespace and camelCase without the ``SCM_ACCESS_`` prefix:
``SCM_ACCESS_GITLAB_ADMIN_TOKEN`` is ``scm-access:gitlabAdminToken``. Set them as secrets
(``pulumi config set --secret``), or let a Pulumi ESC environment supply them through the stack's
``pulumiConfig``; they are read from config only, never from the process environment, so a run changes only
when the stack says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from scm_access.core.kinds import Platform
from scm_access.declarations.policy import Policy
from scm_access.inventory.report import InventoryReport
from scm_access.judge.secrets import register_secret
from scm_access.plan.slot import Slot, Strategy

CONFIG_NAMESPACE = "scm-access"
ENV_PREFIX = "SCM_ACCESS_"
BASE_URL_KEY = "inventoryBaseUrl"
"""One API root for every reader (as the command's ``--base-url``): Enterprise Server, self-managed, tests."""


def config_key(env_var: str) -> str:
    """The stack config key of an administrator credential's variable: ``SCM_ACCESS_GITHUB_APP_ID`` →
    ``githubAppId``."""
    name = env_var[len(ENV_PREFIX):] if env_var.startswith(ENV_PREFIX) else env_var
    first, *rest = name.lower().split("_")
    return first + "".join(part.capitalize() for part in rest)


def admin_environ(config_get: Callable[[str], str | None]) -> dict[str, str]:
    """The administrator credentials the stack's config holds, under the variable names the readers read.
    Every secret value is registered at once, so no output, log or error can show it."""
    from scm_access.inventory.runner import admin_credentials

    environ: dict[str, str] = {}
    for credential in admin_credentials(Platform):
        value = config_get(config_key(credential.env_var))
        if value is None or not value.strip():
            continue
        if credential.secret:
            register_secret(value)
        environ[credential.env_var] = value
    return environ


@dataclass
class ProgramInventory:
    """What the program takes from one inventory run."""

    findings: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Personal-token slots' findings (JSON form, with ``matched_by``), by slot id, for the platforms read."""
    undeclared: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    decisions: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Stack outputs by name: the token-request decisions and the revocation proposals, each with what was
    sent (``scm_access.inventory.decisions.program``)."""


def inventory_for_program(
    slots: Sequence[Slot],
    policy: Policy,
    today: date,
    config_get: Callable[[str], str | None] | None = None,
    acting: bool | None = None,
) -> ProgramInventory | None:
    """Read the inventory for the program, or None when the stack's config holds no administrator
    credential (then the program's findings are its own, as before).

    Its decisions (token requests, revocations) are made too; ``acting`` stands for the command line's
    ``--apply``: by default true under ``pulumi up`` and false under ``pulumi preview`` (and false when a
    ``config_get`` is handed in without it), and the policy's opt-in still decides whether anything is sent."""
    if config_get is None:
        import pulumi

        config_get = pulumi.Config(CONFIG_NAMESPACE).get
        if acting is None:
            acting = not pulumi.runtime.is_dry_run()
    acting = bool(acting)  # outside a Pulumi run, only an explicit True acts
    environ = admin_environ(config_get)
    if not environ:
        return None
    from scm_access.inventory.runner import readers, run_inventory

    if not readers(list(Platform), environ)[0]:
        return None
    api_root = config_get(BASE_URL_KEY) or None
    now = datetime.combine(today, time(), tzinfo=UTC)  # the program judges as of its day, like its other findings

    async def read() -> InventoryReport:
        return await run_inventory(slots, policy=policy, environ=environ, api_root=api_root, now=now)

    # The program runs inside the Pulumi runtime's event loop: read on a loop of its own, in a worker thread
    # (the HTTP layer bounds every request's time).
    with ThreadPoolExecutor(max_workers=1) as worker:
        report = worker.submit(asyncio.run, read()).result()
    seen = as_program_inventory(report, slots)
    from scm_access.inventory.decisions.candidates import revocation_candidates
    from scm_access.inventory.decisions.program import program_decisions

    seen.decisions = program_decisions(
        slots, policy, environ, now, acting=acting, api_root=api_root, candidates=revocation_candidates(report, slots)
    )
    return seen


def as_program_inventory(report: InventoryReport, slots: Sequence[Slot]) -> ProgramInventory:
    document = report.document()
    personal = {slot.id for slot in slots if slot.strategy == Strategy.USER_PAT}
    return ProgramInventory(
        findings={f["slot"]: f for f in document["findings"] if f["slot"] in personal},
        undeclared=document["undeclared"],
        sources=document["sources"],
        skipped=list(report.skipped),
    )
