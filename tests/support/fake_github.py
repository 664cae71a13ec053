"""A GitHub API stand-in for the verifier tests and the benchmark: the few endpoints the verifier calls,
answering with the headers GitHub documents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.support.local_server import Reply, Request


@dataclass
class Account:
    """What GitHub knows about one token."""

    login: str
    scopes: str | None = "repo"
    """``X-OAuth-Scopes`` value; None sends no header (fine-grained tokens)."""
    expiration: str | None = "2027-01-01 00:00:00 UTC"
    """``GitHub-Authentication-Token-Expiration`` value; None sends no header (no expiry)."""
    sso_authorized: set[str] = field(default_factory=set)
    """Orgs the token is authorized for; any other org in ``sso_orgs`` answers 403 + X-GitHub-SSO."""
    public_member_of: set[str] = field(default_factory=set)
    repositories: dict[str, bool] = field(default_factory=dict)
    """Reachable repositories (``owner/name``) and whether each is private."""
    readable: set[str] = field(default_factory=set)
    """Fine-grained repository permissions the token may read, e.g. ``contents``."""


_USER = re.compile(r"^/user$")
_MEMBERSHIP = re.compile(r"^/user/memberships/orgs/(?P<org>[^/]+)$")
_PUBLIC_MEMBER = re.compile(r"^/orgs/(?P<org>[^/]+)/public_members/(?P<login>[^/]+)$")
_REPO = re.compile(r"^/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)$")
_REPO_PART = re.compile(r"^/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/(?P<part>[a-z-]+(?:/[a-z-]+)?)$")
_PART_PERMISSION = {"commits": "contents", "issues": "issues", "pulls": "pull_requests", "actions/runs": "actions"}


class FakeGitHub:
    def __init__(self, accounts: dict[str, Account] | None = None, *, sso_orgs: set[str] | None = None) -> None:
        self.accounts = accounts or {}
        self.sso_orgs = sso_orgs or set()
        self.rate_limit_headers: dict[str, str] = {
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": "4999",
            "X-RateLimit-Resource": "core",
        }

    def __call__(self, request: Request) -> Reply:
        path = request.path.split("?", 1)[0]
        auth = request.authorization or ""
        token = auth.removeprefix("Bearer ").removeprefix("token ")
        account = self.accounts.get(token)
        if account is None:
            return Reply.json(
                {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"},
                401,
            )
        headers = dict(self.rate_limit_headers)
        if account.scopes is not None:
            headers["X-OAuth-Scopes"] = account.scopes
        if account.expiration is not None:
            headers["GitHub-Authentication-Token-Expiration"] = account.expiration
        if _USER.match(path):
            return Reply.json({"login": account.login, "id": 1, "type": "User", "site_admin": False}, headers=headers)
        if match := _MEMBERSHIP.match(path):
            org = match["org"]
            if org in self.sso_orgs and org not in account.sso_authorized:
                headers["X-GitHub-SSO"] = f"required; url=https://github.com/orgs/{org}/sso?authorization_request=AbC1"
                return Reply.json(
                    {"message": "Resource protected by organization SAML enforcement. You must grant your"
                     " Personal Access token access to this organization."},
                    403,
                    headers,
                )
            return Reply.json({"state": "active", "role": "member", "organization": {"login": org}}, headers=headers)
        if match := _PUBLIC_MEMBER.match(path):
            status = 204 if match["org"] in account.public_member_of else 404
            return Reply(status=status, headers=headers)
        if match := _REPO.match(path):
            full = f"{match['owner']}/{match['repo']}"
            if full not in account.repositories:
                return Reply.json({"message": "Not Found"}, 404, headers)
            return Reply.json(
                {"full_name": full, "private": account.repositories[full], "permissions": {"pull": True}},
                headers=headers,
            )
        if match := _REPO_PART.match(path):
            full = f"{match['owner']}/{match['repo']}"
            permission = _PART_PERMISSION.get(match["part"], match["part"])
            headers["X-Accepted-GitHub-Permissions"] = f"{permission}=read"
            if full not in account.repositories:
                return Reply.json({"message": "Not Found"}, 404, headers)
            if permission not in account.readable:
                return Reply.json({"message": "Resource not accessible by personal access token"}, 403, headers)
            return Reply.json([], headers=headers)
        return Reply.json({"message": "Not Found"}, 404, headers)
