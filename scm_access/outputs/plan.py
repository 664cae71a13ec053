"""The plan in every format: the terminal (a layout chosen for the width, a summary past a size), Markdown,
JSON, and an HTML or Markdown index of a `plan --out` folder.

Past :data:`TABLE_LIMIT` slots the terminal shows the summary and the problems instead of every slot (a
table of thousands of rows is not read); `--full-table` asks for every slot anyway.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from json.encoder import encode_basestring_ascii
from operator import attrgetter
from typing import Any, TextIO

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from scm_access.declarations.connection import SecretStore
from scm_access.outputs import registry
from scm_access.outputs.instructions import INDENTED_UP_TO, PLAN_COLUMNS, html_page, html_text
from scm_access.outputs.registry import OutputFormat
from scm_access.outputs.terminal import Hanging, plain
from scm_access.outputs.text import markdown_code, markdown_text, visible
from scm_access.plan.planner import Plan
from scm_access.plan.slot import PER_HOLDER, Slot, Strategy, declaration_groups, summaries
from scm_access.rules import Severity

TABLE_LIMIT = 200
"""Slots shown one by one on the terminal; past it, the summary and the problems (`--full-table`: all)."""
WIDE = 150
"""From this width the table has a column per fact; below it, four columns; below NARROW, a block per slot."""
NARROW = 100
EXAMPLES_PER_PROBLEM = 5
"""Past TABLE_LIMIT, how many slots each problem names (the rest are counted)."""


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    policy_source: str = ""
    """Where the policy in force comes from, for the header (a file, stack overrides, the defaults)."""
    policy_is_default: bool = False
    full_table: bool = False
    pages: dict[str, str] = field(default_factory=dict)
    """Connection name → the page written for it (an index links to them)."""


@dataclass(frozen=True)
class ProblemLine:
    """One violation as printed: the same rule and message on several holders of a declaration is one line."""

    connection: str
    platform: str
    severity: Severity
    code: str
    message: str
    holders: tuple[str, ...]


def problem_lines(slots: Iterable[Slot]) -> list[ProblemLine]:
    grouped: dict[tuple[str, str, Severity, str, str], list[str]] = {}
    # The holders of a declaration share its violations (the very same list): the lines they go on are
    # looked up once for the run of them.
    for leader, run in declaration_groups(slots):
        violations = leader.violations
        if not violations:
            continue
        holders = [slot.holder for slot in run]
        platform = leader.platform.value
        for v in violations:
            grouped.setdefault((leader.connection, platform, v.severity, v.code, v.message), []).extend(holders)
    return [ProblemLine(*key, holders=tuple(holders)) for key, holders in grouped.items()]


# --- JSON -----------------------------------------------------------------------------------------------


def plan_document(result: Plan) -> dict[str, Any]:
    return {"date": result.today.isoformat(), "summary": result.counts(), "slots": list(summaries(result.slots))}


@registry.renderer("plan", OutputFormat.JSON)
def json_text(view: PlanView) -> str:
    """``plan --format json``: the text of plan.json (:func:`write_json`)."""
    buffer = io.StringIO()
    write_json(view, buffer)
    return buffer.getvalue()


def write_json(view: PlanView, file: TextIO) -> None:
    """plan.json: indented for people up to :data:`INDENTED_UP_TO` slots; past that compact and written slot
    by slot (the indenting encoder is pure Python: at 100,000 slots it took over ten seconds)."""
    if len(view.plan.slots) <= INDENTED_UP_TO:
        file.write(json_document(view))
    else:
        write_json_document(view, file)


def json_document(view: PlanView, *, indent: int | None = 2) -> str:
    document = plan_document(view.plan)
    if view.policy_source:
        document["policy"] = _policy(view)
    return json.dumps(document, indent=indent)


def write_json_document(view: PlanView, file: TextIO) -> None:
    """The compact document, ``json_document(view, indent=None)``, written slot by slot: the same bytes,
    without holding every slot's summary and the whole text at once."""
    result = view.plan
    file.write(f'{{"date": {json.dumps(result.today.isoformat())}, "summary": {json.dumps(result.counts())}, "slots": [')
    batch: list[str] = []
    separator = ""
    for text in slot_json_texts(result.slots):
        batch.append(text)
        if len(batch) == _BATCH:  # a write per slot cost as much as encoding it
            file.write(separator + ", ".join(batch))
            batch, separator = [], ", "
    if batch:
        file.write(separator + ", ".join(batch))
    file.write("]")
    if view.policy_source:
        file.write(f', "policy": {json.dumps(_policy(view))}')
    file.write("}")


