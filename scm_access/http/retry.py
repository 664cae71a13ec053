"""When to try a request again, and how long to wait first: the retry policy, and what a server's
``Retry-After`` and rate-limit headers ask for."""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD"})
RETRYABLE_STATUSES = frozenset({408, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    """Tries per request, the first included."""
    wait_initial: float = 0.5
    wait_max: float = 8.0
    wait_jitter: float = 0.5
    """Up to this many seconds of random delay added to each backoff, so clients do not retry in step."""
    max_server_wait: float = 60.0
    """Longest wait a server may ask for that we sit out; beyond it the request fails as rate limited."""
    secondary_limit_wait: float = 60.0
    """A refusal for rate that says neither how long nor until when (a secondary limit): the documented
    advice for such limits is to wait at least a minute."""
    budget: int = 100
    """Retries allowed across all requests of one client: a down host cannot multiply the traffic."""

    def backoff(self, attempt_number: int, jitter: float) -> float:
        """Seconds before try ``attempt_number + 1``: exponential, capped, plus ``jitter`` (0..1) of the
        jitter allowance."""
        exponential = self.wait_initial * 2.0 ** (attempt_number - 1)
        return min(self.wait_max, exponential) + self.wait_jitter * jitter


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), None if unreadable."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def _header(headers: httpx.Headers, *names: str) -> str | None:
    for name in names:
        value: str | None = headers.get(name)
        if value is not None:
            return value
    return None


def exhausted_until(headers: httpx.Headers) -> float | None:
    """Epoch seconds until which the host said the quota is used up (``X-RateLimit-*`` or the IETF draft's
    ``RateLimit-*``: remaining 0 and a reset time)."""
    remaining = _header(headers, "x-ratelimit-remaining", "ratelimit-remaining")
    reset = _header(headers, "x-ratelimit-reset", "ratelimit-reset")
    if remaining is None or reset is None:
        return None
    try:
        if float(remaining) > 0:
            return None
        return float(reset)
    except ValueError:
        return None


def is_rate_limit_refusal(response: httpx.Response, phrases: tuple[str, ...] = ()) -> bool:
    """A 429, or a 403 that says it is about rate: a wait asked for, a used-up quota, or (where the platform
    words it so, and declares the wording) one of ``phrases`` in its message. The body must have been read."""
    if response.status_code == 429:
        return True
    if response.status_code != 403:
        return False
    headers = response.headers
    if "retry-after" in headers or _header(headers, "x-ratelimit-remaining", "ratelimit-remaining") == "0":
        return True
    # A limit may come without either header; then only its message says so, in the platform's words.
    if not phrases:
        return False
    message = response.text[:2000].lower()
    return any(phrase.lower() in message for phrase in phrases)


def is_secondary_limit(response: httpx.Response) -> bool:
    """Refused for rate without a used-up quota: a secondary (abuse) limit."""
    return response.status_code == 403 and exhausted_until(response.headers) is None


def utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)
