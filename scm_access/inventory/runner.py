"""Run the inventory: every configured platform's reader at once, through one HTTP client, then matching
and the one judge.

- A platform without administrator credentials is skipped with one line naming the variable that enables
  it (its slots are not judged: nobody asked to read it).
- A reader that fails for what a server does (refused, unreachable, rate limited, unreadable) leaves every
  other platform's findings intact; its own slots are ``unknown`` with the reason. A bug propagates.
- Everything that leaves here is scrubbed of every credential value this process knows, whatever a server
  echoed into a name or a message.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from scm_access.core.kinds import Platform
from scm_access.declarations.policy import Policy
from scm_access.http import ApiClient, ApiError
from scm_access.inventory.judging import judge_matched, judge_not_found, judge_undeclared
from scm_access.inventory.match import match
from scm_access.inventory.model import FoundCredential, Inventory, SourceReport, SourceStatus
from scm_access.inventory.reader import AdminCredential, InventoryContext, reader_for
from scm_access.inventory.report import CredentialRef, InventoryReport, SlotFinding, UndeclaredCredential
from scm_access.judge import Problem, ProblemCode, nothing_found
from scm_access.judge.secrets import KNOWN_SECRETS, mentions_a_secret, scrub, scrub_exception, scrub_model
from scm_access.plan.slot import Slot

READER_SOURCE = "reader"
"""The source name of a platform's reading as a whole, when it failed before naming a view."""


def readers(
    platforms: Iterable[Platform], environ: Mapping[str, str]
) -> tuple[dict[Platform, ModuleType], list[SourceReport]]:
    """The readers to run, and a skipped source for each platform that will not be read, saying why (the
    variable that enables it)."""
    chosen: dict[Platform, ModuleType] = {}
    skipped: list[SourceReport] = []
    for platform in platforms:
        module = reader_for(platform.value)
        missing = "scm-access has no admin inventory for it" if module is None else module.configured(environ)
        if module is None or missing is not None:
            skipped.append(SourceReport(platform.value, READER_SOURCE, SourceStatus.SKIPPED, missing or ""))
            continue
        chosen[platform] = module
    return chosen, skipped


def admin_credentials(platforms: Iterable[Platform]) -> list[AdminCredential]:
    """Every administrator credential the platforms' readers read, in platform order."""
    found: list[AdminCredential] = []
    for platform in platforms:
        module = reader_for(platform.value)
        found += list(getattr(module, "ADMIN_CREDENTIALS", ()))
    return found


def skipped_line(source: SourceReport) -> str:
    return f"{source.platform}: skipped: {source.detail}"


async def run_inventory(
    slots: Sequence[Slot],
    *,
    policy: Policy,
    environ: Mapping[str, str],
    platforms: Sequence[Platform] | None = None,
    api_root: str | None = None,
    http: ApiClient | None = None,
    now: datetime | None = None,
    resource_ids: Mapping[tuple[str, str], str] | None = None,
    options: Mapping[str, object] | None = None,
) -> InventoryReport:
    """Read every configured platform (all, or ``platforms``), match what exists to ``slots`` and judge it.

    ``api_root`` points every reader at one API root; ``resource_ids`` maps (platform, credential id) to
    the slot the stack made it for."""
    if http is None:
        async with ApiClient() as owned:
            return await run_inventory(
                slots, policy=policy, environ=environ, platforms=platforms, api_root=api_root, http=owned,
                now=now, resource_ids=resource_ids, options=options,
            )
    now = now or datetime.now(UTC)
    wanted = list(platforms) if platforms else list(Platform)
    chosen, skipped = readers(wanted, environ)

    async def read(platform: Platform, module: ModuleType) -> Inventory:
        ctx = InventoryContext.for_platform(
            platform, slots, http=http, environ=environ, policy=policy, now=now, api_root=api_root, options=options
        )
        try:
            found: Inventory = await module.read(ctx)
        except ApiError as error:
            # A reader should report its views' failures itself; one that lets a server's failure through
            # still spoils only its own platform.
            return Inventory(sources=[SourceReport(platform.value, READER_SOURCE, SourceStatus.FAILED, scrub(error.reason))])
        except Exception as error:
            raise scrub_exception(error)  # a bug: reported as one, without any credential in its text
        return found

    read_platforms = list(chosen)
    inventories = await asyncio.gather(*(read(p, chosen[p]) for p in read_platforms))
    inventory = Inventory()
    for part in inventories:
        inventory.extend(part)
    report = InventoryReport(
        date=now,
        stale_days=policy.stale_after_days,
        sources=[*inventory.sources, *skipped],
        skipped=[skipped_line(s) for s in skipped],
    )
    judged = judge_inventory(
        [s for s in slots if s.platform in chosen], _unique(inventory.credentials), inventory.sources, policy, now,
        resource_ids,
    )
    report.findings, report.undeclared = judged
    return scrub_report(report)


