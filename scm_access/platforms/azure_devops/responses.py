"""Readers for the Azure DevOps REST answers the verifier relies on.

Pure functions over parsed JSON (and response headers where Azure DevOps puts meaning there). A body that
is not the documented shape raises :class:`~scm_access.http.MalformedResponse`, naming the field but never
echoing the body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx

from scm_access.http import MalformedResponse

NON_AUTHORITATIVE = 203
"""What Azure DevOps answers with its HTML sign-in page when it did not take the credential."""


@dataclass(frozen=True)
class Identity:
    """``connectionData.authenticatedUser``: who the credential authenticated as (IdentityBase schema)."""

    id: str
    subject_descriptor: str | None
    display_name: str | None
    account: str | None
    """The sign-in name (``properties.Account``), e.g. ``someone@example.com``."""

    @property
    def is_anonymous(self) -> bool:
        # Public projects answer unauthenticated callers as an anonymous identity, not with a 401.
        return (self.display_name or "").casefold() == "anonymous" or set(self.id) <= {"0", "-"}


@dataclass(frozen=True)
class Group:
    """One Graph group (``GET _apis/graph/groups``)."""

    descriptor: str
    display_name: str
    principal_name: str
    """``[scope]\\Name``: the scope is the organization (collection) or a project."""


def is_sign_in_page(response: httpx.Response) -> bool:
    """The 203 sign-in page, or any HTML where JSON was expected: never a success."""
    content_type = response.headers.get("content-type", "").lower()
    return response.status_code == NON_AUTHORITATIVE or "text/html" in content_type


def says_expired(response: httpx.Response) -> bool:
    """Azure DevOps names an expired PAT in the URL-encoded ``X-TFS-ServiceError`` header of its 401."""
    return "expired" in unquote(response.headers.get("x-tfs-serviceerror", "")).lower()


def _property(properties: Any, name: str) -> str | None:
    if not isinstance(properties, dict):
        return None
    entry = properties.get(name)
    if isinstance(entry, dict) and isinstance(entry.get("$value"), str):
        return entry["$value"]
    return None


def parse_connection_data(data: Any) -> Identity:
    if not isinstance(data, dict) or not isinstance(data.get("authenticatedUser"), dict):
        raise MalformedResponse("Azure DevOps connectionData answer has no authenticatedUser")
    user = data["authenticatedUser"]
    identity_id = user.get("id")
    if not isinstance(identity_id, str) or not identity_id:
        raise MalformedResponse("Azure DevOps connectionData answer has no authenticatedUser id")
    subject = user.get("subjectDescriptor")
    name = user.get("providerDisplayName") or user.get("customDisplayName")
    return Identity(
        id=identity_id,
        subject_descriptor=subject if isinstance(subject, str) and subject else None,
        display_name=name if isinstance(name, str) else None,
        account=_property(user.get("properties"), "Account"),
    )


def parse_descriptor(data: Any) -> str:
    """``GET _apis/graph/descriptors/{storageKey}``: the subject descriptor in ``value``."""
    if not isinstance(data, dict) or not isinstance(data.get("value"), str) or not data["value"]:
        raise MalformedResponse("Azure DevOps Graph descriptor answer has no value")
    return data["value"]


def parse_groups(data: Any) -> list[Group]:
    if not isinstance(data, dict) or not isinstance(data.get("value"), list):
        raise MalformedResponse("Azure DevOps Graph groups answer has no value list")
    groups = []
    for entry in data["value"]:
        if not isinstance(entry, dict):
            raise MalformedResponse("Azure DevOps Graph groups answer holds a non-object")
        descriptor, name = entry.get("descriptor"), entry.get("displayName")
        if not isinstance(descriptor, str) or not isinstance(name, str):
            raise MalformedResponse("Azure DevOps Graph group without descriptor or displayName")
        principal = entry.get("principalName")
        groups.append(Group(descriptor, name, principal if isinstance(principal, str) else ""))
    return groups


def find_group(groups: list[Group], wanted: str, organization: str | None) -> list[Group]:
    """Groups matching a declared name: ``[scope]\\Name`` exactly, or a bare name, preferring the
    organization-level group (project groups reuse names such as "Project Administrators")."""
    wanted_folded = wanted.casefold()
    if "\\" in wanted:
        return [g for g in groups if g.principal_name.casefold() == wanted_folded]
    named = [g for g in groups if g.display_name.casefold() == wanted_folded]
    if organization and len(named) > 1:
        at_org = [g for g in named if g.principal_name.casefold() == f"[{organization}]\\{wanted}".casefold()]
        if at_org:
            return at_org
    return named
