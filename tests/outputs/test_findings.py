"""Findings on the terminal: what a server sent (a login, a message) is shown, never obeyed — its control
characters appear as escapes, and rich markup in it stays text."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from scm_access.judge.finding import Finding, ObservedFacts, Problem, ProblemCode, RemediationStep, Status
from scm_access.outputs.findings import FindingsView, terminal

HOSTILE_LOGIN = "\x1b[2Jroot\x1b]8;;https://evil.example\x07click\x1b]8;;\x07"
HOSTILE_DETAIL = "[bold red]granted[/] \x1b[31mall\x1b[0m"
FINDING = Finding(
    slot="ci/github/bot", connection="ci", platform="github", holder="bot", status=Status.ACTION_REQUIRED,
    facts=ObservedFacts(owner_login=HOSTILE_LOGIN),
    problems=[Problem(code=ProblemCode.WRONG_OWNER, detail=HOSTILE_DETAIL)],
)


@pytest.mark.parametrize("single", [True, False], ids=["verify-one", "verify-all"])
@pytest.mark.parametrize("is_terminal", [True, False], ids=["terminal", "piped"])
def test_server_text_is_shown_with_its_control_characters_as_escapes(single, is_terminal):
    out = io.StringIO()
    terminal(FindingsView([FINDING], single=single), Console(file=out, width=200, force_terminal=is_terminal))
    printed = out.getvalue()
    assert "\x1b[2J" not in printed and "\x1b]8;;https://evil" not in printed and "\x07" not in printed
    assert "\\x1b[2Jroot" in printed
    if single:
        assert "[bold red]granted[/]" in printed  # markup from a server stays text


def test_a_remediation_step_that_wraps_goes_on_under_its_own_text():
    step = RemediationStep(text="Regenerate the token with every scope the declaration names and nothing else, then paste it.")
    finding = FINDING.model_copy(update={"problems": [Problem(code=ProblemCode.MISSING_SCOPE, detail="d", remediation=[step])]})
    out = io.StringIO()
    terminal(FindingsView([finding], single=True), Console(file=out, width=50, color_system=None))
    lines = [line.strip("│") for line in out.getvalue().splitlines()]
    first = next(i for i, line in enumerate(lines) if "1. Regenerate" in line)
    assert lines[first].index("Regenerate") == lines[first + 1].index(lines[first + 1].strip())
