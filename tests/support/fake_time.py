"""The one fake clock of the tests: waiting advances it at once, so retries, Retry-After and rate-limit
waits take no real time, and every wait is recorded."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class FakeTime:
    """A clock and a sleep that advances it; ``sleeps`` lists every wait in order."""

    def __init__(self, start: float | None = None) -> None:
        self.now = start if start is not None else NOW.timestamp()
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)
