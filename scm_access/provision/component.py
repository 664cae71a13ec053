"""One component per connection: its provisioned credentials as children, its findings and its
instructions as outputs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pulumi

from scm_access.declarations.access import SecretStore
from scm_access.declarations.connection import Connection
from scm_access.core.kinds import Platform
from scm_access.declarations.policy import Policy
from scm_access.instruct.build import instructions_for
from scm_access.instruct.handoff import as_instructions, build_handoff
from scm_access.instruct.model import Instructions
from scm_access.outputs.instructions import render_markdown
from scm_access.plan.slot import Slot, Strategy
from scm_access.provision import findings
from scm_access.provision.delivery import deliver, held_back, store_label
from scm_access.provision.removals import ledger_entry
from scm_access.provision.fallback import fallback_instructions
from scm_access.provision.model import CannotProvision, Credential, ProvisionContext, Provisioned
from scm_access.provision.providers import Providers

TYPE = "scm-access:index:Connection"

NOTHING_TO_DO = "No manual step: every credential of this connection is provisioned by the stack.\n"


@dataclass
class ProgramContext:
    """What every component shares: one set of providers, one policy, one day."""

    providers: Providers
    policy: Policy
    today: date
    user_findings: Mapping[str, dict]
    """Slot id → finding of every personal-token slot (verified together, program-wide, before any resource
    is registered: whether a token is delivered depends on it)."""
    user_tokens: Mapping[str, pulumi.Output[str]]
    """Slot id → a personal token supplied to this run, for delivery into a declared secret store."""
    inventory_findings: Mapping[str, dict] = field(default_factory=dict)
    """Slot id → the admin inventory's finding of a personal-token slot, when the stack reads the inventory:
    the finding the stack reports. Delivery of a supplied token still follows its own verification."""

    def protect(self, slot: Slot) -> bool:
        """A slot's credentials and their stored copies are protected from deletion unless the policy opts in
        for its platform and kind (allow_revocation): removing a declaration then stops `pulumi up` instead of
        deleting what an integration relies on."""
        return not self.policy.revocation_allowed(slot.platform, slot.kind)

    def default_owner(self, platform: Platform) -> str | None:
        return self.providers.settings.owner_of(platform)


class ConnectionComponent(pulumi.ComponentResource):
    findings: pulumi.Output[list]
    instructions: str
    credentials: pulumi.Output[dict]
    """Slot id → minted secrets (always a secret Output), for credentials a person must hand over."""
    details: dict[str, Any]

    def __init__(
        self,
        connection: Connection,
        slots: list[Slot],
        program: ProgramContext,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(TYPE, connection.name, None, opts)
        self.connection = connection
        self.slots = slots
        self.provisioned: list[Provisioned] = []
        self.delivered: list[pulumi.Resource] = []
        per_slot: list[pulumi.Output[dict] | dict] = []
        manual: list[Instructions] = []
        handed_over: dict[str, list[Credential]] = {}
        self.details = {}
        self.notes: list[str] = []
        self.held_back: list[dict[str, str]] = []
        """Personal tokens not written to their store, and why."""
        self.made: set[str] = set()
        """Slots whose credentials (or stored copies) this run makes."""
        self.ledger: list[pulumi.Output[dict]] = []
        """Each credential the stack made here, with what protects it (the stack's ledger)."""
        self.not_made: dict[str, str] = {}
        """Planned slots this run makes nothing for, and why (personal, refused, not provisioned)."""

        handoffs: list[Slot] = []
        # Holders of one declaration share its platform steps: built once, taken in slot order.
        personal = iter(instructions_for(slots))
        for slot in slots:
            if slot.strategy == Strategy.USER_PAT:
                self.not_made[slot.id] = (
                    "a personal token whose stored copy this run does not write (its token not supplied, or"
                    " held back by its verification)"
                )
                manual.append(next(personal))
                finding = program.user_findings[slot.id]
                per_slot.append(program.inventory_findings.get(slot.id, finding))
                token = program.user_tokens.get(slot.id)
                if token is not None:
                    self._deliver_personal(slot, token, finding, program)
                continue
            if slot.blocking:
                self.not_made[slot.id] = "the policy refuses its declaration"
                per_slot.append(findings.blocked(slot))
                continue
            available = program.providers.for_slot(slot)
            provisioner = available.provisioner
            if available.provider is None or provisioner is None:
                self.not_made[slot.id] = f"not provisioned this run: {available.reason}"
                per_slot.append(findings.missing(slot, f"not provisioned: {available.reason}"))
                manual.append(fallback_instructions(slot, available.reason, program.default_owner(slot.platform)))
                continue
            ctx = ProvisionContext(
                parent=self,
                provider=available.provider,
                policy=program.policy,
                today=program.today,
                tls=program.providers.tls() if provisioner.uses_key_pairs else None,
                default_owner=program.default_owner(slot.platform),
                protect=program.protect(slot),
            )
            try:
                result = provisioner.provision(slot, ctx)
            except CannotProvision as refusal:  # the declaration lacks what this kind needs: instruct
                reason = f"cannot provision a {slot.kind.label}: {refusal}"
                pulumi.log.warn(f"scm-access: {slot.id}: {reason}", resource=self)
                self.not_made[slot.id] = reason
                per_slot.append(findings.missing(slot, reason))
                manual.append(fallback_instructions(slot, reason, program.default_owner(slot.platform)))
                continue
            self.provisioned.append(result)
            handoffs.append(slot)
            per_slot.append(result.finding)
            self.details[slot.id] = {"kind": slot.kind.value, **result.details}
            before = len(self.delivered)
            delivered = self._deliver(slot, result.credentials, program)
            self._record(slot, [*result.resources, *self.delivered[before:]], program)
            if not delivered:
                # Nobody but a person can carry it to the integration: export it (secret) for them.
                handed_over[slot.id] = result.credentials

        # Every credential the stack made gets its hand-off: where it lands, or how a person carries it.
        manual += [
            as_instructions(
                build_handoff(slot, rotate_before_days=program.policy.rotate_before_days, today=program.today,
                              store_label=store_label, stored=slot.id not in handed_over),
                slot,
            )
            for slot in handoffs
        ]
        self.hands_over = bool(handed_over)
        self.findings = pulumi.Output.all(*per_slot).apply(list)
        self.instructions = render_markdown(manual) if manual else NOTHING_TO_DO
        if self.notes:
            self.instructions += "\n**Delivery**\n\n" + "\n".join(f"- {n}" for n in self.notes) + "\n"
        self.credentials = pulumi.Output.secret(
            pulumi.Output.all(**{slot_id: _credential_map(creds) for slot_id, creds in handed_over.items()})
            if handed_over
            else {}
        )
        self.register_outputs(
            {"findings": self.findings, "instructions": self.instructions, "credentials": self.credentials}
        )

    def _deliver_personal(self, slot: Slot, token: pulumi.Output[str], finding: dict, program: ProgramContext) -> None:
        """A person's token goes into the declared store only when its finding allows it; else the stack
        output says why it was held back."""
        reason = held_back(finding, program.policy)
        if reason is None:
            before = len(self.delivered)
            self._deliver(slot, [Credential("token", token)], program)
            if self.delivered[before:]:
                self._record(slot, self.delivered[before:], program)
            return
        store = slot.delivery
        where = f"{store_label(store.store)} **{store.name}**" if isinstance(store, SecretStore) else "its store"
        self.held_back.append({"slot": slot.id, "store": where, "reason": reason})
        self.notes.append(
            f"The token of {slot.holder} was not written to {where}: {reason}. Fix what the finding says and"
            " run `pulumi up` again."
        )

    def _record(self, slot: Slot, resources: list[pulumi.Resource], program: ProgramContext) -> None:
        self.ledger.append(ledger_entry(slot, resources, program.protect(slot)))
        self.made.add(slot.id)

    def _deliver(self, slot: Slot, credentials: list[Credential], program: ProgramContext) -> bool:
        """True when every credential reached the declared store."""
        result = deliver(slot, credentials, program.providers, self, protect=program.protect(slot))
        self.notes += result.notes
        self.delivered += result.resources
        return bool(result.resources) and not result.notes

    @property
    def resources(self) -> list[pulumi.Resource]:
        """Every provider resource this connection owns: credentials and their deliveries."""
        return [r for p in self.provisioned for r in p.resources] + self.delivered


def _credential_map(credentials: list[Credential]) -> pulumi.Output[dict]:
    values: dict[str, Any] = {}
    for credential in credentials:
        key = credential.name if credential.target is None else f"{credential.name}:{credential.target}"
        values[key] = credential.value
        if credential.username is not None:
            values[key.replace(credential.name, "username", 1)] = credential.username
    return pulumi.Output.all(**values)
