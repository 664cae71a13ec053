"""Text that did not come from this program, made safe for each output: visible control characters in a
terminal, escaped Markdown, links only when they are web links.

Declarations, command-line arguments and servers supply names, purposes, delivery texts, logins and
messages. None of it may drive a terminal (escape sequences: clearing the screen, hyperlinks to
elsewhere), become Markdown structure (HTML, headings, links) or rich markup. Step texts built by this
program use a small Markdown subset (``**bold**``, ``*emphasis*``, ```code```); :func:`spans` splits such a
text so each renderer produces exactly that subset and escapes everything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from enum import Enum
from functools import lru_cache

_CACHE = 65536
"""Step texts and names repeat across thousands of slots: each distinct text is escaped once."""

# C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text (bidirectional
# overrides and isolates, zero-width marks): a terminal or an editor acts on them instead of showing them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _show(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


_ASCII_CONTROLS = bytes(range(0x20)) + b"\x7f"


def printable(text: str) -> bool:
    """``text.isprintable()``. ASCII text, most of what is checked, is printable when dropping its control
    characters leaves it as long: several times quicker than looking up each character's category."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data.translate(None, _ASCII_CONTROLS)) == len(data)
    return text.isprintable()


def visible(text: str) -> str:
    """Every control character shown as its escape (``\\x1b``, ``\\n``), so one line stays one line and a
    terminal shows what it was given instead of obeying it."""
    # A printable text holds none of them (the check is quicker than the pattern's search).
    return text if text.isprintable() or not _CONTROL.search(text) else _CONTROL.sub(_show, text)


def visible_lines(text: str) -> str:
    """Like :func:`visible`, keeping line breaks (for text that is meant to span lines)."""
    return "\n".join(visible(line) for line in text.split("\n"))


# ASCII punctuation that starts or closes a CommonMark/GFM construct anywhere in a line (HTML, entities,
# links and images, emphasis, code, table cells, strikethrough, backslash escapes), and what does so only
# at the start of a line (headings, lists, quotes, setext underlines, ordered-list numbers).
_ANYWHERE = re.compile(r"[\\`*\[\]<>&|~!#]")
_FLANKING_UNDERSCORE = re.compile(r"_(?:(?<![^\W_]_)|(?![^\W_]))")
"""An underscore between two letters or digits cannot open or close emphasis (CommonMark's flanking rule),
so `SCM_ACCESS_TOKEN` and `REGISTRY_TOKEN` stay as they are. Apart from the other characters, and starting with
the underscore itself: a pattern that looks around every character of a text was most of the escaping's time
(the backslashes escaping the others never stand between an underscore and a letter or digit)."""
_LINE_START = re.compile(r"^(\s*)([-+=>:]|\d+[.)])")


_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
"""Letters, digits and inner dashes (connection and holder names): nothing in them that Markdown reads."""


def markdown_text(text: str) -> str:
    """Declared text as literal Markdown inline content: no HTML, link, emphasis, code, table cell break or
    block structure can come out of it. Line breaks become spaces, control characters are made visible."""
    # A plan names a hundred thousand holders, most of them once: a plain name is its own Markdown.
    return text if _PLAIN_NAME.fullmatch(text) else _escaped_markdown(text)


_ESCAPED_ANYWHERE = re.compile(r"[\\`*\[\]<>&|~!#_]")
"""A character :data:`_ANYWHERE` or :data:`_FLANKING_UNDERSCORE` may escape: far quicker to look for than to run
those patterns, so text without one skips them."""


@lru_cache(maxsize=_CACHE)
def _escaped_markdown(text: str) -> str:
    if not _ESCAPED_ANYWHERE.search(text) and text.isprintable() and not _LINE_START.match(text):
        return text  # a sentence or a title, most often: nothing in it to escape
    return _escaping(text)


def _escaping(text: str) -> str:
    flat = visible(text.replace("\r\n", " ").replace("\n", " "))
    escaped = _ANYWHERE.sub(r"\\\g<0>", flat)
    if "_" in escaped:
        escaped = _FLANKING_UNDERSCORE.sub(r"\\\g<0>", escaped)
    return _LINE_START.sub(_escape_line_start, escaped, count=1)


def _escape_line_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    return match.group(1) + marker[:-1] + "\\" + marker[-1]


