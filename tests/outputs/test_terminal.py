"""Terminal text: a wrapped line goes on under its own start, and no line carries blanks the eye cannot see
(they end up in copied text and CI logs)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from scm_access.outputs.terminal import Hanging

LONG = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"


def printed(renderable: object, width: int = 30) -> list[str]:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None).print(renderable)
    return buffer.getvalue().splitlines()


def test_continuation_lines_start_under_the_text():
    lines = printed(Hanging(Text(LONG), indent=4))
    assert len(lines) > 1
    assert all(line.startswith("    ") and line[4] != " " for line in lines)


def test_a_marker_opens_the_first_line_right_aligned_before_the_text():
    lines = printed(Hanging(Text(LONG), indent=4, marker="1."))
    assert lines[0].startswith(" 1. one")
    assert lines[1].startswith("    ") and lines[1][4] != " "


def test_no_line_ends_in_a_blank():
    lines = printed(Hanging(Text(LONG), indent=2, marker="•"), width=23)
    assert lines and not any(line.endswith(" ") for line in lines)


def test_lines_fit_the_width():
    assert max(len(line) for line in printed(Hanging(Text(LONG), indent=6), width=25)) <= 25
