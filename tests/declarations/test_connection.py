"""Structural errors in a declaration read as one line naming the connection and the field."""

import pytest

from scm_access.declarations import Connection, GitHubAccess, Person, ServiceIdentity
from scm_access.errors import DeclarationError


def declare(**overrides):
    fields = dict(
        name="demo",
        integration="Demo",
        owner="team",
        purpose="testing",
        access=[{"platform": "github", "scopes": ["repo"], "holder": ["alice"]}],
    )
    fields.update(overrides)
    return Connection(**fields)


def test_unknown_platform_names_connection_and_field():
    with pytest.raises(DeclarationError) as caught:
        declare(access=[{"platform": "githab", "scopes": ["repo"], "holder": ["alice"]}])
    assert caught.value.lines() == [
        "connection 'demo': access[0]: unknown platform 'githab'"
        " (expected one of 'github', 'gitlab', 'azure_devops', 'bitbucket')"
    ]


def test_unknown_field_is_named():
    with pytest.raises(DeclarationError) as caught:
        declare(access=[{"platform": "github", "scopes": ["repo"], "holder": ["alice"], "scope": ["x"]}])
    assert caught.value.lines() == ["connection 'demo': access[0].scope: unknown field"]


def test_holder_must_name_someone():
    with pytest.raises(DeclarationError, match=r"access\[0\]\.holder: .*at least one person"):
        declare(access=[{"platform": "github", "scopes": ["repo"], "holder": []}])


def test_person_listed_twice_is_rejected():
    with pytest.raises(DeclarationError, match="person 'alice' is listed twice"):
        declare(access=[{"platform": "github", "scopes": ["repo"], "holder": ["alice", "alice"]}])


def test_same_platform_twice_must_be_merged():
    entry = {"platform": "github", "scopes": ["repo"], "holder": ["alice"]}
    with pytest.raises(DeclarationError, match="repeats platform 'github'"):
        declare(access=[entry, entry])


def test_lifetime_must_be_positive():
    with pytest.raises(DeclarationError, match=r"max_lifetime_days: must be at least 1 day"):
        declare(access=[{"platform": "github", "scopes": ["repo"], "holder": ["alice"], "max_lifetime_days": 0}])


def test_names_given_as_strings_become_people():
    access = GitHubAccess(scopes=["repo"], holder=["alice"])
    assert access.people == [Person(name="alice", login="alice")]


def test_service_identity_is_not_a_person():
    access = GitHubAccess(scopes=["repo"], holder=ServiceIdentity(service="bot"))
    assert access.people == [] and access.service == ServiceIdentity(service="bot")


def test_gitlab_group_is_a_full_path_or_a_positive_numeric_id():
    def gitlab(group):
        return declare(access=[{"platform": "gitlab", "scopes": ["read_api"], "holder": ["alice"], "group": group}])

    assert gitlab("acme/platform").access[0].group == "acme/platform"
    assert gitlab(101).access[0].group == 101
    for wrong in (True, 0, 1.5):
        with pytest.raises(DeclarationError, match=r"connection 'demo': access\[0\]\.group"):
            gitlab(wrong)
