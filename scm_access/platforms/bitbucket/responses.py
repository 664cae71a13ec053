"""Readers for the Bitbucket Cloud REST answers the verifier relies on.

A body that is not the documented shape raises :class:`~scm_access.http.MalformedResponse`, naming the
field but never echoing the body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scm_access.http import MalformedResponse


@dataclass(frozen=True)
class BitbucketAccount:
    """``GET /2.0/user``: the account the credential authenticated as."""

    uuid: str
    account_id: str | None
    username: str | None
    """Bitbucket still sends it for the caller itself; other users' answers may omit it."""
    display_name: str | None


def _optional_text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    return value if isinstance(value, str) and value else None


def parse_user(data: Any) -> BitbucketAccount:
    if not isinstance(data, dict):
        raise MalformedResponse("Bitbucket user answer is not an object")
    uuid = _optional_text(data, "uuid")
    if uuid is None:
        raise MalformedResponse("Bitbucket user answer has no 'uuid'")
    return BitbucketAccount(
        uuid=uuid,
        account_id=_optional_text(data, "account_id"),
        username=_optional_text(data, "username"),
        display_name=_optional_text(data, "display_name"),
    )
