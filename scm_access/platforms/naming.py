"""Declared names that end up in paths and URLs, checked with each platform's own character rules.

A name outside those rules cannot name anything on the platform; refusing it also keeps path separators,
query characters and markup out of the links and API paths the name is placed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class NameRule:
    what: str
    """What the name names, e.g. 'a GitHub repository name'."""
    pattern: str
    """The whole name must match (anchored here)."""
    max_length: int
    rule: str
    """The platform's rule in words, for the message."""

    def problem(self, name: str) -> str | None:
        """Why ``name`` breaks the rule, or None."""
        if len(name) > self.max_length or not re.fullmatch(self.pattern, name):
            return f"{name!r} is not {self.what}: {self.rule}"
        return None


def within_owner(name: str, owner: str | None, owner_field: str) -> str | None:
    """Repositories are named within their owner (``org``, ``workspace``): one form, ``app``, never
    ``acme/app``. The problem with a name written with its owner, and the fix, or None."""
    if "/" not in name:
        return None
    prefix, _, rest = name.partition("/")
    if owner and prefix == owner:
        return f"write {rest!r}: repositories are named within {owner_field} {owner!r}, without it"
    if owner:
        return f"{name!r} is not in {owner_field} {owner!r}: repositories are named within it"
    return f"write {owner_field}={prefix!r} and the repository as {rest!r}"
