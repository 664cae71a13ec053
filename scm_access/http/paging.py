"""Following pages: the mechanism. Each platform says how its next page is asked for (a link, a page
number, a continuation token) with a :data:`NextPage` function of its own; the mechanism follows it,
bounded, and only within the origin of the first page, because every request carries the credential."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from scm_access.http.errors import MalformedResponse
from scm_access.http.urls import netloc, origin


@dataclass(frozen=True)
class PageRequest:
    """The URL and query parameters that fetch one page."""

    url: str
    params: Mapping[str, Any] = field(default_factory=dict)


NextPage = Callable[[httpx.Response, Any, PageRequest], "PageRequest | None"]
"""Given a page's response, its parsed JSON and the request that fetched it: the next page's request, or
None on the last page."""

RemainingPages = Callable[[httpx.Response, PageRequest], "list[PageRequest] | None"]
"""Given the first page's response and request: the requests of every page after it, when the answer says how
many there are (they can then be asked for at once); None when it does not say."""


def check_same_origin(first: str, following: str) -> None:
    """A next page must be at the first page's scheme, host and port: a link elsewhere (another host, or
    plain http on the same host) would carry the credential there."""
    if origin(following) != origin(first):
        where = netloc(first)
        raise MalformedResponse(
            f"{where}: next-page link points to another host, port or scheme; not followed", host=where
        )
