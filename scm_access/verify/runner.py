"""Run verifiers: one slot, or every slot at once with bounded concurrency.

Whatever the platform does to one slot (an API error, a rate limit, an unreadable answer) becomes that
slot's ``unknown`` finding; it never stops the others and never yields ``ok``. A bug in a verifier is not
the platform's doing: it propagates, and the command line reports it as a bug.
Every finding leaves here scrubbed of every credential value in use, whatever a server echoed back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import import_module
from types import ModuleType

from scm_access.declarations.policy import Policy
from scm_access.http import ApiClient, ApiError
from scm_access.plan.slot import Slot
from scm_access.judge import Finding, ObservedFacts, Problem, ProblemCode, Status, finding_for
from scm_access.judge import missing_finding as judge_missing
from scm_access.judge.remediation import remediate
from scm_access.judge.secrets import scrub_exception, scrub_model
from scm_access.verify.context import VerifyContext, code_for
from scm_access.verify.token import NoTokenError, Token, token_from_env


def verifier_for(platform: str) -> ModuleType | None:
    """The platform's verifier module (``scm_access.platforms.<platform>.verify``), None if it has none."""
    name = f"scm_access.platforms.{platform}.verify"
    try:
        return import_module(name)
    except ModuleNotFoundError as error:
        if error.name == name:
            return None
        raise


def _finding(slot: Slot, status: Status, problems: list[Problem], reason: str, token: Token | None) -> Finding:
    facts = ObservedFacts(token_last_four=(token.last_four or None) if token else None)
    return scrub_model(finding_for(slot, status, remediate(slot, problems), facts, reason))


def unknown_finding(slot: Slot, code: ProblemCode, reason: str, token: Token | None = None) -> Finding:
    return _finding(slot, Status.UNKNOWN, [Problem(code=code, detail=reason)], reason, token)


def missing_finding(slot: Slot) -> Finding:
    return judge_missing(slot, f"no token to verify: set {slot.token_env_var} to the token")


def slot_token(slot: Slot, environ: Mapping[str, str] | None = None) -> SlotToken:
    """The slot's token from its variable (:attr:`Slot.token_env_var`); a value that is not a token spoils
    only this slot's finding."""
    try:
        return SlotToken(slot=slot, token=token_from_env(slot.token_env_var, environ))
    except NoTokenError as error:
        return SlotToken(slot=slot, token=None, unusable=f"{slot.token_env_var}: {error}")


def unusable_finding(slot: Slot, reason: str) -> Finding:
    """The value supplied for the slot is not a token: nothing was sent; the person fixes the variable."""
    problem = Problem(code=ProblemCode.INVALID_TOKEN, detail=reason)
    return _finding(slot, Status.ACTION_REQUIRED, [problem], reason, None)


async def verify_slot(
    slot: Slot,
    token: Token,
    *,
    policy: Policy,
    http: ApiClient | None = None,
    api_root: str | None = None,
    now: datetime | None = None,
) -> Finding:
    """Verify one token against its slot. Never raises for anything the API or the token does; a bug in
    the verifier propagates."""
    if http is None:
        async with ApiClient() as owned:
            return await verify_slot(slot, token, policy=policy, http=owned, api_root=api_root, now=now)
    module = verifier_for(slot.platform.value)
    if module is None:
        return unknown_finding(
            slot, ProblemCode.NOT_OBSERVABLE, f"no verifier for {slot.platform.value} tokens yet", token
        )
    ctx = VerifyContext(
        slot=slot,
        token=token,
        policy=policy,
        http=http,
        api_root=(api_root or module.api_root(slot)).rstrip("/"),
        now=now or datetime.now(UTC),
    )
    try:
        finding = await module.verify(ctx)
    except ApiError as error:
        return unknown_finding(slot, code_for(error), token.scrub(error.reason), token)
    except Exception as error:
        # A bug, not the platform's doing: it propagates (the command line says it is a bug), without the
        # token in its text whatever the failing code put there.
        raise scrub_exception(error)
    # The output boundary: whatever a server echoed into a login, a scope or a message, no credential leaves.
    return scrub_model(finding)


@dataclass(frozen=True)
class SlotToken:
    slot: Slot
    token: Token | None
    """None when no token was supplied for the slot: the finding is ``missing``."""
    unusable: str | None = None
    """Why the supplied value is not a token (e.g. it holds whitespace): the finding says so, nothing is sent."""


async def verify_all(
    items: Sequence[SlotToken],
    *,
    policy: Policy,
    http: ApiClient | None = None,
    api_roots: dict[str, str] | None = None,
    now: datetime | None = None,
    on_finding: Callable[[Finding], None] | None = None,
) -> list[Finding]:
    """Verify every slot concurrently (the HTTP layer bounds requests in flight); findings in input order.

    ``api_roots`` maps a platform to an API root overriding each slot's own (tests, mirrors)."""
    if http is None:
        async with ApiClient() as owned:
            return await verify_all(
                items, policy=policy, http=owned, api_roots=api_roots, now=now, on_finding=on_finding
            )
    now = now or datetime.now(UTC)
    roots = api_roots or {}
    # Coroutines beyond what the HTTP layer lets through would only wait; cap them to keep memory flat.
    gate = asyncio.Semaphore(max(1, http.settings.max_concurrency * 2))

    async def one(item: SlotToken) -> Finding:
        async with gate:
            if item.unusable is not None:
                finding = unusable_finding(item.slot, item.unusable)
            elif item.token is None:
                finding = missing_finding(item.slot)
            else:
                finding = await verify_slot(
                    item.slot,
                    item.token,
                    policy=policy,
                    http=http,
                    api_root=roots.get(item.slot.platform.value),
                    now=now,
                )
        if on_finding is not None:
            on_finding(finding)
        return finding

    return list(await asyncio.gather(*(one(item) for item in items)))
