"""Build the manual steps for a user-PAT slot: prerequisites, the platform's own steps, delivery into the
integration, and the command that verifies the result."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import quote

from scm_access.declarations.access import (
    GroupMembership,
    IntegrationField,
    PublicOrgMembership,
    RepositoryPermission,
    SamlSsoAuthorization,
    SecretStore,
)
from scm_access.instruct.handoff import as_instructions, build_handoff, store_phrase
from scm_access.instruct.model import Instructions, ScopeLine, Section, Step
from scm_access.instruct.shell import command
from scm_access.plan.planner import article
from scm_access.plan.slot import Slot, Strategy
from scm_access.platforms.registry import get_platform
from scm_access.rules import Severity
from scm_access.validate import kind_named


def build_instructions(slot: Slot, *, project: str | None = None) -> Instructions:
    return _for_holder(slot, _SharedParts.of(slot), project)


def creation_steps(slot: Slot) -> list[Step]:
    """The steps that make the slot's token and hand it over (prerequisites, the platform's own steps,
    delivery), without the final check: what a finding's remediation repeats."""
    return list(_SharedParts.of(slot).steps)


def instructions_for(slots: list[Slot], *, project: str | None = None) -> list[Instructions]:
    """Instructions for every user-PAT slot. Holders of one declaration share everything but their
    identity and verify command, so the platform's steps are built once per declaration.

    ``project``: the declarations' folder, named in the verify command so that it works from any folder."""
    shared: dict[int, _SharedParts] = {}
    return [_personal(slot, shared, project) for slot in slots if slot.strategy == Strategy.USER_PAT]


def sections_for(
    slots: list[Slot], *, rotate_before_days: int, today: date, project: str | None = None
) -> list[Instructions]:
    """A page section for every slot, in slot order: the steps to create a personal token; for a credential
    the stack makes, its hand-off (where it lands, or how a person carries it, and when again); for one the
    policy stops, what to fix.

    Without the stack at hand, a hand-off assumes the stack can write to the declared store; its notes say
    what happens when it cannot."""
    shared: dict[int, _SharedParts] = {}
    sections = []
    for slot in slots:
        if slot.strategy == Strategy.USER_PAT:
            sections.append(_personal(slot, shared, project))
        elif slot.blocking:
            sections.append(blocked_section(slot))
        else:
            handoff = build_handoff(slot, rotate_before_days=rotate_before_days, today=today, store_label=store_phrase)
            notes = (_UNSTORED_NOTE.format(connection=shlex.quote(slot.connection)),) if handoff.store else ()
            sections.append(as_instructions(handoff, slot, notes=notes))
    return sections


_UNSTORED_NOTE = (
    "The stack writes to the store only with credentials for the platform that hosts it; without them it"
    " keeps the credential as a secret output instead, and `pulumi stack output {connection}` says how to"
    " store it yourself."
)


def blocked_section(slot: Slot) -> Instructions:
    """A slot the stack would make but the policy refuses: nothing is made until the declaration changes."""
    spec = get_platform(slot.platform)
    problems = [f"`{v.code}`: {v.message}" for v in slot.violations if v.severity == Severity.ERROR]
    return assemble(
        slot,
        platform_name=spec.display_name,
        host=spec.web_url(slot.access),
        creation_link=None,
        scopes=scope_lines(slot),
        steps=[
            Step(
                text="The stack does not make this credential: the policy refuses its declaration (the policy pack"
                " stops `pulumi up`). Change the declaration, or ask for a policy exception, so that none of these"
                " remain:",
                items=problems,
            ),
        ],
        notes=[f"Plan: {slot.reason}."],
        verify_command=command("scm-access", "plan"),
        title_suffix=" (not made: refused by the policy)",
        section=Section.BLOCKED,
        expiry="not made",
    )


def _personal(slot: Slot, shared: dict[int, _SharedParts], project: str | None) -> Instructions:
    parts = shared.get(id(slot.access))
    if parts is None:
        parts = shared[id(slot.access)] = _SharedParts.of(slot)
    return _for_holder(slot, parts.for_holder(slot), project)


@dataclass(frozen=True, slots=True)
class _SharedParts:
    token_name: str
    platform_name: str
    host: str
    creation_link: str | None
    steps: list[Step]
    scopes: list[ScopeLine]
    prerequisites: list[str]
    notes: list[str]

    @classmethod
    def of(cls, slot: Slot) -> _SharedParts:
        spec = get_platform(slot.platform)
        catalog = spec.catalog
        notes = [
            *spec.instruction_notes(slot),
            *(
                f"No need to tick {_scope_ref(catalog, scope)}: {_scope_ref(catalog, container)} already includes it."
                for scope, container in slot.folded_scopes.items()
            ),
            *_catalog_notes(catalog, slot, spec.display_name),
            *guide_notes(slot, catalog),
            *(f"Policy: {v.message}" for v in slot.violations),
        ]
        return cls(
            token_name=slot.token_name,
            platform_name=spec.display_name,
            host=slot.base_url or spec.cloud_web_url,
            creation_link=spec.creation_link(slot),
            steps=_steps(slot),
            scopes=scope_lines(slot),
            prerequisites=[describe_prerequisite(p) for p in slot.prerequisites],
            notes=notes,
        )

    def for_holder(self, slot: Slot) -> _SharedParts:
        """The parts as another holder of the declaration sees them. A personal token's name carries the
        holder's own slot tag, so the steps that name the token and the pre-filled link are the holder's;
        every step that reads the same stays the shared object (renderers render it once)."""
        token_name = slot.token_name
        if token_name == self.token_name:
            return self
        steps = _steps(slot)
        if len(steps) == len(self.steps):
            steps = [shared if shared == own else own for shared, own in zip(self.steps, steps)]
        link = get_platform(slot.platform).creation_link(slot)
        return replace(self, token_name=token_name, creation_link=link, steps=steps)