@lru_cache(maxsize=_CACHE)
def markdown_code(text: str, *, in_table: bool = False) -> str:
    """Declared text as a Markdown code span, whatever backticks it holds (CommonMark: a longer fence)."""
    flat = visible(text.replace("\n", " "))
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat.strip() else ""
    span = f"{fence}{pad}{flat}{pad}"
    if in_table:  # GFM splits table cells on `|` before it sees code spans
        span = span.replace("|", "\\|")
    return span + fence


_WEB_LINK = re.compile(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f]+", re.IGNORECASE)


class EachMatch:
    """Whether each of many texts matches a pattern whole, with one match of their lines: the texts joined by
    line breaks, which the pattern never takes (a text holding one is caught by counting them)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self._pattern = pattern
        self._lines = re.compile(f"(?:{pattern.pattern})(?:\n(?:{pattern.pattern}))*", pattern.flags)

    def __call__(self, texts: Sequence[str]) -> bool:
        """``all(pattern.fullmatch(text) for text in texts)``."""
        if not texts:
            return True
        joined = "\n".join(texts)
        return joined.count("\n") == len(texts) - 1 and self._lines.fullmatch(joined) is not None


def web_link(url: str | None) -> str | None:
    """The URL when it is a whole http(s) link with nothing a renderer could mistake for markup, else None
    (a declared base URL could hold `javascript:`, spaces or angle brackets)."""
    if url and _WEB_LINK.fullmatch(url):
        return url
    return None


def markdown_link(url: str) -> str:
    """A link as a Markdown autolink when it is a web link, otherwise as literal code."""
    link = web_link(url)
    return f"<{link}>" if link else markdown_code(url)


_NOT_IN_A_LINK = " <>\"'`\\"
"""What :data:`_WEB_LINK` refuses that a printable text may hold (the only whitespace a printable text holds is
the space; it holds no control character)."""
_WEB_SCHEMES = ("https://", "http://")


def web_links(urls: Sequence[str]) -> bool:
    """Whether :func:`web_link` keeps each of these links as it is. Most links are: one look at all of them
    (printable, nothing a link refuses, a lower-case scheme and something after it) tells, where matching the
    pattern character by character, link by link, was most of the time a holders table took; the pattern
    decides the others."""
    joined = "".join(urls)
    if (
        printable(joined)
        and not any(map(joined.__contains__, _NOT_IN_A_LINK))
        and all(len(url) > len(_WEB_SCHEMES[0]) and url.startswith(_WEB_SCHEMES) for url in urls)
    ):
        return True
    return all(web_link(url) is not None for url in urls)


class Emphasis(Enum):
    PLAIN = "plain"
    STRONG = "strong"
    EMPHASIS = "emphasis"
    CODE = "code"


_SUBSET = re.compile(r"\*\*(?P<strong>.+?)\*\*|`(?P<code>[^`]+)`|(?<![*\w])\*(?P<emphasis>[^*\s][^*]*?)\*(?!\*)")


def spans(text: str) -> Iterator[tuple[Emphasis, str]]:
    """Split a step text into its parts: plain text, **strong**, *emphasis* and `code`. Whatever else the
    text holds is plain text, to be escaped by the renderer."""
    position = 0
    for match in _SUBSET.finditer(text):
        start = match.start()
        if start > position:
            yield Emphasis.PLAIN, text[position:start]
        kind = match.lastgroup or "strong"
        yield _BY_GROUP[kind], match.group(kind)
        position = match.end()
    if position < len(text):
        yield Emphasis.PLAIN, text[position:]


_BY_GROUP = {emphasis.value: emphasis for emphasis in Emphasis}
"""The pattern's group names are the Emphasis values (a dict lookup: this runs for every step text)."""


@lru_cache(maxsize=_CACHE)
def markdown_subset(text: str) -> str:
    """A step text as Markdown: the subset kept, everything else literal."""
    parts = []
    for emphasis, part in spans(text):
        if emphasis is Emphasis.CODE:
            parts.append(markdown_code(part))
        elif emphasis is Emphasis.STRONG:
            parts.append(f"**{markdown_text(part)}**")
        elif emphasis is Emphasis.EMPHASIS:
            parts.append(f"*{markdown_text(part)}*")
        else:
            parts.append(markdown_text(part))
    return "".join(parts)


def plain_subset(text: str) -> str:
    """A step text without its Markdown marks (for a single-line terminal cell)."""
    return visible("".join(part for _, part in spans(text)))
