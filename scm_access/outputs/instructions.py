"""Instructions (the manual steps to create a personal token) in every format.

A section is a declaration: its steps are written once, and several holders each get a row of their own
values (the account to sign in as, the token's name, the pre-filled link, the variable, the verify command).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from html import escape
from json.encoder import encode_basestring_ascii
from typing import Any, TextIO

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from scm_access.instruct.model import Holder, Instructions, ScopeLine, Section, Step
from scm_access.outputs import registry
from scm_access.outputs.registry import OutputFormat
from scm_access.outputs.terminal import Hanging, command_text, link_text, only_code, subset_text
from scm_access.outputs.text import (
    EachMatch,
    Emphasis,
    markdown_code,
    markdown_link,
    markdown_subset,
    markdown_text,
    printable,
    spans,
    visible,
    web_link,
    web_links,
)


@dataclass(frozen=True)
class InstructionsView:
    """What an instructions page shows: the items, a title and a line under it."""

    items: Sequence[Instructions]
    title: str = "Access tokens to create"
    subtitle: str = ""
    empty: str = "Nothing declared here: no credential to create or hand over."
    level: int = 2
    """The level of each section's heading: 3 on a page where each connection has a heading of its own."""


def name_label(item: Instructions) -> str:
    """A person names the token they create; the stack names what it makes."""
    return "Token name" if item.section == Section.CREATE else "Name"


def expiry_text(item: Instructions) -> str:
    return item.expiry or _dated_expiry(item.expires_at, item.lifetime_days)


@lru_cache(maxsize=4096)
def _dated_expiry(expires_at: date, lifetime_days: int) -> str:
    # The declarations of a plan share a few expiry dates: each is written once.
    return f"{expires_at.isoformat()} ({lifetime_days} days)"


# --- Markdown -------------------------------------------------------------------------------------------


@registry.renderer("instructions", OutputFormat.MARKDOWN)
def markdown(view: InstructionsView) -> str:
    heading = "#" * view.level
    return "\n\n".join(_markdown_one(item, heading) for item in view.items) + ("\n" if view.items else "")


def render_markdown(items: Sequence[Instructions]) -> str:
    """The instructions as Markdown (one section per item), every declared text escaped."""
    return markdown(InstructionsView(items))


def _markdown_one(item: Instructions, heading: str = "##") -> str:
    if len(item.holders) == 1:
        holder = item.holders[0]
        facts = _markdown_facts(name_label(item), holder.token_name, item.host, expiry_text(item), holder.creation_link)
        table = None
    else:
        facts = _markdown_facts(None, None, item.host, expiry_text(item), None)
        table = _markdown_holders(item.holders)
    lines = [
        f'{heading} <a id="{_attribute(_section_id(item))}"></a>{markdown_text(item.title)}',
        "",
        facts,
        _markdown_scopes(tuple(item.scopes)),
        _markdown_prerequisites(tuple(item.prerequisites)),
        table,
        "\n**Steps**\n",
        *(
            _markdown_step(number, step.text, step.link, tuple(step.items))
            for number, step in enumerate(item.steps, 1)
        ),
        _markdown_notes(tuple(item.notes)),
    ]
    return "\n".join(line for line in lines if line is not None)


def _markdown_holders(holders: Sequence[Holder]) -> str:
    """One row per holder: what is theirs alone. The holder's cell holds an anchor named after their slot,
    which the index links to."""
    links = any(h.creation_link for h in holders)
    head = "| Holder | Sign in as | Token name | Variable | Verify command |" + (" Pre-filled link |" if links else "")
    rows = [
        "",
        f"**Holders** ({len(holders)}, one token each): follow the steps below with the values in your row.",
        "",
        head,
        "|---|---|---|---|---|" + ("---|" if links else ""),
    ]
    plain = _plain_markdown_rows(holders, links)
    rows.extend(plain if plain is not None else (_markdown_row(h, links) for h in holders))
    return "\n".join(rows)


def _markdown_row(h: Holder, links: bool) -> str:
    row = (
        f'| <a id="{_attribute(h.slot)}"></a>{_text_cell(h.name)} | {_markdown_account(h)}'
        f" | {_code_cell(h.token_name)} | {_code_cell(h.token_env_var)} | {_code_cell(h.verify_command)} |"
    )
    if links:
        row += f" {_markdown_cell_link(h.creation_link)} |"
    return row