def _steps(slot: Slot) -> list[Step]:
    """Prerequisites, the platform's own steps for the slot's token, the delivery."""
    steps = [*_prerequisite_steps(slot), *get_platform(slot.platform).instruction_steps(slot, slot.token_name)]
    delivery = _delivery_step(slot)
    if delivery is not None:
        steps.append(delivery)
    return steps


def _for_holder(slot: Slot, parts: _SharedParts, project: str | None = None) -> Instructions:
    verify_command = _verify_command(slot, project)
    env_var = slot.token_env_var
    # What the check can promise depends on what the kind shows to its own token.
    checks = slot.kind.spec.verification
    verify_step = Step(
        text="Check the token before relying on it: run the command below and paste the token when"
        " asked (it is read without echo and never stored)."
        + (f" {checks}" if checks else "")
        + " For audits (`scm-access verify --all`) and `pulumi up`, the token is read from"
        f" the variable `{env_var}`.",
        items=[f"`{verify_command}`"],
    )
    return assemble(
        slot,
        platform_name=parts.platform_name,
        host=parts.host,
        creation_link=parts.creation_link,
        scopes=parts.scopes,
        prerequisites=parts.prerequisites,
        steps=[sign_in_step(slot, parts.host), *parts.steps, verify_step],
        notes=parts.notes,
        verify_command=verify_command,
        token_env_var=env_var,
    )


def assemble(
    slot: Slot,
    *,
    platform_name: str,
    host: str,
    creation_link: str | None,
    scopes: list[ScopeLine],
    steps: list[Step],
    notes: list[str],
    verify_command: str,
    prerequisites: list[str] | None = None,
    title_suffix: str = "",
    token_env_var: str | None = None,
    section: Section = Section.CREATE,
    expiry: str | None = None,
) -> Instructions:
    """The instructions for one slot from its parts (what the slot itself says is filled in here)."""
    return Instructions(
        slot=slot.id,
        connection=slot.connection,
        integration=slot.integration,
        platform=slot.platform.value,
        platform_name=platform_name,
        holder=slot.holder,
        kind=slot.kind.value,
        kind_label=slot.kind.label,
        title=f"{slot.integration} on {platform_name}: {slot.kind.label} for {holder_phrase(slot)}{title_suffix}",
        host=host,
        token_name=slot.token_name,
        expires_at=slot.expires_at,
        lifetime_days=slot.lifetime_days,
        creation_link=creation_link,
        scopes=scopes,
        prerequisites=prerequisites or [],
        steps=steps,
        notes=notes,
        verify_command=verify_command,
        token_env_var=token_env_var or slot.token_env_var,
        section=section,
        expiry=expiry,
    )


def holder_phrase(slot: Slot) -> str:
    """Who holds the credential, as a title says it: a person by name, a machine user by its account."""
    if slot.holder_is_person:
        return slot.holder
    if slot.holder_login:
        return f"the machine user {slot.holder_login} ({slot.holder})"
    return f"the service identity {slot.holder}"


def sign_in_step(slot: Slot, host: str) -> Step:
    """Whose account to sign in as: a token belongs to the account that creates it."""
    email = f" (account email `{slot.holder_email}`)" if slot.holder_email else ""
    if slot.holder_is_person:
        who = f"as **{slot.holder_login}**{email}" if slot.holder_login else f"with your own account{email}"
        return Step(text=f"Sign in to {host} {who}: the token belongs to the account that creates it.")
    account = (
        f"as the machine user **{slot.holder_login}**{email}"
        if slot.holder_login
        else f"as the machine user of **{slot.holder}**{email} (its login is not declared: ask the connection's owner)"
    )
    return Step(
        text=f"Sign in to {host} {account}, not with your own account: the token belongs to the account that"
        f" creates it, and this one is held by the service identity **{slot.holder}**."
    )


