"""Azure DevOps' own pagination: a continuation token, sent back as a query parameter."""

from __future__ import annotations

import httpx

from scm_access.http import PageRequest
from scm_access.platforms.azure_devops.verify import continuation_page

FIRST = PageRequest("https://dev.azure.example/acme/_apis/graph/groups", {"api-version": "7.1-preview.1"})


def test_the_continuation_token_header_asks_for_the_next_page_with_the_same_parameters():
    response = httpx.Response(200, json={"value": [1]}, headers={"x-ms-continuationtoken": "abc"})
    assert continuation_page(response, response.json(), FIRST) == PageRequest(
        FIRST.url, {"api-version": "7.1-preview.1", "continuationToken": "abc"}
    )


def test_a_continuation_token_in_the_body_does_too():
    response = httpx.Response(200, json={"value": [1], "continuationToken": "def"})
    assert continuation_page(response, response.json(), FIRST).params["continuationToken"] == "def"


def test_without_a_token_it_is_the_last_page():
    response = httpx.Response(200, json={"value": [2]})
    assert continuation_page(response, response.json(), FIRST) is None
