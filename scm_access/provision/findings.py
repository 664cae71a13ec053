"""Findings for the program's outputs.

- A provisioned slot is judged on what the provider reports after apply (scopes, expiry, active/revoked,
  read-only): the provider's read of the platform is the inventory. Fail closed: a fact the provider did
  not report makes the finding ``unknown``, never ``ok``.
- A slot on a platform the stack does not provision is ``missing``, with the reason and how to enable it.
- A personal-token slot is verified when its token is in the environment of the run
  (``SCM_ACCESS_TOKEN__…``), with the same verifiers as ``scm-access verify``; otherwise ``missing``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pulumi

from scm_access.declarations.policy import Policy
from scm_access.plan.slot import Slot
from scm_access.platforms import get_platform
from scm_access.provision.resource_facts import datetime_of
from scm_access.verify.finding import Finding, ObservedFacts, Problem, ProblemCode, Status, status_for

if TYPE_CHECKING:
    from scm_access.verify.runner import SlotToken

RECONCILE = "Run `pulumi up` for this stack: it re-creates or rotates the credential to match the declaration."

Observation = Mapping[str, Any]
"""What the provider reported for one resource of a slot. Keys a provisioner may set: ``scopes``
(list), ``expires_at`` (ISO date or date-time), ``active``, ``revoked``, ``read_only`` (bool, with
``wants_read_only``: what the declaration needs),
``exists`` (bool), ``owner`` (the account the credential authenticates as), ``target`` (the repository or
project the resource is for)."""


def judge(slot: Slot, observations: Sequence[Observation], *, policy: Policy, today: date,
          required: Sequence[str]) -> Finding:
    """The finding for a provisioned slot, from its resources' reported facts.

    ``required`` names the facts every observation must carry for a verdict (e.g. ``scopes``)."""
    problems: list[Problem] = []
    granted: set[str] = set()
    latest: datetime | None = None
    for seen in observations:
        where = f" ({seen['target']})" if seen.get("target") else ""
        absent = [key for key in required if seen.get(key) is None]
        if absent:
            problems.append(
                Problem(
                    code=ProblemCode.NOT_OBSERVABLE,
                    detail=f"the provider did not report {', '.join(absent)}{where}; nothing was concluded",
                )
            )
            continue
        if seen.get("revoked") is True:
            problems.append(_problem(ProblemCode.REVOKED, f"the credential was revoked{where}"))
        elif seen.get("active") is False:
            problems.append(_problem(ProblemCode.EXPIRED, f"the credential is no longer active{where}"))
        if "scopes" in seen and seen["scopes"] is not None:
            granted |= set(seen["scopes"])
            problems += _scope_problems(slot, set(seen["scopes"]), where)
        if "read_only" in seen and seen["read_only"] is not None:
            problems += _read_only_problems(bool(seen["read_only"]), bool(seen["wants_read_only"]), where)
        if seen.get("expires_at"):
            expires = datetime_of(seen["expires_at"])
            latest = max(latest, expires) if latest else expires
            problems += _expiry_problems(slot, expires, policy, today, where)
    return Finding(
        slot=slot.id,
        connection=slot.connection,
        platform=slot.platform.value,
        holder=slot.holder,
        status=status_for(problems),
        problems=problems,
        facts=ObservedFacts(
            token_kind=slot.kind.value,
            # Only what the provider reported: the declared holder is a name, not an observed account.
            owner_login=next((str(seen["owner"]) for seen in observations if seen.get("owner")), None),
            scopes_granted=sorted(granted) if granted else None,
            expires_at=latest,
        ),
        reason=None if not problems else "; ".join(p.detail for p in problems),
    )


def observed_finding(slot: Slot, observations: Sequence[pulumi.Output[dict] | dict], *, policy: Policy,
                     today: date, required: Sequence[str] = ()) -> pulumi.Output[dict]:
    """:func:`judge` once every observation is known (after apply), as the JSON form of a Finding."""
    return pulumi.Output.all(*observations).apply(
        lambda seen: judge(slot, seen, policy=policy, today=today, required=required).model_dump(mode="json")
    )


def missing(slot: Slot, reason: str) -> dict:
    return Finding(
        slot=slot.id,
        connection=slot.connection,
        platform=slot.platform.value,
        holder=slot.holder,
        status=Status.MISSING,
        reason=reason,
    ).model_dump(mode="json")


def blocked(slot: Slot) -> dict:
    """A slot the program does not provision because its plan breaks a policy rule: no credential exists."""
    broken = "; ".join(f"{v.code}: {v.message}" for v in slot.violations if v.severity == "error")
    return missing(
        slot, f"not provisioned: the plan breaks the credential policy ({broken}); fix the declaration"
    )


def verified(items: Sequence[SlotToken], policy: Policy) -> dict[str, pulumi.Output[dict] | dict]:
    """Personal-token slots, by slot id: verified where a token was supplied, else ``missing``.

    The verifiers run inside the program's event loop (an awaitable becomes an Output), all slots together,
    so a stack with many tokens checks them concurrently, bounded by the HTTP layer."""
    from scm_access.verify.runner import missing_finding, verify_all

    to_verify = [item for item in items if item.token is not None or item.unusable is not None]
    found: dict[str, pulumi.Output[dict] | dict] = {
        item.slot.id: missing_finding(item.slot).model_dump(mode="json")
        for item in items
        if item.token is None and item.unusable is None
    }
    if not to_verify:
        return found

    async def run() -> list[dict]:
        return [f.model_dump(mode="json") for f in await verify_all(to_verify, policy=policy)]

    results = pulumi.Output.from_input(run())
    for index, item in enumerate(to_verify):
        found[item.slot.id] = results.apply(lambda all_found, index=index: all_found[index])
    return found


# -- checks ---------------------------------------------------------------------------------------


def _problem(code: ProblemCode, detail: str) -> Problem:
    return Problem(code=code, detail=detail, remediation=[RECONCILE])


def _scope_problems(slot: Slot, granted: set[str], where: str) -> list[Problem]:
    catalog = get_platform(slot.platform).catalog
    if all(s in catalog for s in granted | set(slot.scopes)):
        comparison = catalog.compare(granted, slot.scopes)
        missing_scopes, excess = comparison.missing, comparison.excess
    else:
        missing_scopes, excess = set(slot.scopes) - granted, granted - set(slot.scopes)
    problems = []
    if missing_scopes:
        problems.append(_problem(ProblemCode.MISSING_SCOPE, f"missing {_names(missing_scopes)}{where}"))
    if excess:
        problems.append(_problem(ProblemCode.EXCESS_SCOPE, f"grants more than declared: {_names(excess)}{where}"))
    return problems


def _read_only_problems(read_only: bool, wants_read_only: bool, where: str) -> list[Problem]:
    if read_only and not wants_read_only:
        return [_problem(ProblemCode.MISSING_SCOPE, f"the key is read-only but write access is declared{where}")]
    if not read_only and wants_read_only:
        return [_problem(ProblemCode.EXCESS_SCOPE, f"the key can push but only read access is declared{where}")]
    return []


def _expiry_problems(slot: Slot, expires: datetime, policy: Policy, today: date, where: str) -> list[Problem]:
    days = (expires.date() - today).days
    if days < 0:
        return [_problem(ProblemCode.EXPIRED, f"expired on {expires.date().isoformat()}{where}")]
    if days > slot.lifetime_days:
        return [
            _problem(
                ProblemCode.EXPIRES_TOO_LATE,
                f"expires on {expires.date().isoformat()}, {days} days away; the slot allows"
                f" {slot.lifetime_days}{where}",
            )
        ]
    # The stack replaces or rotates its credentials itself on `pulumi up`; a person is needed only once
    # the rotation window is reached and no run has rotated it yet.
    if days <= policy.rotate_before_days:
        return [
            _problem(
                ProblemCode.EXPIRES_SOON,
                f"expires on {expires.date().isoformat()}, in {days} days, and rotation is due{where}",
            )
        ]
    return []


def _names(scopes: set[str] | frozenset[str]) -> str:
    return ", ".join(f"`{s}`" for s in sorted(scopes))