def judge_inventory(
    slots: Sequence[Slot],
    credentials: Sequence[FoundCredential],
    sources: Sequence[SourceReport],
    policy: Policy,
    now: datetime,
    resource_ids: Mapping[tuple[str, str], str] | None = None,
) -> tuple[list[SlotFinding], list[UndeclaredCredential]]:
    """Findings for ``slots`` (in their order) and the undeclared credentials, from what was read."""
    matching = match(slots, credentials, resource_ids)
    whole_failures = {s.platform: s for s in sources if s.source == READER_SOURCE and s.status == SourceStatus.FAILED}
    findings = []
    for slot in slots:
        matched = matching.matches.get(slot.id)
        if matched is not None:
            finding = judge_matched(slot, matched.credentials, policy, now)
            notes = tuple(dict.fromkeys(n for c in matched.credentials[:1] for n in c.unobservable))
            findings.append(
                SlotFinding(
                    finding,
                    matched.matched_by.value,
                    tuple(CredentialRef.of(c) for c in matched.credentials),
                    notes,
                    tuple(matched.credentials),
                )
            )
        elif slot.platform.value in whole_failures:
            failure = whole_failures[slot.platform.value]
            problem = Problem(code=ProblemCode.API_ERROR, detail=f"not read: {failure.detail}")
            findings.append(SlotFinding(nothing_found(slot, problem)))
        else:
            findings.append(SlotFinding(judge_not_found(slot, sources)))
    undeclared = []
    for item in matching.undeclared:
        problems = judge_undeclared(item.credential, policy, now)
        if item.note:
            first = problems[0]
            problems[0] = first.model_copy(update={"detail": f"{first.detail}; {item.note}"})
        undeclared.append(UndeclaredCredential(item.credential, tuple(problems)))
    return findings, undeclared


def _unique(credentials: Iterable[FoundCredential]) -> list[FoundCredential]:
    """Each credential once, whatever a reader listed twice (the same grant on two pages of a moving list)."""
    seen: dict[tuple[str, str, str], FoundCredential] = {}
    for found in credentials:
        seen.setdefault((found.platform.value, found.source, found.id), found)
    return list(seen.values())


def scrub_report(report: InventoryReport) -> InventoryReport:
    """The report without any credential value this process knows, wherever a server put one."""
    if not KNOWN_SECRETS:
        return report
    report.sources = [
        SourceReport(s.platform, s.source, s.status, scrub(s.detail), s.scope, s.kinds) for s in report.sources
    ]
    report.skipped = [scrub(line) for line in report.skipped]
    if _mentions_a_secret(_finding_texts(f) for f in report.findings):
        report.findings = [
            SlotFinding(
                scrub_model(f.finding),
                f.matched_by,
                tuple(
                    CredentialRef(scrub(c.id), c.source, _scrubbed(c.name), _scrubbed(c.token_last_eight))
                    for c in f.credentials
                ),
                tuple(scrub(n) for n in f.not_shown),
                tuple(_scrubbed_credential(c) for c in f.found),
            )
            for f in report.findings
        ]
    if _mentions_a_secret(_texts_of(u) for u in report.undeclared):
        report.undeclared = [
            UndeclaredCredential(_scrubbed_credential(u.credential), tuple(scrub_model(p) for p in u.problems))
            for u in report.undeclared
        ]
    return report


def _finding_texts(item: SlotFinding) -> list[str | None]:
    """Every text of a slot's finding that scrubbing it looks at."""
    texts: list[str | None] = list(_strings_in(item.finding.model_dump()))
    for ref in item.credentials:
        texts += (ref.id, ref.name, ref.token_last_eight)
    texts += item.not_shown
    for found in item.found:
        texts += _credential_texts(found)
    return texts


def _strings_in(data: object) -> Iterable[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings_in(key)
            yield from _strings_in(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _strings_in(value)


def _texts_of(item: UndeclaredCredential) -> list[str | None]:
    texts = _credential_texts(item.credential)
    for problem in item.problems:
        texts.append(problem.detail)
        for step in problem.remediation:
            texts += (step.text, step.link, *step.items)
    return texts


_SERVER_TEXTS = ("id", "kind_label", "name", "owner", "owner_id", "scope", "token_last_eight", "access_level")
"""The plain-text fields of a credential that a server gave: checked and scrubbed alike (named once, so a field
is never checked without being scrubbed, or the other way round)."""


def _credential_texts(found: FoundCredential) -> list[str | None]:
    """The texts of a credential that :func:`_scrubbed_credential` scrubs (None where there is none)."""
    texts = [getattr(found, name) for name in _SERVER_TEXTS]
    texts += found.unobservable
    texts += (value for _, value in found.extra)
    if found.scopes:
        texts += found.scopes
    if found.repositories:
        texts += found.repositories
    return texts


def _mentions_a_secret(groups: Iterable[list[str | None]]) -> bool:
    """One look over every text (thousands of credentials are scrubbed item by item only when a secret is
    actually among them)."""
    texts: list[str | None] = []
    for group in groups:
        texts += group
    # Each distinct text once: the same remediation, note and scope recur on thousands of credentials.
    return mentions_a_secret("\n".join(filter(None, dict.fromkeys(texts))))


def _scrubbed_credential(found: FoundCredential) -> FoundCredential:
    """Every text of ``found`` that a server gave, scrubbed (what the outputs show of it and what they do not)."""
    texts: dict[str, Any] = {name: _scrubbed(getattr(found, name)) for name in _SERVER_TEXTS}
    return replace(
        found,
        **texts,
        scopes=None if found.scopes is None else frozenset(scrub(s) for s in found.scopes),
        repositories=None if found.repositories is None else frozenset(scrub(r) for r in found.repositories),
        unobservable=tuple(scrub(n) for n in found.unobservable),
        extra=tuple((k, scrub(v)) for k, v in found.extra),
    )


def _scrubbed(text: str | None) -> str | None:
    return scrub(text) if text else text
