"""Build the manual steps for a user-PAT slot: prerequisites, the platform's own steps, delivery into the
integration, and the command that verifies the result."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations.access import (
    GroupMembership,
    IntegrationField,
    PublicOrgMembership,
    RepositoryPermission,
    SamlSsoAuthorization,
    SecretStore,
)
from scm_access.instruct.handoff import as_instructions, build_handoff, store_phrase
from scm_access.instruct.model import Holder, Instructions, ScopeLine, Section, Step
from scm_access.instruct.shell import command
from scm_access.plan.planner import article
from scm_access.plan.slot import Slot, Strategy
from scm_access.platforms.links import LinkTemplate
from scm_access.platforms.registry import get_platform
from scm_access.rules import Severity
from scm_access.validate import kind_named


def build_instructions(slot: Slot, *, project: str | None = None) -> Instructions:
    """The section of one personal-token slot, with that holder's own values in its steps."""
    return _Declaration.of(slot).section([slot], project)


def creation_steps(slot: Slot) -> list[Step]:
    """The steps that make the slot's token and hand it over (prerequisites, the platform's own steps,
    delivery), without signing in and the final check: what a finding's remediation repeats."""
    declaration = _Declaration.of(slot)
    [holder] = declaration.holders([slot], _VerifyCommand.of(slot, None))
    return [declaration.fill(step, holder) for step in declaration.steps[1:-1]]


def instructions_for(slots: list[Slot], *, project: str | None = None) -> list[Instructions]:
    """A section for every user-PAT slot alone (one holder each, the holder's own values in the steps).
    Holders of one declaration share the declaration's steps: built once, filled in per holder.

    ``project``: the declarations' folder, named in the verify command so that it works from any folder."""
    declarations: dict[int, _Declaration] = {}
    return [
        _declaration_of(slot, declarations).section([slot], project)
        for slot in slots
        if slot.strategy == Strategy.USER_PAT
    ]


def sections_for(
    slots: list[Slot], *, rotate_before_days: int, today: date, project: str | None = None
) -> list[Instructions]:
    """A page section for every declaration of personal tokens, with all its holders (in slot order, at
    its first holder's place), and for every other slot: the steps to create a personal token, written once
    for the holders of a declaration; for a credential the stack makes, its hand-off (where it lands, or how
    a person carries it, and when again); for one the policy stops, what to fix.

    Without the stack at hand, a hand-off assumes the stack can write to the declared store; its notes say
    what happens when it cannot."""
    sections: list[Instructions] = []
    holders: list[Slot] = []  # the holders of the declaration being gathered (consecutive slots)

    def close() -> None:
        if holders:
            sections.append(_Declaration.of(holders[0]).section(holders, project))
            holders.clear()

    for slot in slots:
        if slot.strategy == Strategy.USER_PAT:
            if holders and slot.access is not holders[0].access:
                close()
            holders.append(slot)
            continue
        close()
        if slot.blocking:
            sections.append(blocked_section(slot))
        else:
            handoff = build_handoff(slot, rotate_before_days=rotate_before_days, today=today, store_label=store_phrase)
            notes = (_UNSTORED_NOTE.format(connection=shlex.quote(slot.connection)),) if handoff.store else ()
            sections.append(as_instructions(handoff, slot, notes=notes))
    close()
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


def _declaration_of(slot: Slot, declarations: dict[int, _Declaration]) -> _Declaration:
    found = declarations.get(id(slot.access))
    if found is None:
        found = declarations[id(slot.access)] = _Declaration.of(slot)
    return found


