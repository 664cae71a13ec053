"""Rich text for the terminal, built from styled parts: nothing from a user, a declaration or a server is
ever read as rich markup, and its control characters are shown, not obeyed."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from scm_access.outputs.text import Emphasis, spans, visible, web_link

_STYLES = {Emphasis.PLAIN: "", Emphasis.STRONG: "bold", Emphasis.EMPHASIS: "italic", Emphasis.CODE: "cyan"}


def plain(text: str, style: str = "") -> Text:
    """Text shown as it is (control characters made visible)."""
    return Text(visible(text), style=style)


def subset_text(text: str) -> Text:
    """A step text with its Markdown subset as terminal styles (bold, italic, code in colour), without the
    asterisks and backticks."""
    result = Text()
    for emphasis, part in spans(text):
        result.append(visible(part), style=_STYLES[emphasis])
    return result


def link_text(url: str, indent: str = "") -> Text:
    """A link on a line of its own that is never wrapped or cut (copy-paste keeps it whole), and a
    hyperlink where the terminal supports it (rich only emits one to a terminal)."""
    link = web_link(url)
    text = Text(indent, no_wrap=True, overflow="ignore")
    text.append(visible(url), style=Style(link=link, underline=True) if link else "")
    return text


def command_text(command: str, indent: str = "") -> Text:
    """A command on a line of its own, never wrapped: a line break inside it would run half of it when
    pasted into a shell."""
    return Text(indent + visible(command), no_wrap=True, overflow="ignore", style="cyan")


def only_code(text: str) -> str | None:
    """The command when a text is a command line alone (one code span holding a space), else None."""
    parts = list(spans(text))
    if len(parts) == 1 and parts[0][0] is Emphasis.CODE and " " in parts[0][1]:
        return parts[0][1]
    return None
