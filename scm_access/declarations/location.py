"""Where a declaration was written: the file and line of the call that built it.

Reviews and code-scanning reports point at the declaration's line. Python knows it when the model is built,
so it is recorded then, outside the model's fields: it is not part of the declaration (equality, hashing,
dumps and the JSON Schema ignore it) and copies keep it.
"""

from __future__ import annotations

import os
import sys
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from types import CodeType, FrameType

import pydantic

_KEY = "_declared_at"
# Frames inside these packages are the machinery that builds the model, not the declaration.
_MACHINERY = tuple(
    str(Path(module.__file__).resolve().parent) + os.sep
    for module in (pydantic, sys.modules[__name__.split(".")[0]])
    if module.__file__
)


@dataclass(frozen=True, slots=True)
class SourceLocation:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


_is_machinery: dict[str, bool] = {}


def record_location(model: pydantic.BaseModel) -> None:
    """Remember the first caller outside pydantic and this package (the declaration's own line)."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        machinery = _is_machinery.get(filename)
        if machinery is None:
            machinery = _is_machinery[filename] = filename.startswith(_MACHINERY) or filename.startswith("<frozen")
        if not machinery:
            # A plain pair: the location object is made when someone asks for it (a plan, once per entry).
            model.__dict__[_KEY] = (filename, _line_of(frame))
            return
        frame = frame.f_back


class _LineTable:
    """Where each line's bytecode starts in one code object, read once.

    ``frame.f_lineno`` reads the code's line table from its start on every call: a declaration module is
    one code object, and one that builds hundreds of declarations paid for each of them in proportion to
    its length (quadratic; the bulk of loading a large project)."""

    def __init__(self, code: CodeType) -> None:
        self.code = code  # held: the tables are found by the code's id
        self.ranges = list(code.co_lines())  # (start, end, line) byte offsets, in order
        self.starts = [start for start, _, _ in self.ranges]

    def line_at(self, offset: int) -> int | None:
        """The line of the instruction at this byte offset, as ``frame.f_lineno`` says it (None where the
        table has no line for it)."""
        index = bisect_right(self.starts, offset) - 1
        if index < 0:
            return None
        _, end, line = self.ranges[index]
        return line if offset < end else None


_tables: dict[int, _LineTable] = {}
_TABLES_KEPT = 16
"""Line tables kept: a module's code and the few helper functions that build its models in turn."""


def _line_of(frame: FrameType) -> int:
    code = frame.f_code
    table = _tables.get(id(code))
    if table is None or table.code is not code:
        if len(_tables) >= _TABLES_KEPT:
            _tables.clear()
        table = _tables[id(code)] = _LineTable(code)
    line = table.line_at(frame.f_lasti)
    return line if line is not None else frame.f_lineno  # before the first instruction: Python's answer


def declared_at(model: pydantic.BaseModel) -> SourceLocation | None:
    recorded: tuple[str, int] | None = model.__dict__.get(_KEY)
    return SourceLocation(*recorded) if recorded is not None else None


def relative_to(model: pydantic.BaseModel, root: Path) -> None:
    """Make the recorded file relative to the project root (POSIX), when it lies inside it. ``root`` is
    resolved, as the loader's file names are (a string comparison: thousands of models share a few files)."""
    recorded: tuple[str, int] | None = model.__dict__.get(_KEY)
    prefix = str(root) + os.sep
    if recorded is None or not recorded[0].startswith(prefix):
        return
    file, line = recorded
    model.__dict__[_KEY] = (file[len(prefix) :].replace(os.sep, "/"), line)
