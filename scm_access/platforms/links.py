"""Pre-filled token creation links: a declaration's link with each holder's token name in it.

Every holder of a declaration gets a link of their own whose only own part is the token's name: the
declaration's part and the holder's slot tag (``Integration (connection) scm-abcdefgh``). The rest of the link
is the declaration's, built once (:class:`LinkTemplate`). Quoting is done character by character, so the
name's declaration part is quoted once for all its holders and the tag, plain letters and digits, is used as
it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, quote_plus

_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")
"""What ``quote`` never changes, whatever ``safe`` says."""


def query_value(text: str, *, plus: bool = False, safe: str = "") -> str:
    """``quote_plus(text, safe=safe)`` when ``plus`` (a space as ``+``), else ``quote(text, safe=safe)``."""
    if _UNRESERVED.fullmatch(text):
        return text
    head, space, tail = text.rpartition(" ")
    if space and _UNRESERVED.fullmatch(tail):
        return _quoted(head, plus, safe) + _quoted(" ", plus, safe) + tail
    return _quoted(text, plus, safe)


@lru_cache(maxsize=4096)
def _quoted(text: str, plus: bool, safe: str) -> str:
    return quote_plus(text, safe=safe) if plus else quote(text, safe=safe)


@dataclass(frozen=True, slots=True)
class LinkTemplate:
    """A declaration's pre-filled creation link, but for the token's name: ``before`` + the quoted name +
    ``after``."""

    before: str
    after: str = ""
    plus: bool = False
    """A form value: a space as ``+`` (``quote_plus``) rather than ``%20``."""
    safe: str = ""
    """Characters left as they are (``quote``'s ``safe``)."""
    name_limit: int | None = None
    """The longest name the form takes: a longer one is cut."""

    def link(self, token_name: str) -> str:
        name = token_name if self.name_limit is None else token_name[: self.name_limit]
        return f"{self.before}{query_value(name, plus=self.plus, safe=self.safe)}{self.after}"

    def links(self, token_names: Sequence[str]) -> list[str]:
        """``[self.link(name) for name in token_names]``, for the holders of one declaration: their names share
        all but their last word (each holder's slot tag), which is quoted once for all of them; a name that
        does not share it, or whose last word needs quoting, is quoted whole."""
        if not token_names:
            return []
        names = token_names if self.name_limit is None else [name[: self.name_limit] for name in token_names]
        head, space, _ = names[0].rpartition(" ")
        shared = head + space
        cut = len(shared)
        tails = [name[cut:] for name in names]
        # The last words are unreserved when they are together (one look for all of them).
        if [name[:cut] for name in names].count(shared) == len(names) and _UNRESERVED.fullmatch("".join(tails)):
            # Quoting goes character by character: the shared part's quoted text begins each name's.
            start, after = f"{self.before}{_quoted(shared, self.plus, self.safe)}", self.after
            return [f"{start}{tail}{after}" for tail in tails]
        return [self.link(name) for name in token_names]