def _plain_markdown_rows(holders: Sequence[Holder], links: bool) -> list[str] | None:
    """The rows :func:`_markdown_row` writes, when no value of any holder needs escaping (as in most tables),
    written with one look at each column instead of a few per value; None when one does."""
    slots, names, logins, emails, _, token_names, creation_links, variables, commands = zip(*holders)
    coded = [*filter(None, logins), *filter(None, emails), *token_names, *variables, *commands]
    text = " ".join(coded)
    shown_links = [link for link in creation_links if link] if links else []
    plain = (
        _plain_ids(slots) and _plain_names(names)
        and printable(text) and "`" not in text and "|" not in text and all(map(str.strip, coded))
        and web_links(shown_links) and not any("|" in link for link in shown_links)
    )
    if not plain:
        return None
    return [
        f'| <a id="{slot}"></a>{name} | {f"`{login}`" if login else "your own account"}'
        f'{f" (`{email}`)" if email else ""} | `{token_name}` | `{variable}` | `{command}` |'
        + ((f" [Open the pre-filled form](<{link}>) |" if link else " — |") if links else "")
        for slot, name, login, email, token_name, link, variable, command
        in zip(slots, names, logins, emails, token_names, creation_links, variables, commands)
    ]


def _code_cell(text: str) -> str:
    """``markdown_code(text, in_table=True)``, without its work for the plain text a holder's row mostly holds
    (each row's values are its own: a cache would only miss)."""
    if text.isprintable() and text.strip() and "`" not in text and "|" not in text:
        return f"`{text}`"
    return markdown_code(text, in_table=True)


_PLAIN_NAME = re.compile("[A-Za-z0-9][A-Za-z0-9-]*")
"""A name Markdown cannot read as anything but text (a holder's name, a slot id's parts), in a table cell."""
_PLAIN_ID = re.compile("[A-Za-z0-9][A-Za-z0-9_/-]*")
_plain_names = EachMatch(_PLAIN_NAME)
_plain_ids = EachMatch(_PLAIN_ID)


def _text_cell(text: str) -> str:
    """``markdown_text(text)`` for a holder's own value (no cache: each row's values are its own)."""
    return text if _PLAIN_NAME.fullmatch(text) else markdown_text(text)


def _attribute(value: str) -> str:
    """Declared text as an HTML attribute value inside a Markdown table cell."""
    return value if _PLAIN_ID.fullmatch(value) else escape(value).replace("|", "&#124;")


def _markdown_account(holder: Holder) -> str:
    account = _code_cell(holder.login) if holder.login else "your own account"
    return account + (f" ({_code_cell(holder.email)})" if holder.email else "")


def _markdown_cell_link(url: str | None) -> str:
    if not url:
        return "—"
    link = web_link(url)
    if link is None:
        return markdown_code(url, in_table=True)
    return f"[Open the pre-filled form](<{link.replace('|', '%7C')}>)"


@lru_cache(maxsize=4096)
def _markdown_facts(
    label: str | None, token_name: str | None, host: str, expiry: str, creation_link: str | None
) -> str:
    lines = [
        *([f"- **{label}:** {markdown_code(token_name)}"] if label and token_name is not None else []),
        f"- **Host:** {markdown_link(host)}",
        f"- **Expires:** {markdown_text(expiry)}",
    ]
    if creation_link:
        lines.append(f"- **Pre-filled creation link:** {markdown_link(creation_link)}")
    return "\n".join(lines)


# The scopes, prerequisites, steps and notes of one declaration recur in many others (the same platform, kind
# and scopes): each is rendered once.


@lru_cache(maxsize=4096)
def _markdown_scopes(scopes: tuple[ScopeLine, ...]) -> str:
    return "- **Scopes:** " + ", ".join(
        markdown_code(s.name) if s.label == s.name else f"{markdown_text(s.label)} ({markdown_code(s.name)})"
        for s in scopes
    )


@lru_cache(maxsize=4096)
def _markdown_prerequisites(prerequisites: tuple[str, ...]) -> str | None:
    if not prerequisites:
        return None
    return "\n".join(["", "**Before you start**", "", *(f"- {markdown_subset(p)}" for p in prerequisites)])


@lru_cache(maxsize=4096)
def _markdown_notes(notes: tuple[str, ...]) -> str | None:
    if not notes:
        return None
    return "\n".join(["", "**Notes**", "", *(f"- {markdown_subset(n)}" for n in notes)])


@lru_cache(maxsize=4096)
def _markdown_step(number: int, text: str, link: str | None, items: tuple[str, ...]) -> str:
    line = f"{number}. {markdown_subset(text)}"
    if link:
        line += f" {markdown_link(link)}"
    return "\n".join([line, *(f"   - {markdown_subset(item)}" for item in items)])


# --- JSON -----------------------------------------------------------------------------------------------


INDENTED_UP_TO = 200
"""Holders (slots) up to which a JSON document (plan.json, instructions.json, ``--format json``) is indented for
people; past that it is compact (the indenting encoder is pure Python: seconds at tens of thousands)."""


