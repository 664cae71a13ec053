"""One revision's declarations, loaded and planned, as data for the review.

Run in a fresh process per revision (``python -m scm_access.review.snapshot --project DIR --today DATE``),
so the connection modules of one revision can never be seen by the other. It prints one JSON document: the
policy, the connections, every slot with what it grants and where it is declared, and the facts about the
scopes and rules the review needs to explain a change. Declarations that do not load or validate give a
document with located ``problems`` and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from scm_access.declarations.loader import Project, load_project
from scm_access.declarations.location import declared_at
from scm_access.errors import DeclarationError, ExitCode
from scm_access.plan.planner import plan_project
from scm_access.plan.slot import Slot
from scm_access.platforms.registry import get_platform
from scm_access.rules import all_rules

FORMAT = 1
"""Version of the snapshot document; the review refuses a document of another version."""

_ACCESS_INDEX = re.compile(r"^access\[(\d+)\]")


def slot_key(connection: str, platform: str, base_url: str | None, holder: str) -> str:
    """Identity of a slot across revisions: where it lives and who holds it, not how it is written."""
    host = f"@{base_url}" if base_url else ""
    return f"{connection}/{platform}{host}/{holder}"


def snapshot(project_dir: Path, today: date) -> dict[str, Any]:
    """The planned state of the declarations in ``project_dir``; raises DeclarationError (located)."""
    return document_of(load_project(project_dir), today)


def document_of(project: Project, today: date) -> dict[str, Any]:
    """The planned state of a loaded project; raises DeclarationError (located)."""
    try:
        plan = plan_project(project, today)
    except DeclarationError as error:
        raise LocatedDeclarationError(error, _locate(project, error.problems)) from None
    policy = project.policy
    scope_facts: dict[str, dict[str, dict[str, Any]]] = {}
    entries: list[dict[str, Any]] = []
    entry_of: dict[tuple[Any, ...], int] = {}
    slots = []
    for slot in plan.slots:
        # Every holder of one access entry shares what was planned for it: written once, as an entry.
        identity = (id(slot.access), str(slot.kind), str(slot.strategy), slot.lifetime_days)
        index = entry_of.get(identity)
        if index is None:
            index = entry_of[identity] = len(entries)
            entries.append(_entry_document(slot, policy, scope_facts))
        slots.append(
            {
                "key": slot_key(slot.connection, str(slot.platform), slot.base_url, slot.holder),
                "entry": index,
                "holder": slot.holder,
                "holder_login": slot.holder_login,
            }
        )
    for platform, forbidden in policy.forbidden_scopes.items():
        for scope in forbidden:
            _scope_fact(scope_facts, str(platform), scope)
    policy_location = declared_at(policy)
    return {
        "format": FORMAT,
        "today": today.isoformat(),
        "policy": {
            "settings": policy.model_dump(mode="json"),
            "file": policy_location.file if policy_location else None,
            "line": policy_location.line if policy_location else None,
        },
        "connections": [_connection_document(project, c) for c in project.connections],
        "entries": entries,
        "slots": slots,
        "scopes": scope_facts,
        "rules": [
            {"code": r.code, "name": r.name, "description": r.description, "severity": str(r.severity)}
            for r in all_rules()
        ],
        "platforms": {entry["platform"]: get_platform(entry["platform"]).display_name for entry in entries},
    }


class LocatedDeclarationError(DeclarationError):
    """Declaration problems, each with the file and line of the declaration it names (when known)."""

    def __init__(self, error: DeclarationError, locations: list[tuple[str | None, int | None]]) -> None:
        super().__init__(error.problems)
        self.locations = locations


def _locate(project: Project, problems: list[tuple[str | None, str, str]]) -> list[tuple[str | None, int | None]]:
    by_name = {c.name: c for c in project.connections}
    located: list[tuple[str | None, int | None]] = []
    for connection_name, field, _ in problems:
        connection = by_name.get(connection_name or "")
        model: Any = connection
        if connection is not None:
            index = _ACCESS_INDEX.match(field)
            if index and int(index.group(1)) < len(connection.access):
                model = connection.access[int(index.group(1))]
        elif field.startswith("policy"):
            model = project.policy
        location = declared_at(model) if model is not None else None
        located.append((location.file, location.line) if location else (None, None))
    return located


def _connection_document(project: Project, connection: Any) -> dict[str, Any]:
    location = declared_at(connection)
    return {
        "name": connection.name,
        "integration": connection.integration,
        "owner": connection.owner,
        "purpose": connection.purpose,
        "file": location.file if location else project.sources.get(connection.name),
        "line": location.line if location else None,
        "platforms": [str(a.platform) for a in connection.access],
    }


def _entry_document(slot: Slot, policy: Any, scope_facts: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """What one access entry plans to, for all its holders: the parts of a slot that are not the holder."""
    platform = str(slot.platform)
    access = slot.access
    location = declared_at(access)
    catalog = get_platform(platform).catalog
    grants = catalog.sorted(catalog.closure(slot.scopes))
    for scope in grants:
        _scope_fact(scope_facts, platform, scope)
    kind = slot.kind
    return {
        "connection": slot.connection,
        "integration": slot.integration,
        "platform": platform,
        "base_url": slot.base_url,
        "holder_is_person": slot.holder_is_person,
        "kind": str(kind),
        "kind_label": kind.label,
        "personal": kind.is_personal,
        "carries_secret": kind.carries_secret,
        "strategy": str(slot.strategy),
        "reason": slot.reason,
        "scopes": list(slot.scopes),
        "grants": grants,
        "lifetime_days": slot.lifetime_days,
        "declared_lifetime": access.max_lifetime_days,
        "lifetime_ceiling": policy.lifetime_ceiling(kind),
        "expires_at": slot.expires_at.isoformat() if kind.carries_secret else None,
        "prerequisites": [p.model_dump(mode="json") for p in slot.prerequisites],
        "delivery": slot.delivery.model_dump(mode="json") if slot.delivery is not None else None,
        "resources": get_platform(slot.platform).resources(slot.access),
        "violations": [
            {"code": v.code, "severity": str(v.severity), "message": v.message} for v in slot.violations
        ],
        "file": location.file if location else None,
        "line": location.line if location else None,
    }


def _scope_fact(facts: dict[str, dict[str, dict[str, Any]]], platform: str, scope: str) -> None:
    known = facts.setdefault(platform, {})
    if scope in known:
        return
    catalog = get_platform(platform).catalog
    if scope not in catalog:
        known[scope] = {"label": scope, "grants": [], "high_privilege": False}
        return
    entry = catalog[scope]
    known[scope] = {
        "label": entry.label,
        "grants": [s for s in catalog.sorted(catalog.closure([scope])) if s != scope],
        "high_privilege": entry.high_privilege,
    }


def problems_document(error: DeclarationError) -> dict[str, Any]:
    locations = getattr(error, "locations", None) or [(None, None)] * len(error.problems)
    return {
        "format": FORMAT,
        "problems": [
            {"connection": connection, "field": field, "message": message, "file": file, "line": line}
            for (connection, field, message), (file, line) in zip(error.problems, locations, strict=True)
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scm_access.review.snapshot")
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--today", type=date.fromisoformat, required=True)
    arguments = parser.parse_args(argv)
    # The checkout is temporary: caching its modules' bytecode beside them is work thrown away.
    sys.dont_write_bytecode = True
    try:
        document = snapshot(arguments.project, arguments.today)
    except DeclarationError as error:
        sys.stdout.write(json.dumps(problems_document(error)))
        return int(ExitCode.USAGE)
    # One write: json.dump writes each token on its own, a million writes to a pipe at 10,000 slots.
    sys.stdout.write(json.dumps(document, separators=(",", ":")))
    return int(ExitCode.OK)


if __name__ == "__main__":
    sys.exit(main())
