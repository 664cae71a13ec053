"""How long and how much: timeouts, deadlines, size cap, concurrency and retries of one client."""

from __future__ import annotations

from dataclasses import dataclass, field

from scm_access import __version__
from scm_access.http.retry import RetryPolicy

USER_AGENT = f"scm-access/{__version__}"


@dataclass(frozen=True)
class HttpSettings:
    timeout: float = 10.0
    """Seconds for each of connect, read, write and pool wait: the longest silence tolerated."""
    deadline: float = 30.0
    """Seconds one attempt may take in all, from sending to the last byte of the answer: a server that keeps
    sending a byte now and then never trips ``timeout``, but trips this."""
    run_time_limit: float | None = 600.0
    """Seconds the whole run (every request of this client, their retries and waits) may take; once spent,
    nothing more is sent and every request still to make fails with that reason. None: no limit."""
    max_response_bytes: int = 8 << 20
    """Largest answer read, after decompression. The largest real answers (a page of a group listing) are a
    few hundred KiB; past this a server is misbehaving, and reading stops."""
    max_concurrency: int = 64
    """Requests in flight at once, over every host of the run. GitHub's secondary limit starts at 100 concurrent
    requests; rate limits are honoured per credential whatever this is (see :mod:`~scm_access.http.gates`)."""
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    user_agent: str = USER_AGENT
