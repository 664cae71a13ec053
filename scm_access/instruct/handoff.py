"""Hand-offs: what happens to a credential the stack makes, for the people who use it.

Every provisioned slot gets one: a credential delivered to a secret store says where it lands and when the
stack writes a new one there; one a person must paste into an integration gives the command that copies it
from the stack without showing it, where to paste it, and that each rotation means pasting again; an
identity without a secret says there is nothing to hand over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scm_access.declarations.access import IntegrationField, SecretStore
from scm_access.instruct.model import Instructions, Section, Step
from scm_access.instruct.shell import command
from scm_access.plan.generations import next_rotation, rotation_window
from scm_access.plan.slot import Slot, Strategy
from scm_access.platforms.registry import all_platforms, get_platform

CREDENTIALS_OUTPUT = "credentials"
"""The stack output that holds, as a secret, what a person must carry to an integration."""

CLIPBOARD = "pbcopy"
"""The clipboard command in the printed command (macOS); the steps name the others."""
OTHER_CLIPBOARDS = "on Linux pipe into `xclip -selection clipboard` (or `wl-copy`), on Windows into `clip`"


@dataclass(frozen=True, slots=True)
class HandOff:
    slot: str
    connection: str
    integration: str
    holder: str
    kind_label: str
    title: str
    store: str | None
    """Where the stack writes it (store, name, repository or project); None when a person carries it."""
    paste_into: str | None
    """The integration's form and field a person pastes it into, where the declaration names one."""
    read_command: str | None
    """Copies it from the stack's secret output to the clipboard, never onto the screen."""
    rotation: str
    """When the stack puts a new one in place, in one sentence."""
    next_rotation: date | None
    next_rotation_exact: bool = True
    """False for a provider-rotated kind: the date holds for a credential made on the day of the plan."""
    steps: list[Step] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = {name: getattr(self, name) for name in self.__slots__}
        data["next_rotation"] = self.next_rotation.isoformat() if self.next_rotation else None
        data["steps"] = [{"text": s.text, "link": s.link, "items": list(s.items)} for s in self.steps]
        return data


StoreLabel = Callable[[str], str]


def store_phrase(store: str) -> str:
    """A secret store as people know it, from the platform that hosts it."""
    return next((p.secret_stores[store] for p in all_platforms() if store in p.secret_stores), "secret store")


def handoffs_for(
    slots: list[Slot], *, rotate_before_days: int, today: date, store_label: StoreLabel | None = None
) -> list[HandOff]:
    """A hand-off for every slot the stack provisions (and none for a slot the policy blocks)."""
    label = store_label or store_phrase
    return [
        build_handoff(slot, rotate_before_days=rotate_before_days, today=today, store_label=label)
        for slot in slots
        if slot.strategy == Strategy.PROVISION and not slot.blocking
    ]


def build_handoff(
    slot: Slot, *, rotate_before_days: int, today: date, store_label: StoreLabel, stored: bool = True
) -> HandOff:
    """``stored``: False when the stack could not write to the declared store (a person carries it then)."""
    spec = slot.kind.spec
    title = f"{slot.integration}: {slot.kind.label} for {slot.holder}, made by the stack"
    common: dict[str, Any] = dict(
        slot=slot.id, connection=slot.connection, integration=slot.integration, holder=slot.holder,
        kind_label=slot.kind.label, title=title,
    )
    if not spec.carries_secret:
        return HandOff(
            **common, store=None, paste_into=None, read_command=None,
            rotation="nothing rotates: it holds no secret", next_rotation=None,
            steps=[Step(text=f"Nothing to hand over or rotate: {slot.integration} authenticates as this identity"
                        " with short-lived tokens issued on demand; it holds no secret.")],
        )
    when = next_rotation(slot, rotate_before_days, today)
    rotation = _rotation_sentence(slot, rotate_before_days, when)
    delivery = slot.delivery
    if stored and isinstance(delivery, SecretStore) and delivery.store != "external":
        where = f"{store_label(delivery.store)} **{delivery.name}**" + (
            f" in **{delivery.repository}**" if delivery.repository else ""
        )
        return HandOff(
            **common, store=where, paste_into=None, read_command=None, rotation=rotation,
            next_rotation=when[0] if when else None, next_rotation_exact=when[1] if when else True,
            steps=[
                Step(text=f"The stack writes it to {where}, as a secret: nothing to copy or paste;"
                     f" {slot.integration} reads it from there."),
                Step(text=f"{rotation[0].upper()}{rotation[1:]}; the stack writes the new one to the same place.")
            ],
        )
    targets = get_platform(slot.platform).credential_targets(slot)
    reads = [read_command(slot, target) for target in targets] or [read_command(slot)]
    paste = (
        f"{delivery.location} → **{delivery.field}**" if isinstance(delivery, IntegrationField) else None
    )
    username = " (and its user name, under `username`)" if spec.form == "token" and not spec.api_access else ""
    several = (
        f" The stack makes one for each of {', '.join(f'**{t}**' for t in targets)}: the commands below take them"
        " in that order; copy and paste one at a time."
        if targets else ""
    )
    steps = [
        Step(text="After `pulumi up`, copy it from the stack to the clipboard: it is never shown on the screen"
             f" nor kept in the shell's history{username}.{several}", items=[f"`{read}`" for read in reads]),
        Step(text=f"No `{CLIPBOARD}`? {OTHER_CLIPBOARDS[0].upper()}{OTHER_CLIPBOARDS[1:]}."),
        Step(text=f"Paste it into {slot.integration}: {paste}." if paste
             else f"Give it to {slot.integration} where it expects it; then clear the clipboard."),
        Step(text=f"{rotation[0].upper()}{rotation[1:]}. Each rotation means copying and pasting again"
             + (f": next on **{when[0].isoformat()}**." if when and when[1] else
                f": from **{when[0].isoformat()}** for one made today." if when else ".")),
    ]
    return HandOff(
        **common, store=None, paste_into=paste, read_command=reads[0], rotation=rotation,
        next_rotation=when[0] if when else None, next_rotation_exact=when[1] if when else True, steps=steps,
    )


