from __future__ import annotations

import re

from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from scm_access.instruct.model import Instructions

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")


def to_markup(text: str) -> str:
    """The Markdown subset the steps use (**bold**, `code`) as rich markup."""
    text = escape(text)
    text = _BOLD.sub(r"[bold]\1[/bold]", text)
    return _CODE.sub(r"[cyan]\1[/cyan]", text)


def render_terminal(instructions: list[Instructions]) -> list[Panel]:
    return [_panel(item) for item in instructions]


def _panel(item: Instructions) -> Panel:
    parts: list = [
        Text.from_markup(
            f"[dim]Token name[/dim] {escape(item.token_name)}   [dim]Expires[/dim] "
            f"{item.expires_at.isoformat()} ({item.lifetime_days} days)   [dim]Host[/dim] {escape(item.host)}"
        )
    ]
    if item.creation_link:
        parts.append(Text.from_markup(f"[dim]Pre-filled link[/dim] [link={item.creation_link}]{escape(item.creation_link)}[/link]"))
    for p in item.prerequisites:
        parts.append(Text.from_markup(f"[yellow]Before you start:[/yellow] {escape(p)}"))
    for number, step in enumerate(item.steps, start=1):
        line = f"[bold]{number}.[/bold] {to_markup(step.text)}"
        if step.link and step.link != item.creation_link:
            line += f" [link={step.link}]{escape(step.link)}[/link]"
        parts.append(Text.from_markup(line))
        for sub in step.items:
            parts.append(Text.from_markup(f"     • {to_markup(sub)}"))
    for note in item.notes:
        parts.append(Text.from_markup(f"[dim]Note:[/dim] {to_markup(note)}"))
    return Panel(Group(*parts), title=escape(item.title), title_align="left", expand=True)
