"""Secrets never leave the process: one place that knows every credential value in use and removes it
from whatever text is about to be shown, written, logged or raised.

A server may echo a token back in any field (a login, a scope list, an error message); a bug may put one in
an exception. Whatever builds the text, it passes here on its way out: findings when they leave the
verifier, log records when they are made, error lines when they are printed. A value is registered when
it is read (:class:`~scm_access.verify.token.Token`) and when a credential is derived from it (a Basic
``Authorization`` value), so both are recognised.

What is recognised, for each registered value: the value itself; its URL-encoded (``%XX``, and ``+`` for
spaces), hexadecimal and base64 forms (standard and URL-safe, padded or not); the base64 of any text that
contains it, whatever comes before or after (the part of such a blob that only the value determines); and
any run of :data:`ECHO_WINDOW` or more of its consecutive characters — a long prefix or suffix, or each half
of a value split in two — where the whole run of token characters around it is redacted. Not recognised:
pieces shorter than :data:`ECHO_WINDOW` (a value cut into small pieces cannot be told from ordinary text)
and other transformations (a value reversed, re-cased, or encrypted).
"""

from __future__ import annotations

import base64
import logging
import re
import threading
from collections.abc import Iterable, Iterator
from urllib.parse import quote, quote_plus
from typing import Any, TypeVar

from pydantic import BaseModel

REDACTED = "<redacted>"
MIN_SECRET_LENGTH = 8
"""Shorter values are not treated as secrets: scrubbing them would mangle ordinary words."""
ECHO_WINDOW = 16
"""A run of this many consecutive characters of a secret is a partial echo of it. Long enough that random
token characters never meet it by chance and a token's public prefix (``github_pat_``: 11) does not."""
_RUN_ENDING = "\"'`<>(){}[],;|\\"
"""Characters a token is never made of, besides whitespace: each ends a run of token characters."""
_TOKEN_CHARACTER = r"[^\s%s]" % re.escape(_RUN_ENDING)
_RUN = re.compile(r"(?<!%s)%s{%d,}" % (_TOKEN_CHARACTER, _TOKEN_CHARACTER, ECHO_WINDOW))
"""Runs of characters a token could be made of: only these are searched for partial echoes. A run starts
where the previous character is not a token character (the same runs as without the look-behind, found
without trying again from every character inside a short word)."""
_WHOLE_RUN = re.compile(r"%s+" % _TOKEN_CHARACTER)
_ENDING_AS_SPACE = str.maketrans(dict.fromkeys(_RUN_ENDING, " "))


def _runs(text: str) -> set[str]:
    """The distinct runs :data:`_RUN` finds, found by splitting (a few times faster on megabytes of text):
    ``str.split`` ends a run at the same whitespace as ``\\s``, and every other character ending one is turned
    into a space first."""
    return {run for run in text.translate(_ENDING_AS_SPACE).split() if len(run) >= ECHO_WINDOW}


def any_of(values: Iterable[str]) -> str:
    """A regular expression matching any of ``values`` (the longest one at a given place), shaped as a trie.

    Python's ``re`` tries the branches of a flat alternation one by one at every character of the text;
    with hundreds of values (each secret in a dozen encodings) scrubbing a few megabytes took seconds. In a
    trie each character is tried against the next characters the values have in common: tens of times
    faster, the same matches."""
    end = ""
    trie: dict[str, Any] = {}
    for value in values:
        node = trie
        for character in value:
            node = node.setdefault(character, {})
        node[end] = {}

    def branches(node: dict[str, Any]) -> str:
        chain = []
        while len(node) == 1 and end not in node:  # one way on: no group needed
            (character, node), = node.items()
            chain.append(re.escape(character))
        following = [re.escape(c) + branches(rest) for c, rest in sorted(node.items()) if c != end]
        if not following:
            return "".join(chain)
        group = following[0] if len(following) == 1 else "(?:" + "|".join(following) + ")"
        if len(following) == 1 and end in node:
            group = "(?:" + group + ")"
        # Greedy: the longer value is tried first where one value is the start of another.
        return "".join(chain) + group + ("?" if end in node else "")

    return branches(trie)


