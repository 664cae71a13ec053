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
from datetime import UTC, date, datetime, time
from typing import Any

import pulumi

from scm_access.declarations.policy import Policy
from scm_access.judge import Fact, Finding, Observation, Source
from scm_access.judge import judge as judge_observations
from scm_access.judge import missing_finding
from scm_access.judge.remediation import RECONCILE
from scm_access.plan.slot import Slot
from scm_access.provision.resource_facts import datetime_of


__all__ = ["RECONCILE", "blocked", "judge", "missing", "observed_finding", "provider_observation"]

ProviderFacts = Mapping[str, Any]
"""What the provider reported for one resource of a slot, as a provisioner collects it after apply. Keys:
``scopes`` (list), ``expires_at`` (ISO date or date-time), ``active``, ``revoked``, ``read_only`` (bool, with
``wants_read_only``: what the declaration needs), ``exists`` (bool), ``owner`` (the account the credential
authenticates as), ``target`` (the repository or project the resource is for)."""

_REQUIRED_FACTS = {
    "scopes": Fact.SCOPES,
    "expires_at": Fact.EXPIRY,
    "read_only": Fact.READ_ONLY,
    "exists": Fact.EXISTS,
    "owner": Fact.OWNER,
}


def provider_observation(slot: Slot, seen: ProviderFacts | Observation, required: Sequence[str] = ()) -> Observation:
    """The provider's report on one resource as an :class:`Observation` (``required``: the facts it must
    carry for a verdict, by their report key)."""
    if isinstance(seen, Observation):
        return seen
    expires = seen.get("expires_at")
    scopes = seen.get("scopes")
    return Observation(
        source=Source.PROVIDER,
        kind=slot.kind,  # the resource type made it: its kind is the slot's
        owner_login=str(seen["owner"]) if seen.get("owner") else None,
        scopes_granted=list(scopes) if scopes is not None else None,
        expires_at=datetime_of(expires) if expires else None,
        active=seen.get("active"),
        revoked=seen.get("revoked"),
        read_only=None if seen.get("read_only") is None else bool(seen["read_only"]),
        wants_read_only=None if seen.get("wants_read_only") is None else bool(seen["wants_read_only"]),
        exists=seen.get("exists"),
        target=str(seen["target"]) if seen.get("target") else None,
        required=tuple(_REQUIRED_FACTS[key] for key in required),
    )


def judge(slot: Slot, observations: Sequence[ProviderFacts | Observation], *, policy: Policy, today: date,
          required: Sequence[str] = ()) -> Finding:
    """The finding for a provisioned slot, from its resources' reported facts, by the one judge.

    ``required`` names the facts every observation must carry for a verdict (e.g. ``scopes``)."""
    now = datetime.combine(today, time(), tzinfo=UTC)
    seen = [provider_observation(slot, item, required) for item in observations]
    return judge_observations(slot, seen, policy, now)


def observed_finding(slot: Slot, observations: Sequence[pulumi.Output[dict] | dict], *, policy: Policy,
                     today: date, required: Sequence[str] = ()) -> pulumi.Output[dict]:
    """:func:`judge` once every observation is known (after apply), as the JSON form of a Finding."""
    return pulumi.Output.all(*observations).apply(
        lambda seen: judge(slot, seen, policy=policy, today=today, required=required).model_dump(mode="json")
    )


def missing(slot: Slot, reason: str) -> dict:
    return missing_finding(slot, reason).model_dump(mode="json")


def blocked(slot: Slot) -> dict:
    """A slot the program does not provision because its plan breaks a policy rule: no credential exists."""
    broken = "; ".join(f"{v.code}: {v.message}" for v in slot.violations if v.severity == "error")
    return missing(
        slot, f"not provisioned: the plan breaks the credential policy ({broken}); fix the declaration"
    )
