"""Reading a view's timestamps: in UTC whatever offset the view gave, not seen when unreadable."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scm_access.inventory.listing import moment


@pytest.mark.parametrize(
    "text",
    ["2026-12-20T12:00:00.000-07:00", "2026-12-20T19:00:00Z", "2026-12-20T19:00:00", " 2026-12-20T19:00:00+00:00 "],
)
def test_a_listed_moment_is_read_in_utc_however_it_was_written(text):
    assert moment(text) == datetime(2026, 12, 20, 19, tzinfo=UTC) and moment(text).tzinfo is UTC


@pytest.mark.parametrize("text", [None, "", "  ", "not a date", "2026-13-40", 1766257200])
def test_a_moment_that_cannot_be_read_is_not_seen(text):
    assert moment(text) is None


def test_the_same_text_read_again_gives_the_same_moment():
    first = moment("2026-12-20T12:00:00.000-07:00")
    assert moment("2026-12-20T12:00:00.000-07:00") == first == moment("2026-12-20T19:00:00Z")