def guide_notes(slot: Slot, catalog) -> list[str]:
    """The integration's guide, and why the plan differs from it wherever the declaration says it does."""
    notes = [f"{slot.integration}'s setup guide: {slot.guide}."] if slot.guide else []
    granted = catalog.closure(slot.scopes, slot.kind)
    for asked in slot.access.guide_asked_for:
        kind = kind_named(slot.platform, asked)
        if kind is not None:
            if kind.spec.retired:
                notes.append(f"The guide asks for {article(kind.label)}: {kind.spec.retired}.")
            elif kind != slot.kind:
                notes.append(
                    f"The guide asks for {article(kind.label)}; this plan uses {article(slot.kind.label)}:"
                    f" {slot.reason}."
                )
            continue
        scope = catalog.resolve(asked)
        label = catalog.label(scope)
        if scope in slot.scopes:
            inside = len(catalog.closure([scope], slot.kind)) - 1
            notes.append(
                f"The guide's **{asked}** is the scope `{scope}`"
                + (f", which includes the {inside} scopes under it: ticking `{scope}` is the same grant." if inside else ".")
            )
            continue
        beyond = catalog.closure([scope], slot.kind) - granted
        notes.append(
            f"The guide asks for **{label}** (`{scope}`); this plan asks only for the scopes listed, because"
            + (
                f" **{label}** would also grant {len(beyond)} scopes the integration does not need."
                if beyond
                else f" they already cover **{label}**."
            )
        )
    return notes


def scope_lines(slot: Slot) -> list[ScopeLine]:
    """Each scope with its UI label and group, as the platform's token form shows it."""
    catalog = get_platform(slot.platform).catalog
    return [
        ScopeLine(name=s, label=catalog.label(s), group=catalog[s].group)
        if s in catalog
        else ScopeLine(name=s, label=s)
        for s in slot.scopes
    ]


def _catalog_notes(catalog, slot: Slot, platform_name: str) -> list[str]:
    """What the platform's own sources leave open about the listed scopes, said where a person ticks them."""
    known = [s for s in slot.scopes if s in catalog]
    notes = [
        f"Tick {_scope_ref(catalog, scope)} as well, even though {_scope_ref(catalog, container)} may already"
        f" include it: {platform_name} does not document that it does, and ticking it costs nothing."
        for scope, container in catalog.unconfirmed_containers(known, slot.kind).items()
    ]
    for scope in known:
        entry = catalog[scope]
        if entry.deprecated is not None:
            notes.append(f"{_scope_ref(catalog, scope)} is deprecated: {entry.deprecated.reason.rstrip('.')}.")
        if entry.experimental is not None:
            notes.append(
                f"{_scope_ref(catalog, scope)} may be missing from the form: {entry.experimental.reason.rstrip('.')}."
            )
    return notes


def _scope_ref(catalog, scope: str) -> str:
    label = catalog.label(scope)
    return f"`{scope}`" if label == scope else f"**{label}** (`{scope}`)"


def _verify_command(slot: Slot, project: str | None) -> str:
    where = ("--project", project) if project else ()
    return command(
        "scm-access", "verify", slot.connection, "--platform", slot.platform.value, "--holder", slot.holder, *where
    )


def describe_prerequisite(prerequisite) -> str:
    """What the holder must have before the token works, as one sentence."""
    if isinstance(prerequisite, SamlSsoAuthorization):
        return f"The token must be authorized for SAML single sign-on in the {prerequisite.org} organization."
    if isinstance(prerequisite, GroupMembership):
        return f"You must be a member of {prerequisite.group}."
    if isinstance(prerequisite, PublicOrgMembership):
        return f"Your membership in the {prerequisite.org} organization must be public."
    if isinstance(prerequisite, RepositoryPermission):
        return f"You need {prerequisite.permission} permission on the repository {prerequisite.repository}."
    raise TypeError(f"unhandled prerequisite {type(prerequisite).__name__}")


def _prerequisite_steps(slot: Slot) -> list[Step]:
    steps = []
    web = slot.base_url or get_platform(slot.platform).cloud_web_url
    for prerequisite in slot.prerequisites:
        if isinstance(prerequisite, PublicOrgMembership):
            steps.append(
                Step(
                    text=f"Make your membership of **{prerequisite.org}** public: organization page →"
                    " **People** → find yourself → **Organization visibility** → **Public**.",
                    link=f"{web}/orgs/{quote(prerequisite.org, safe='')}/people",
                )
            )
        elif isinstance(prerequisite, RepositoryPermission):
            steps.append(
                Step(
                    text=f"Check you have **{prerequisite.permission}** permission on"
                    f" **{prerequisite.repository}**; ask a repository admin otherwise."
                )
            )
        elif isinstance(prerequisite, GroupMembership):
            steps.append(
                Step(
                    text=f"Check you are a member of **{prerequisite.group}** (**Organization settings** →"
                    " **Permissions**); without it the integration cannot work with your token."
                )
            )
    return steps


def _delivery_step(slot: Slot) -> Step | None:
    delivery = slot.delivery
    if isinstance(delivery, IntegrationField):
        return Step(
            text=f"Paste the token into {slot.integration}: {delivery.location}, field **{delivery.field}**.",
            items=list(delivery.steps),
        )
    if isinstance(delivery, SecretStore):
        where = f" in {delivery.repository}" if delivery.repository else ""
        return Step(
            text=f"Store the token as the secret **{delivery.name}**{where}"
            f" ({delivery.store.replace('_', ' ')}); never paste it into chat, tickets or code."
        )
    return None
