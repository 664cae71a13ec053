"""Reading an answer's JSON without ever quoting the body."""

from __future__ import annotations

import httpx
import pytest

from scm_access.http import MalformedResponse, json_or_none, read_json


def answer(text: str) -> httpx.Response:
    return httpx.Response(200, text=text, request=httpx.Request("GET", "https://api.example/x"))


def test_json_that_does_not_parse_is_a_malformed_response_naming_no_body():
    with pytest.raises(MalformedResponse) as raised:
        read_json(answer("<html>secret-ish</html>"))
    assert "secret-ish" not in str(raised.value)
    assert "api.example: HTTP 200 answer is not valid JSON" in raised.value.reason


def test_a_body_read_only_for_a_hint_is_none_when_not_json():
    assert json_or_none(answer("<html>")) is None
    assert json_or_none(answer('{"message": "hi"}')) == {"message": "hi"}
