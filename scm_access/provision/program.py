"""The Pulumi program: declarations → plan → one component per connection → stack outputs.

``__main__.py`` only calls :func:`run`. Stack outputs:

- ``<connection name>``: integration, owner, findings, instructions (Markdown with the pre-filled creation
  links), policy violations and what was provisioned;
- ``credentials``: minted secrets a person must hand to an integration, by connection and slot (secret);
- ``summary``: counts by strategy and by finding status, and which platforms were provisioned or skipped;
- ``undeclared`` (only when the stack reads the admin inventory): credentials that exist without a
  declaration, each with its problems.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import pulumi

from scm_access.declarations.access import SecretStore
from scm_access.declarations.policy import Policy
from scm_access.errors import DeclarationError, PolicyOverridesError
from scm_access.plan.planner import Plan, plan_folder
from scm_access.plan.slot import Slot, Strategy
from scm_access.provision import findings
from scm_access.provision.component import ConnectionComponent, ProgramContext
from scm_access.provision.providers import Providers
from scm_access.provision.removals import LEDGER_OUTPUT, REMOVALS_OUTPUT, previous_ledger, removals, warn_about
from scm_access.provision.settings import StackSettings, load_settings
from scm_access.verify.runner import SlotToken, missing_finding, slot_token, verify_all

RESERVED_OUTPUTS = frozenset({"summary", "credentials", LEDGER_OUTPUT, REMOVALS_OUTPUT})
INVENTORY_OUTPUT = "undeclared"


class InventorySeen(Protocol):
    """What the admin inventory gave the program (``scm_access.inventory.program``)."""

    @property
    def findings(self) -> Mapping[str, dict]:
        """Personal-token slots' findings by slot id, for the platforms it read."""

    @property
    def undeclared(self) -> Sequence[dict]: ...

    @property
    def sources(self) -> Sequence[dict]: ...

    @property
    def skipped(self) -> Sequence[str]: ...

    @property
    def decisions(self) -> Mapping[str, dict]:
        """Decision documents (token requests, revocation proposals) by stack output name."""


InventoryHook = Callable[[Sequence[Slot], Policy, date], "InventorySeen | None"]
"""Reads the admin inventory when the stack's config holds administrator credentials (None otherwise).
Handed in by ``__main__.py``: the provisioning flow does not import the inventory's."""


def run(
    program_dir: Path,
    *,
    environ: Mapping[str, str] | None = None,
    today: date | None = None,
    inventory: InventoryHook | None = None,
) -> None:
    environ = os.environ if environ is None else environ
    settings = load_settings(environ)
    root = program_dir / settings.declarations if settings.declarations else program_dir
    try:
        project, the_plan = plan_folder(
            root,
            policy_overrides=settings.policy_overrides,
            overrides_from="stack config scm-access:policy",
            today=today or date.today(),
        )
    except PolicyOverridesError as error:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) + f": {e['msg']}" for e in error.validation.errors())
        raise pulumi.RunError(f"scm-access: stack config scm-access:policy is not valid ({fields})") from None
    except DeclarationError as error:
        # One clear message naming the connection and the field; no traceback for a declaration mistake.
        raise pulumi.RunError(f"scm-access: the declarations are not valid:\n{error}") from None
    policy, connections = project.policy, project.connections
    clash = RESERVED_OUTPUTS & {c.name for c in connections}
    if clash:
        raise pulumi.RunError(f"scm-access: connection names {sorted(clash)} are reserved for stack outputs")

    seen = inventory(the_plan.slots, policy, the_plan.today) if inventory is not None else None
    taken = {INVENTORY_OUTPUT, *seen.decisions} & {c.name for c in connections} if seen is not None else set()
    if taken:
        raise pulumi.RunError(f"scm-access: the connection names {sorted(taken)} are reserved for stack outputs")
    providers = Providers(settings)
    # Each personal token is read from its variable once, for verification and for delivery.
    supplied = [slot_token(s, environ) for s in the_plan.slots if s.strategy == Strategy.USER_PAT]
    program = ProgramContext(
        providers=providers,
        policy=policy,
        today=the_plan.today,
        user_findings=_user_findings(supplied, policy, settings.verify),
        user_tokens=_user_tokens(supplied),
        inventory_findings=seen.findings if seen is not None else {},
    )
    by_connection = the_plan.by_connection()
    components = [
        ConnectionComponent(connection, by_connection.get(connection.name, []), program)
        for connection in connections
    ]
    for component in components:
        pulumi.export(component.connection.name, connection_output(component))
    handing = {c.connection.name: c.credentials for c in components if c.hands_over}
    pulumi.export("credentials", pulumi.Output.secret(pulumi.Output.all(**handing) if handing else {}))
    pulumi.export("summary", summary(the_plan, components, providers, settings, policy, seen))
    pulumi.export(LEDGER_OUTPUT, pulumi.Output.all(*(entry for c in components for entry in c.ledger)))
    if settings.read_previous_update:
        pulumi.export(REMOVALS_OUTPUT, _removals(components))
    if seen is not None:
        for line in seen.skipped:
            pulumi.log.info(f"scm-access inventory: {line}")
        pulumi.export(INVENTORY_OUTPUT, list(seen.undeclared))
        for name, document in seen.decisions.items():
            pulumi.export(name, document)


