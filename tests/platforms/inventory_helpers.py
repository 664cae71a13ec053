"""Shared by the platform inventory tests: one reading of a platform's admin views against a local server,
with a fake clock (retries and Retry-After never make a test wait)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from types import ModuleType

from platforms.verify_helpers import ATTEMPTS, NOW
from scm_access.declarations import Policy
from scm_access.http import ApiClient, HttpSettings, RetryPolicy
from scm_access.inventory.model import Inventory, SourceReport, SourceStatus
from scm_access.inventory.reader import InventoryContext
from scm_access.inventory.report import InventoryReport
from scm_access.inventory.runner import run_inventory as run_all
from scm_access.plan.slot import Slot
from tests.support.fake_time import FakeTime


def inventory_settings(attempts: int = ATTEMPTS) -> HttpSettings:
    """Generous timeouts (a view is many requests, and the test machine may be busy); retries never wait."""
    return HttpSettings(timeout=5.0, retry=RetryPolicy(attempts=attempts, wait_initial=0.01, wait_max=0.05, wait_jitter=0.0))


def run_inventory(
    reader: ModuleType,
    environ: Mapping[str, str],
    *,
    slots: list[Slot] | None = None,
    api_root: str | None = None,
    settings: HttpSettings | None = None,
) -> Inventory:
    clock = FakeTime()

    async def go() -> Inventory:
        async with ApiClient(settings or inventory_settings(), sleep=clock.sleep, clock=clock.clock) as http:
            ctx = InventoryContext(
                slots=slots or [], http=http, environ=environ, policy=Policy(), now=NOW, api_root=api_root
            )
            result: Inventory = await reader.read(ctx)
            return result

    return asyncio.run(go())


def source(inventory: Inventory, name: str, scope: str | None = None) -> SourceReport:
    [found] = [s for s in inventory.sources if s.source == name and (scope is None or s.scope == scope)]
    return found


def statuses(inventory: Inventory) -> dict[tuple[str, str | None], SourceStatus]:
    return {(s.source, s.scope): s.status for s in inventory.sources}


def everything_shown(inventory: Inventory) -> str:
    """Every text the inventory holds, as an output would show it (to look for secrets in)."""
    return repr(inventory.credentials) + repr(inventory.sources)


def judged(environ: Mapping[str, str], slots: list[Slot], api_root: str) -> InventoryReport:
    """The whole inventory (every configured reader, matching, the judge) as the command runs it."""
    clock = FakeTime()

    async def go() -> InventoryReport:
        async with ApiClient(inventory_settings(), sleep=clock.sleep, clock=clock.clock) as http:
            return await run_all(slots, policy=Policy(), environ=environ, http=http, now=NOW, api_root=api_root)

    return asyncio.run(go())
