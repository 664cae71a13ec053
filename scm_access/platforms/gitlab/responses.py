"""Readers for the GitLab REST answers the verifier relies on, as GitLab documents them.

Pure functions: a parsed JSON body in, typed facts out. A body that is not the documented shape raises
:class:`~scm_access.http.MalformedResponse`, whose reason names the field but never echoes the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from scm_access.core.kinds import CredentialKind
from scm_access.http import MalformedResponse
from scm_access.judge.finding import ProblemCode

# Group and project access tokens are owned by bot users named after the resource (GitLab docs).
_RESOURCE_BOT = re.compile(r"^(?P<resource>group|project)_\d+_bot(_|$)")


@dataclass(frozen=True)
class TokenSelf:
    """``GET /personal_access_tokens/self``: the token describing itself."""

    id: int | None
    name: str | None
    scopes: list[str]
    expires_at: date | None
    """None: the token never expires (allowed before GitLab 16.0 and for some service-account tokens)."""
    active: bool
    revoked: bool
    expired: bool | None
    """Only newer GitLab versions send it; None when absent."""
    user_id: int
    granular: bool
    """A fine-grained token: its permissions are not legacy scopes."""

    @property
    def expires_at_utc(self) -> datetime | None:
        # GitLab tokens stop working at 00:00 UTC on their expiry date.
        if self.expires_at is None:
            return None
        return datetime(self.expires_at.year, self.expires_at.month, self.expires_at.day, tzinfo=UTC)


@dataclass(frozen=True)
class GitLabUser:
    """``GET /user``: the account the token acts as."""

    id: int
    username: str
    bot: bool

    @property
    def token_kind(self) -> CredentialKind:
        """The kind of token this user can own: people hold personal tokens, bots hold the rest."""
        if not self.bot:
            return CredentialKind.GITLAB_PAT
        match = _RESOURCE_BOT.match(self.username)
        if match is None:
            # Service accounts are bot users with names of their own.
            return CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN
        if match["resource"] == "group":
            return CredentialKind.GITLAB_GROUP_ACCESS_TOKEN
        return CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN


@dataclass(frozen=True)
class Rejection:
    """Why GitLab answered 401: its body tells expired from revoked from unknown."""

    code: ProblemCode
    detail: str


def _malformed(what: str) -> MalformedResponse:
    return MalformedResponse(f"GitLab {what}")


def _field(data: dict[str, Any], name: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
    value = data.get(name)
    if value is None and optional:
        return None
    # bool is an int in Python; a boolean where a number belongs is not the documented shape.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _malformed(f"answer has no valid {name!r} field")
    return value


def _date(value: Any, name: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _malformed(f"answer has no valid {name!r} field")
    try:
        # Documented as YYYY-MM-DD; tolerate a full timestamp by reading its date part.
        return date.fromisoformat(value[:10])
    except ValueError:
        raise _malformed(f"answer has no valid {name!r} field") from None


def parse_token_self(data: Any) -> TokenSelf:
    if not isinstance(data, dict):
        raise _malformed("personal_access_tokens/self answer is not an object")
    scopes = _field(data, "scopes", list)
    if not all(isinstance(s, str) for s in scopes):
        raise _malformed("answer has no valid 'scopes' field")
    return TokenSelf(
        id=_field(data, "id", int, optional=True),
        name=_field(data, "name", str, optional=True),
        scopes=list(scopes),
        expires_at=_date(data.get("expires_at"), "expires_at"),
        active=_field(data, "active", bool),
        revoked=_field(data, "revoked", bool),
        expired=_field(data, "expired", bool, optional=True),
        user_id=_field(data, "user_id", int),
        granular=bool(_field(data, "granular", bool, optional=True)),
    )


def parse_user(data: Any) -> GitLabUser:
    if not isinstance(data, dict):
        raise _malformed("user answer is not an object")
    return GitLabUser(
        id=_field(data, "id", int),
        username=_field(data, "username", str),
        bot=bool(_field(data, "bot", bool, optional=True)),
    )


def classify_unauthorized(body: Any, www_authenticate: str | None = None) -> Rejection:
    """A 401's meaning. GitLab checks expiry before revocation and says which in ``error_description``
    (also in the ``WWW-Authenticate`` header); an unknown token gets a bare ``401 Unauthorized``."""
    description = ""
    if isinstance(body, dict) and isinstance(body.get("error_description"), str):
        description = body["error_description"]
    elif www_authenticate and "error_description" in www_authenticate:
        description = www_authenticate.split("error_description", 1)[1]
    text = description.lower()
    if "expired" in text:
        return Rejection(ProblemCode.EXPIRED, "GitLab says the token has expired")
    if "revoked" in text:
        return Rejection(ProblemCode.REVOKED, "GitLab says the token was revoked")
    if "impersonation" in text:
        return Rejection(
            ProblemCode.INVALID_TOKEN,
            "GitLab refuses the token: it is an impersonation token and impersonation is disabled",
        )
    return Rejection(ProblemCode.INVALID_TOKEN, "GitLab does not recognise the token (HTTP 401)")


def is_insufficient_scope(body: Any) -> bool:
    return isinstance(body, dict) and body.get("error") == "insufficient_scope"
