"""Following pages: the platform says how its next page is asked for; the mechanism follows it, bounded,
and never takes the credential to another origin."""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin

import httpx
import pytest

from scm_access.http import InsecureTransport, MalformedResponse, PageRequest
from tests.http.conftest import client_for, run


def link_next(response: httpx.Response, data: object, page: PageRequest) -> PageRequest | None:
    """A next-page style of the test's own: ``Link: <url>; rel="next"``."""
    link = response.links.get("next", {}).get("url")
    return PageRequest(urljoin(str(response.url), link)) if link else None


def page_number(response: httpx.Response, data: object, page: PageRequest) -> PageRequest | None:
    """Another: the next page's number in a header, sent back as a query parameter."""
    number = response.headers.get("x-next-page", "")
    return PageRequest(page.url, {**page.params, "page": number}) if number else None


def test_pages_are_followed_the_way_the_platform_says(clock):
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        return httpx.Response(200, json=[page], headers={"X-Next-Page": str(page + 1) if page < 3 else ""})

    async def go():
        async with client_for(handler, clock) as client:
            api = client.at("https://api.example", {"Authorization": "Bearer secret"})
            return [data async for _, data in api.pages("/items", next_page=page_number, params={"per_page": 1})]

    assert run(go()) == [[1], [2], [3]]


def test_the_first_query_parameters_are_kept_on_every_page(clock):
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        page = int(request.url.params.get("page", "1"))
        return httpx.Response(200, json=[], headers={"X-Next-Page": "2" if page == 1 else ""})

    async def go():
        async with client_for(handler, clock) as client:
            return [d async for _, d in client.pages("https://api.example/x", next_page=page_number,
                                                        params={"api-version": "7.1"})]

    run(go())
    assert [u.params.get("api-version") for u in seen] == ["7.1", "7.1"]


def test_pages_stop_after_the_maximum(clock):
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        return httpx.Response(200, json=[page], headers={"X-Next-Page": str(page + 1)})

    async def go():
        async with client_for(handler, clock) as client:
            return [d async for _, d in client.pages("https://api.example/x", next_page=page_number, max_pages=4)]

    assert run(go()) == [[1], [2], [3], [4]]


def test_a_failed_page_is_yielded_for_the_caller_to_read_and_ends_the_listing(clock):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"message": "no"}, headers={"X-Next-Page": "2"})

    async def go():
        async with client_for(handler, clock) as client:
            return [(r.status_code, d) async for r, d in client.pages("https://api.example/x", next_page=page_number)]

    assert run(go()) == [(403, None)]


def serving_next_link(target: str):
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json=[], headers={"Link": f'<{target}>; rel="next"'})

    return handler, requests


def collect(handler, clock, base: str = "https://api.example"):
    async def go():
        async with client_for(handler, clock) as client:
            api = client.at(base, {"Authorization": "Bearer secret"})
            return [d async for _, d in api.pages("/x", next_page=link_next)]

    return run(go())


def test_a_next_link_to_another_host_is_not_followed(clock):
    handler, requests = serving_next_link("https://elsewhere.example/x")
    with pytest.raises(MalformedResponse, match="another host"):
        collect(handler, clock)
    assert [r.url.host for r in requests] == ["api.example"]


def test_a_next_link_to_another_port_is_not_followed(clock):
    handler, requests = serving_next_link("https://api.example:8443/x")
    with pytest.raises(MalformedResponse, match="another host, port or scheme"):
        collect(handler, clock)
    assert len(requests) == 1


def test_a_next_link_from_https_to_http_on_the_same_host_is_not_followed(clock):
    handler, requests = serving_next_link("http://api.example/x?page=2")
    with pytest.raises(MalformedResponse, match="another host, port or scheme"):
        collect(handler, clock)
    assert [str(r.url) for r in requests] == ["https://api.example/x"]


