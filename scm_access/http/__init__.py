"""One HTTP layer for every platform, naming none of them.

- :mod:`~scm_access.http.client`: the client (:class:`ApiClient`) and its view rooted at one API with the
  credential's headers (:class:`Api`);
- :mod:`~scm_access.http.settings`: timeouts, deadlines, the size cap, the run's time limit, concurrency;
- :mod:`~scm_access.http.retry`: the retry policy, and what ``Retry-After`` and rate-limit headers ask for;
- :mod:`~scm_access.http.gates`: per-credential rate-limit gates;
- :mod:`~scm_access.http.paging`: following pages the way a platform says (its own :data:`NextPage`), or all at
  once where the first page says how many there are (:data:`RemainingPages`);
- :mod:`~scm_access.http.body`: reading an answer, capped, and its JSON;
- :mod:`~scm_access.http.urls`: where a credential may go (https, loopback, same origin);
- :mod:`~scm_access.http.errors`: what comes out when no usable answer came.

Each platform owns its credential header (it passes it to :meth:`ApiClient.at`) and its pagination style.
"""

from scm_access.http.body import json_or_none, read_json
from scm_access.http.client import Api, ApiClient
from scm_access.http.errors import (
    ApiError,
    ApiUnavailable,
    InsecureTransport,
    MalformedResponse,
    RateLimited,
    ResponseTooLarge,
)
from scm_access.http.paging import NextPage, PageRequest, RemainingPages
from scm_access.http.retry import RetryPolicy, parse_retry_after
from scm_access.http.settings import USER_AGENT, HttpSettings
from scm_access.http.urls import insecure_reason

__all__ = [
    "USER_AGENT",
    "Api",
    "ApiClient",
    "ApiError",
    "ApiUnavailable",
    "HttpSettings",
    "InsecureTransport",
    "MalformedResponse",
    "NextPage",
    "PageRequest",
    "RateLimited",
    "RemainingPages",
    "ResponseTooLarge",
    "RetryPolicy",
    "insecure_reason",
    "json_or_none",
    "parse_retry_after",
    "read_json",
]
