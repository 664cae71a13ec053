"""The credentials a Pulumi stack of scm-access made, read from its outputs: what matches them first.

The file is what ``pulumi stack output --json`` writes (with ``--show-secrets`` or without). Only the ledger
output is read: per slot, the resources the stack made and each one's provider id. A resource of a type that
holds a credential (each platform's reader names them: ``STACK_CREDENTIAL_TYPES``) has the credential's own
id as the last part of its provider id (GitLab ``<project>:<token id>``, GitHub ``<repository>:<key id>``),
which is the id the admin views list. Nothing else in the file is read, and nothing of it is ever shown:
the outputs of a stack read with ``--show-secrets`` hold the credentials themselves.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from scm_access.core.kinds import Platform
from scm_access.inventory.reader import reader_for

LEDGER_OUTPUT = "stack_credentials"
"""The stack output listing what each update made (``scm_access.provision.removals.LEDGER_OUTPUT``)."""


_PLATFORMS = frozenset(p.value for p in Platform)


class StackOutputsError(ValueError):
    """The file is not a stack's outputs that say what it made; the message shows none of its content."""


def resource_ids(text: str) -> dict[tuple[str, str], str]:
    """(platform, credential id) → slot id, for every credential the stack's ledger says it made."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise StackOutputsError(f"not JSON (line {error.lineno}, column {error.colno})") from None
    if not isinstance(document, dict):
        raise StackOutputsError("not the JSON object `pulumi stack output --json` writes")
    ledger = document.get(LEDGER_OUTPUT)
    if ledger is None:
        raise StackOutputsError(
            f"no {LEDGER_OUTPUT!r} output: not a stack of scm-access, or not updated since its stack outputs"
            " name what it made"
        )
    if not isinstance(ledger, list):
        raise StackOutputsError(f"the {LEDGER_OUTPUT!r} output is not a list")
    found: dict[tuple[str, str], str] = {}
    for entry in ledger:
        if not isinstance(entry, Mapping):
            continue
        slot, platform, ids = entry.get("slot"), entry.get("platform"), entry.get("ids")
        if not (isinstance(slot, str) and isinstance(platform, str) and isinstance(ids, Mapping)):
            continue
        holding = _credential_types(platform)
        for urn, provider_id in ids.items():
            if isinstance(urn, str) and isinstance(provider_id, str) and _type_of(urn) in holding:
                credential_id = provider_id.rsplit(":", 1)[-1]
                if credential_id:
                    found[(platform, credential_id)] = slot
    return found


def _credential_types(platform: str) -> frozenset[str]:
    if platform not in _PLATFORMS:
        return frozenset()  # a name the file made up is not looked up
    module = reader_for(platform)
    types: Any = getattr(module, "STACK_CREDENTIAL_TYPES", frozenset()) if module is not None else frozenset()
    return frozenset(types)


def _type_of(urn: str) -> str:
    """``urn:pulumi:<stack>::<project>::<parent type>$<type>::<name>`` → ``<type>``."""
    parts = urn.split("::", 3)
    return parts[2].rsplit("$", 1)[-1] if len(parts) == 4 else ""
