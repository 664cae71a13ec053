"""What a request that gave no usable answer raises.

Every ``reason`` is safe to show: it names the host and what went wrong, never a token, a request header
or more of a response body than a status line.
"""

from __future__ import annotations

from datetime import datetime


class ApiError(Exception):
    """A request gave no usable answer. ``reason`` is safe to show: no token, no headers."""

    def __init__(self, reason: str, *, host: str | None = None) -> None:
        self.reason = reason
        self.host = host
        super().__init__(reason)


class ApiUnavailable(ApiError):
    """Server errors, timeouts or broken connections, still failing after the bounded retries."""


class RateLimited(ApiError):
    """The host asked us to wait longer than we are willing to, or kept refusing after the retries."""

    def __init__(self, reason: str, *, reset_at: datetime | None = None, host: str | None = None) -> None:
        self.reset_at = reset_at
        super().__init__(reason, host=host)


class MalformedResponse(ApiError):
    """The answer could not be read (not JSON, or not the shape the platform documents)."""


class ResponseTooLarge(MalformedResponse):
    """The answer went on past the size cap: reading stopped there, and nothing of it is used."""


class InsecureTransport(ApiError):
    """A request would have gone out in clear (plain http to a host that is not a loopback address), with
    the credential it carries: it was never sent."""