class _Blank(StrEnum):
    """A holder's own value left blank in a declaration's steps. With one holder the blank gets the holder's
    value; with several it points to the holder's row in the holders table. A blank written as a code span
    (`` `blank` ``) is the value in code, and the pointer without it."""

    TOKEN_NAME = "\ue000token_name\ue000"
    ACCOUNT = "\ue000account\ue000"
    """Whose account to sign in as: ``as **login**`` or ``with your own account``."""
    TOKEN_ENV_VAR = "\ue000token_env_var\ue000"
    VERIFY_COMMAND = "\ue000verify_command\ue000"
    """A step item: dropped where it points to the table."""
    RUN = "\ue000run\ue000"
    """Where the verify command is: below, or in the table."""
    LINK = "\ue000link\ue000"
    """A step's link, the holder's pre-filled one; in the step's text, what it says when it points."""


_POINTERS: dict[str, str] = {
    _Blank.TOKEN_NAME: "your token name from the table above",
    _Blank.ACCOUNT: "as the account in your row of the table above",
    _Blank.TOKEN_ENV_VAR: "named in your row of the table above",
    _Blank.VERIFY_COMMAND: "",
    _Blank.RUN: "your verify command from the table above",
    _Blank.LINK: " Your own link is in your row of the table above.",
}
_BLANK = re.compile("`(\ue000\\w+\ue000)`|(\ue000\\w+\ue000)")


