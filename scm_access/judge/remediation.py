"""What to do about each problem, taken from the slot's own manual steps so verify and instruct never
disagree. Built from the slot alone: nothing here can hold the token."""

from __future__ import annotations

import re

from scm_access.declarations.access import (
    GroupMembership,
    PublicOrgMembership,
    RepositoryPermission,
    SamlSsoAuthorization,
)
from scm_access.instruct.build import creation_steps, describe_prerequisite
from scm_access.instruct.model import Step
from scm_access.judge.finding import NO_ANSWER_CODES, UNCERTAIN_CODES, Problem, ProblemCode, RemediationStep
from scm_access.plan.slot import Slot, Strategy

RECONCILE = "Run `pulumi up` for this stack: it re-creates or rotates the credential to match the declaration."
_CREATE_AGAIN = "Create a new token that matches the declaration, then replace the old one wherever it is used:"
_SSO_WORDS = re.compile(r"single sign-on|\bSSO\b", re.IGNORECASE)


def _lists_scopes(step: Step, slot: Slot) -> bool:
    return any(f"`{scope}`" in item for item in step.items for scope in slot.scopes)


def as_remediation(step: Step) -> RemediationStep:
    """An instruction step as a remediation step: its text, link and sub-items unchanged."""
    return RemediationStep(text=step.text, link=step.link, items=list(step.items))


def sentence(text: str) -> RemediationStep:
    return RemediationStep(text=text, numbered=False)


def remediate(slot: Slot, problems: list[Problem]) -> list[Problem]:
    """The problems, each with its remediation (kept where the verifier already wrote one). The slot's
    steps are built once, and only when a problem needs them."""
    if slot.strategy == Strategy.PROVISION:
        # The stack made the credential: the stack, not a person, puts it right.
        return [
            p if p.remediation or not p.certain else p.model_copy(update={"remediation": [sentence(RECONCILE)]})
            for p in problems
        ]
    steps: list[Step] | None = None
    result = []
    for problem in problems:
        if problem.remediation:
            result.append(problem)
            continue
        if steps is None and problem.code not in UNCERTAIN_CODES:
            steps = creation_steps(slot)
        result.append(problem.model_copy(update={"remediation": remediation(slot, problem.code, steps)}))
    return result


def remediation(slot: Slot, code: ProblemCode, steps: list[Step] | None = None) -> list[RemediationStep]:
    """What the holder does about ``code`` for ``slot``: the slot's own creation steps (``steps``, when the
    caller has them already) or its declared prerequisites; never platform text of its own, and never the
    verify command (the person is running it)."""
    if code in NO_ANSWER_CODES:
        return [sentence("Run the verification again later; nothing about the token was concluded.")]
    if code == ProblemCode.NOT_OBSERVABLE:
        return [
            sentence(
                "Check this by hand (the token's settings page, or ask an administrator): the token alone did"
                " not show it."
            )
        ]
    if steps is None:
        steps = creation_steps(slot)
    if code == ProblemCode.SSO_NOT_AUTHORIZED:
        chosen = [s for s in steps if _SSO_WORDS.search(s.text)]
        return [as_remediation(s) for s in chosen] or _prerequisites(slot, SamlSsoAuthorization)
    if code == ProblemCode.MEMBERSHIP_NOT_PUBLIC:
        chosen = [s for s in steps if "public" in s.text.lower() and "member" in s.text.lower()]
        return [as_remediation(s) for s in chosen] or _prerequisites(slot, PublicOrgMembership)
    if code == ProblemCode.NOT_IN_REQUIRED_GROUP:
        # A group membership or a repository role: the declaration's prerequisites say which.
        needed = [
            sentence(f"Ask an administrator to grant it: {describe_prerequisite(p)}")
            for p in slot.prerequisites
            if isinstance(p, GroupMembership | RepositoryPermission)
        ]
        chosen = [s for s in steps if "group" in s.text.lower() or "member" in s.text.lower()]
        return [*needed, *[as_remediation(s) for s in chosen]] or [
            sentence("Ask an administrator to give the holder the membership or role the declaration requires.")
        ]
    if code in {ProblemCode.MISSING_SCOPE, ProblemCode.EXCESS_SCOPE}:
        chosen = [s for s in steps if _lists_scopes(s, slot)]
        lead = sentence("Edit the token's scopes (or create a new token) so that exactly these are granted:")
        if chosen:
            return [lead, *[as_remediation(s) for s in chosen]]
        return [lead, sentence(", ".join(f"`{scope}`" for scope in slot.scopes))]
    if code == ProblemCode.WRONG_OWNER:
        lead = sentence(f"The token must belong to {slot.holder_login or slot.holder}: that person creates it:")
        return [lead, *[as_remediation(s) for s in steps]]
    if code == ProblemCode.EXPIRES_SOON:
        lead = sentence("Create the replacement token now, before this one expires:")
        return [lead, *[as_remediation(s) for s in steps]]
    if code == ProblemCode.MISSING:
        lead = sentence(
            "No such token exists yet, or it was created without the name the instructions give (the name"
            " carries the slot's tag, which is how it is recognised). Create it:"
        )
        return [lead, *[as_remediation(s) for s in steps]]
    if code in {ProblemCode.STALE, ProblemCode.NEVER_USED}:
        return [
            sentence(
                "If the integration no longer needs this access, revoke the token and remove the declaration;"
                " otherwise check that the integration is set up with this token (another one may be in use)."
            )
        ]
    if code == ProblemCode.HOLDER_DEPARTED:
        lead = sentence(
            "Its holder has left: declare a current holder, have them create the replacement, then revoke"
            " this token:"
        )
        return [lead, *[as_remediation(s) for s in steps]]
    if code == ProblemCode.DUPLICATE:
        return [sentence("Keep the one token the integration uses and revoke the others (each is named above).")]
    if code == ProblemCode.CLASSIC_PAT_DISALLOWED:
        return [
            sentence(
                "The policy does not allow this kind of token: declare a kind it allows, create that token,"
                " then revoke this one."
            )
        ]
    # invalid_token, expired, revoked, wrong_token_kind, no_expiry, expires_too_late: only a new token fixes it.
    return [sentence(_CREATE_AGAIN), *[as_remediation(s) for s in steps]]


def _prerequisites(slot: Slot, kind: type) -> list[RemediationStep]:
    described = [sentence(describe_prerequisite(p)) for p in slot.prerequisites if isinstance(p, kind)]
    return described or [sentence("Meet the prerequisite the declaration names, then check the token again.")]
