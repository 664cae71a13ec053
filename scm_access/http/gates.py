"""Per-credential rate-limit gates: when the next request to a host, with one credential, may go out.

Platforms count quotas per user or token, so one exhausted token must not hold back the others. A gate is
keyed by the host plus a keyed digest of the credential (never the credential itself); each host also has a
gate of its own, which every credential there consults for short waits (two tokens may share a quota).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from scm_access.http.errors import RateLimited
from scm_access.http.retry import exhausted_until, parse_retry_after, utc

log = logging.getLogger(__name__)

_FINGERPRINT_KEY = secrets.token_bytes(16)
"""Per process: a gate key cannot be matched against anything outside this run."""


def gate_key(host: str, credential_headers: Mapping[str, str] | None) -> str:
    """The host, plus a keyed digest of the headers that carry the credential (whichever the platform uses)."""
    if not credential_headers:
        return host
    credential = "\n".join(f"{name.lower()}:{value}" for name, value in sorted(credential_headers.items()))
    digest = hashlib.blake2b(credential.encode(), key=_FINGERPRINT_KEY, digest_size=8).hexdigest()
    return f"{host}#{digest}"


@dataclass
class Gate:
    not_before: float = 0.0
    reason: str = ""

    def hold_until(self, when: float, reason: str) -> None:
        if when > self.not_before:
            self.not_before = when
            self.reason = reason


class Gates:
    """Every gate of one client, and what the hosts reported."""

    def __init__(self, *, max_wait: float, secondary_wait: float) -> None:
        self._gates: dict[str, Gate] = {}
        self._own_quota: set[str] = set()
        """Keys of credentials whose quota is their own (a GitHub App installation's token): what a host reports
        of them holds back no other credential, nor does what it reports of another hold them back."""
        self.max_wait = max_wait
        """Longest wait a host may ask of a credential that is sat out; longer ones fail at once."""
        self.secondary_wait = secondary_wait

    def has_own_quota(self, key: str) -> None:
        """The platform counts this credential's requests apart from every other's (see ``_own_quota``)."""
        self._own_quota.add(key)

    def _of(self, host: str, key: str) -> list[Gate]:
        """The credential's own gate and the host's (the same one for requests without a credential)."""
        gates = [self._gates.setdefault(key, Gate())]
        if key != host and key not in self._own_quota:
            gates.append(self._gates.setdefault(host, Gate()))
        return gates

    def delay(self, host: str, key: str, now: float) -> tuple[float, str]:
        """Seconds to wait before sending with this credential, and why.

        A short wait asked of another credential on the host is cheap insurance against a shared quota. A
        long one is not ours to sit out (one token used up by its integration must not fail every other
        token); if the quota is shared after all, the host refuses us and that request is rate limited in its
        own right. A long wait asked of this credential raises :class:`RateLimited` at once."""
        own = self._gates.get(key)
        shared = self._gates.get(host) if key != host and key not in self._own_quota else None
        own_delay = own.not_before - now if own else 0.0
        if own is not None and own_delay > self.max_wait:
            raise RateLimited(
                f"{host}: {own.reason}; it resets at {utc(own.not_before):%Y-%m-%d %H:%M:%S} UTC",
                reset_at=utc(own.not_before),
                host=host,
            )
        shared_delay = shared.not_before - now if shared else 0.0
        delay = max(own_delay, shared_delay if shared_delay <= self.max_wait else 0.0)
        if delay <= 0:
            return 0.0, ""
        reason = own.reason if own is not None and own_delay >= shared_delay else shared.reason if shared else ""
        return delay, reason

    def observe(self, host: str, key: str, headers: httpx.Headers, now: float) -> None:
        """Remember every wait the host asks for, whatever the status (a ``Retry-After`` on a success means:
        slow down before the next request)."""
        retry_after = parse_retry_after(headers.get("retry-after"), now)
        reset = exhausted_until(headers)
        asks_wait = retry_after is not None and retry_after > 0
        exhausted = reset is not None and reset > now
        if not (asks_wait or exhausted):
            return
        for gate in self._of(host, key):
            if asks_wait and retry_after is not None:
                gate.hold_until(now + retry_after, f"asked to wait {retry_after:g}s (Retry-After)")
            if exhausted and reset is not None:
                gate.hold_until(reset, "rate limit used up (remaining 0)")

    def observe_refusal(self, host: str, key: str, now: float) -> None:
        """Refused for rate without saying until when: wait as for a secondary limit (on the whole host, own
        quota or not: a secondary limit counts more than one credential's requests)."""
        gates = [self._gates.setdefault(key, Gate())]
        if key != host:
            gates.append(self._gates.setdefault(host, Gate()))
        for gate in gates:
            if gate.not_before <= now:
                gate.hold_until(now + self.secondary_wait, "secondary rate limit")

    def not_before(self, key: str) -> float | None:
        gate = self._gates.get(key)
        return gate.not_before if gate is not None else None
