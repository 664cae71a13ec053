"""Where a credential may go: https anywhere, plain http only to this machine."""

from __future__ import annotations

import httpx
import pytest

from scm_access.http import InsecureTransport, insecure_reason
from tests.http.conftest import client_for, run, scripted


@pytest.mark.parametrize(
    "url",
    ["https://api.github.com", "https://ghe.example/api/v3", "http://127.0.0.1:8080", "http://127.8.9.1",
     "http://[::1]:9000/x", "http://localhost:3000", "http://LOCALHOST"],
)
def test_https_and_loopback_http_may_carry_a_credential(url):
    assert insecure_reason(url) is None


@pytest.mark.parametrize(
    "url",
    ["http://example.com", "http://ghe.example/api/v3", "http://10.0.0.1", "http://localhost.example.com",
     "http://127.0.0.1.nip.io", "ftp://127.0.0.1/x"],
)
def test_anything_else_may_not(url):
    reason = insecure_reason(url)
    assert reason is not None and "https only" in reason


def test_a_request_over_plain_http_is_refused_before_anything_is_sent(clock):
    handler = scripted(httpx.Response(200, json={}))

    async def go():
        async with client_for(handler, clock) as client:
            await client.at("http://example.com", {"Authorization": "Bearer secret"}).get("/user")

    with pytest.raises(InsecureTransport) as raised:
        run(go())
    assert handler.seen == []
    assert raised.value.reason == (
        "refused to send the token to http://example.com: credentials go over https only"
        " (plain http only to a loopback address)"
    )
    assert "secret" not in raised.value.reason
