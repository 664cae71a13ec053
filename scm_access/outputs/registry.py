"""Output formats, registered in one place and shared by every command.

A renderer turns what a command produced (a plan, instructions, findings) into one format. Text formats
return a string (printed, or written to a file); the terminal format prints to a rich console. Commands
ask the registry for the formats of their subject and print with :func:`emit`: no command keeps its own
list of formats or chain of ``if format == ...``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import import_module
from typing import Any, TypeVar

from rich.console import Console

from scm_access.errors import ScmAccessError


class OutputFormat(StrEnum):
    TERMINAL = "terminal"
    """For people at a terminal: styles, tables, hyperlinks (plain text when piped)."""
    MARKDOWN = "markdown"
    JSON = "json"
    HTML = "html"
    SARIF = "sarif"
    """SARIF 2.1.0, for code-scanning views (GitHub, Azure DevOps)."""
    CODE_QUALITY = "codequality"
    """GitLab's Code Quality report."""
    JUNIT = "junit"
    """JUnit XML, for CI test views."""


FORMAT_ALIASES = {"table": OutputFormat.TERMINAL, "md": OutputFormat.MARKDOWN}
"""Older or shorter names accepted on the command line (`table` was the terminal format's name in `plan`
and `verify`)."""

TextRenderer = Callable[[Any], str]
TerminalPrinter = Callable[[Any, Console], None]
R = TypeVar("R", bound=Callable[..., Any])


@dataclass
class _Subject:
    text: dict[OutputFormat, TextRenderer] = field(default_factory=dict)
    printer: TerminalPrinter | None = None

    def formats(self) -> list[OutputFormat]:
        found = set(self.text) | ({OutputFormat.TERMINAL} if self.printer else set())
        return [f for f in OutputFormat if f in found]


_SUBJECTS: dict[str, _Subject] = {}


def renderer(subject: str, format: OutputFormat) -> Callable[[R], R]:
    """Register a text renderer: ``render(data) -> str``."""

    def register(function: R) -> R:
        _SUBJECTS.setdefault(subject, _Subject()).text[format] = function
        return function

    return register


def printer(subject: str) -> Callable[[R], R]:
    """Register the terminal renderer: ``print(data, console)``."""

    def register(function: R) -> R:
        _SUBJECTS.setdefault(subject, _Subject()).printer = function
        return function

    return register


def formats_for(subject: str) -> list[OutputFormat]:
    _load(subject)
    return _SUBJECTS[subject].formats()


def render(subject: str, format: OutputFormat, data: Any) -> str:
    """The data as text in a text format."""
    _load(subject)
    found = _SUBJECTS[subject].text.get(format)
    if found is None:
        raise UnsupportedFormat(subject, format)
    return found(data)


def emit(subject: str, format: OutputFormat, data: Any, console: Console) -> None:
    """Print the data in the format: the terminal printer, or the text as it is (never read as markup)."""
    _load(subject)
    entry = _SUBJECTS[subject]
    if format == OutputFormat.TERMINAL and entry.printer is not None:
        entry.printer(data, console)
        return
    text = render(subject, format, data)
    console.file.write(text if text.endswith("\n") else text + "\n")
    console.file.flush()


class UnsupportedFormat(ScmAccessError):
    def __init__(self, subject: str, format: OutputFormat) -> None:
        choices = ", ".join(formats_for(subject))
        super().__init__(f"{subject} cannot be shown as {format.value} (choose one of: {choices})")


_RENDERER_MODULES = {
    "plan": "scm_access.outputs.plan",
    "instructions": "scm_access.outputs.instructions",
    "findings": "scm_access.outputs.findings",
    "requests": "scm_access.outputs.decisions",
    "revocations": "scm_access.outputs.decisions",
}
"""The module whose renderers register a subject when it is imported (the other subjects' modules are
imported by their commands)."""


def _load(subject: str) -> None:
    """Import the subject's renderers, and only those: a command does not pay at start-up for what the
    others render (the findings' renderers import the judge)."""
    if subject not in _SUBJECTS and subject in _RENDERER_MODULES:
        import_module(_RENDERER_MODULES[subject])