@registry.renderer("instructions", OutputFormat.JSON)
def json_text(view: InstructionsView) -> str:
    holders = sum(len(item.holders) or 1 for item in view.items)
    return json_document(view, indent=2 if holders <= INDENTED_UP_TO else None)


def json_document(view: InstructionsView, *, indent: int | None = 2) -> str:
    """Indented for people; ``indent=None`` for large files (the standard library's C encoder runs only
    without indentation: several times faster)."""
    return json.dumps([item.to_dict() for item in view.items], indent=indent)


class JsonWriter:
    """The compact document ``json_document(view, indent=None)`` written to a file as the items come, so
    that a large one is never held whole: the same bytes, item by item."""

    def __init__(self, file: TextIO) -> None:
        self._file = file
        self._separator = "["

    def write(self, items: Iterable[Instructions]) -> None:
        for item in items:
            self._file.write(self._separator)
            self._file.write(json_record(item))
            self._separator = ", "

    def close(self) -> None:
        self._file.write("[]" if self._separator == "[" else "]")


def json_record(item: Instructions) -> str:
    """``json.dumps(item.to_dict())``, the same text, put together from its values' JSON.

    Most of a section is the same from one declaration to the next (the platform's step texts, scopes and
    notes): those values are encoded once and their JSON reused; only what is the declaration's or a holder's
    own is encoded each time. The C encoder would still build and walk a dict per step and per holder."""
    return (
        f'{{"connection": {_json(item.connection)}, "integration": {_json(item.integration)},'
        f' "platform": {_json_shared(item.platform)}, "platform_name": {_json_shared(item.platform_name)},'
        f' "kind": {_json_shared(item.kind)}, "kind_label": {_json_shared(item.kind_label)},'
        f' "section": {_json_shared(item.section.value)}, "title": {_json(item.title)},'
        f' "host": {_json_shared(item.host)}, "expires_at": {_json_shared(item.expires_at.isoformat())},'
        f' "lifetime_days": {int.__repr__(item.lifetime_days)}, "expiry": {_json_optional(item.expiry)},'
        f' "scopes": {_json_scopes(tuple(item.scopes))},'
        f' "prerequisites": [{", ".join(map(_json_shared, item.prerequisites))}],'
        f' "steps": [{", ".join(_json_step(step.text, step.link, tuple(step.items)) for step in item.steps)}],'
        f' "notes": [{", ".join(map(_json_shared, item.notes))}],'
        f' "holders": [{_json_holders(item.holders)}]}}'
    )


_json = encode_basestring_ascii
"""A string as ``json.dumps`` writes it (ASCII, escaped): the C function its encoder uses."""
_json_shared = lru_cache(maxsize=4096)(_json)
"""For the texts that recur from one declaration to the next."""


def _json_optional(text: str | None) -> str:
    return "null" if text is None else _json(text)


@lru_cache(maxsize=4096)
def _json_scopes(scopes: tuple[ScopeLine, ...]) -> str:
    return "[" + ", ".join(
        f'{{"name": {_json(s.name)}, "label": {_json(s.label)}, "group": {_json(s.group)}}}' for s in scopes
    ) + "]"


@lru_cache(maxsize=4096)
def _json_step(text: str, link: str | None, items: tuple[str, ...]) -> str:
    return f'{{"text": {_json(text)}, "link": {_json_optional(link)}, "items": [{", ".join(map(_json, items))}]}}'


def _json_holders(holders: Sequence[Holder]) -> str:
    """The holders' records, separated by commas. Most holders' values are plain ASCII that JSON writes as it
    is, between quotes: one look at all of them spares encoding each."""
    slots, names, logins, emails, _, token_names, links, variables, commands = zip(*holders)
    text = "".join(
        [*slots, *names, *filter(None, logins), *filter(None, emails), *token_names, *filter(None, links),
         *variables, *commands]
    )
    if not (text.isascii() and printable(text) and '"' not in text and "\\" not in text):
        return ", ".join(map(_json_holder, holders))
    return ", ".join(
        f'{{"slot": "{slot}", "holder": "{name}", "login": {login}, "email": {email}, "token_name": "{token_name}",'
        f' "creation_link": {link}, "token_env_var": "{variable}", "verify_command": "{command}"}}'
        for slot, name, login, email, token_name, link, variable, command in zip(
            slots, names, _quoted_or_null(logins), _quoted_or_null(emails), token_names, _quoted_or_null(links),
            variables, commands,
        )
    )


def _quoted_or_null(texts: Iterable[str | None]) -> list[str]:
    """Plain ASCII texts (or None) as JSON writes them."""
    return ["null" if text is None else f'"{text}"' for text in texts]


