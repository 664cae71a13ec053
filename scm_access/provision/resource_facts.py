"""Provider resource inputs → :class:`~scm_access.rules.facts.CredentialFacts`, so the CrossGuard pack judges
a resource with the very rules `scm-access plan` applies to a slot.

Inputs arrive as the engine sends them to analyzers: camelCase keys, secrets already unwrapped. Python
policy packs cannot tell a secret input from a plain one, so "no plaintext secret" is judged on what they
can see: whether the credential-bearing property is declared a secret output (``additional_secret_outputs``,
which keeps it encrypted in state) and whether a variable is marked secret on the platform itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.platforms.registry import all_platforms
from scm_access.rules.facts import CredentialFacts

PLAINTEXT_RULE = "plaintext_secret"

_MARKER = re.compile(r"\[scm-access ([^\]]+)\]")
_CREDENTIAL_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|PAT\b|_KEY\b|^KEY\b|PRIVATE", re.IGNORECASE)

DeclaredLevel = Callable[[str], "str | None"]
"""Slot id → the access level its declaration needs (None when the slot is unknown)."""


@dataclass(frozen=True)
class ResourceFacts:
    facts: CredentialFacts
    rules: frozenset[str] | None = None
    """Codes of the rules that judge this resource; None for all rules that apply to provisioned ones."""


def slot_of(props: Mapping[str, Any]) -> str | None:
    for key in ("description", "title"):
        value = props.get(key)
        if isinstance(value, str):
            found = _MARKER.search(value)
            if found:
                return found.group(1)
    return None


def facts_for(
    resource_type: str,
    props: Mapping[str, Any],
    *,
    secret_outputs: Iterable[str] = (),
    today: date | None = None,
    declared_level: DeclaredLevel | None = None,
) -> ResourceFacts | None:
    """The facts for a credential-bearing resource; None for every other resource. The platform whose
    provider package makes the resource reads it."""
    from scm_access.provision.provisioner import ResourceInput, provisioner_for_package  # platforms import us

    provisioner = provisioner_for_package(resource_type.split(":", 1)[0])
    if provisioner is None:
        return None
    return provisioner.resource_facts(
        ResourceInput(resource_type, props, frozenset(secret_outputs), today or date.today(), declared_level)
    )


def store_facts(
    platform: Platform, kind: CredentialKind, plain: tuple[str, ...], props: Mapping[str, Any]
) -> ResourceFacts:
    """A resource that stores a credential: judged by the plaintext rule alone (which ignores the kind)."""
    return ResourceFacts(
        CredentialFacts(platform=platform, kind=kind, holder_is_person=False, plaintext_secret_fields=plain),
        rules=frozenset({PLAINTEXT_RULE}),
    )


def plain_properties(
    props: Mapping[str, Any], properties: Iterable[str], secret_outputs: frozenset[str]
) -> tuple[str, ...]:
    """The credential-bearing properties that are set but not kept secret in state. A declared secret is
    never read: during a preview its value is unknown, and reading it would stop the pack judging."""
    return tuple(p for p in properties if p not in secret_outputs and props.get(p) not in (None, "", {}))


def holds_credential(name: Any, value: Any) -> bool:
    """Whether a variable looks like it holds a credential, by its name or by its value's shape."""
    if isinstance(name, str) and _CREDENTIAL_NAME.search(name):
        return True
    if not isinstance(value, str):
        return False
    if "PRIVATE KEY-----" in value:
        return True
    return any(spec.recognize_token(value) is not None for spec in all_platforms())


def datetime_of(value: str) -> datetime:
    """An ISO date or date-time as providers report it (``Z`` or no zone means UTC)."""
    text = str(value).replace("Z", "+00:00")
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def date_of(value: str) -> date:
    return datetime_of(value).date()
