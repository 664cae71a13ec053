"""Reading one admin view to its last page, for the platform readers.

A view is read whole or not at all: an inventory built from half a listing would call the missing half
``missing``. So a page that is refused, a page that is not the documented shape, or a listing longer than
the bound all end the reading with an exception whose reason is safe to show; the reader turns it into a
``failed`` (or, where a status means *not offered here*, a ``skipped``) source.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import httpx

from scm_access.http import Api, ApiError, MalformedResponse, NextPage, PageRequest, RemainingPages

MAX_PAGES = 5_000
"""Pages read of one view at most (500,000 entries at 100 a page): past that the view is reported as not
read, never as read in part."""


class Refused(ApiError):
    """The view answered a page with a status that is not a success (the status is kept to tell a refusal
    from a tier that does not offer the view)."""

    def __init__(self, reason: str, *, status: int, host: str | None = None) -> None:
        self.status = status
        super().__init__(reason, host=host)


async def read_listing(
    api: Api,
    path: str,
    *,
    next_page: NextPage,
    items: Callable[[Any], list[Any]],
    params: Mapping[str, Any] | None = None,
    what: str,
    max_pages: int = MAX_PAGES,
    remaining_pages: RemainingPages | None = None,
) -> list[Any]:
    """Every entry of a paged listing, in order. ``items`` takes a page's parsed JSON to its entries (and
    raises :class:`MalformedResponse` when the page is not the documented shape); ``what`` names the view
    in reasons (e.g. ``GET /personal_access_tokens``); ``remaining_pages``, where the platform's first page
    says how many there are, lets the others be asked for at once."""
    entries: list[Any] = []
    async for page in listing_pages(
        api, path, next_page=next_page, items=items, params=params, what=what, max_pages=max_pages,
        remaining_pages=remaining_pages,
    ):
        entries += page
    return entries


async def listing_pages(
    api: Api,
    path: str,
    *,
    next_page: NextPage,
    items: Callable[[Any], list[Any]],
    params: Mapping[str, Any] | None = None,
    what: str,
    max_pages: int = MAX_PAGES,
    remaining_pages: RemainingPages | None = None,
) -> AsyncIterator[list[Any]]:
    """The entries of a paged listing page by page, as each is read (for a reader that starts on the first
    entries while the next page is on its way); the same checks as :func:`read_listing`, so a reading that
    ends with an exception has read the view in part: its caller uses none of it."""
    more: list[bool] = [False]
    """Whether the last page read names a next one."""

    def following(response: httpx.Response, data: Any, page: PageRequest) -> PageRequest | None:
        following_page = next_page(response, data, page)
        more[0] = following_page is not None
        return following_page

    pages = 0
    async for response, data in api.pages(
        path, next_page=following, params=params, max_pages=max_pages, remaining_pages=remaining_pages
    ):
        if not response.is_success:
            raise Refused(f"{what} answered HTTP {response.status_code}", status=response.status_code)
        if data is None:
            raise MalformedResponse(f"{what} answered without a JSON body")
        yield items(data)
        pages += 1
    if pages >= max_pages and more[0]:
        raise ApiError(f"{what} has more than {max_pages} pages; stopped there and used none of it")


def entries_in(data: Any, key: str | None, what: str) -> list[Any]:
    """The entries of a page: the JSON array itself (``key`` None) or the array under ``key``; a page of
    any other shape is not read."""
    found = data if key is None else (data.get(key) if isinstance(data, dict) else None)
    if not isinstance(found, list):
        where = "a JSON array" if key is None else f"a {key!r} array"
        raise MalformedResponse(f"{what} answered without {where}")
    return found


def moment(value: Any) -> datetime | None:
    """A listed timestamp in UTC (ISO 8601, with or without an offset; one without is UTC), None when absent
    or unreadable: a time a view gave that cannot be read counts as not seen, never guessed."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _moment(value)


@lru_cache(maxsize=4096)
def _moment(value: str) -> datetime | None:
    """Read once per distinct text: the moments of a listing repeat (expiry dates, tokens made together)."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
