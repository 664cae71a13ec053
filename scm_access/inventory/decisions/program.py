"""The decisions inside the Pulumi program: the same reading, deciding and gating as the command line, as
stack outputs (``token_requests``, ``revocations``).

``pulumi preview`` never acts (a dry run, like the command without ``--apply``). ``pulumi up`` acts only
where the policy opts in — ``review_token_requests = "enforce"`` for requests; ``allow_revocation``,
``revoke_when`` and ``max_revocations_per_run`` for revocations — through the same runner the command
line uses. The administrator credentials come from the stack's config, mapped to the variables the
readers read (see ``scm_access.inventory.program``); without them nothing is read and nothing is exported.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, TypeVar

from scm_access.declarations.policy import Policy
from scm_access.http import ApiClient
from scm_access.inventory.decisions.model import RevocationCandidate
from scm_access.inventory.decisions.runner import RequestsRun, RevocationsRun, review_requests, revoke_candidates
from scm_access.inventory.model import SourceStatus
from scm_access.plan.slot import Slot

T = TypeVar("T")

REQUESTS_OUTPUT = "token_requests"
REVOCATIONS_OUTPUT = "revocations"


def _on_own_loop(work: Callable[[], Any]) -> Any:
    # The program runs inside the Pulumi runtime's event loop: run on a loop of its own, in a worker thread
    # (the HTTP layer bounds every request's time).
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, work()).result()


def program_decisions(
    slots: Sequence[Slot],
    policy: Policy,
    environ: Mapping[str, str],
    now: datetime,
    *,
    acting: bool,
    api_root: str | None = None,
    candidates: Sequence[RevocationCandidate] | None = None,
) -> dict[str, dict[str, Any]]:
    """The stack outputs: each decision document, keyed by output name; empty when nothing could be read.

    ``acting`` is True under ``pulumi up`` and False under ``pulumi preview``: it stands for the command
    line's ``--apply``, and the policy's opt-in still decides. ``candidates`` are what the program's own
    inventory found and judged (None: it read no inventory, so nothing is proposed for revocation)."""
    outputs: dict[str, dict[str, Any]] = {}
    if policy.review_token_requests != "off":

        async def requests() -> RequestsRun:
            async with ApiClient() as http:
                return await review_requests(slots, policy, environ, now, apply=acting, http=http, api_root=api_root)

        run: RequestsRun = _on_own_loop(requests)
        if any(s.status != SourceStatus.SKIPPED for s in run.sources):
            outputs[REQUESTS_OUTPUT] = run.document(now, policy, acting)
    if candidates is not None:
        found = list(candidates)

        async def revocations() -> RevocationsRun:
            async with ApiClient() as http:
                return await revoke_candidates(found, slots, policy, environ, now, apply=acting, http=http, api_root=api_root)

        outputs[REVOCATIONS_OUTPUT] = _on_own_loop(revocations).document(now, policy, acting)
    return outputs