_BATCH = 500
"""Slots written to plan.json at a time."""


def slot_json_texts(slots: Iterable[Slot]) -> Iterator[str]:
    """``json.dumps(slot.summary())`` for each slot, the same text, encoding what the holders of a declaration
    share once: the first holder's document becomes a template whose per-holder values (:data:`PER_HOLDER`)
    are filled in for each slot."""
    encode = encode_basestring_ascii  # a per-holder value as json.dumps writes it (ASCII, escaped)
    for leader, run in declaration_groups(slots):
        literals, keys = _template(leader.summary())
        # The literal pieces with a place between each two for a holder's value.
        parts = [""] * (2 * len(literals) - 1)
        parts[0::2] = literals
        # The holder's fields are always there (several keys: a tuple); the token variable only for a
        # personal token.
        holders_values = attrgetter(*keys)
        for slot in run:
            parts[1::2] = ["null" if value is None else encode(value) for value in holders_values(slot)]
            yield "".join(parts)


_MARK = "\x00scm-access: a holder's own value\x00"
_MARK_TEXT = json.dumps(_MARK)


def _template(document: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The compact JSON text of ``document`` cut around its per-holder values: the literal pieces between
    them, and the keys whose values go between the pieces. Encoded in one call, with a mark in place of
    each per-holder value; text that happens to hold the mark is encoded key by key instead."""
    keys = [key for key in document if key in PER_HOLDER]
    literals = json.dumps({**document, **dict.fromkeys(keys, _MARK)}).split(_MARK_TEXT)
    if len(literals) == len(keys) + 1:
        return literals, keys
    literals, piece = [], "{"
    for position, (key, value) in enumerate(document.items()):
        piece += (", " if position else "") + json.dumps(key) + ": "
        if key in PER_HOLDER:
            literals.append(piece)
            piece = ""
        else:
            piece += json.dumps(value)
    literals.append(piece + "}")
    return literals, keys


def _policy(view: PlanView) -> dict[str, Any]:
    return {"source": view.policy_source, "defaults": view.policy_is_default}


# --- Markdown -------------------------------------------------------------------------------------------


def _expiry(slot: Slot) -> str:
    if slot.kind.spec.expires:
        return slot.expires_at.isoformat()
    return "no expiry" if slot.kind.carries_secret else "no secret"


@registry.renderer("plan", OutputFormat.MARKDOWN)
def markdown(view: PlanView) -> str:
    result = view.plan
    lines = [f"# scm-access plan ({result.today.isoformat()})", ""]
    if view.policy_source:
        lines += [f"Policy: {markdown_text(view.policy_source)}", ""]
    lines += [
        "| Connection | Platform | Holder | Kind | Scopes | Strategy | Expires | Violations |",
        "|---|---|---|---|---|---|---|---|",
    ]
    # What the holders of a declaration share is rendered once: each holder's anchor and name go in. The
    # lines of the violations, which follow every row, are kept aside meanwhile.
    problems: list[str] = []
    shapes: dict[tuple[Any, ...], tuple[str, list[str]]] = {}
    for leader, run in declaration_groups(result.slots):
        key = _shape(leader)
        shape = shapes.get(key)
        if shape is None:
            shape = shapes[key] = (_markdown_tail(leader), _violation_tails(leader))
        tail, tails = shape
        before, after = _markdown_head(view.pages, leader)
        if after is not None:
            lines.extend([f"{before}{_anchor(slot.id)}{after}{markdown_text(slot.holder)} |{tail}" for slot in run])
        else:
            lines.extend([f"{before}{markdown_text(slot.holder)} |{tail}" for slot in run])
        if tails:
            # One line per violation, each naming the slot: the text after the slot's name is its declaration's.
            for slot in run:
                code = _code_span(slot.id)
                problems.extend([f"- {code} {line}" for line in tails])
    lines.append("")
    lines.extend(problems)
    return "\n".join(lines) + "\n"


_PLAIN_ID = re.compile(r"[A-Za-z0-9][-_./0-9A-Za-z]*")


def _code_span(slot_id: str) -> str:
    """``markdown_code(slot_id)``: most ids are plain names, in single backticks as they are (each id is
    asked for once: the cache behind markdown_code would only fill up)."""
    return f"`{slot_id}`" if _PLAIN_ID.fullmatch(slot_id) else markdown_code(slot_id)


def _violation_tails(slot: Slot) -> list[str]:
    return [f"{v.severity.value} `{v.code}`: {markdown_text(v.message)}" for v in slot.violations]


def _pending(slot: Slot) -> str:
    """What a person still has to do for the slot, in a few words (the page says how)."""
    if slot.strategy == Strategy.USER_PAT:
        return "token to create"
    if slot.blocking:
        return "refused by the policy"
    if not slot.kind.carries_secret:
        return "—"
    if isinstance(slot.delivery, SecretStore) and slot.delivery.store != "external":
        return "—"
    return "copy from the stack after each rotation"


def _shape(slot: Slot, *more: str) -> tuple[Any, ...]:
    """What the text of a row after the holder's name depends on (with ``more``): the kind, the strategy, the
    expiry, and the scopes and violations, compared by identity (the planner gives the declarations of one
    shape the very same lists, so most declarations share their row's end; other lists are only keyed apart).
    A key lives for one rendering, while every slot it names is alive: an id names one list."""
    return (slot.kind, slot.strategy, slot.expires_at, id(slot.scopes), id(slot.violations), *more)


def _markdown_head(pages: dict[str, str], s: Slot) -> tuple[str, str | None]:
    """A slot's row of the Markdown index before the holder: the text before the anchor of the slot's section
    (the whole text before the holder's name when there is no page to link to) and the text between the
    anchor and the name (None without a page)."""
    name = markdown_text(s.connection)
    page = pages.get(s.connection)
    if page:
        return f"| [{name}](<{page}#", f">) | {s.platform.value} | "
    return f"| {name} | {s.platform.value} | ", None


def _markdown_tail(s: Slot) -> str:
    """A slot's row of the Markdown index after the holder's name (what :func:`_shape` keys)."""
    codes = ", ".join(f"{v.severity.value}: {v.code}" for v in s.violations) or "—"
    scopes = ", ".join(markdown_code(x, in_table=True) for x in s.scopes)
    return f" {markdown_text(s.kind.label)} | {scopes} | {s.strategy.value} | {_expiry(s)} | {codes} |"


_ANCHOR_SAFE = re.compile(r"[-_./0-9A-Za-z]*")


def _anchor(slot_id: str) -> str:
    """A page's anchor for a slot (its id), safe inside a Markdown link destination."""
    if _ANCHOR_SAFE.fullmatch(slot_id):
        return slot_id
    return "".join(c if c.isalnum() or c in "-_./" else f"%{ord(c):02X}" for c in slot_id)


# --- HTML (the index of a plan --out folder) ------------------------------------------------------------


@registry.renderer("plan", OutputFormat.HTML)
def html(view: PlanView) -> str:
    result = view.plan
    counts = result.counts()
    rows: list[str] = []
    tails: dict[tuple[Any, ...], str] = {}
    for leader, run in declaration_groups(result.slots):
        # What the holders of a declaration share is rendered once: each holder's anchor and name go in. An
        # anchor holds nothing HTML reads (letters, digits, -_./ and %-escapes): it goes in as it is.
        pending = _pending(leader)
        key = _shape(leader, pending)
        tail = tails.get(key)
        if tail is None:
            tail = tails[key] = _html_tail(leader, pending)
        before, after = _html_head(view.pages, leader)
        if after is not None:
            rows.extend([f"{before}{_anchor(slot.id)}{after}{_html_name(slot.holder)}</td>{tail}" for slot in run])
        else:
            rows.extend([f"{before}{_html_name(slot.holder)}</td>{tail}" for slot in run])
    policy = f"<p>Policy: {html_text(view.policy_source)}</p>" if view.policy_source else ""
    intro = (
        f"{policy}<p>{counts['slots']} slot(s): {counts['provision']} provisioned, {counts['user_pat']} personal"
        f" token(s) to create; {counts['errors']} policy error(s), {counts['warnings']} warning(s).</p>"
    )
    body = (
        '<div class="scroll"><table class="index"><thead><tr>'
        + "".join(f"<th>{column}</th>" for column in PLAN_COLUMNS)
        + "</tr></thead><tbody>"
        + "\n".join(rows)
        + "</tbody></table></div>"
    )
    return html_page(f"scm-access plan ({result.today.isoformat()})", "", intro, body, wide=True)


def _html_name(name: str) -> str:
    """``html_text(name)``: a plain name (most holders) as it is (each is asked for once: the cache behind
    html_text would only fill up)."""
    return name if _PLAIN_ID.fullmatch(name) else html_text(name)


def _breakable(code: str) -> str:
    """A rule's code in a narrow column: it may wrap after an underscore, never inside a word."""
    return html_text(code).replace("_", "_<wbr>")


def _html_head(pages: dict[str, str], slot: Slot) -> tuple[str, str | None]:
    """A slot's row of the HTML index before the holder: as :func:`_markdown_head` cuts it."""
    connection = html_text(slot.connection)
    page = pages.get(slot.connection)
    platform = f"<td>{html_text(slot.platform.value)}</td><td>"
    if page:
        return f'<tr><td><a href="{escape(page)}#', f'">{connection}</a></td>{platform}'
    return f"<tr><td>{connection}</td>{platform}", None


def _html_tail(slot: Slot, pending: str) -> str:
    """A slot's row of the HTML index after the holder's name, with what is pending (:func:`_pending`)."""
    problems = "".join(
        f'<div class="{v.severity.value}">{v.severity.value}: {_breakable(v.code)}</div>' for v in slot.violations
    )
    return (
        f"<td>{html_text(slot.kind.label)}</td><td>{html_text(', '.join(slot.scopes))}</td>"
        f"<td>{'provision' if slot.strategy == Strategy.PROVISION else 'personal token'}</td>"
        f"<td>{pending}</td><td>{_expiry(slot)}</td><td>{problems or 'ok'}</td></tr>"
    )


# --- Terminal -------------------------------------------------------------------------------------------


@registry.printer("plan")
def terminal(view: PlanView, console: Console) -> None:
    result = view.plan
    console.print(Text(f"scm-access plan ({result.today.isoformat()})", style="bold"))
    if view.policy_source:
        style = "bold yellow" if view.policy_is_default else "dim"
        console.print(Text.assemble(("Policy: ", style), plain(view.policy_source, style=style)))
    problems = problem_lines(result.slots)
    if len(result.slots) <= TABLE_LIMIT or view.full_table:
        _print_slots(console, result.slots)
        _print_reasons(console, result.slots, problems)
    else:
        console.print(
            Text(
                f"\n{len(result.slots):,} slots: too many to list here (more than {TABLE_LIMIT}); the problems"
                " follow. Every slot: --full-table, --format json, or the index page of --out."
            )
        )
        _print_problem_summary(console, problems)
    _print_summary(console, result, problems)


def _print_slots(console: Console, slots: Sequence[Slot]) -> None:
    width = console.width
    if width >= WIDE:
        console.print(_wide_table(slots))
    elif width >= NARROW:
        console.print(_compact_table(slots))
    else:
        for slot in slots:
            console.print(_block(slot))


def _verdict(slot: Slot) -> Text:
    errors = sum(1 for v in slot.violations if v.severity == Severity.ERROR)
    warnings = len(slot.violations) - errors
    parts = [(f"{errors} error(s)", "red")] if errors else []
    parts += [(f"{warnings} warning(s)", "yellow")] if warnings else []
    if not parts:
        return Text("ok", style="green")
    return Text(" ").join(Text(text, style=style) for text, style in parts)


def _strategy(slot: Slot) -> Text:
    if slot.strategy == Strategy.PROVISION:
        return Text("provision", style="green")
    return Text("user PAT", style="cyan")


def _scopes(slot: Slot) -> Text:
    """One scope per line: a scope is never broken across lines."""
    return Text("\n".join(visible(s) for s in slot.scopes), no_wrap=True)


def _wide_table(slots: Sequence[Slot]) -> Table:
    table = Table(show_lines=False, box=None, pad_edge=False, header_style="bold")
    for column in ("Connection", "Platform", "Holder", "Credential", "Scopes", "Strategy", "Expires", "Policy"):
        table.add_column(column, no_wrap=column in {"Expires", "Platform", "Strategy", "Scopes"})
    for slot in slots:
        table.add_row(
            plain(slot.connection),
            Text(slot.platform.value),
            plain(slot.holder),
            Text(slot.kind.short_label),
            _scopes(slot),
            _strategy(slot),
            Text(_expiry(slot)),
            _verdict(slot),
        )
    return table


def _compact_table(slots: Sequence[Slot]) -> Table:
    """Four columns: who, what kind until when, which scopes, what happens."""
    table = Table(show_lines=True, header_style="bold")
    table.add_column("Slot")
    table.add_column("Credential")
    table.add_column("Scopes", no_wrap=True)
    table.add_column("Strategy · policy", no_wrap=True)
    for slot in slots:
        table.add_row(
            Text.assemble(plain(slot.connection, style="bold"), "\n", f"{slot.platform.value} · ", plain(slot.holder)),
            Text.assemble(slot.kind.short_label, "\n", (_expiry(slot), "dim")),
            _scopes(slot),
            Text.assemble(_strategy(slot), "\n", _verdict(slot)),
        )
    return table


def _block(slot: Slot) -> Group:
    """A slot as a few lines for a narrow terminal; scopes wrap between scopes, never inside one, and a
    wrapped line keeps the block's indent."""
    return Group(
        Text.assemble(
            "\n",
            plain(slot.connection, style="bold"),
            f" · {slot.platform.value} · ",
            plain(slot.holder),
            "  ",
            _strategy(slot),
            "  ",
            _verdict(slot),
        ),
        Hanging(
            Text.assemble(
                f"{slot.kind.short_label}, ",
                ("expires " + _expiry(slot)) if slot.kind.spec.expires else _expiry(slot),
                "\nscopes: ",
                ", ".join(visible(s).replace(" ", "\u00a0") for s in slot.scopes),
            ),
            indent=2,
        ),
    )


def _print_reasons(console: Console, slots: Sequence[Slot], problems: list[ProblemLine]) -> None:
    by_declaration: dict[tuple[str, str], list[ProblemLine]] = {}
    for line in problems:
        by_declaration.setdefault((line.connection, line.platform), []).append(line)
    seen: set[tuple[str, str]] = set()
    for slot in slots:
        key = (slot.connection, slot.platform.value)
        if key in seen:
            continue
        seen.add(key)
        console.print(
            Hanging(
                Text.assemble(
                    "\n",
                    (f"{visible(slot.connection)} · {slot.platform.value}", "bold"),
                    f": {slot.strategy.value} — ",
                    plain(slot.reason),
                ),
                indent=0,
            )
        )
        for line in by_declaration.get(key, []):
            console.print(_indented(_problem(line)))


def _indented(text: Text) -> Hanging:
    """A line under a heading: where it wraps, it goes on under its own start, not at the screen's edge."""
    return Hanging(text, indent=2)


def _problem(line: ProblemLine) -> Text:
    colour = "red" if line.severity == Severity.ERROR else "yellow"
    text = Text.assemble((line.severity.value, colour), f" {line.code}: ", plain(line.message))
    if len(line.holders) > 1:
        text.append(f" ({len(line.holders)} holders: {visible(', '.join(line.holders))})", style="dim")
    return text


def _print_problem_summary(console: Console, problems: list[ProblemLine]) -> None:
    """Past TABLE_LIMIT: each rule broken, how often, and a few of the declarations that break it."""
    by_rule: dict[tuple[Severity, str], list[ProblemLine]] = {}
    for line in problems:
        by_rule.setdefault((line.severity, line.code), []).append(line)
    order = sorted(by_rule, key=lambda key: (key[0] != Severity.ERROR, key[1]))
    for severity, code in order:
        lines = by_rule[(severity, code)]
        colour = "red" if severity == Severity.ERROR else "yellow"
        slots = sum(len(line.holders) for line in lines)
        console.print(
            Text.assemble(
                "\n", (severity.value, f"bold {colour}"), f" {code}: {len(lines):,} declaration(s), {slots:,} slot(s)"
            )
        )
        for line in lines[:EXAMPLES_PER_PROBLEM]:
            console.print(
                _indented(Text.assemble((f"{visible(line.connection)} · {line.platform}", "bold"), ": ", plain(line.message)))
            )
        if len(lines) > EXAMPLES_PER_PROBLEM:
            console.print(_indented(Text(f"… and {len(lines) - EXAMPLES_PER_PROBLEM:,} more", style="dim")))


def _print_summary(console: Console, result: Plan, problems: list[ProblemLine]) -> None:
    counts = result.counts()
    errors = sum(1 for line in problems if line.severity == Severity.ERROR)
    warnings = len(problems) - errors
    per_slot = ""
    if (errors, warnings) != (counts["errors"], counts["warnings"]):
        per_slot = f" (a problem shared by several holders of one declaration is one line; per slot:" \
                   f" {counts['errors']:,} error(s), {counts['warnings']:,} warning(s))"
    console.print(
        Hanging(
            Text(
                f"\n{counts['slots']:,} slot(s): {counts['provision']:,} provisioned, {counts['user_pat']:,} personal"
                f" token(s) to create; {errors:,} policy error(s), {warnings:,} warning(s){per_slot}."
            ),
            indent=0,
        )
    )