def _json_holder(holder: Holder) -> str:
    return (
        f'{{"slot": {_json(holder.slot)}, "holder": {_json(holder.name)}, "login": {_json_optional(holder.login)},'
        f' "email": {_json_optional(holder.email)}, "token_name": {_json(holder.token_name)},'
        f' "creation_link": {_json_optional(holder.creation_link)}, "token_env_var": {_json(holder.token_env_var)},'
        f' "verify_command": {_json(holder.verify_command)}}}'
    )


def render_json(items: Sequence[Instructions]) -> str:
    return json_document(InstructionsView(items))


# --- HTML -----------------------------------------------------------------------------------------------

_STYLE = """
:root { --ink:#1f2328; --muted:#59636e; --line:#d1d9e0; --accent:#0b5fff; --warn:#9a6700; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0; background: var(--bg); }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
header h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
header p { margin: .2rem 0; color: var(--muted); }
section.slot { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 1.25rem 1.5rem;
               margin-top: 1.5rem; }
section.slot h2, section.slot h3 { font-size: 1.2rem; margin: 0 0 .75rem; }
section.handoff { border-left: 4px solid var(--accent); } section.blocked { border-left: 4px solid #b42318; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
dt { color: var(--muted); } dd { margin: 0; }
a.button { display: inline-block; background: var(--accent); color: #fff; text-decoration: none;
           padding: .55rem 1rem; border-radius: 6px; font-weight: 600; margin: .25rem 0 1rem; }
ol.steps > li { margin: .45rem 0; } ol.steps ul { margin: .3rem 0; }
/* A long URL in a step breaks anywhere rather than push the page wider than a phone's screen. */
ol.steps a, .notes a, dd a { overflow-wrap: anywhere; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--bg);
       border: 1px solid var(--line); border-radius: 4px; padding: 0 .3em; overflow-wrap: anywhere; }
.chips { display: flex; flex-wrap: wrap; gap: .35rem; list-style: none; padding: 0; margin: 0; }
.chips li { border: 1px solid var(--line); border-radius: 999px; padding: .1rem .6rem; background: var(--bg);
            font-size: .9rem; }
.prereq { border-left: 4px solid var(--warn); background: #fff8c5; padding: .5rem .9rem; margin: .75rem 0;
          border-radius: 0 6px 6px 0; }
.notes { color: var(--muted); font-size: .93rem; }
ul.toc { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; list-style: none; padding: 0; margin: .8rem 0 0; }
ul.toc a { color: var(--accent); }
main.wide { max-width: 96rem; } .scroll { overflow-x: auto; }
"""


def table_style(
    table: str, labels: Sequence[str], *, wide: str = "", narrow: str = "", below_rem: int = 52, padding: str = ".35rem .6rem"
) -> str:
    """The rules of one kind of table (``table.<table>``): bordered rows on a wide screen; below ``below_rem``
    each row a card whose values are labelled with the columns' ``labels`` (from the style, so a row's cells
    carry no label of their own). ``wide`` and ``narrow``: the table's own extra rules."""
    selector = f"table.{table}"
    label_rules = " ".join(
        f'{selector} td:nth-child({n})::before {{ content: "{label}"; }}' for n, label in enumerate(labels, 1)
    )
    return f"""\
{selector} {{ border-collapse: collapse; width: 100%; background: #fff; margin: .75rem 0 1rem; font-size: .93rem; }}
{selector} th, {selector} td {{ border: 1px solid var(--line); padding: {padding}; text-align: left; vertical-align: top; }}
{selector} th {{ background: var(--bg); }}
{wide}/* Narrow screens: each row a card, each value labelled (labels from the header, nothing repeated per row). */
@media (max-width: {below_rem}rem) {{
  {selector} thead {{ display: none; }}
  {selector}, {selector} tbody, {selector} tr, {selector} td {{ display: block; width: 100%; }}
  {selector} tr {{ border: 1px solid var(--line); border-radius: 8px; margin: 0 0 .75rem; padding: .4rem .2rem; }}
  {selector} td {{ border: none; padding: .15rem .6rem; display: grid; gap: 0 .5rem;
    grid-template-columns: 6.5rem minmax(0, 1fr); overflow-wrap: anywhere; }}
  {selector} td > * {{ grid-column: 2; }}
  {selector} td::before {{ color: var(--muted); }}
{narrow}  {label_rules}
}}
"""


PLAN_COLUMNS = ("Connection", "Platform", "Holder", "Credential", "Scopes", "Strategy", "Pending", "Expires", "Policy")
"""The plan index's columns, in order (its header and its narrow-screen labels)."""