def _fill_text(text: str, values: Mapping[str, str], coded: bool) -> str:
    """The text with every blank filled: a code span's blank as code when ``coded`` (a holder's value), as
    plain text otherwise (a pointer)."""

    def value(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            found = values[match.group(1)]
            return f"`{found}`" if coded else found
        return values[match.group(2)]

    return _BLANK.sub(value, text) if "\ue000" in text else text


def _pointing(text: str) -> str:
    """The text with every blank pointing to the holders table."""
    return _fill_text(text, _POINTERS, coded=False)


# The same steps recur in every declaration of a platform and kind: each is built once (steps are immutable).


@lru_cache(maxsize=4096)
def _pointing_step(text: str, link: str | None, items: tuple[str, ...]) -> Step | None:
    """None for a step without a blank (it stays as it is). Looked up for every step: one lookup costs less
    than looking for a blank."""
    if not _has_blank(text, link, items):
        return None
    return Step(
        text=_pointing(text),
        link=None if link == _Blank.LINK else link,
        items=[filled for item in items if (filled := _pointing(item))],
    )


@lru_cache(maxsize=4096)
def _own_link_step(text: str, items: tuple[str, ...]) -> Step:
    """The step that opens the pre-filled form: the holder's own link, or where their row has it."""
    return Step(text=text + _Blank.LINK, link=_Blank.LINK, items=list(items))


def _has_blank(text: str, link: str | None, items: Sequence[str]) -> bool:
    return "\ue000" in text or link == _Blank.LINK or any("\ue000" in item for item in items)


class _Declaration(NamedTuple):
    """What the holders of one declaration share: its facts, and its steps with blanks for each holder's
    own values (the steps without one are the same objects for every holder: renderers render them once).
    Named tuples (here and for the verify command): immutable, and built in half the time of a frozen
    dataclass, once per declaration."""

    first: Slot
    link: LinkTemplate | None
    """The holders' pre-filled link but for the token's name, each holder's own."""
    platform_name: str
    host: str
    steps: list[Step]
    """Signing in, prerequisites, the platform's own steps, the delivery, the check."""
    scopes: list[ScopeLine]
    prerequisites: list[str]
    notes: list[str]

    @classmethod
    def of(cls, slot: Slot) -> _Declaration:
        spec = get_platform(slot.platform)
        catalog = spec.catalog
        host = slot.base_url or spec.cloud_web_url
        notes = [
            *spec.instruction_notes(slot),
            *(
                f"No need to tick {_scope_ref(catalog, scope)}: {_scope_ref(catalog, container)} already includes it."
                for scope, container in slot.folded_scopes.items()
            ),
            *_catalog_notes(slot, spec.display_name),
            *guide_notes(slot),
            *(f"Policy: {v.message}" for v in slot.violations),
        ]
        link = spec.creation_link_template(slot)
        platform_steps = [
            _own_link_step(step.text, tuple(step.items)) if step.link == _Blank.LINK else step
            for step in spec.instruction_steps(slot, _Blank.TOKEN_NAME, None if link is None else _Blank.LINK)
        ]
        delivery = _delivery_step(slot)
        steps = [
            _sign_in_template(slot, host),
            *_prerequisite_steps(slot),
            *platform_steps,
            *([delivery] if delivery is not None else []),
            _verify_template(slot.kind),
        ]
        return cls(
            first=slot,
            link=link,
            platform_name=spec.display_name,
            host=host,
            steps=steps,
            scopes=scope_lines(slot),
            prerequisites=[describe_prerequisite(p) for p in slot.prerequisites],
            notes=notes,
        )

    def holders(self, slots: list[Slot], verify: _VerifyCommand) -> list[Holder]:
        """:meth:`holder` of each slot, the declaration's part of their links made once."""
        names = [slot.token_name for slot in slots]
        links: Sequence[str | None] = [None] * len(slots) if self.link is None else self.link.links(names)
        # Positional: a hundred thousand holders, and keywords cost half as much again as the tuple.
        return [
            Holder(
                slot.id, slot.holder, slot.holder_login, slot.holder_email, slot.holder_is_person, name, link,
                slot.token_env_var, verify.of_holder(slot.holder),
            )
            for slot, name, link in zip(slots, names, links)
        ]

    def fill(self, step: Step, holder: Holder) -> Step:
        """The step as this holder follows it (the same object where it has no blank)."""
        if not _has_blank(step.text, step.link, step.items):
            return step
        values: dict[str, str] = {
            _Blank.TOKEN_NAME: holder.token_name,
            _Blank.ACCOUNT: _account(holder.login, holder.email),
            _Blank.TOKEN_ENV_VAR: holder.token_env_var,
            _Blank.VERIFY_COMMAND: holder.verify_command,
            _Blank.RUN: "the command below",
            _Blank.LINK: "",
        }
        return self._filled(step, values, coded=True, link=holder.creation_link)

    @staticmethod
    def pointing(step: Step) -> Step:
        """The step as every holder of several follows it: each own value is in the holder's row."""
        return _pointing_step(step.text, step.link, tuple(step.items)) or step

    @staticmethod
    def _filled(step: Step, values: Mapping[str, str], *, coded: bool, link: str | None) -> Step:
        items = [filled for item in step.items if (filled := _fill_text(item, values, coded))]
        return Step(
            text=_fill_text(step.text, values, coded),
            link=link if step.link == _Blank.LINK else step.link,
            items=items,
        )

    def section(self, slots: list[Slot], project: str | None) -> Instructions:
        """The section for these holders of the declaration (one: their own values in the steps)."""
        holders = self.holders(slots, _VerifyCommand.of(self.first, project))
        if len(holders) == 1:
            steps = [self.fill(step, holders[0]) for step in self.steps]
            who = holder_phrase(slots[0])
        else:
            steps = [self.pointing(step) for step in self.steps]
            who = f"{len(holders)} people (one token each)"
        slot = self.first
        return Instructions(
            connection=slot.connection,
            integration=slot.integration,
            platform=slot.platform.value,
            platform_name=self.platform_name,
            kind=slot.kind.value,
            kind_label=slot.kind.label,
            title=f"{slot.integration} on {self.platform_name}: {slot.kind.label} for {who}",
            host=self.host,
            expires_at=slot.expires_at,
            lifetime_days=slot.lifetime_days,
            scopes=self.scopes,
            steps=steps,
            holders=holders,
            prerequisites=self.prerequisites,
            notes=self.notes,
        )


@lru_cache(maxsize=256)
def _verify_template(kind: CredentialKind) -> Step:
    # What the check can promise depends on what the kind shows to its own token.
    checks = kind.spec.verification
    return Step(
        text=f"Check the token before relying on it: run {_Blank.RUN} and paste the token when"
        " asked (it is read without echo and never stored)."
        + (f" {checks}" if checks else "")
        + " For audits (`scm-access verify --all`) and `pulumi up`, the token is read from"
        f" the variable `{_Blank.TOKEN_ENV_VAR}`.",
        items=[f"`{_Blank.VERIFY_COMMAND}`"],
    )


def _sign_in_template(slot: Slot, host: str) -> Step:
    """A person signs in with the account in their row; a machine user (always the only holder) is named."""
    return _person_sign_in(host) if slot.holder_is_person else sign_in_step(slot, host)


@lru_cache(maxsize=4096)
def _person_sign_in(host: str) -> Step:
    return Step(text=f"Sign in to {host} {_Blank.ACCOUNT}: the token belongs to the account that creates it.")


def holder_of(
    slot: Slot, *, creation_link: str | None, verify_command: str, token_env_var: str | None = None
) -> Holder:
    """One holder's own values: who they are, their token's name and link, the variable and the check."""
    return Holder(
        slot=slot.id,
        name=slot.holder,
        login=slot.holder_login,
        email=slot.holder_email,
        is_person=slot.holder_is_person,
        token_name=slot.token_name,
        creation_link=creation_link,
        token_env_var=token_env_var or slot.token_env_var,
        verify_command=verify_command,
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
    """The section of one slot from its parts (what the slot itself says is filled in here)."""
    holder = holder_of(slot, creation_link=creation_link, verify_command=verify_command, token_env_var=token_env_var)
    return Instructions(
        connection=slot.connection,
        integration=slot.integration,
        platform=slot.platform.value,
        platform_name=platform_name,
        kind=slot.kind.value,
        kind_label=slot.kind.label,
        title=f"{slot.integration} on {platform_name}: {slot.kind.label} for {holder_phrase(slot)}{title_suffix}",
        host=host,
        expires_at=slot.expires_at,
        lifetime_days=slot.lifetime_days,
        scopes=scopes,
        steps=steps,
        holders=[holder],
        prerequisites=prerequisites or [],
        notes=notes,
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


def _account(login: str | None, email: str | None) -> str:
    """Whose account a person signs in as, as a sign-in step says it."""
    mail = f" (account email `{email}`)" if email else ""
    return f"as **{login}**{mail}" if login else f"with your own account{mail}"


def sign_in_step(slot: Slot, host: str) -> Step:
    """Whose account to sign in as: a token belongs to the account that creates it."""
    if slot.holder_is_person:
        return Step(
            text=f"Sign in to {host} {_account(slot.holder_login, slot.holder_email)}: the token belongs to the"
            " account that creates it."
        )
    email = f" (account email `{slot.holder_email}`)" if slot.holder_email else ""
    account = (
        f"as the machine user **{slot.holder_login}**{email}"
        if slot.holder_login
        else f"as the machine user of **{slot.holder}**{email} (its login is not declared: ask the connection's owner)"
    )
    return Step(
        text=f"Sign in to {host} {account}, not with your own account: the token belongs to the account that"
        f" creates it, and this one is held by the service identity **{slot.holder}**."
    )


def guide_notes(slot: Slot) -> list[str]:
    """The integration's guide, and why the plan differs from it wherever the declaration says it does."""
    notes = [f"{slot.integration}'s setup guide: {slot.guide}."] if slot.guide else []
    if slot.access.guide_asked_for:
        notes += _guide_differences(
            slot.platform, slot.kind, tuple(slot.scopes), tuple(slot.access.guide_asked_for), slot.reason
        )
    return notes


@lru_cache(maxsize=4096)
def _guide_differences(
    platform: Platform, kind: CredentialKind, scopes: tuple[str, ...], asked_for: tuple[str, ...], reason: str
) -> tuple[str, ...]:
    # Declarations generated from one template ask the same of the same guide: each difference is said once.
    catalog = get_platform(platform).catalog
    notes: list[str] = []
    granted = catalog.closure(scopes, kind)
    for asked in asked_for:
        asked_kind = kind_named(platform, asked)
        if asked_kind is not None:
            if asked_kind.spec.retired:
                notes.append(f"The guide asks for {article(asked_kind.label)}: {asked_kind.spec.retired}.")
            elif asked_kind != kind:
                notes.append(
                    f"The guide asks for {article(asked_kind.label)}; this plan uses {article(kind.label)}:"
                    f" {reason}."
                )
            continue
        scope = catalog.resolve(asked)
        label = catalog.label(scope)
        if scope in scopes:
            inside = len(catalog.closure([scope], kind)) - 1
            notes.append(
                f"The guide's **{asked}** is the scope `{scope}`"
                + (f", which includes the {inside} scopes under it: ticking `{scope}` is the same grant." if inside else ".")
            )
            continue
        beyond = catalog.closure([scope], kind) - granted
        notes.append(
            f"The guide asks for **{label}** (`{scope}`); this plan asks only for the scopes listed, because"
            + (
                f" **{label}** would also grant {len(beyond)} scopes the integration does not need."
                if beyond
                else f" they already cover **{label}**."
            )
        )
    return tuple(notes)


def scope_lines(slot: Slot) -> list[ScopeLine]:
    """Each scope with its UI label and group, as the platform's token form shows it."""
    return list(_scope_lines(slot.platform, tuple(slot.scopes)))


@lru_cache(maxsize=4096)
def _scope_lines(platform: Platform, scopes: tuple[str, ...]) -> tuple[ScopeLine, ...]:
    # Many declarations list the same scopes: each list is labelled once.
    catalog = get_platform(platform).catalog
    return tuple(
        ScopeLine(name=s, label=catalog.label(s), group=catalog[s].group)
        if s in catalog
        else ScopeLine(name=s, label=s)
        for s in scopes
    )


def _catalog_notes(slot: Slot, platform_name: str) -> list[str]:
    """What the platform's own sources leave open about the listed scopes, said where a person ticks them."""
    return list(_scope_notes(slot.platform, tuple(slot.scopes), slot.kind, platform_name))


@lru_cache(maxsize=4096)
def _scope_notes(
    platform: Platform, scopes: tuple[str, ...], kind: CredentialKind, platform_name: str
) -> tuple[str, ...]:
    # Many declarations list the same scopes with the same kind: their notes are written once.
    catalog = get_platform(platform).catalog
    known = [s for s in scopes if s in catalog]
    notes = [
        f"Tick {_scope_ref(catalog, scope)} as well, even though {_scope_ref(catalog, container)} may already"
        f" include it: {platform_name} does not document that it does, and ticking it costs nothing."
        for scope, container in catalog.unconfirmed_containers(known, kind).items()
    ]
    for scope in known:
        entry = catalog[scope]
        if entry.deprecated is not None:
            notes.append(f"{_scope_ref(catalog, scope)} is deprecated: {entry.deprecated.reason.rstrip('.')}.")
        if entry.experimental is not None:
            notes.append(
                f"{_scope_ref(catalog, scope)} may be missing from the form: {entry.experimental.reason.rstrip('.')}."
            )
    return tuple(notes)


def _scope_ref(catalog, scope: str) -> str:
    label = catalog.label(scope)
    return f"`{scope}`" if label == scope else f"**{label}** (`{scope}`)"


class _VerifyCommand(NamedTuple):
    """`scm-access verify CONNECTION --platform P --holder HOLDER [--project DIR]` for the holders of one
    declaration: the words around the holder's name are quoted once for all of them."""

    before: str
    after: str

    @classmethod
    def of(cls, slot: Slot, project: str | None) -> _VerifyCommand:
        before = command("scm-access", "verify", slot.connection, "--platform", slot.platform.value, "--holder")
        return cls(before=f"{before} ", after=f" {command('--project', project)}" if project else "")

    def of_holder(self, holder: str) -> str:
        # Each name once: not through the cache of the words that recur.
        return f"{self.before}{shlex.quote(holder)}{self.after}"


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
