"""Errors a user can cause, and the documented exit codes."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from pydantic_core import ErrorDetails

if TYPE_CHECKING:
    from pydantic import ValidationError


class ExitCode(IntEnum):
    OK = 0
    """Nothing to act on: every slot is in place and within policy."""
    ACTION_REQUIRED = 1
    """Policy violations, or actions pending (tokens to create, problems to fix)."""
    USAGE = 2
    """Bad command line or bad declaration."""
    UNKNOWN = 3
    """A verification could not reach a verdict (API error, rate limit, unreadable answer)."""
    BUG = 4
    """A bug in scm-access itself: one line says so and where to report it (the traceback with --debug)."""
    PARTIALLY_VERIFIED = 5
    """Every fact a verification could see is right; some cannot be seen with the token (the finding says which
    and where to settle them). Not a failure to reach the platform (3)."""


class ScmAccessError(Exception):
    """Base of every error meant for the user (never shown as a traceback)."""

    exit_code: ExitCode = ExitCode.USAGE


class DeclarationError(ScmAccessError):
    """A declaration is wrong. Each problem names the connection and the field."""

    def __init__(self, problems: list[tuple[str | None, str, str]]) -> None:
        self.problems = problems  # (connection, field path, message)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [format_problem(connection, field, message) for connection, field, message in self.problems]

    @classmethod
    def single(cls, connection: str | None, field: str, message: str) -> DeclarationError:
        return cls([(connection, field, message)])

    @classmethod
    def from_validation(
        cls, error: ValidationError, connection: str | None, model: str | None = None
    ) -> DeclarationError:
        """One problem per pydantic error; ``model`` prefixes the field when the connection is not known yet
        (an access entry built on its own, before the Connection that holds it)."""
        problems = []
        for item in error.errors(include_url=False):
            path = field_path(item["loc"])
            if model:
                path = f"{model}.{path}" if path and not path.startswith("[") else f"{model}{path}"
            problems.append((connection, path, _readable(item)))
        return cls(problems)

    def located(self, where: str) -> DeclarationError:
        """The same problems, those without a connection prefixed with the file and line they come from."""
        return DeclarationError(
            [(c, f if c else f"{where}: {f}" if f else where, m) for c, f, m in self.problems]
        )



class PolicyOverridesError(DeclarationError):
    """Overrides of the declared policy (a stack's or a pack's config) are not valid Policy fields."""

    def __init__(self, problems: list[tuple[str | None, str, str]], validation: ValidationError) -> None:
        super().__init__(problems)
        self.validation = validation
        """pydantic's own errors, for callers that word the message in their config's terms."""


def format_problem(connection: str | None, field: str, message: str) -> str:
    who = f"connection {connection!r}" if connection else "declaration"
    where = f": {field}" if field else ""
    return f"{who}{where}: {message}"


def field_path(loc: tuple[int | str, ...]) -> str:
    from scm_access.core.kinds import Platform  # the declarations import this module

    tags = set(Platform)
    path = ""
    previous: int | str | None = None
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in tags and path.endswith("]"):
            pass  # pydantic adds the discriminator tag to the location; it adds nothing for a reader
        elif previous == "holder" and part in {"people", "service"}:
            pass  # the tag of the holder's form (a list of people, or one service identity)
        elif part.startswith(("list[", "function-", "union[")) or part in {"Person", "ServiceIdentity"}:
            pass
        else:
            path += f".{part}" if path else str(part)
        previous = part
    return path


def _readable(item: ErrorDetails) -> str:
    kind = item["type"]
    if kind == "union_tag_invalid":
        ctx = item.get("ctx", {})
        return (
            f"unknown {ctx.get('discriminator', 'tag').strip(chr(39))} {ctx.get('tag')!r}"
            f" (expected one of {ctx.get('expected_tags')})"
        )
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    message = item["msg"]
    return message.removeprefix("Value error, ")
