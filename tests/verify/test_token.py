"""The token wrapper keeps the value out of every rendering."""

from __future__ import annotations

import copy
import io
import logging
import pickle

import pytest

from scm_access.verify.token import NoTokenError, Token, read_token, token_from_env
from tests.verify.conftest import CANARY


def test_repr_str_and_format_are_redacted():
    token = Token(CANARY)
    for text in (repr(token), str(token), f"{token}", f"{token!r}", repr([token]), repr({"t": token})):
        assert CANARY not in text


def test_last_four_shows_four_characters_only():
    assert Token(CANARY).last_four == CANARY[-4:]


def test_a_short_value_shows_nothing_of_itself():
    assert Token("abc123").last_four == ""


def test_a_token_cannot_be_pickled():
    with pytest.raises(TypeError):
        pickle.dumps(Token(CANARY))


def test_copies_stay_redacted():
    assert CANARY not in repr(copy.deepcopy(Token(CANARY)))


def test_logging_a_token_logs_no_value(caplog):
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").debug("token is %s (%r)", Token(CANARY), Token(CANARY))
    assert CANARY not in caplog.text


def test_scrub_removes_the_value_from_echoed_text():
    assert CANARY not in Token(CANARY).scrub(f"Bad credentials for {CANARY}")


def test_read_from_scm_access_token_first():
    assert read_token({"SCM_ACCESS_TOKEN": CANARY}, io.StringIO("other\n")) == Token(CANARY)


def test_read_from_a_pipe_when_the_variable_is_unset():
    assert read_token({}, io.StringIO(CANARY + "\n")) == Token(CANARY)


def test_no_token_anywhere_is_a_clear_error():
    with pytest.raises(NoTokenError, match="SCM_ACCESS_TOKEN"):
        read_token({}, io.StringIO(""))


def test_a_terminal_is_prompted_without_echo(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    asked: list[str] = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or CANARY)
    assert read_token({}, Terminal()) == Token(CANARY)
    assert asked


def test_an_empty_variable_counts_as_unset():
    assert token_from_env("X", {"X": "  "}) is None


def test_whitespace_inside_a_token_is_refused_without_echoing_it():
    with pytest.raises(NoTokenError) as raised:
        Token("ghp_abc def")
    assert "abc" not in str(raised.value)
