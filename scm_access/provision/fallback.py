"""Instructions for an org-managed slot the stack cannot provision (no credentials for the platform, another
host): how to let the stack do it, and the same credential made by hand."""

from __future__ import annotations

from scm_access.instruct.build import assemble, scope_lines
from scm_access.instruct.model import Instructions, Step
from scm_access.plan.slot import Slot
from scm_access.platforms.registry import get_platform
from scm_access.provision.provisioner import provisioner_for


def fallback_instructions(slot: Slot, reason: str, default_owner: str | None = None) -> Instructions:
    spec = get_platform(slot.platform)
    provisioner = provisioner_for(slot.platform)
    link, steps = provisioner.manual(slot, default_owner) if provisioner else (None, [])
    return assemble(
        slot,
        platform_name=spec.display_name,
        host=spec.web_url(slot.access),
        creation_link=link,
        scopes=scope_lines(slot),
        steps=[
            Step(text=f"Preferably let the stack create and rotate it: {reason}; then run `pulumi up`."),
            Step(text="Or by hand, with exactly this access:"),
            *steps,
        ],
        notes=[f"Plan: {slot.reason}.", *(f"Policy: {v.message}" for v in slot.violations)],
        verify_command="pulumi refresh && pulumi stack output",
        title_suffix=" (not provisioned)",
    )
