"""One run of request review (and one of revocation): read the pending requests of every platform that has them, decide each by the
declarations, gate, send what the gate lets through, and report every act. The CLI and the Pulumi program
both run this; neither decides or sends anything of its own.

A platform with token requests provides ``platforms/<platform>/token_requests.py`` with:

``def configured(environ) -> str | None``
    None when its administrator credentials are set; else one line naming what enables it;
``def declared_orgs(ctx: InventoryContext) -> list[str]``
    the organisations its declarations name (read when no ``--org`` is given);
``async def read_requests(ctx, orgs) -> tuple[list[TokenRequest], list[SourceReport]]``
    every pending request; an organisation that cannot be read is a failed source;
``async def review(ctx, decisions) -> list[ActResult]``
    sends each decision, one result per decision in the order given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any

from scm_access.core.discovery import load_platform_module
from scm_access.core.kinds import Platform
from scm_access.declarations.policy import Policy
from scm_access.errors import ExitCode
from scm_access.http import ApiClient
from scm_access.inventory.decisions.actors import perform_revocations, revocability
from scm_access.inventory.decisions.gate import gate_requests, gate_revocations
from scm_access.inventory.decisions.model import (
    ActResult,
    Outcome,
    RequestDecision,
    RevocationCandidate,
    RevocationProposal,
)
from scm_access.inventory.decisions.report import requests_document, revocations_document
from scm_access.inventory.decisions.requests import decide_requests
from scm_access.inventory.decisions.revocation import propose_revocations
from scm_access.inventory.model import SourceReport, SourceStatus
from scm_access.inventory.reader import InventoryContext
from scm_access.plan.slot import Slot


def requests_module_for(platform: Platform | str) -> ModuleType | None:
    return load_platform_module(Platform(platform).value, "token_requests")


@dataclass
class RequestsRun:
    decisions: list[tuple[RequestDecision, ActResult]] = field(default_factory=list)
    sources: list[SourceReport] = field(default_factory=list)

    def document(self, now: datetime, policy: Policy, apply: bool) -> dict[str, Any]:
        return requests_document(now, policy, apply, self.sources, self.decisions)

    @property
    def exit_code(self) -> ExitCode:
        """3 when a source could not be read or an act failed; 1 when a request is left pending (a dry run,
        advise, or undecided); 0 when nothing is pending, or everything decided was sent and accepted."""
        if any(s.status == SourceStatus.FAILED for s in self.sources) or any(
            r.outcome == Outcome.FAILED for _, r in self.decisions
        ):
            return ExitCode.UNKNOWN
        if any(r.outcome == Outcome.NOT_SENT for _, r in self.decisions):
            return ExitCode.ACTION_REQUIRED
        return ExitCode.OK


async def review_requests(
    slots: Sequence[Slot],
    policy: Policy,
    environ: Mapping[str, str],
    now: datetime,
    *,
    apply: bool,
    http: ApiClient,
    orgs: Sequence[str] = (),
    api_root: str | None = None,
) -> RequestsRun:
    run = RequestsRun()
    for platform in Platform:
        module = requests_module_for(platform)
        if module is None:
            continue
        ctx = InventoryContext.for_platform(
            platform, slots, http=http, environ=environ, policy=policy, now=now, api_root=api_root
        )
        missing = module.configured(environ)
        if missing is not None:
            run.sources.append(SourceReport(platform.value, "token_requests", SourceStatus.SKIPPED, missing))
            continue
        chosen = list(orgs) or module.declared_orgs(ctx)
        if not chosen:
            run.sources.append(
                SourceReport(platform.value, "token_requests", SourceStatus.SKIPPED, "no organisation declared (--org)")
            )
            continue
        requests, sources = await module.read_requests(ctx, chosen)
        run.sources += sources
        decisions = decide_requests(requests, ctx.slots, policy, now)
        gated = gate_requests(decisions, policy, apply=apply)
        to_send = [g.item for g in gated if g.send]
        sent = iter(await module.review(ctx, to_send) if to_send else [])
        for item in gated:
            result = next(sent) if item.send else ActResult(item.item.request.id, Outcome.NOT_SENT, item.why_not or "")
            run.decisions.append((item.item, result))
    return run


@dataclass
class RevocationsRun:
    acts: list[tuple[RevocationProposal, ActResult]] = field(default_factory=list)

    def document(self, now: datetime, policy: Policy, apply: bool) -> dict[str, Any]:
        return revocations_document(now, policy, apply, self.acts)

    @property
    def exit_code(self) -> ExitCode:
        """3 when a revocation failed; 1 when a proposal is left (not sent); 0 when there is none, or every
        one was sent and done."""
        if any(r.outcome == Outcome.FAILED for _, r in self.acts):
            return ExitCode.UNKNOWN
        if self.acts and any(r.outcome == Outcome.NOT_SENT for _, r in self.acts):
            return ExitCode.ACTION_REQUIRED
        return ExitCode.OK


async def revoke_candidates(
    candidates: Sequence[RevocationCandidate],
    slots: Sequence[Slot],
    policy: Policy,
    environ: Mapping[str, str],
    now: datetime,
    *,
    apply: bool,
    http: ApiClient,
    api_root: str | None = None,
) -> RevocationsRun:
    """Propose, gate and (where the gate lets through) revoke, each act through its platform's module."""
    proposals = propose_revocations(candidates, now, revocability)
    gated = gate_revocations(proposals, policy, apply=apply)

    def context_for(platform: Platform) -> InventoryContext:
        return InventoryContext.for_platform(
            platform, slots, http=http, environ=environ, policy=policy, now=now, api_root=api_root
        )

    return RevocationsRun(await perform_revocations(gated, context_for))