_INDEX_STYLE = table_style(
    "index",
    PLAN_COLUMNS,
    wide="table.index td:nth-child(2), table.index td:nth-child(8) { white-space: nowrap; }\n"
    "table.index td:nth-child(5), table.index td:nth-child(9) { overflow-wrap: break-word; }\n",
)
"""The plan index table's: a page without it does without its rules."""

HOLDER_COLUMNS = ("Holder", "Sign in as", "Token name", "Variable", "Verify", "Link")

_HOLDERS_STYLE = table_style(
    "holders",
    HOLDER_COLUMNS,
    # Wide screens: columns sized by whole words (a login never split); a value breaks only when it must.
    wide="table.holders tr:target { background: #fff8c5; }\ntable.holders code { overflow-wrap: break-word; }\n",
    narrow="  table.holders code { overflow-wrap: anywhere; }\n",
    # Below the width the columns need whole words in.
    below_rem=60,
    padding=".3rem .5rem",
)
"""A declaration's holders table, on an instructions page that has one."""

_PRINT_STYLE = """\
.error { color: #b42318; font-weight: 600; } .warning { color: var(--warn); font-weight: 600; }
@media (max-width: 30rem) { main { padding: 1rem .6rem 3rem; } section.slot { padding: 1rem .9rem; }
                            ol.steps { padding-left: 1.4rem; } }
@media print { body { background: #fff; } a.button { color: var(--accent); background: none; border: 1px solid; } }
"""
"""Severities, small screens and print: every page."""


_TAGS = {Emphasis.STRONG: "strong", Emphasis.EMPHASIS: "em", Emphasis.CODE: "code"}


@lru_cache(maxsize=65536)
def html_text(text: str) -> str:
    """Text from outside the program as HTML: escaped, control characters visible."""
    return escape(visible(text))


_HTML_SPECIAL = re.compile("[&<>\"']")


def _html_value(text: str) -> str:
    """``html_text(text)`` for a value of one holder's row, without the cache (each row's values are its own):
    plain printable text as it is."""
    if text.isprintable() and not _HTML_SPECIAL.search(text):
        return text
    return escape(visible(text))


@lru_cache(maxsize=65536)
def inline(text: str) -> str:
    """A step text as HTML: the Markdown subset as tags, everything else escaped."""
    parts = []
    for emphasis, part in spans(text):
        tag = _TAGS.get(emphasis)
        parts.append(f"<{tag}>{html_text(part)}</{tag}>" if tag else html_text(part))
    return "".join(parts)


def html_page(
    title: str,
    subtitle: str,
    intro: str,
    body: str | Iterable[str],
    *,
    wide: bool = False,
    table_style: str | None = None,
) -> str:
    """A standalone page: no external assets, readable in any browser and in print. ``body``: its text, or
    its parts, joined once with the page around them (a page of a hundred connections is megabytes: each copy
    of it counts). ``wide``: a table page uses the width of the screen. ``table_style``: the rules of the
    page's tables (by default the index table's)."""
    style = f"{_STYLE}{_INDEX_STYLE if table_style is None else table_style}{_PRINT_STYLE}"
    head = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html_text(title)}</title>
