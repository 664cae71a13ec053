"""Where a credential may go.

Every request of this tool carries a credential, so the rules are about the URL alone: https, or plain
http to a loopback address (a server on this machine: tests, a local mirror); and a next page only at the
origin (scheme, host and port) of the first one.
"""

from __future__ import annotations

import functools
import ipaddress

import httpx

from scm_access.http.errors import InsecureTransport

_LOOPBACK_NAMES = frozenset({"localhost"})


def _parsed(url: str | httpx.URL) -> httpx.URL:
    return url if isinstance(url, httpx.URL) else httpx.URL(url)


def netloc(url: str | httpx.URL) -> str:
    """Host and port, never the ``user:password@`` a URL may carry."""
    return _parsed(url).netloc.decode("ascii")


def origin(url: str | httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and port (the default port made explicit, so ``https://h`` and ``https://h:443`` match)."""
    parsed = _parsed(url)
    port = parsed.port if parsed.port is not None else {"https": 443, "http": 80}.get(parsed.scheme)
    return parsed.scheme, parsed.host.lower(), port


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name, not an address literal
        return False


def insecure_reason(url: str | httpx.URL) -> str | None:
    """Why a credential must not be sent to ``url``, or None when it may."""
    parsed = _parsed(url)
    if parsed.scheme == "https":
        return None
    return _plain_http_refusal(parsed.scheme, parsed.host, netloc(parsed))


@functools.lru_cache(maxsize=64)
def _plain_http_refusal(scheme: str, host: str, where_host: str) -> str | None:
    """Asked for every request of a run to the same few hosts: answered once per host."""
    if scheme == "http" and is_loopback(host):
        return None
    where = f"{scheme}://{where_host}"
    return (
        f"refused to send the token to {where}: credentials go over https only"
        " (plain http only to a loopback address)"
    )


def require_secure(url: str | httpx.URL) -> None:
    """Raise :class:`InsecureTransport` unless a credential may be sent to ``url``."""
    reason = insecure_reason(url)
    if reason is not None:
        raise InsecureTransport(reason, host=netloc(url))
