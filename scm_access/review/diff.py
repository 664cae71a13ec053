"""The semantic difference between two planned revisions of the declarations.

Works on snapshot documents (:mod:`scm_access.review.snapshot`) only: slots are matched by identity
(connection, platform, host, holder), never by position, and lists whose order means nothing are compared as
sets, so moving or reformatting a declaration changes nothing. One pass over each revision's slots: the diff is
linear in their number.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any, Literal

from scm_access.review import policy_settings
from scm_access.review import rules as R
from scm_access.review.model import (
    ConnectionChange,
    FieldChange,
    Finding,
    Level,
    Location,
    PolicyChange,
    Review,
    RevisionInfo,
    ScopeChange,
    SlotChange,
    SlotState,
    Verdict,
    Verdicts,
)
from scm_access.review.snapshot import FORMAT

# The parts of a slot that come from its declaration (a change here is a change the author made).
_DECLARED_FIELDS = (
    "scopes",
    "kind",
    "declared_lifetime",
    "prerequisites",
    "delivery",
    "resources",
    "holder_login",
)


class SnapshotFormatError(ValueError):
    """A snapshot document of another version: the tool that planned a revision is not this one."""


def compare(
    base: dict[str, Any],
    head: dict[str, Any],
    base_info: RevisionInfo,
    head_info: RevisionInfo,
    path_prefix: str = "",
) -> Review:
    """What changes in access from ``base`` to ``head``. ``path_prefix`` makes declaration files relative to the
    repository's top folder (the project folder inside it, or empty)."""
    for document in (base, head):
        if document.get("format") != FORMAT:
            raise SnapshotFormatError(f"snapshot format {document.get('format')!r}, expected {FORMAT}")
    builder = _Builder(base, head, path_prefix)
    return builder.build(base_info, head_info)