<style>{style}</style>
</head>
<body>
<main{' class="wide"' if wide else ""}>
<header>
<h1>{html_text(title)}</h1>
{f"<p>{html_text(subtitle)}</p>" if subtitle else ""}
{intro}
</header>
"""
    return "".join([head, body, _PAGE_END] if isinstance(body, str) else [head, *body, _PAGE_END])


_PAGE_END = """
</main>
</body>
</html>
"""


@registry.renderer("instructions", OutputFormat.HTML)
def html(view: InstructionsView) -> str:
    if view.items:
        sections = _html_sections(view.items, view.level)
        intro = _intro(view.items) + _contents(view.items)
    else:
        sections = _NOTHING_TO_CREATE
        intro = _NOTHING_BY_HAND
    holders = any(len(item.holders) > 1 for item in view.items)
    return html_page(view.title, view.subtitle, intro, sections, table_style=_HOLDERS_STYLE if holders else "")


_NOTHING_BY_HAND = "<p>Nothing to do by hand here.</p>"
_NOTHING_TO_CREATE = (
    '<section class="slot"><p>No personal token to create: every credential of this'
    " connection is provisioned by the organisation.</p></section>"
)


def _html_sections(items: Sequence[Instructions], level: int) -> str:
    return "\n".join(_section(item, level) for item in items)


@dataclass(frozen=True)
class ConnectionPart:
    """One connection's part of a page that several connections share (the connections declared in one
    module): its heading, the line under it, and its sections."""

    name: str
    heading: str
    subtitle: str
    items: Sequence[Instructions]


def connections_markdown(title: str, parts: Sequence[ConnectionPart]) -> str:
    """A page of several connections: the page's title, then each connection under a heading of its own
    (anchored at its name) with its sections one level below."""
    out = [f"# {markdown_text(title)}\n"]
    for part in parts:
        out.append(f'## <a id="{_attribute(part.name)}"></a>{markdown_text(part.heading)}\n')
        out.append(f"{markdown_text(part.subtitle)}\n")
        body = markdown(InstructionsView(part.items, level=3)) if part.items else f"{InstructionsView.empty}\n"
        out.append(body)
    return "\n".join(out)


def connections_html(title: str, subtitle: str, parts: Sequence[ConnectionPart]) -> str:
    """:func:`connections_markdown` as a standalone page, with a list of the connections at its top."""
    items = [item for part in parts for item in part.items]
    contents = "".join(
        f'<li><a href="#{escape(part.name)}">{html_text(part.heading)}</a></li>' for part in parts
    )
    intro = (_intro(items) if items else _NOTHING_BY_HAND) + (
        f'<nav aria-label="Connections on this page"><ul class="toc">{contents}</ul></nav>'
    )
    body: list[str] = []
    for part in parts:
        if body:
            body.append("\n")
        body.append(
            f'<section class="connection" id="{escape(part.name)}">\n<h2>{html_text(part.heading)}</h2>\n'
            f"<p>{html_text(part.subtitle)}</p>\n"
            f"{_html_sections(part.items, 3) if part.items else _NOTHING_TO_CREATE}\n</section>"
        )
    holders = any(len(item.holders) > 1 for item in items)
    return html_page(
        title, subtitle, intro, body, table_style=(_HOLDERS_STYLE if holders else "") + _CONNECTION_STYLE
    )


_CONNECTION_STYLE = """
header h1 { overflow-wrap: anywhere; } /* a module's path has no space to wrap at on a phone */
section.connection { margin-top: 2.5rem; }
section.connection > h2 { font-size: 1.4rem; margin: 0; }
section.connection > p { color: var(--muted); margin: .2rem 0 0; }
"""


def render_html(items: Sequence[Instructions], *, title: str, subtitle: str = "") -> str:
    return html(InstructionsView(items, title=title, subtitle=subtitle))


def _intro(items: Sequence[Instructions]) -> str:
    made = [i for i in items if i.section != Section.CREATE]
    creates = [i for i in items if i.section == Section.CREATE]
    stack = (
        " Sections marked <em>made by the stack</em> are credentials nobody creates by hand: each says where it"
        " lands, or how to carry it to the integration and when again."
        if made
        else ""
    )
    if not creates:
        return f"<p>Nothing to create by hand: the stack makes every credential here.{stack}</p>"
    if any(len(i.holders) > 1 for i in creates):
        return (
            "<p>Each section below is one credential and names whoever creates it: one account (a person, or a"
            " machine user to sign in as), or several people in a table, one token each, who follow its steps with"
            f" the values in their row. A token is shown only once: paste it only where the steps say.{stack}</p>"
        )
    if len({i.holders[0].name for i in creates}) > 1:
        return (
            "<p>Each section below is one token and names the account that creates it (a person, or a machine user"
            " to sign in as): follow the steps of yours. A token is shown only once: paste it only where the steps"
            f" say.{stack}</p>"
        )
    return f"<p>Follow the steps below. A token is shown only once: paste it only where the steps say.{stack}</p>"


def _section_id(item: Instructions) -> str:
    """A one-holder section is anchored at its slot (the index links there); a section for several holders
    at its first holder's slot with a suffix, since each holder's row carries their slot's anchor."""
    first = item.holders[0].slot
    return first if len(item.holders) == 1 else f"{first}/holders"


def _contents(items: Sequence[Instructions]) -> str:
    if len(items) < 2:
        return ""
    links = "".join(
        f'<li><a href="#{escape(_section_id(i))}">{html_text(i.platform_name)} — {_toc_holders(i)}</a></li>'
        for i in items
    )
    return f'<nav aria-label="Tokens on this page"><ul class="toc">{links}</ul></nav>'


def _toc_holders(item: Instructions) -> str:
    if len(item.holders) == 1:
        return html_text(item.holders[0].name)
    return f"{len(item.holders)} people"


def _html_link(url: str | None, text: str, css: str = "") -> str:
    link = web_link(url)
    if link is None:
        return f"<code>{html_text(url or '')}</code>" if url else ""
    attribute = f' class="{css}"' if css else ""
    return f'<a{attribute} href="{escape(link)}" rel="noreferrer">{html_text(text)}</a>'


