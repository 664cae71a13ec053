"""Values placed in the query of a pre-filled link, quoted exactly as ``urllib.parse`` quotes them.

Every holder of a declaration gets a link of their own whose only own part is the token's name: the
declaration's part and the holder's slot tag (``Integration (connection) scm-abcdefgh``). Quoting is done
character by character, so the declaration's part is quoted once for all its holders and the tag, plain
letters and digits, is used as it is.
"""

from __future__ import annotations

import re
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
