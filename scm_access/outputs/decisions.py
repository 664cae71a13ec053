"""Decisions and acts (`scm-access requests`, `scm-access inventory --revoke`) in every format, from the one
document :mod:`scm_access.inventory.decisions.report` builds. Logins, token names, reasons and server
messages are shown as text: never obeyed, never read as markup."""

from __future__ import annotations

import json
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


# -- requests -----------------------------------------------------------------------------------------


@registry.renderer("requests", OutputFormat.JSON)
def _requests_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2)


@registry.renderer("requests", OutputFormat.MARKDOWN)
def _requests_markdown(document: dict[str, Any]) -> str:
    counts = document["counts"]
    lines = [
        "# Fine-grained token requests",
        "",
        markdown_text(_mode_line(document, "requests")),
        "",
        f"{counts['approve']} to approve · {counts['deny']} to deny · {counts['undecided']} left for a person ·"
        f" {counts['done']} sent · {counts['failed']} failed",
        "",
    ]
    lines += _sources_markdown(document)
    if not document["requests"]:
        return "\n".join([*lines, "No pending requests.", ""])
    lines += ["| Request | Requester | Token | Decision | Slot | Reason | Result |", "|---|---|---|---|---|---|---|"]
    for row in document["requests"]:
        reason = markdown_text(row["reason"])
        if row["link"]:
            reason += f" {markdown_link(row['link'])}"
        lines.append(
            f"| {markdown_text(row['org'])} #{markdown_text(row['id'])} | {markdown_text(row['requester'])} |"
            f" {markdown_text(row['token_name'] or '')} | **{row['decision']}** | {markdown_text(row['slot'] or '')} |"
            f" {reason} | {markdown_text(_result(row))} |"
        )
    return "\n".join([*lines, ""])


@registry.printer("requests")
def _requests_terminal(document: dict[str, Any], console: Console) -> None:
    console.print(plain(_mode_line(document, "requests"), "dim"))
    _sources_terminal(document, console)
    if not document["requests"]:
        console.print(plain("No pending requests."))
        return
    table = Table(show_lines=True)
    for column in ("Request", "Requester", "Decision", "Slot", "Reason", "Result"):
        table.add_column(column, overflow="fold")
    for row in document["requests"]:
        reason = Text.assemble(plain(row["reason"]))
        if row["link"]:
            reason.append("\n")
            reason.append(link_text(row["link"]))
        table.add_row(
            plain(f"{row['org']} #{row['id']}" + (f"\n{row['token_name']}" if row["token_name"] else "")),
            plain(row["requester"]),
            plain(row["decision"], DECISION_STYLE[row["decision"]]),
            plain(row["slot"] or ""),
            reason,
            plain(_result(row), RESULT_STYLE[row["result"]]),
        )
    console.print(table)
    counts = document["counts"]
    console.print(
        plain(
            f"{counts['approve']} to approve · {counts['deny']} to deny · {counts['undecided']} left for a person ·"
            f" {counts['done']} sent · {counts['failed']} failed"
        )
    )


# -- revocations --------------------------------------------------------------------------------------


@registry.renderer("revocations", OutputFormat.JSON)
def _revocations_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2)


@registry.renderer("revocations", OutputFormat.MARKDOWN)
def _revocations_markdown(document: dict[str, Any]) -> str:
    counts = document["counts"]
    lines = [
        "# Revocations",
        "",
        markdown_text(_mode_line(document, "revocations")),
        "",
        f"{counts['proposed']} proposed · {counts['done']} revoked · {counts['failed']} failed ·"
        f" {counts['not_sent']} not sent",
        "",
    ]
    if not document["revocations"]:
        return "\n".join([*lines, "Nothing to revoke.", ""])
    lines += ["| Credential | Whose | Cause | Why | Remedy | Result |", "|---|---|---|---|---|---|"]
    for row in document["revocations"]:
        credential = f"{row['platform']} {row['kind']} {row['id']}" + (f" ({row['name']})" if row["name"] else "")
        lines.append(
            f"| {markdown_text(credential)} | {markdown_text(row['affected'])} | {row['cause']} |"
            f" {markdown_text(row['detail'])} | {markdown_text(row['remedy'] or '')} | {markdown_text(_result(row))} |"
        )
    return "\n".join([*lines, ""])


@registry.printer("revocations")
def _revocations_terminal(document: dict[str, Any], console: Console) -> None:
    console.print(plain(_mode_line(document, "revocations"), "dim"))
    if not document["revocations"]:
        console.print(plain("Nothing to revoke."))
        return
    table = Table(show_lines=True)
    for column in ("Credential", "Whose", "Cause", "Why", "Result"):
        table.add_column(column, overflow="fold")
    for row in document["revocations"]:
        why = plain(row["detail"])
        if row["remedy"]:
            why.append("\nremedy: ")
            why.append(plain(row["remedy"]))
        table.add_row(
            plain(f"{row['platform']} {row['kind']}\n{row['id']}" + (f" {row['name']}" if row["name"] else "")),
            plain(row["affected"]),
            plain(row["cause"]),
            why,
            plain(_result(row), RESULT_STYLE[row["result"]]),
        )
    console.print(table)
    counts = document["counts"]
    console.print(
        plain(
            f"{counts['proposed']} proposed · {counts['done']} revoked · {counts['failed']} failed ·"
            f" {counts['not_sent']} not sent"
        )
    )


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