def _section(item: Instructions, level: int = 2) -> str:
    if len(item.holders) == 1:
        holder = item.holders[0]
        facts = _html_facts(name_label(item), holder.token_name, expiry_text(item), item.host)
        creation_link, own = holder.creation_link, _html_button(holder.creation_link)
    else:
        facts = _html_facts(None, None, expiry_text(item), item.host)
        creation_link, own = None, _html_holders(item.holders)
    steps = "".join(_step(step.text, step.link, tuple(step.items), creation_link) for step in item.steps)
    return (
        f'<section class="slot {item.section.value}" id="{escape(_section_id(item))}">\n<h{level}>{html_text(item.title)}</h{level}>\n'
        f"{facts}"
        f'<dt>Scopes</dt><dd><ul class="chips">{_html_scopes(tuple(item.scopes))}</ul></dd>\n</dl>\n'
        f"{_html_prerequisites(tuple(item.prerequisites))}\n{own}\n"
        f'<ol class="steps">{steps}</ol>\n{_html_notes(tuple(item.notes))}\n</section>'
    )


def _html_holders(holders: Sequence[Holder]) -> str:
    """One row per holder, anchored at the holder's slot (the index links there): what is theirs alone."""
    links = any(h.creation_link for h in holders)
    head = "".join(
        f"<th>{label}</th>"
        for label in ("Holder", "Sign in as", "Token name", "Variable", "Verify command", *(("Pre-filled link",) if links else ()))
    )
    rows = _plain_html_rows(holders, links)
    if rows is None:
        rows = [_html_row(h, links) for h in holders]
    return (
        f"<p>{len(holders)} people, one token each: follow the steps below with the values in your row.</p>\n"
        f'<div class="scroll"><table class="holders"><thead><tr>{head}</tr></thead><tbody>\n'
        + "\n".join(rows)
        + "\n</tbody></table></div>"
    )


def _html_row(h: Holder, links: bool) -> str:
    account = f"<code>{_html_value(h.login)}</code>" if h.login else "your own account"
    if h.email:
        account += f" (<code>{_html_value(h.email)}</code>)"
    link = f"<td>{_html_link(h.creation_link, 'Open the pre-filled form') or '—'}</td>" if links else ""
    return (
        f'<tr id="{_html_value(h.slot)}"><td>{_html_value(h.name)}</td><td><span>{account}</span></td>'
        f"<td><code>{_html_value(h.token_name)}</code></td><td><code>{_html_value(h.token_env_var)}</code></td>"
        f"<td><code>{_html_value(h.verify_command)}</code></td>{link}</tr>"
    )


def _plain_html_rows(holders: Sequence[Holder], links: bool) -> list[str] | None:
    """The rows :func:`_html_row` writes, when no value of any holder but the links holds anything to escape
    or make visible and every link is a web link (as in most tables), with one look at all of them; None
    otherwise."""
    slots, names, logins, emails, _, token_names, creation_links, variables, commands = zip(*holders)
    text = "".join(
        [*slots, *names, *filter(None, logins), *filter(None, emails), *token_names, *variables, *commands]
    )
    if not printable(text) or "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return None
    cells = [""] * len(holders)
    if links:
        shown = [link for link in creation_links if link]
        if not web_links(shown):
            return None
        # Escaped together: a web link holds no line break.
        escaped = iter(escape("\n".join(shown)).split("\n"))
        cells = [
            f'<td><a href="{next(escaped)}" rel="noreferrer">Open the pre-filled form</a></td>' if link else "<td>—</td>"
            for link in creation_links
        ]
    return [
        f'<tr id="{slot}"><td>{name}</td><td><span>{f"<code>{login}</code>" if login else "your own account"}'
        f'{f" (<code>{email}</code>)" if email else ""}</span></td>'
        f"<td><code>{token_name}</code></td><td><code>{variable}</code></td><td><code>{command}</code></td>{cell}</tr>"
        for slot, name, login, email, token_name, variable, command, cell
        in zip(slots, names, logins, emails, token_names, variables, commands, cells)
    ]


@lru_cache(maxsize=4096)
def _html_facts(label: str | None, token_name: str | None, expiry: str, host: str) -> str:
    name = f"<dt>{label}</dt><dd><code>{html_text(token_name)}</code></dd>\n" if label and token_name is not None else ""
    return (
        f"<dl>\n{name}"
        f"<dt>Expires</dt><dd>{html_text(expiry)}</dd>\n"
        f"<dt>Host</dt><dd>{html_text(host)}</dd>\n"
    )


@lru_cache(maxsize=4096)
def _html_button(creation_link: str | None) -> str:
    return _html_link(creation_link, "Open the pre-filled form", "button") if creation_link else ""


# As in Markdown: what recurs from one declaration to the next is rendered once.


