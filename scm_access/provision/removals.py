"""Which credentials a change would delete, and what stops it.

A Pulumi program cannot read its own state. It can read the outputs its stack exported at the last update:
a ``StackReference`` to its own stack. So every update exports a ledger (:data:`LEDGER_OUTPUT`) of the
credentials the stack made — per slot: the kind, the resources' URNs, whether they are protected and what
removing the declaration does — and the next run, preview included, compares that ledger with what it makes
now. A slot in the ledger that this run does not make (its declaration removed, turned into a personal
token, or its platform not configured this time) is a credential the update would delete: the run says so
in a warning and in :data:`REMOVALS_OUTPUT`, with whether the deletion is held back (the resources are
protected: `pulumi up` stops at them and deletes nothing) or goes ahead (the policy allows revocation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from scm_access.plan.slot import Slot

LEDGER_OUTPUT = "stack_credentials"
"""Every credential the stack made, by slot, with what protects it (not secret: no credential in it)."""
REMOVALS_OUTPUT = "removals"
"""What this update would delete that the previous one made, and whether it is held back."""

HELD_BACK = "held back"
DELETED = "deleted"


def on_removal(slot: Slot, protected: bool) -> str:
    """What removing the slot's declaration does to what the stack made for it, in one sentence."""
    if protected:
        return (
            f"{HELD_BACK}: its resources are protected (the policy does not allow revocation), so `pulumi up`"
            " stops at them and deletes nothing; restore the declaration, or allow revocation to delete them"
        )
    return (
        f"{DELETED}: the next `pulumi up` deletes its resources (the policy allows revocation), revoking the"
        f" {slot.kind.label}: {slot.integration} loses the access it gave"
    )


def ledger_entry(slot: Slot, resources: Sequence[pulumi.Resource], protected: bool) -> pulumi.Output[dict]:
    """One slot's line of the ledger; the URNs are what `pulumi state unprotect` takes, and each resource's
    provider id (``ids``, by URN) is how `scm-access inventory --stack-outputs` knows the credentials the
    stack made (a token's or a key's id is the last part of it)."""
    custom = [r for r in resources if isinstance(r, pulumi.CustomResource)]
    return pulumi.Output.all(
        urns=pulumi.Output.all(*(r.urn for r in resources)),
        custom_urns=pulumi.Output.all(*(r.urn for r in custom)),
        ids=pulumi.Output.all(*(r.id for r in custom)),
    ).apply(
        lambda made: {
            "slot": slot.id,
            "connection": slot.connection,
            "platform": slot.platform.value,
            "holder": slot.holder,
            "kind": slot.kind.label,
            "resources": list(made["urns"]),
            "ids": {urn: str(id) for urn, id in zip(made["custom_urns"], made["ids"]) if id},
            "protected": protected,
            "on_removal": on_removal(slot, protected),
        }
    )


def previous_ledger() -> pulumi.Output[Any]:
    """The ledger the stack exported at its last update (None before the first, or from an older version)."""
    stack = f"{pulumi.get_organization()}/{pulumi.get_project()}/{pulumi.get_stack()}"
    return pulumi.StackReference("scm-access-previous-update", stack_name=stack).get_output(LEDGER_OUTPUT)


def removals(previous: Any, made: set[str], why_not: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each slot the previous update made and this one does not, with why and what happens to it.

    ``made``: slots whose credentials this run makes; ``why_not``: why a planned slot is not made this run
    (a personal token now, refused by the policy, its platform not configured); a slot in neither is no
    longer declared. Whether a deletion is held back is the protection the previous update gave: the engine
    deletes what the program no longer registers with the options in its state."""
    if not isinstance(previous, list):
        return []
    found = []
    for entry in previous:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("slot"), str) or entry["slot"] in made:
            continue
        slot = entry["slot"]
        resources = [str(r) for r in entry.get("resources") or [] if isinstance(r, str)]
        was_protected = entry.get("protected") is True
        held = was_protected
        found.append(
            {
                "slot": slot,
                "kind": str(entry.get("kind", "")),
                "connection": str(entry.get("connection", "")),
                "why": why_not.get(slot, "no longer declared"),
                "resources": resources,
                "outcome": HELD_BACK if held else DELETED,
                "what_happens": (
                    "`pulumi up` stops at these protected resources and deletes nothing. Keep them: restore the"
                    " declaration. Delete them: allow revocation in the policy (allow_revocation), or run"
                    " `pulumi state unprotect` on each URN, then `pulumi up`."
                    if held
                    else "`pulumi up` deletes these resources: the credential is revoked where it was made, and"
                    " its stored copies are removed."
                ),
            }
        )
    return found


def warn_about(found: list[dict[str, Any]]) -> None:
    """One warning per credential the update would delete, in preview and update alike."""
    for removal in found:
        pulumi.log.warn(
            f"scm-access: {removal['slot']}: the previous update made a {removal['kind']}"
            f" ({len(removal['resources'])} resource(s)); this run does not ({removal['why']}): deletion"
            f" {removal['outcome']}. {removal['what_happens']}"
        )
