"""Secrets never leave the process: one place that knows every credential value in use and removes it
from whatever text is about to be shown, written, logged or raised.

A server may echo a token back in any field (a login, a scope list, an error message); a bug may put one in
an exception. Whatever builds the text, it passes here on its way out: findings when they leave the
verifier, log records when they are made, error lines when they are printed. A value is registered when
it is read (:class:`~scm_access.verify.token.Token`) and when a credential is derived from it (a Basic
``Authorization`` value), so both are recognised.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

REDACTED = "<redacted>"
MIN_SECRET_LENGTH = 8
"""Shorter values are not treated as secrets: scrubbing them would mangle ordinary words."""

_Model = TypeVar("_Model", bound=BaseModel)


class SecretSet:
    """Values to remove from text; matching is exact, longest value first (a derived value may contain
    the token itself)."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()
        for value in values:
            self.add(value)

    def add(self, value: str) -> None:
        if len(value) < MIN_SECRET_LENGTH or value in self._values:
            return
        with self._lock:
            self._values.add(value)
            self._pattern = None

    def __bool__(self) -> bool:
        return bool(self._values)

    def __contains__(self, value: object) -> bool:
        return value in self._values

    def _compiled(self) -> re.Pattern[str]:
        pattern = self._pattern
        if pattern is None:
            with self._lock:
                ordered = sorted(self._values, key=len, reverse=True)
                pattern = self._pattern = re.compile("|".join(map(re.escape, ordered)))
        return pattern

    def scrub(self, text: str) -> str:
        """``text`` with every known secret replaced by ``<redacted>``."""
        if not self._values or not text:
            return text
        return self._compiled().sub(REDACTED, text)

    def scrub_data(self, data: Any) -> Any:
        """Strings anywhere in ``data`` (lists, tuples, dicts: keys and values) scrubbed; other values as they are."""
        if not self._values:
            return data
        if isinstance(data, str):
            return self.scrub(data)
        if isinstance(data, dict):
            return {self.scrub_data(k): self.scrub_data(v) for k, v in data.items()}
        if isinstance(data, list | tuple):
            return type(data)(self.scrub_data(v) for v in data)
        return data

    def scrub_model(self, model: _Model) -> _Model:
        """A copy of ``model`` whose every string field is scrubbed (validated again, so it keeps its types)."""
        if not self._values:
            return model
        dumped = model.model_dump()
        cleaned = self.scrub_data(dumped)
        return model if cleaned == dumped else type(model).model_validate(cleaned)


KNOWN_SECRETS = SecretSet()
"""Every credential value this process has read or derived."""


def register_secret(value: str) -> None:
    """Never show ``value``: from now on every output boundary removes it."""
    KNOWN_SECRETS.add(value)
    _scrub_log_records()


def scrub(text: str) -> str:
    """``text`` without any credential value this process knows."""
    return KNOWN_SECRETS.scrub(text)


def scrub_model(model: _Model) -> _Model:
    return KNOWN_SECRETS.scrub_model(model)


def scrub_exception(error: BaseException) -> BaseException:
    """``error`` (and the errors it was raised from) with every credential value removed from its arguments,
    so its text shows none however it is printed; it keeps its type and traceback."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if KNOWN_SECRETS:
            current.args = tuple(KNOWN_SECRETS.scrub_data(arg) for arg in current.args)
        current = current.__cause__ or current.__context__
    return error


_installed = False


def _scrub_log_records() -> None:
    """Log records are scrubbed when they are made, so every handler (files, consoles, test capture)
    receives clean text. Installed once, when the first secret is registered."""
    global _installed
    if _installed:
        return
    _installed = True
    make_record = logging.getLogRecordFactory()

    def scrubbed_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if KNOWN_SECRETS:
            try:
                message = record.getMessage()
            except Exception:  # noqa: BLE001 - a malformed call: logging would print msg and args as they are
                message = f"{record.msg} {record.args!r}"
            clean = scrub(message)
            if clean != message or record.args:
                record.msg, record.args = clean, None
            if record.exc_info and record.exc_info[1] is not None:
                record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
        return record

    logging.setLogRecordFactory(scrubbed_record)