def read_command(slot: Slot, target: str | None = None) -> str:
    """``pulumi stack output credentials --show-secrets --json | jq … | pbcopy`` for the slot's credential
    (the one made for ``target``, where it made several): every argument quoted, the secret going from the
    stack to the clipboard only."""
    key = credential_key(slot) + (f":{target}" if target else "")
    stack = command("pulumi", "stack", "output", CREDENTIALS_OUTPUT, "--show-secrets", "--json")
    pick = command("jq", "-j", "--arg", "c", slot.connection, "--arg", "s", slot.id, "--arg", "k", key,
                   ".[$c][$s][$k]")
    return f"{stack} | {pick} | {CLIPBOARD}"


def credential_key(slot: Slot) -> str:
    """The credential's key in the slot's entry of the ``credentials`` output; a slot that made several (one
    per repository) has one per target, ``<key>:<target>``."""
    return "private_key" if slot.kind.spec.form == "ssh_key" else "token"


def _rotation_sentence(slot: Slot, rotate_before_days: int, when: tuple[date, bool] | None) -> str:
    spec = slot.kind.spec
    if when is None:
        return "the stack does not rotate it"
    window = rotation_window(slot, rotate_before_days)
    if spec.rotates:
        return (f"the stack rotates it at the first `pulumi up` from {window} days before it expires (it lives"
                f" {slot.lifetime_days} days)")
    if spec.expires:
        return (f"the stack replaces it {window} days before it expires (it lives {slot.lifetime_days} days),"
                f" on the next `pulumi up` from {when[0].isoformat()}")
    return f"the stack replaces it every {slot.lifetime_days} days, on the next `pulumi up` from {when[0].isoformat()}"


def as_instructions(handoff: HandOff, slot: Slot, *, notes: tuple[str, ...] = ()) -> Instructions:
    """The hand-off as a section of the connection's page, for the renderers of instructions."""
    from scm_access.instruct.build import assemble, scope_lines  # build imports this module: load on use

    spec = get_platform(slot.platform)
    return assemble(
        slot,
        platform_name=spec.display_name,
        host=spec.web_url(slot.access),
        creation_link=None,
        scopes=scope_lines(slot),
        steps=list(handoff.steps),
        notes=[f"Plan: {slot.reason}.", *notes],
        verify_command=command("pulumi", "stack", "output", slot.connection, "--json"),
        title_suffix=" (made by the stack: hand-off)",
        section=Section.HANDOFF,
        expiry=handoff_expiry(handoff, slot),
    )


def handoff_expiry(handoff: HandOff, slot: Slot) -> str:
    """The credential's life as a page's facts say it: nobody picks a date for what the stack makes."""
    spec = slot.kind.spec
    if not spec.carries_secret:
        return "no secret"
    when = handoff.next_rotation
    if when is None:
        return f"{slot.lifetime_days} days" if spec.expires else "no expiry"
    life = f"lives {slot.lifetime_days} days" if spec.expires else "no expiry"
    new = "next new one" if handoff.next_rotation_exact else "new one"
    return f"{life}; {new} from {when.isoformat()}" + ("" if handoff.next_rotation_exact else " (if made today)")