class _Builder:
    def __init__(self, base: dict[str, Any], head: dict[str, Any], path_prefix: str) -> None:
        self.base = base
        self.head = head
        self.prefix = path_prefix.rstrip("/") + "/" if path_prefix not in ("", ".") else ""
        self.base_slots = _slots(base)
        self.head_slots = _slots(head)
        self.base_entries = [_semantic(e) for e in base["entries"]]
        self.head_entries = [_semantic(e) for e in head["entries"]]
        self.same_entries: dict[tuple[int, int], bool] = {}
        self.scope_facts: dict[str, dict[str, Any]] = {}
        for document in (base, head):  # head's facts win: they describe the scopes as the change leaves them
            for platform, facts in document.get("scopes", {}).items():
                self.scope_facts.setdefault(platform, {}).update(facts)
        self.findings: list[Finding] = []
        self.locations: dict[tuple[str, int | None, str], Location] = {}

    # -- locations ---------------------------------------------------------------------------------

    def location(self, item: dict[str, Any] | None, side: str = "head") -> Location:
        if not item or not item.get("file"):
            return _NOWHERE
        # Every holder of an entry shares its line: one Location object per line.
        key = (item["file"], item.get("line"), side)
        location = self.locations.get(key)
        if location is None:
            location = self.locations[key] = Location(file=self.prefix + item["file"], line=item.get("line"), revision=side)
        return location

    def policy_location(self) -> Location:
        if self.head["policy"].get("file"):
            return self.location(self.head["policy"])
        return self.location(self.base["policy"], "base")

    # -- findings ----------------------------------------------------------------------------------

    def finding(
        self,
        rule: R.ReviewRule,
        message: str,
        location: Location,
        identity: Iterable[str],
        slot: str | None = None,
        connection: str | None = None,
        level: Any = None,
    ) -> None:
        self.findings.append(
            Finding(
                rule=rule.id,
                level=level or rule.level,
                message=message,
                location=location,
                fingerprint=fingerprint(rule.id, *identity),
                slot=slot,
                connection=connection,
            )
        )

    # -- the diff ----------------------------------------------------------------------------------

    def build(self, base_info: RevisionInfo, head_info: RevisionInfo) -> Review:
        slot_changes = self.slot_changes()
        connections = self.connection_changes(slot_changes)
        policy = self.policy_changes()
        verdicts = self.verdicts()
        deleted = [c.key for cs in slot_changes.values() for c in cs if c.deletes_credential]
        return Review(
            base=base_info,
            head=head_info,
            today=self.head["today"],
            connections=connections,
            policy=policy,
            policy_location=self.policy_location(),
            verdicts=verdicts,
            deleted_credentials=sorted(deleted),
            findings=sorted(self.findings, key=lambda f: (-f.level.rank, f.rule, f.fingerprint)),
            slots=self.slot_states(),
            rules=[r.info() for r in R.REVIEW_RULES] + self.policy_rules(),
        )

    def slot_changes(self) -> dict[str, list[SlotChange]]:
        """Slot changes grouped by connection name."""
        changes: dict[str, list[SlotChange]] = {}
        for key, after in self.head_slots.items():
            before = self.base_slots.get(key)
            change = self.added_slot(after) if before is None else self.changed_slot(before, after)
            if change is not None:
                changes.setdefault(after["connection"], []).append(change)
        for key, before in self.base_slots.items():
            if key not in self.head_slots:
                changes.setdefault(before["connection"], []).append(self.removed_slot(before))
        for connection in changes.values():
            connection.sort(key=lambda c: c.key)
        return changes

    def added_slot(self, slot: dict[str, Any]) -> SlotChange:
        scopes = [self.scope_change(slot["platform"], s) for s in slot["scopes"]]
        change = SlotChange(
            key=slot["key"],
            connection=slot["connection"],
            platform=slot["platform"],
            holder=slot["holder"],
            change="added",
            location=self.location(slot),
            kind=slot["kind_label"],
            strategy=slot["strategy"],
            scopes_added=scopes,
            newly_granted=list(slot["grants"]),
        )
        self.finding(
            R.CREDENTIAL_ADDED,
            f"{slot['key']}: new {slot['kind_label']} with {_scope_list(slot['scopes'])}"
            f" for {slot['lifetime_days']} days",
            change.location,
            (slot["key"],),
            slot=slot["key"],
            connection=slot["connection"],
        )
        self.scope_findings(slot, scopes)
        return change

    def removed_slot(self, slot: dict[str, Any]) -> SlotChange:
        provisioned = slot["strategy"] == "provision"
        change = SlotChange(
            key=slot["key"],
            connection=slot["connection"],
            platform=slot["platform"],
            holder=slot["holder"],
            change="removed",
            location=self.connection_location_at_head(slot["connection"]) or self.location(slot, "base"),
            kind=slot["kind_label"],
            strategy=slot["strategy"],
            scopes_removed=[self.scope_change(slot["platform"], s) for s in slot["scopes"]],
            no_longer_granted=list(slot["grants"]),
            deletes_credential=provisioned and slot["carries_secret"],
        )
        rule = R.PROVISIONED_DELETED if change.deletes_credential else R.CREDENTIAL_REMOVED
        what = "the stack deletes the provisioned" if change.deletes_credential else "no longer declared:"
        self.finding(
            rule,
            f"{slot['key']}: {what} {slot['kind_label']}",
            change.location,
            (slot["key"],),
            slot=slot["key"],
            connection=slot["connection"],
        )
        return change

    def changed_slot(self, before: dict[str, Any], after: dict[str, Any]) -> SlotChange | None:
        # Holders of one entry share everything but their account: compare each pair of entries once.
        pair = (before["entry"], after["entry"])
        same = self.same_entries.get(pair)
        if same is None:
            same = self.same_entries[pair] = self.base_entries[pair[0]] == self.head_entries[pair[1]]
        if same and before["holder_login"] == after["holder_login"]:
            return None
        key = after["key"]
        location = self.location(after)
        platform = after["platform"]
        base_scopes, head_scopes = set(before["scopes"]), set(after["scopes"])
        added = [self.scope_change(platform, s) for s in after["scopes"] if s not in base_scopes]
        removed = [self.scope_change(platform, s) for s in before["scopes"] if s not in head_scopes]
        base_grants, head_grants = set(before["grants"]), set(after["grants"])
        newly = [s for s in after["grants"] if s not in base_grants]
        lost = [s for s in before["grants"] if s not in head_grants]
        fields = self.field_changes(before, after)
        replaced = before["kind"] != after["kind"] or before["strategy"] != after["strategy"]
        deletes = replaced and before["strategy"] == "provision" and before["carries_secret"]
        if not (added or removed or newly or lost or fields):
            return None
        self.scope_findings(after, added)
        for scope in removed:
            self.finding(
                R.SCOPE_REMOVED,
                f"{key}: no longer has `{scope.scope}` ({scope.label})",
                location,
                (key, scope.scope),
                slot=key,
                connection=after["connection"],
            )
        for change in fields:
            rule = _FIELD_RULES.get(change.field)
            if change.field == "strategy":
                rule = R.BECAME_PERSONAL if after["strategy"] != "provision" else R.BECAME_PROVISIONED
            elif change.field == "lifetime_days":
                rule = R.LIFETIME_EXTENDED if after["lifetime_days"] > before["lifetime_days"] else R.LIFETIME_SHORTENED
            if rule is not None:
                self.finding(rule, f"{key}: {change.summary}", location, (key, change.field), slot=key, connection=after["connection"])
        if deletes:
            self.finding(
                R.PROVISIONED_DELETED,
                f"{key}: the stack replaces the provisioned {before['kind_label']}: the current credential is deleted",
                location,
                (key, "replaced"),
                slot=key,
                connection=after["connection"],
            )
        return SlotChange(
            key=key,
            connection=after["connection"],
            platform=platform,
            holder=after["holder"],
            change="changed",
            location=location,
            kind=after["kind_label"],
            strategy=after["strategy"],
            scopes_added=added,
            scopes_removed=removed,
            newly_granted=newly,
            no_longer_granted=lost,
            fields=fields,
            deletes_credential=deletes,
        )

    def scope_findings(self, slot: dict[str, Any], added: list[ScopeChange]) -> None:
        for scope in added:
            grants = f"; it also grants {_scope_list(scope.grants)}" if scope.grants else ""
            rule = R.HIGH_PRIVILEGE_SCOPE_ADDED if scope.high_privilege else R.SCOPE_ADDED
            flagged = " (high-privilege)" if scope.high_privilege else ""
            self.finding(
                rule,
                f"{slot['key']}: gains `{scope.scope}` ({scope.label}){flagged}{grants}",
                self.location(slot),
                (slot["key"], scope.scope),
                slot=slot["key"],
                connection=slot["connection"],
            )

    def scope_change(self, platform: str, scope: str) -> ScopeChange:
        facts = self.scope_facts.get(platform, {}).get(scope, {})
        return ScopeChange(
            scope=scope,
            label=facts.get("label", scope),
            high_privilege=bool(facts.get("high_privilege")),
            grants=list(facts.get("grants", [])),
        )

    def field_changes(self, before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
        return [change for differ in _FIELD_DIFFS for change in differ(before, after)]

    def connection_location_at_head(self, name: str) -> Location | None:
        for connection in self.head["connections"]:
            if connection["name"] == name:
                return self.location(connection)
        return None

    def connection_changes(self, slot_changes: dict[str, list[SlotChange]]) -> list[ConnectionChange]:
        base = {c["name"]: c for c in self.base["connections"]}
        head = {c["name"]: c for c in self.head["connections"]}
        result = []
        for name in sorted({*base, *head}):
            before, after = base.get(name), head.get(name)
            slots = slot_changes.get(name, [])
            if before is None and after is not None:
                change = "added"
                location = self.location(after)
                self.finding(
                    R.CONNECTION_ADDED,
                    f"{name}: new connection for {after['integration']} on {', '.join(after['platforms'])}",
                    location,
                    (name,),
                    connection=name,
                )
            elif after is None and before is not None:
                change = "removed"
                location = self.location(before, "base")
                self.finding(
                    R.CONNECTION_REMOVED,
                    f"{name}: {before['integration']} is no longer declared",
                    location,
                    (name,),
                    connection=name,
                )
            elif slots:
                change = "changed"
                location = self.location(after)
            else:
                continue
            source = after or before or {}  # one of the two exists: the name came from their union
            base_platforms = set(before["platforms"]) if before else set()
            head_platforms = set(after["platforms"]) if after else set()
            result.append(
                ConnectionChange(
                    name=name,
                    integration=source["integration"],
                    change=change,
                    location=location,
                    platforms_added=sorted(head_platforms - base_platforms) if before else [],
                    platforms_removed=sorted(base_platforms - head_platforms) if after else [],
                    slots=slots,
                )
            )
        return result

    # -- policy ------------------------------------------------------------------------------------

    def policy_changes(self) -> list[PolicyChange]:
        before, after = self.base["policy"]["settings"], self.head["policy"]["settings"]
        changes: list[PolicyChange] = []
        for setting in sorted({*before, *after}):
            old, new = before.get(setting), after.get(setting)
            if old == new:
                continue
            if setting == "forbidden_scopes":
                changes.extend(self.forbidden_changes(old or {}, new or {}))
            elif setting == "max_lifetime_days":
                for kind in sorted({*(old or {}), *(new or {})}):
                    was = (old or {}).get(kind, before.get("default_max_lifetime_days"))
                    now = (new or {}).get(kind, after.get("default_max_lifetime_days"))
                    if was != now:
                        changes.append(self.lifetime_change(f"max_lifetime_days.{kind}", was, now, kind))
            elif setting == "default_max_lifetime_days":
                changes.append(self.lifetime_change(setting, old, new, None))
            else:
                changes.append(self.flag_change(setting, old, new))
        location = self.policy_location()
        for change in changes:
            rule = _POLICY_RULES[change.direction]
            affected = f"; affects {len(change.affected_slots)} slot(s)" if change.affected_slots else ""
            identity = (change.setting, _canonical(change.before), _canonical(change.after))
            self.finding(rule, f"policy: {change.summary}{affected}", location, identity)
        return changes

    def forbidden_changes(self, old: dict[str, list[str]], new: dict[str, list[str]]) -> list[PolicyChange]:
        changes = []
        for platform in sorted({*old, *new}):
            was, now = set(old.get(platform, [])), set(new.get(platform, []))
            for scope in sorted(was - now):
                changes.append(
                    PolicyChange(
                        setting=f"forbidden_scopes.{platform}",
                        before=scope,
                        after=None,
                        direction="relaxed",
                        summary=f"{scope} is no longer forbidden on {self.platform_name(platform)}",
                        affected_slots=self.slots_granting(platform, scope),
                    )
                )
            for scope in sorted(now - was):
                changes.append(
                    PolicyChange(
                        setting=f"forbidden_scopes.{platform}",
                        before=None,
                        after=scope,
                        direction="tightened",
                        summary=f"{scope} becomes forbidden on {self.platform_name(platform)}",
                        affected_slots=self.slots_granting(platform, scope),
                    )
                )
        return changes

    def slots_granting(self, platform: str, scope: str) -> list[str]:
        return sorted(
            {
                key
                for slots in (self.base_slots, self.head_slots)
                for key, slot in slots.items()
                if slot["platform"] == platform and scope in slot["grants"]
            }
        )

    def lifetime_change(self, setting: str, old: Any, new: Any, kind: str | None) -> PolicyChange:
        direction = "relaxed" if (new or 0) > (old or 0) else "tightened"
        what = f"for {self.kind_label(kind)}" if kind else "by default"
        affected = sorted(
            key
            for key, after in self.head_slots.items()
            if key in self.base_slots and self.base_slots[key]["lifetime_ceiling"] != after["lifetime_ceiling"]
            and (kind is None or after["kind"] == kind)
        )
        return PolicyChange(
            setting=setting,
            before=old,
            after=new,
            direction=direction,
            summary=f"maximum lifetime {what} {old} → {new} days",
            affected_slots=affected,
        )

    def flag_change(self, setting: str, old: Any, new: Any) -> PolicyChange:
        reading = policy_settings.read(setting, old, new)
        if setting == "allow_revocation":
            affected = self.newly_revocable(old, new)
        else:  # the slots whose outcome moved while their own declaration did not
            affected = sorted(
                key
                for key, after in self.head_slots.items()
                if (before := self.base_slots.get(key)) is not None
                and all(_canonical(before[f]) == _canonical(after[f]) for f in _DECLARED_FIELDS if f != "kind")
                and (
                    before["strategy"] != after["strategy"]
                    or before["kind"] != after["kind"]
                    or {v["code"] for v in before["violations"]} != {v["code"] for v in after["violations"]}
                )
            )
        return PolicyChange(
            setting=setting,
            before=old,
            after=new,
            direction=reading.direction,
            summary=reading.summary,
            affected_slots=affected,
        )

    def newly_revocable(self, old: Any, new: Any) -> list[str]:
        """The slots (at head) whose credentials scm-access may revoke or delete after the change, not before."""
        was, now = policy_settings.revocation_scope(old), policy_settings.revocation_scope(new)

        def covers(scope: set[str] | None, slot: dict[str, Any]) -> bool:
            return scope is None or slot["platform"] in scope or slot["kind"] in scope

        return sorted(key for key, slot in self.head_slots.items() if covers(now, slot) and not covers(was, slot))

    def platform_name(self, platform: str) -> str:
        return self.head.get("platforms", {}).get(platform) or self.base.get("platforms", {}).get(platform) or platform

    def kind_label(self, kind: str) -> str:
        for slots in (self.head_slots, self.base_slots):
            for slot in slots.values():
                if slot["kind"] == kind:
                    return slot["kind_label"]
        return kind

    # -- verdicts ----------------------------------------------------------------------------------

    def verdicts(self) -> Verdicts:
        new: list[Verdict] = []
        fixed: list[Verdict] = []
        updated: list[Verdict] = []
        unchanged = 0
        for key, after in self.head_slots.items():
            before = self.base_slots.get(key)
            had = {v["code"]: v["message"] for v in before["violations"]} if before else {}
            for violation in after["violations"]:
                location = self.location(after)
                code = violation["code"]
                baseline: Literal["new", "updated", "unchanged"]
                if code not in had:
                    baseline = "new"
                    new.append(Verdict.model_construct(slot=key, location=location, **violation))
                elif had[code] != violation["message"]:
                    baseline = "updated"
                    updated.append(Verdict.model_construct(slot=key, location=location, **violation))
                else:
                    baseline = "unchanged"
                    unchanged += 1
                rule = R.policy_rule_id(code)
                # Built from this tool's own snapshot: no need to validate ten thousand of them again.
                self.findings.append(
                    Finding.model_construct(
                        rule=rule,
                        level=Level(violation["severity"]),
                        message=f"{key}: {violation['message']}",
                        location=location,
                        fingerprint=fingerprint(rule, key),
                        slot=key,
                        connection=after["connection"],
                        baseline=baseline,
                    )
                )
        for key, before in self.base_slots.items():
            remaining = self.head_slots.get(key)
            has = {v["code"] for v in remaining["violations"]} if remaining else set()
            location = self.location(remaining) if remaining else self.location(before, "base")
            fixed.extend(
                Verdict.model_construct(slot=key, location=location, **v) for v in before["violations"] if v["code"] not in has
            )
        return Verdicts(new=new, fixed=fixed, updated=updated, unchanged=unchanged)

    def slot_states(self) -> list[SlotState]:
        states = [
            SlotState.model_construct(
                key=key,
                connection=slot["connection"],
                platform=slot["platform"],
                holder=slot["holder"],
                kind=slot["kind_label"],
                strategy=slot["strategy"],
                location=self.location(slot),
                removed=False,
                errors=[v["code"] for v in slot["violations"] if v["severity"] == "error"],
                warnings=[v["code"] for v in slot["violations"] if v["severity"] != "error"],
            )
            for key, slot in self.head_slots.items()
        ]
        states.extend(
            SlotState.model_construct(
                key=key,
                connection=slot["connection"],
                platform=slot["platform"],
                holder=slot["holder"],
                kind=slot["kind_label"],
                strategy=slot["strategy"],
                location=self.location(slot, "base"),
                removed=True,
                errors=[],
                warnings=[],
            )
            for key, slot in self.base_slots.items()
            if key not in self.head_slots
        )
        return states

    def policy_rules(self) -> list:
        seen: dict[str, Any] = {}
        for document in (self.base, self.head):
            for rule in document.get("rules", []):
                seen[rule["code"]] = R.policy_rule_info(rule["code"], rule["name"], rule["description"], rule["severity"])
        return list(seen.values())


_STRATEGY = {"provision": "provisioned (org-managed)", "user_pat": "personal token"}
_FIELD_RULES = {
    "kind": R.KIND_CHANGED,
    "expires_at": R.LIFETIME_EXTENDED,
    "prerequisites": R.PREREQUISITES_CHANGED,
    "delivery": R.DELIVERY_CHANGED,
    "holder_login": R.HOLDER_CHANGED,
}


_POLICY_RULES = {
    "relaxed": R.POLICY_RELAXED,
    "tightened": R.POLICY_TIGHTENED,
    "widened": R.POLICY_WRITES_WIDENED,
    "changed": R.POLICY_CHANGED,
}

_NOWHERE = Location()


def _slots(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each slot with its entry's fields (a snapshot writes what holders share once, as an entry)."""
    entries = document["entries"]
    return {slot["key"]: {**entries[slot["entry"]], **slot} for slot in document["slots"]}


def _semantic(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry without where it is written: moving a declaration is not a change."""
    return {k: v for k, v in entry.items() if k not in ("file", "line")}


def fingerprint(*parts: str) -> str:
    """Stable across unrelated edits: built from identities (rule, slot, scope), never from lines or text."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _set_change(old: list[Any], new: list[Any]) -> tuple[list[Any], list[Any]] | None:
    """(removed, added), order ignored; None when the two hold the same items."""
    old_keys = {_canonical(x): x for x in old}
    new_keys = {_canonical(x): x for x in new}
    if old_keys.keys() == new_keys.keys():
        return None
    return [v for k, v in old_keys.items() if k not in new_keys], [v for k, v in new_keys.items() if k not in old_keys]


def _plus_minus(added: list[Any], removed: list[Any]) -> str:
    parts = [f"+ {x}" for x in added] + [f"− {x}" for x in removed]
    return ", ".join(str(p) for p in parts)


def _describe(value: Any) -> str:
    """A prerequisite or delivery, in words."""
    if value is None:
        return "none"
    if not isinstance(value, dict):
        return str(value)
    kind = value.get("type", "")
    details = ", ".join(f"{k}={v}" for k, v in value.items() if k != "type" and v not in (None, [], ""))
    return f"{kind.replace('_', ' ')} ({details})" if details else kind.replace("_", " ")


def _scope_list(scopes: Iterable[str]) -> str:
    return ", ".join(f"`{s}`" for s in scopes) or "no scope"


def _short(value: Any) -> str:
    return _canonical(value) if isinstance(value, (dict, list)) else str(value)


# -- what changed in one slot, field by field (in the order the review lists them) ---------------------------

Planned = dict[str, Any]
FieldDiff = Callable[[Planned, Planned], list[FieldChange]]


def _field(
    field: str, summary: Callable[[Planned, Planned], str], changed: Callable[[Planned, Planned], bool] | None = None
) -> FieldDiff:
    """A field compared as a whole: one change, worded by ``summary``, when ``changed`` (by default: unequal)."""

    def differ(before: Planned, after: Planned) -> list[FieldChange]:
        if not (changed(before, after) if changed else before[field] != after[field]):
            return []
        return [FieldChange(field=field, before=before[field], after=after[field], summary=summary(before, after))]

    return differ


def _lifetime(before: Planned, after: Planned) -> str:
    expiry = (
        f" (expires {before['expires_at']} → {after['expires_at']})"
        if before["expires_at"] and after["expires_at"]
        else ""
    )
    return f"lifetime {before['lifetime_days']} → {after['lifetime_days']} days{expiry}"


def _prerequisites(before: Planned, after: Planned) -> list[FieldChange]:
    change = _set_change(before["prerequisites"], after["prerequisites"])
    if not change:
        return []
    gone, new = change
    summary = "prerequisites " + _plus_minus([_describe(p) for p in new], [_describe(p) for p in gone])
    return [FieldChange(field="prerequisites", before=gone, after=new, summary=summary)]


def _resources(before: Planned, after: Planned) -> list[FieldChange]:
    changes = []
    for name in sorted({*before["resources"], *after["resources"]}):
        old, new = before["resources"].get(name), after["resources"].get(name)
        if isinstance(old, list) or isinstance(new, list):
            change = _set_change(old or [], new or [])
            if change:
                summary = f"{name} " + _plus_minus(change[1], change[0])
                changes.append(FieldChange(field=f"resources.{name}", before=old, after=new, summary=summary))
        elif old != new:
            summary = f"{name} {old or '—'} → {new or '—'}"
            changes.append(FieldChange(field=f"resources.{name}", before=old, after=new, summary=summary))
    return changes


_FIELD_DIFFS: tuple[FieldDiff, ...] = (
    _field("kind", lambda b, a: f"kind {b['kind_label']} → {a['kind_label']}"),
    _field("strategy", lambda b, a: f"{_STRATEGY[b['strategy']]} → {_STRATEGY[a['strategy']]} ({a['reason']})"),
    _field("lifetime_days", _lifetime),
    _field(  # the same lifetime from another day: only the date moved
        "expires_at",
        lambda b, a: f"expiry {b['expires_at'] or 'none'} → {a['expires_at'] or 'none'}",
        lambda b, a: b["lifetime_days"] == a["lifetime_days"] and b["expires_at"] != a["expires_at"],
    ),
    _field(  # 'longest' follows the policy: worth saying only when it appears or goes
        "declared_lifetime",
        lambda b, a: f"declared lifetime {b['declared_lifetime']} → {a['declared_lifetime']}",
        lambda b, a: b["declared_lifetime"] != a["declared_lifetime"]
        and "longest" in (b["declared_lifetime"], a["declared_lifetime"]),
    ),
    _prerequisites,
    _field(
        "delivery",
        lambda b, a: f"delivery {_describe(b['delivery'])} → {_describe(a['delivery'])}",
        lambda b, a: _canonical(b["delivery"]) != _canonical(a["delivery"]),
    ),
    _resources,
    _field("holder_login", lambda b, a: f"holder account {b['holder_login'] or '—'} → {a['holder_login'] or '—'}"),
)
