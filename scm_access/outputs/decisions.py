"""Decisions and acts (`scm-access requests`, `scm-access inventory --revoke`) in every format, from the one
document :mod:`scm_access.inventory.decisions.report` builds. Logins, token names, reasons and server
messages are shown as text: never obeyed, never read as markup."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scm_access.outputs import registry
from scm_access.outputs.registry import OutputFormat
from scm_access.outputs.terminal import link_text, plain
from scm_access.outputs.text import markdown_link, markdown_text

DECISION_STYLE = {"approve": "green", "deny": "red", "undecided": "yellow"}
RESULT_STYLE = {"done": "green", "failed": "red", "not_sent": "dim"}
RESULT_WORDS = {"done": "done", "failed": "FAILED", "not_sent": "not sent"}


def _mode_line(document: dict[str, Any], subject: str) -> str:
    mode = document["mode"]
    if subject == "requests":
        policy = f"policy review_token_requests={mode['review_token_requests']}"
    else:
        allowed = mode["allow_revocation"]
        shown = ", ".join(allowed) if isinstance(allowed, list) else str(allowed).lower()
        policy = (
            f"policy allow_revocation={shown or 'none'}, revoke_when={', '.join(mode['revoke_when']) or 'none'},"
            f" cap {mode['max_revocations_per_run']} per run"
        )
    run = "--apply: acts are sent where the policy allows" if mode["apply"] else "dry run: nothing is sent"
    return f"{run}; {policy}"


def _result(row: dict[str, Any]) -> str:
    words = RESULT_WORDS[row["result"]]
    return f"{words}: {row['result_detail']}" if row["result_detail"] else words


# -- the two listings, from one description each ---------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    name: str
    markdown: Callable[[dict[str, Any]], str] | None
    """The cell in Markdown (None: not a Markdown column)."""
    terminal: Callable[[dict[str, Any]], Text] | None
    """The cell on a terminal (None: not a terminal column)."""


@dataclass(frozen=True)
class _Listing:
    subject: str
    title: str
    rows: str
    """The document's key holding the rows."""
    empty: str
    counts: Callable[[dict[str, int]], str]
    columns: tuple[_Column, ...]
    sources: bool = False
    """Whether the sources not read are listed before the rows."""


def _with_link(row: dict[str, Any]) -> Text:
    reason = Text.assemble(plain(row["reason"]))
    if row["link"]:
        reason.append("\n")
        reason.append(link_text(row["link"]))
    return reason


def _with_remedy(row: dict[str, Any]) -> Text:
    why = plain(row["detail"])
    if row["remedy"]:
        why.append("\nremedy: ")
        why.append(plain(row["remedy"]))
    return why


def _credential(row: dict[str, Any], between: str) -> str:
    return f"{row['platform']} {row['kind']}{between}{row['id']}"


_RESULT = _Column(
    "Result", lambda row: markdown_text(_result(row)), lambda row: plain(_result(row), RESULT_STYLE[row["result"]])
)

REQUESTS = _Listing(
    subject="requests",
    title="Fine-grained token requests",
    rows="requests",
    empty="No pending requests.",
    counts=lambda counts: (
        f"{counts['approve']} to approve · {counts['deny']} to deny · {counts['undecided']} left for a person ·"
        f" {counts['done']} sent · {counts['failed']} failed"
    ),
    columns=(
        _Column(
            "Request",
            lambda row: f"{markdown_text(row['org'])} #{markdown_text(row['id'])}",
            lambda row: plain(f"{row['org']} #{row['id']}" + (f"\n{row['token_name']}" if row["token_name"] else "")),
        ),
        _Column("Requester", lambda row: markdown_text(row["requester"]), lambda row: plain(row["requester"])),
        _Column("Token", lambda row: markdown_text(row["token_name"] or ""), None),
        _Column(
            "Decision", lambda row: f"**{row['decision']}**", lambda row: plain(row["decision"], DECISION_STYLE[row["decision"]])
        ),
        _Column("Slot", lambda row: markdown_text(row["slot"] or ""), lambda row: plain(row["slot"] or "")),
        _Column(
            "Reason",
            lambda row: markdown_text(row["reason"]) + (f" {markdown_link(row['link'])}" if row["link"] else ""),
            _with_link,
        ),
        _RESULT,
    ),
    sources=True,
)

