"""Rich text for the terminal, built from styled parts: nothing from a user, a declaration or a server is
ever read as rich markup, and its control characters are shown, not obeyed."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
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


class Hanging:
    """A text whose wrapped lines go on under its own start, after what opens its first line: a list's number
    or bullet (right-aligned before the text), or only the indent. Unlike a padded block, no line is filled out
    to the screen's width with blanks: text copied from the terminal, and a CI log, carry no trailing spaces."""

    def __init__(self, text: Text, *, indent: int, marker: str = "", marker_style: str = "bold") -> None:
        self.text = text
        self.indent = indent
        self.marker = marker
        self.marker_style = marker_style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self.text.wrap(console, max(options.max_width - self.indent, 1))
        for number, line in enumerate(lines):
            line.rstrip()
            if number == 0 and self.marker:
                yield Segment(" " * max(self.indent - len(self.marker) - 1, 0))
                yield Segment(self.marker, console.get_style(self.marker_style))
                yield Segment(" ")
            else:
                yield Segment(" " * self.indent)
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        text = Measurement.get(console, options, self.text)
        return Measurement(text.minimum + self.indent, text.maximum + self.indent)
