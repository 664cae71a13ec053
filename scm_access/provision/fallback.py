"""Instructions for an org-managed slot the stack cannot provision (no credentials for the platform, another
host): how to let the stack do it, and the same credential made by hand."""

from __future__ import annotations

from scm_access.declarations.connection import AzureDevOpsAccess
from scm_access.declarations.kinds import Platform
from scm_access.instruct.model import Instructions, ScopeLine, Step
from scm_access.plan.slot import Slot
from scm_access.platforms import get_platform
from scm_access.platforms.azure_devops import provision as azure_devops
from scm_access.platforms.github import provision as github
from scm_access.platforms.gitlab import provision as gitlab


def fallback_instructions(slot: Slot, reason: str, default_owner: str | None = None) -> Instructions:
    spec = get_platform(slot.platform)
    web = slot.base_url or spec.cloud_web_url
    if slot.platform == Platform.GITLAB:
        link, steps = gitlab.manual_link(slot, web, default_owner), gitlab.manual_steps(slot, web, default_owner)
    elif slot.platform == Platform.GITHUB:
        link, steps = github.manual_link(slot, web, default_owner), github.manual_steps(slot, web, default_owner)
    elif slot.platform == Platform.AZURE_DEVOPS and isinstance(slot.access, AzureDevOpsAccess):
        web = spec.web_url(slot.access)
        link, steps = azure_devops.manual_link(slot, web), azure_devops.manual_steps(slot, web)
    else:
        link, steps = None, []
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