REVOCATIONS = _Listing(
    subject="revocations",
    title="Revocations",
    rows="revocations",
    empty="Nothing to revoke.",
    counts=lambda counts: (
        f"{counts['proposed']} proposed · {counts['done']} revoked · {counts['failed']} failed ·"
        f" {counts['not_sent']} not sent"
    ),
    columns=(
        _Column(
            "Credential",
            lambda row: markdown_text(_credential(row, " ") + (f" ({row['name']})" if row["name"] else "")),
            lambda row: plain(_credential(row, "\n") + (f" {row['name']}" if row["name"] else "")),
        ),
        _Column("Whose", lambda row: markdown_text(row["affected"]), lambda row: plain(row["affected"])),
        _Column("Cause", lambda row: row["cause"], lambda row: plain(row["cause"])),
        _Column("Why", lambda row: markdown_text(row["detail"]), _with_remedy),
        _Column("Remedy", lambda row: markdown_text(row["remedy"] or ""), None),
        _RESULT,
    ),
)


def _markdown(listing: _Listing, document: dict[str, Any]) -> str:
    lines = [
        f"# {listing.title}", "", markdown_text(_mode_line(document, listing.subject)), "",
        listing.counts(document["counts"]), "",
    ]
    if listing.sources:
        lines += _sources_markdown(document)
    if not document[listing.rows]:
        return "\n".join([*lines, listing.empty, ""])
    columns = [c for c in listing.columns if c.markdown is not None]
    lines += ["| " + " | ".join(c.name for c in columns) + " |", "|" + "---|" * len(columns)]
    for row in document[listing.rows]:
        lines.append("| " + " | ".join(c.markdown(row) for c in columns if c.markdown is not None) + " |")
    return "\n".join([*lines, ""])


def _terminal(listing: _Listing, document: dict[str, Any], console: Console) -> None:
    console.print(plain(_mode_line(document, listing.subject), "dim"))
    if listing.sources:
        _sources_terminal(document, console)
    if not document[listing.rows]:
        console.print(plain(listing.empty))
        return
    columns = [c for c in listing.columns if c.terminal is not None]
    table = Table(show_lines=True)
    for column in columns:
        table.add_column(column.name, overflow="fold")
    for row in document[listing.rows]:
        table.add_row(*(c.terminal(row) for c in columns if c.terminal is not None))
    console.print(table)
    console.print(plain(listing.counts(document["counts"])))


for _listing in (REQUESTS, REVOCATIONS):
    registry.renderer(_listing.subject, OutputFormat.JSON)(lambda document: json.dumps(document, indent=2))
    registry.renderer(_listing.subject, OutputFormat.MARKDOWN)(partial(_markdown, _listing))
    registry.printer(_listing.subject)(partial(_terminal, _listing))


# -- sources ------------------------------------------------------------------------------------------


def _sources_markdown(document: dict[str, Any]) -> list[str]:
    failed = [s for s in document["sources"] if s["status"] != "read"]
    return [f"- {markdown_text(s['platform'])} {markdown_text(s['source'])}: {s['status']} — {markdown_text(s['detail'])}" for s in failed] + (
        [""] if failed else []
    )


def _sources_terminal(document: dict[str, Any], console: Console) -> None:
    for source in document["sources"]:
        if source["status"] != "read":
            style = "red" if source["status"] == "failed" else "yellow"
            console.print(plain(f"{source['platform']} {source['source']}: {source['status']} — {source['detail']}", style))
