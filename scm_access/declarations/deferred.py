"""Report every mistake in a declaration file, each under the connection it belongs to.

Python evaluates ``GitHubAccess(...)`` before the ``Connection(...)`` that holds it, so a model that fails
on its own would stop the file at its first mistake, without the connection's name. While the loader
runs a file, a model that fails validation is *deferred* instead: it keeps the arguments it was given and
the file does not stop. A model that receives a deferred one validates those arguments again as part of
itself (so its own mistakes and the nested ones are reported together, under the connection), and the
loader reports what no model claimed, with the file and line where it was built.
"""

from __future__ import annotations

import sys
import typing
from collections.abc import Callable, Iterator
from types import FrameType
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticUndefined


@dataclass
class Deferred:
    model: BaseModel
    """The half-built instance the declaration holds in place of a valid model."""
    data: dict[str, Any]
    error: ValidationError
    line: int | None
    claimed: bool = False


@dataclass
class Collector:
    path: Path
    """The declaration file being run: where to look for the line of a failing model."""
    deferred: dict[int, Deferred] = field(default_factory=dict)

    def unclaimed(self) -> list[Deferred]:
        return [entry for entry in self.deferred.values() if not entry.claimed]


_ACTIVE: ContextVar[Collector | None] = ContextVar("scm_access_declaration_collector", default=None)
@contextmanager
def collecting(path: Path) -> Iterator[Collector]:
    """Defer failing models while the declaration file at ``path`` runs."""
    collector = Collector(path.resolve())
    token = _ACTIVE.set(collector)
    try:
        yield collector
    finally:
        _ACTIVE.reset(token)


def collecting_now() -> bool:
    return _ACTIVE.get() is not None


active: Callable[[], Collector | None] = _ACTIVE.get
"""The collector of the declaration file being loaded, if one is. The context variable's own method: every
model a declaration builds asks, and a function around it cost a Python call each time."""


def defer(model: BaseModel, data: dict[str, Any], error: ValidationError) -> None:
    """Keep a failing model for later (only while a file is being loaded)."""
    collector = _ACTIVE.get()
    if collector is None:
        raise RuntimeError("defer() is only called while a declaration file is being loaded")
    # The instance stays in the declaration's hands: give it the state pydantic expects, with no fields.
    object.__setattr__(model, "__dict__", {})
    object.__setattr__(model, "__pydantic_fields_set__", set())
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    collector.deferred[id(model)] = Deferred(model, data, error, _line_in(collector.path))


def deferred(value: Any) -> Deferred | None:
    collector = _ACTIVE.get()
    if collector is None or not isinstance(value, BaseModel):
        return None
    entry = collector.deferred.get(id(value))
    return entry if entry is not None and entry.model is value else None


def is_deferred(value: Any) -> bool:
    return deferred(value) is not None


def claim_nested(data: dict[str, Any]) -> dict[str, Any]:
    """The arguments of a model about to be validated, with each deferred model replaced by the
    arguments it was given, so that the outer model validates them again and reports their mistakes."""
    collector = _ACTIVE.get()
    if collector is None or not collector.deferred:
        return data  # no model of this file failed so far: there is nothing to look for
    return {key: _claim(value) for key, value in data.items()}


def _claim(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return type(value)(_claim(item) for item in value)
    entry = deferred(value)
    if entry is None:
        return value
    entry.claimed = True
    # Its arguments were claimed when it was built: they hold no deferred model any more.
    return {**_tags(type(entry.model)), **entry.data}


def _tags(model: type[BaseModel]) -> dict[str, Any]:
    """Literal fields with a default (``platform``, ``type``): the tags a discriminated union needs to
    tell which model raw arguments are meant for."""
    return {
        name: info.default
        for name, info in model.model_fields.items()
        if typing.get_origin(info.annotation) is typing.Literal and info.default is not PydanticUndefined
    }


def _line_in(path: Path) -> int | None:
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if Path(frame.f_code.co_filename) == path:
            return frame.f_lineno
        frame = frame.f_back
    return None