@lru_cache(maxsize=4096)
def _html_scopes(scopes: tuple[ScopeLine, ...]) -> str:
    return "".join(
        f"<li><code>{html_text(s.name)}</code></li>"
        if s.label == s.name
        else f"<li>{html_text(s.label)} <code>{html_text(s.name)}</code></li>"
        for s in scopes
    )


@lru_cache(maxsize=4096)
def _html_prerequisites(prerequisites: tuple[str, ...]) -> str:
    return "".join(f'<p class="prereq">{inline(p)}</p>' for p in prerequisites)


@lru_cache(maxsize=4096)
def _html_notes(notes: tuple[str, ...]) -> str:
    return f'<ul class="notes">{"".join(f"<li>{inline(n)}</li>" for n in notes)}</ul>' if notes else ""


@lru_cache(maxsize=4096)
def _step(text: str, link: str | None, items: tuple[str, ...], creation_link: str | None) -> str:
    body = inline(text)
    if link and link != creation_link:
        body += " " + _html_link(link, link)
    elif link:
        body += " " + _html_link(link, "(link)")
    if items:
        body += "<ul>" + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ul>"
    return f"<li>{body}</li>"


# --- Terminal -------------------------------------------------------------------------------------------


@registry.printer("instructions")
def terminal(view: InstructionsView, console: Console) -> None:
    """One block per token: a rule with the title, the facts, the steps with a hanging indent. Links are
    printed whole on a line of their own (never wrapped into a border), as hyperlinks where the terminal
    supports them."""
    if not view.items:
        console.print(Text(view.empty))
        return
    for item in view.items:
        for renderable in _terminal_one(item):
            if isinstance(renderable, Text) and renderable.no_wrap:
                console.print(renderable, soft_wrap=True)
            elif isinstance(renderable, Text):
                console.print(Hanging(renderable, indent=0))  # wrapped without blanks at the lines' ends
            else:
                console.print(renderable)


def _terminal_one(item: Instructions) -> Iterable[Any]:
    # The title on lines of its own: a rule would cut a long one short.
    yield Rule(style="dim")
    yield Text(visible(item.title), style="bold")
    creation_link = None
    if len(item.holders) == 1:
        holder = item.holders[0]
        creation_link = holder.creation_link
        yield Text.assemble(
            (f"{name_label(item)} ", "dim"), visible(holder.token_name), ("   Expires ", "dim"),
            visible(expiry_text(item)), ("   Host ", "dim"), visible(item.host),
        )
        if creation_link:
            yield Text("Pre-filled link:", style="dim")
            yield link_text(creation_link)
    else:
        yield Text.assemble(("Expires ", "dim"), visible(expiry_text(item)), ("   Host ", "dim"), visible(item.host))
        yield from _terminal_holders(item.holders)
    for prerequisite in item.prerequisites:
        yield Text.assemble(("Before you start: ", "yellow"), subset_text(prerequisite))
    yield from _terminal_steps(item.steps, creation_link)
    for note in item.notes:
        yield Text.assemble(("Note: ", "dim"), subset_text(note))
    yield Text("")


def _terminal_holders(holders: Sequence[Holder]) -> Iterable[Any]:
    """Each holder's own values, a block each: follow the steps with those of your block."""
    yield Text(f"{len(holders)} people, one token each (the table the steps refer to: a row per person):")
    for holder in holders:
        account = visible(holder.login) if holder.login else "your own account"
        if holder.email:
            account += f" ({visible(holder.email)})"
        yield Text.assemble(("• ", "bold"), (visible(holder.name), "bold"), ("   sign in as ", "dim"), account)
        yield Text.assemble(("    Token name ", "dim"), visible(holder.token_name))
        yield Text.assemble(("    Variable ", "dim"), visible(holder.token_env_var))
        if holder.creation_link:
            yield Text("    Pre-filled link:", style="dim")
            yield link_text(holder.creation_link, indent="    ")
        yield Text("    Verify:", style="dim")
        yield command_text(holder.verify_command, indent="      ")


def _terminal_steps(steps: Sequence[Step], creation_link: str | None) -> Iterable[Any]:
    for number, step in enumerate(steps, start=1):
        yield _hanging(f"{number}.", subset_text(step.text), indent=0)
        if step.link and step.link != creation_link:
            yield link_text(step.link, indent="    ")
        for sub in step.items:
            command = only_code(sub)
            yield command_text(command, indent="      ") if command is not None else _hanging("•", subset_text(sub), indent=4)


def _hanging(marker: str, text: Text, indent: int) -> Hanging:
    """A numbered or bulleted line whose continuation lines start under its text, not under the marker."""
    return Hanging(text, indent=indent + 4, marker=marker)
