"""The rows of GitHub's admin views as read: what this program fills in after reading is never taken from a
server, whether or not a row carries a key of that name."""

from __future__ import annotations

from scm_access.platforms.github.admin_views import CredentialAuthorization, PatGrant, catalog_permission

GRANT = {
    "id": 25381,
    "owner": {"login": "octocat", "id": 1, "type": "User", "site_admin": False},
    "repository_selection": "subset",
    "repositories_url": "https://api.github.com/organizations/652551/personal-access-tokens/25381/repositories",
    "permissions": {"repository": {"metadata": "read"}, "organization": {"members": "read"}},
    "access_granted_at": "2023-05-16T08:47:09.000-07:00",
    "token_id": 98716,
    "token_name": "Some token",
    "token_expired": False,
    "token_expires_at": "2023-11-16T08:47:09.000-07:00",
    "token_last_used_at": None,
}

AUTHORIZATION = {
    "login": "octocat",
    "credential_id": 161195,
    "credential_type": "personal access token",
    "token_last_eight": "71c3fc11",
    "credential_authorized_at": "2011-01-26T19:06:43Z",
    "scopes": ["user"],
    "credential_accessed_at": None,
    "authorized_credential_id": 12345678,
}


def test_a_grant_reads_as_listed():
    grant = PatGrant.model_validate(GRANT)
    assert (grant.id, grant.owner.login, grant.repositories) == (25381, "octocat", None)
    assert grant.scopes == {"metadata:read", "members:read"}


def test_repositories_a_server_puts_in_a_grant_row_are_not_taken():
    grant = PatGrant.model_validate({**GRANT, "repositories": ["evil/everything"]})
    assert grant.repositories is None
    assert grant == PatGrant.model_validate(GRANT)


def test_an_expiry_shown_flag_a_server_sends_is_not_taken():
    row = CredentialAuthorization.model_validate({**AUTHORIZATION, "expiry_shown": True})
    assert row.expiry_shown is False


def test_an_organization_permission_listed_by_its_short_name_takes_the_catalogs_name():
    assert catalog_permission("organization", "administration", "read") == "organization_administration:read"
    assert catalog_permission("repository", "administration", "write") == "administration:write"