def encodings(value: str) -> Iterator[str]:
    """The forms a server or a library may give a value back in, each recognised as the value itself."""
    yield value
    yield quote(value, safe="")
    yield quote_plus(value, safe="")
    raw = value.encode()
    yield raw.hex()
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        encoded = encode(raw).decode()
        yield encoded
        yield encoded.rstrip("=")
        # Inside the base64 of a longer text the value's characters depend on where it starts (offset mod 3)
        # and on its neighbours at both ends: the groups in between depend on the value alone.
        for offset in (1, 2):
            shifted = encode(b"\0" * offset + raw).decode()
            lead = 3 - offset
            whole_groups = (len(raw) - lead) // 3
            yield shifted[4 : 4 + 4 * whole_groups]
        yield encoded[: 4 * (len(raw) // 3)]

_Model = TypeVar("_Model", bound=BaseModel)


class SecretSet:
    """Values to remove from text; matching is exact, longest value first (a derived value may contain
    the token itself)."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._registered: set[str] = set()
        self._values: set[str] = set()
        self._windows: set[str] = set()
        """Every ECHO_WINDOW-long run of a registered value's characters."""
        self._pattern: re.Pattern[str] | None = None
        self._outside_runs: set[str] = set()
        """Forms a run of token characters cannot hold whole (shorter than a window, or holding a character
        that ends a run): :meth:`mentions` looks for these verbatim."""
        self._run_starts: set[str] = set()
        """The first window of every other form: where such a form is, a run holds its first window."""
        self._telling_windows: set[str] = set()
        """:attr:`_windows` and :attr:`_run_starts` together: a run holding one may hold a secret."""
        self._outside_pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()
        for value in values:
            self.add(value)

    def add(self, value: str) -> None:
        if len(value) < MIN_SECRET_LENGTH or value in self._registered:
            return
        with self._lock:
            self._registered.add(value)
            forms = {form for form in encodings(value) if len(form) >= MIN_SECRET_LENGTH}
            self._values.update(forms)
            self._windows.update(value[i : i + ECHO_WINDOW] for i in range(len(value) - ECHO_WINDOW + 1))
            for form in forms:
                if len(form) >= ECHO_WINDOW and _WHOLE_RUN.fullmatch(form):
                    self._run_starts.add(form[:ECHO_WINDOW])
                else:
                    self._outside_runs.add(form)
            self._telling_windows = self._windows | self._run_starts
            self._pattern = None
            self._outside_pattern = None

    def __bool__(self) -> bool:
        return bool(self._values)

    def __contains__(self, value: object) -> bool:
        return value in self._registered

    def _compiled(self) -> re.Pattern[str]:
        pattern = self._pattern
        if pattern is None:
            with self._lock:
                pattern = self._pattern = re.compile(any_of(self._values))
        return pattern

    def scrub(self, text: str) -> str:
        """``text`` with every known secret replaced by ``<redacted>``."""
        if not self.mentions(text):
            return text  # the common case, told without the pattern of every form (compiled only when needed)
        text = self._compiled().sub(REDACTED, text)
        if len(text) < ECHO_WINDOW or not self._windows:
            return text
        # A run of token characters holding part of a secret is redacted whole. Each distinct run is looked
        # at once, and the text is rewritten only when one holds part of a secret (almost never).
        echoing = {run for run in _runs(text) if self._holds_part(run)}
        if not echoing:
            return text
        return _RUN.sub(lambda run: REDACTED if run.group() in echoing else run.group(), text)

    def mentions(self, text: str) -> bool:
        """Whether ``text`` may hold a known secret: True whenever searching it for every form of every secret
        and every run of token characters would find one (and, rarely, when it would not); :meth:`scrub` does
        that search only then. A far cheaper question: the forms a run of token characters holds whole are
        found by their first window among the distinct runs (a set lookup each), and only the few other forms
        are searched for character by character."""
        if not self._values or not text:
            return False
        outside = self._outside_pattern
        if outside is None and self._outside_runs:
            with self._lock:
                outside = self._outside_pattern = re.compile(any_of(self._outside_runs))
        if outside is not None and outside.search(text):
            return True
        if len(text) < ECHO_WINDOW:
            return False
        windows = self._telling_windows
        return any(run[i : i + ECHO_WINDOW] in windows for run in _runs(text) for i in range(len(run) - ECHO_WINDOW + 1))

    def _holds_part(self, run: str) -> bool:
        windows = self._windows
        return any(run[i : i + ECHO_WINDOW] in windows for i in range(len(run) - ECHO_WINDOW + 1))

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


def mentions_a_secret(text: str) -> bool:
    """Whether ``text`` may hold a credential value this process knows (:meth:`SecretSet.mentions`)."""
    return KNOWN_SECRETS.mentions(text)


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