def _removals(components: list[ConnectionComponent]) -> pulumi.Output[list[dict]]:
    """What this update would delete that the previous one made, each said as a warning too."""
    made = {slot for c in components for slot in c.made}
    why_not = {slot: why for c in components for slot, why in c.not_made.items()}

    def compare(previous: Any) -> list[dict]:
        found = removals(previous, made, why_not)
        warn_about(found)
        return found

    return previous_ledger().apply(compare)


def connection_output(component: ConnectionComponent) -> dict[str, Any]:
    connection = component.connection
    return {
        "integration": connection.integration,
        "owner": connection.owner,
        "purpose": connection.purpose,
        "findings": component.findings,
        "instructions": component.instructions,
        "violations": [
            {"slot": s.id, "code": v.code, "severity": v.severity.value, "message": v.message}
            for s in component.slots
            for v in s.violations
        ],
        "provisioned": component.details,
        "held_back": component.held_back,
    }


def deletion(policy: Policy) -> str:
    """What removing a declaration does to its credentials, as the stack output says it."""
    if policy.allow_revocation is True:
        return (
            "follows the declarations: the policy allows revocation (allow_revocation), so `pulumi up` deletes"
            " the credentials of a removed declaration"
        )
    if policy.allow_revocation:
        allowed = ", ".join(str(item.value) for item in policy.allow_revocation)
        return (
            f"follows the declarations only for {allowed}: the policy allows revocation for those"
            " (allow_revocation), so `pulumi up` deletes their credentials when a declaration is removed; every"
            " other credential the stack made is protected, and removing its declaration stops `pulumi up`"
        )
    return (
        "held back: the policy does not allow revocation (allow_revocation), so every credential the stack made"
        " is protected; removing a declaration stops `pulumi up` with the resources it would delete, and"
        " nothing is deleted until the policy allows it"
    )


def summary(the_plan: Plan, components: list[ConnectionComponent], providers: Providers,
            settings: StackSettings, policy: Policy, seen: InventorySeen | None = None) -> pulumi.Output[dict]:
    strategies = Counter(s.strategy.value for s in the_plan.slots)
    platforms = {}
    for platform, platform_settings in settings.platforms.items():
        skipped = {k: v for k, v in providers.skipped.items() if k.split(":")[0] == platform.value}
        if skipped:
            platforms[platform.value] = "skipped: " + "; ".join(skipped.values())
        elif platform_settings.enabled:
            platforms[platform.value] = f"provisioning via {platform_settings.endpoint}"
        else:
            platforms[platform.value] = "not needed by any slot"

    def counts(all_findings: list[list[dict]]) -> dict[str, Any]:
        statuses = Counter(f["status"] for per_connection in all_findings for f in per_connection)
        return {
            "connections": len(components),
            "slots": len(the_plan.slots),
            "strategy": dict(sorted(strategies.items())),
            "provisioned_slots": sum(len(c.provisioned) for c in components),
            "resources": sum(len(c.resources) for c in components),
            "status": dict(sorted(statuses.items())),
            "policy_violations": {
                "error": sum(1 for _, v in the_plan.violations if v.severity == "error"),
                "warning": sum(1 for _, v in the_plan.violations if v.severity == "warning"),
            },
            "platforms": platforms,
            "deletion": deletion(policy),
            **({"inventory": {"sources": list(seen.sources), "undeclared": len(seen.undeclared)}} if seen is not None else {}),
        }

    return pulumi.Output.all(*(c.findings for c in components)).apply(counts)


def _user_findings(supplied: list[SlotToken], policy: Policy, verify: bool) -> dict[str, dict]:
    """Every personal-token slot's finding, by slot id, known before any resource is registered: delivering
    a token depends on it, and a preview shows it."""
    if not verify:
        return {i.slot.id: findings.missing(i.slot, "verification is off (scm-access:verify)") for i in supplied}
    if all(item.token is None and item.unusable is None for item in supplied):
        # Nothing to send: no HTTP client to start.
        return {item.slot.id: missing_finding(item.slot).model_dump(mode="json") for item in supplied}

    async def check_all():  # noqa: ANN202 - the findings of verify_all
        return await verify_all(supplied, policy=policy)

    # The program runs inside the Pulumi runtime's event loop: verify on a loop of its own, in a worker
    # thread, and wait (the HTTP layer bounds every request's time).
    with ThreadPoolExecutor(max_workers=1) as worker:
        found = worker.submit(asyncio.run, check_all()).result()
    return {item.slot.id: finding.model_dump(mode="json") for item, finding in zip(supplied, found, strict=True)}


def _user_tokens(supplied: list[SlotToken]) -> dict[str, pulumi.Output[str]]:
    """Personal tokens supplied to this run for slots that declare a secret store: delivered there."""
    return {
        item.slot.id: pulumi.Output.secret(item.token.reveal())
        for item in supplied
        if item.token is not None and isinstance(item.slot.delivery, SecretStore)
    }
