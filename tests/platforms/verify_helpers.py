"""Shared by the platform verifier tests: slots from declarations, and one verification run against a
local server with a fake clock (so retries and Retry-After never make a test wait)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

from scm_access.declarations import Connection, Policy
from scm_access.http import ApiClient, HttpSettings, RetryPolicy
from scm_access.plan.planner import plan
from scm_access.plan.slot import Slot
from scm_access.validate import validate
from scm_access.verify.context import VerifyContext
from scm_access.judge import Finding
from scm_access.verify.runner import verify_slot
from tests.support.fake_time import FakeTime
from scm_access.verify.token import Token

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ATTEMPTS = 3
CANARY = "canary-7c0ffee-DO-NOT-LEAK-4242"


def slot_for(access: Any, policy: Policy | None = None, name: str = "demo") -> Slot:
    policy = policy or Policy()
    connection = Connection(name=name, integration="Demo", owner="team", purpose="testing", access=[access])
    [slot] = plan(validate([connection], policy), policy, TODAY).slots
    return slot


REPLY_TIMEOUT = 10.0
"""Long enough that a local server's immediate answer never times out on a loaded machine; the timeout tests
set their own, against a server that never answers."""


def test_settings(timeout: float = REPLY_TIMEOUT) -> HttpSettings:
    return HttpSettings(
        timeout=timeout,
        retry=RetryPolicy(attempts=ATTEMPTS, wait_initial=0.01, wait_max=0.05, wait_jitter=0.0),
    )


def run_verify(
    slot: Slot,
    token: str,
    api_root: str,
    *,
    policy: Policy | None = None,
    timeout: float = REPLY_TIMEOUT,
    clock: FakeTime | None = None,
) -> Finding:
    """One verification through the runner, as the CLI does it."""
    clock = clock or FakeTime()

    async def go() -> Finding:
        async with ApiClient(test_settings(timeout), sleep=clock.sleep, clock=clock.clock) as http:
            return await verify_slot(slot, Token(token), policy=policy or Policy(), http=http, api_root=api_root, now=NOW)

    return asyncio.run(go())


def run_platform_verify(
    verify: Callable[..., Awaitable[Finding]], slot: Slot, token: str, api_root: str, **options: Any
) -> Finding:
    """The platform's ``verify`` called directly with its keyword options (no runner around it)."""

    async def go() -> Finding:
        clock = FakeTime()
        async with ApiClient(test_settings(), sleep=clock.sleep, clock=clock.clock) as http:
            ctx = VerifyContext(slot=slot, token=Token(token), policy=Policy(), http=http, api_root=api_root, now=NOW)
            return await verify(ctx, **options)

    return asyncio.run(go())


def codes(finding: Finding) -> list[str]:
    return [p.code.value for p in finding.problems]