def test_a_next_link_from_https_to_http_on_a_loopback_host_is_not_followed_either(clock):
    # Plain http to loopback is allowed as such (tests); leaving the first page's scheme is not.
    handler, requests = serving_next_link("http://127.0.0.1/x?page=2")
    with pytest.raises(MalformedResponse, match="another host, port or scheme"):
        collect(handler, clock, base="https://127.0.0.1")
    assert len(requests) == 1


def test_a_next_link_at_the_same_origin_with_its_default_port_spelled_out_is_followed(clock):
    def handler(request: httpx.Request) -> httpx.Response:
        first = "page" not in request.url.params
        link = {"Link": '<https://api.example:443/x?page=2>; rel="next"'} if first else {}
        return httpx.Response(200, json=[1 if first else 2], headers=link)

    assert collect(handler, clock) == [[1], [2]]


def test_the_first_page_itself_must_be_https(clock):
    handler, requests = serving_next_link("http://api.example/x")
    with pytest.raises(InsecureTransport):
        collect(handler, clock, base="http://api.example")
    assert requests == []


def total_pages(response: httpx.Response, page: PageRequest) -> list[PageRequest] | None:
    """A count style of the test's own: ``X-Total-Pages`` on the first page."""
    total = response.headers.get("x-total-pages")
    if total is None:
        return None
    return [PageRequest(page.url, {**page.params, "page": str(n)}) for n in range(2, int(total) + 1)]


def counted_listing(pages: int, *, say_total: bool = True, grows_to: int | None = None):
    """A listing of ``pages`` pages that answers slowly enough for overlapping requests to show, recording
    the most requests it had in hand at once; ``grows_to``: the last page then names one more, up to there."""
    state = {"in_hand": 0, "most": 0, "asked": []}
    last = grows_to or pages

    async def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        state["asked"].append(page)
        state["in_hand"] += 1
        state["most"] = max(state["most"], state["in_hand"])
        await asyncio.sleep(0.01)
        state["in_hand"] -= 1
        headers = {"X-Next-Page": str(page + 1) if page < last else ""}
        if say_total:
            headers["X-Total-Pages"] = str(pages)
        return httpx.Response(200, json=[page], headers=headers)

    return handler, state


def read_counted(handler, clock, **options):
    async def go():
        async with client_for(handler, clock) as client:
            return [data async for _, data in client.pages(
                "https://api.example/x", next_page=page_number, remaining_pages=total_pages, **options)]

    return run(go())


def test_pages_counted_on_the_first_are_asked_for_at_once_and_yielded_in_order(clock):
    handler, state = counted_listing(6)
    assert read_counted(handler, clock) == [[1], [2], [3], [4], [5], [6]]
    assert state["most"] == 5  # every page after the first in hand together
    assert sorted(state["asked"]) == [1, 2, 3, 4, 5, 6]


def test_without_a_count_the_pages_are_followed_one_after_another(clock):
    handler, state = counted_listing(4, say_total=False)
    assert read_counted(handler, clock) == [[1], [2], [3], [4]]
    assert state["most"] == 1


def test_a_listing_that_grew_while_read_is_followed_past_its_first_count(clock):
    handler, _ = counted_listing(3, grows_to=5)
    assert read_counted(handler, clock) == [[1], [2], [3], [4], [5]]


def test_counted_pages_stop_at_the_maximum_too(clock):
    handler, state = counted_listing(10)
    assert read_counted(handler, clock, max_pages=4) == [[1], [2], [3], [4]]
    assert sorted(state["asked"]) == [1, 2, 3, 4]


def test_a_refused_page_among_counted_ones_ends_the_listing_there(clock):
    async def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        if page == 3:
            return httpx.Response(403, json={"message": "no"})
        return httpx.Response(200, json=[page], headers={"X-Total-Pages": "5", "X-Next-Page": str(page + 1)})

    async def go():
        async with client_for(handler, clock) as client:
            return [(r.status_code, data) async for r, data in client.pages(
                "https://api.example/x", next_page=page_number, remaining_pages=total_pages)]

    assert run(go()) == [(200, [1]), (200, [2]), (403, None)]
