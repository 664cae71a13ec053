"""Reading an answer: the body up to a size cap, and its JSON."""

from __future__ import annotations

from typing import Any

import httpx

from scm_access.http.errors import MalformedResponse, ResponseTooLarge


async def read_capped(response: httpx.Response, limit: int) -> httpx.Response:
    """Read the body of a streamed response, decoded, refusing more than ``limit`` bytes; returns the response.

    An answer that goes on past the cap (an endless stream, a decompression bomb) raises
    :class:`ResponseTooLarge` as soon as it crosses it: memory stays bounded whatever a server sends."""
    host = response.request.url.host
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ResponseTooLarge(_too_large(host, response.status_code, limit), host=host)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise ResponseTooLarge(_too_large(host, response.status_code, limit), host=host)
        chunks.append(chunk)
    # Stored where httpx's own `aread` stores what it read, so `.content`, `.text` and `.json()` work as
    # after a plain read; a copy of the response would cost as much again as httpx's own handling of it.
    response._content = b"".join(chunks)
    return response


def _too_large(host: str, status: int, limit: int) -> str:
    return f"{host}: HTTP {status} answer is larger than {_size(limit)}; stopped reading it"


def _size(count: int) -> str:
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale and count % scale == 0:
            return f"{count // scale} {unit}"
    return f"{count} bytes"


def read_json(response: httpx.Response) -> Any:
    """The body as JSON, or :class:`MalformedResponse` naming the host and status (never the body)."""
    host = response.url.host
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        content_type = response.headers.get("content-type", "no content type")
        raise MalformedResponse(
            f"{host}: HTTP {response.status_code} answer is not valid JSON ({content_type})", host=host
        ) from None


def json_or_none(response: httpx.Response) -> Any:
    """The body as JSON, or None when it is not JSON (for bodies read only for a hint, like a message)."""
    try:
        return response.json()
    except ValueError:
        return None
