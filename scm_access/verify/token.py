"""A token in hand, kept out of every output.

The value is read from an environment variable or standard input, never from a command-line argument
(process arguments are visible to every user of the machine). Its ``repr`` and ``str`` are redacted, it
refuses to be pickled, and it is registered with :mod:`scm_access.judge.secrets` the moment it is read,
so every output boundary removes it (and any credential derived from it, see :meth:`Token.derive`).
"""

from __future__ import annotations

import getpass
import hmac
import os
import sys
from collections.abc import Mapping
from typing import IO, NoReturn

from scm_access.errors import ScmAccessError
from scm_access.judge.secrets import REDACTED, register_secret
from scm_access.judge.secrets import scrub as scrub_secrets

TOKEN_ENV_VAR = "SCM_ACCESS_TOKEN"


class NoTokenError(ScmAccessError):
    """No token was supplied where one was expected (a usage error: exit 2)."""


class Token:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        value = value.strip()
        if not value:
            raise NoTokenError("the token is empty")
        if any(ch.isspace() for ch in value):
            # A pasted token never contains whitespace; refuse rather than send half of a sentence.
            raise NoTokenError("the token contains whitespace: paste only the token")
        self._value = value
        register_secret(value)

    def reveal(self) -> str:
        """The value itself, for an Authorization header and nothing else."""
        return self._value

    @property
    def last_four(self) -> str:
        """At most the last four characters: enough to tell tokens apart, too few to use."""
        return self._value[-4:] if len(self._value) >= 12 else ""

    def startswith(self, prefix: str | tuple[str, ...]) -> bool:
        return self._value.startswith(prefix)

    def derive(self, credential: str) -> str:
        """``credential``, a value made from the token (a Basic ``Authorization`` value, its base64 part),
        registered as a secret like the token itself; returned for the header that sends it."""
        register_secret(credential)
        scheme, _, encoded = credential.partition(" ")
        if encoded:
            register_secret(encoded)
        return credential

    def scrub(self, text: str) -> str:
        """``text`` with the token, and every other credential value in use, replaced."""
        text = text.replace(self._value, REDACTED) if self._value in text else text
        return scrub_secrets(text)

    def __repr__(self) -> str:
        return f"Token({REDACTED})"

    def __str__(self) -> str:
        return REDACTED

    def __format__(self, spec: str) -> str:
        return REDACTED

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Token):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(("Token", self._value))

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Token cannot be pickled")

    def __copy__(self) -> Token:
        return self

    def __deepcopy__(self, memo: dict) -> Token:
        return self


def token_from_env(name: str, environ: Mapping[str, str] | None = None) -> Token | None:
    """The token in environment variable ``name``, or None when unset or empty."""
    value = (os.environ if environ is None else environ).get(name, "")
    return Token(value) if value.strip() else None


def read_token(
    environ: Mapping[str, str] | None = None,
    stdin: IO[str] | None = None,
    *,
    prompt: str = "Token (input hidden): ",
) -> Token:
    """The token from ``SCM_ACCESS_TOKEN``, else from standard input: prompted without echo on a
    terminal, read as the first line of a pipe otherwise."""
    from_env = token_from_env(TOKEN_ENV_VAR, environ)
    if from_env is not None:
        return from_env
    stream = sys.stdin if stdin is None else stdin
    if stream is None or stream.closed:
        raise NoTokenError(f"no token: set {TOKEN_ENV_VAR} or pipe the token on standard input")
    if stream.isatty():
        value = getpass.getpass(prompt)
    else:
        value = stream.readline()
    if not value.strip():
        raise NoTokenError(f"no token: set {TOKEN_ENV_VAR} or pipe the token on standard input")
    return Token(value)
