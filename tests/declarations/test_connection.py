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
        " (expected one of 'azure_devops', 'bitbucket', 'github', 'gitlab')"  # the platform folders, sorted
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


def problems(**overrides) -> list[str]:
    with pytest.raises(DeclarationError) as caught:
        declare(**overrides)
    return caught.value.lines()


def github(**fields):
    return [{"platform": "github", "scopes": ["repo"], "holder": ["alice"], **fields}]


@pytest.mark.parametrize("value", [True, 90.0, "90"])
def test_a_lifetime_is_a_whole_number_of_days_never_a_bool_float_or_text(value):
    assert problems(access=github(max_lifetime_days=value)) == [
        f"connection 'demo': access[0].max_lifetime_days: give a whole number of days or 'longest', not {value!r}"
    ]


@pytest.mark.parametrize("url", ["http://ghe.example.com", "http://10.0.0.5"])
def test_a_base_url_without_tls_is_refused_because_the_token_would_travel_in_clear(url):
    assert problems(access=github(base_url=url)) == [
        f"connection 'demo': access[0].base_url: {url.split(':')[0]}:// would send the token in clear text:"
        " use https:// (plain http is allowed only for a loopback address, in tests)"
    ]


@pytest.mark.parametrize(
    "url", ["https://ghe.example.com", "http://localhost:8080", "http://127.0.0.1:9", "http://[::1]:9"]
)
def test_https_and_loopback_base_urls_are_accepted(url):
    assert declare(access=github(base_url=url)).access[0].base_url is not None


def test_one_person_outside_a_list_is_one_line_with_the_fix():
    assert problems(access=github(holder=Person(name="alice"))) == [
        "connection 'demo': access[0].holder: people go in a list: write holder=[Person(...)]"
    ]


def test_a_service_identity_inside_a_list_is_one_line_with_the_fix():
    assert problems(access=github(holder=[ServiceIdentity(service="ci")])) == [
        "connection 'demo': access[0].holder: a service identity holds the credential alone, not in a list:"
        " write holder=ServiceIdentity(...)"
    ]


def test_a_holder_of_another_shape_is_one_line():
    assert problems(access=github(holder=5)) == [
        "connection 'demo': access[0].holder: give a list of people, [Person(...)], or one ServiceIdentity(...)"
    ]


def test_a_mistake_inside_a_service_identity_keeps_its_field_name():
    assert problems(access=github(holder={"service": "Bad Name"})) == [
        "connection 'demo': access[0].holder.service: String should match pattern '^[a-z0-9][a-z0-9-]{0,62}$'"
    ]


def test_the_schema_still_describes_both_holder_forms():
    import json

    schema = json.dumps(Connection.model_json_schema())
    assert "ServiceIdentity" in schema and "Person" in schema
