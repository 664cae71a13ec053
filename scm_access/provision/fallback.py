"""Instructions for an org-managed slot the stack cannot provision (no credentials for the platform, another
host): how to let the stack do it, and the same credential made by hand."""

from __future__ import annotations

from scm_access.instruct.model import Instructions, ScopeLine, Step
from scm_access.plan.slot import Slot
from scm_access.platforms import get_platform
from scm_access.provision.provisioner import provisioner_for


def fallback_instructions(slot: Slot, reason: str, default_owner: str | None = None) -> Instructions:
    spec = get_platform(slot.platform)
    provisioner = provisioner_for(slot.platform)
    web = spec.web_url(slot.access)
    link, steps = provisioner.manual(slot, default_owner) if provisioner else (None, [])
    catalog = spec.catalog
    return Instructions(
        slot=slot.id,
        connection=slot.connection,
        integration=slot.integration,
        platform=slot.platform.value,
        platform_name=spec.display_name,
        holder=slot.holder,
        kind=slot.kind.value,
        kind_label=slot.kind.label,
        title=f"{slot.integration} on {spec.display_name}: {slot.kind.label} for {slot.holder} (not provisioned)",
        host=web,
        token_name=slot.token_name,
        expires_at=slot.expires_at,
        lifetime_days=slot.lifetime_days,
        creation_link=link,
        scopes=[
            ScopeLine(name=s, label=catalog.label(s), group=catalog[s].group)
            if s in catalog
            else ScopeLine(name=s, label=s)
            for s in slot.scopes
        ],
        steps=[
            Step(text=f"Preferably let the stack create and rotate it: {reason}; then run `pulumi up`."),
            Step(text="Or by hand, with exactly this access:"),
            *steps,
        ],
        notes=[f"Plan: {slot.reason}.", *(f"Policy: {v.message}" for v in slot.violations)],
        verify_command="pulumi refresh && pulumi stack output",
        token_env_var=slot.token_env_var,
    )
