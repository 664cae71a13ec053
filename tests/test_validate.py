"""Meaning checks: scopes exist on the platform, kinds fit, lifetimes stay within policy."""

import pytest

from scm_access.declarations import Connection, CredentialKind, GitHubAccess, GitLabAccess, Policy, ServiceIdentity
from scm_access.errors import DeclarationError
from scm_access.validate import validate


def connection(*access, name="demo"):
    return Connection(name=name, integration="Demo", owner="team", purpose="testing", access=list(access))


def test_mistyped_scope_suggests_the_nearest_name():
    with pytest.raises(DeclarationError) as caught:
        validate([connection(GitHubAccess(scopes=["repo:stauts"], holder=["alice"]))], Policy())
    assert caught.value.lines() == [
        "connection 'demo': access[0].scopes[0]: unknown scope 'repo:stauts' (did you mean 'repo:status'?) on GitHub"
    ]


def test_ui_labels_resolve_to_scope_strings():
    [validated] = validate([connection(GitHubAccess(scopes=["All repo options"], holder=["alice"]))], Policy())
    assert validated.access[0].scopes == ["repo"]


def test_duplicate_connection_name_is_an_error():
    first = connection(GitHubAccess(scopes=["repo"], holder=["alice"]))
    with pytest.raises(DeclarationError, match="connection 'demo': name: declared twice"):
        validate([first, first], Policy())


def test_a_lifetime_beyond_the_policy_is_left_to_the_plans_rule():
    # The lifetime_exceeds_policy rule reports it in the plan; validation does not repeat the check.
    access = GitHubAccess(scopes=["repo"], holder=["alice"], max_lifetime_days=400)
    assert validate([connection(access)], Policy(default_max_lifetime_days=90))


def test_longest_lifetime_is_not_an_error():
    access = GitHubAccess(scopes=["repo"], holder=["alice"], max_lifetime_days="longest")
    assert validate([connection(access)], Policy())


def test_scope_the_kind_cannot_carry_is_an_error():
    access = GitLabAccess(
        scopes=["read_user"],
        group="acme",
        kind=CredentialKind.GITLAB_GROUP_ACCESS_TOKEN,
        holder=ServiceIdentity(service="bot"),
    )
    with pytest.raises(DeclarationError, match=r"access\[0\]\.scopes: 'read_user' cannot be granted"):
        validate([connection(access)], Policy())


def test_kind_of_another_platform_is_an_error():
    access = GitHubAccess(scopes=["repo"], holder=["alice"], kind=CredentialKind.GITLAB_PAT)
    with pytest.raises(DeclarationError, match=r"access\[0\]\.kind: gitlab_pat is not a GitHub credential kind"):
        validate([connection(access)], Policy())


def test_org_managed_kind_needs_a_service_identity():
    access = GitLabAccess(
        scopes=["read_api"], group="acme", kind=CredentialKind.GITLAB_GROUP_ACCESS_TOKEN, holder=["alice"]
    )
    with pytest.raises(DeclarationError, match=r"access\[0\]\.holder: .*must be a service identity"):
        validate([connection(access)], Policy())


def test_every_problem_is_reported_at_once():
    access = GitHubAccess(scopes=["nope", "repo:stauts"], holder=["alice"])
    with pytest.raises(DeclarationError) as caught:
        validate([connection(access)], Policy())
    assert len(caught.value.lines()) == 2


def test_a_mistyped_forbidden_scope_in_the_policy_is_an_error():
    policy = Policy(forbidden_scopes={"github": ["delete_rpeo"]})
    with pytest.raises(DeclarationError) as caught:
        validate([connection(GitHubAccess(scopes=["repo"], holder=["alice"]))], policy)
    assert caught.value.lines() == [
        "declaration: policy.forbidden_scopes.github[0]: unknown scope 'delete_rpeo'"
        " (did you mean 'delete_repo', 'delete:packages'?) on GitHub"
    ]


def test_a_forbidden_scope_written_as_a_label_asks_for_the_scope_string():
    policy = Policy(forbidden_scopes={"github": ["All repo options"]})
    with pytest.raises(DeclarationError, match="'All repo options' is a label: write the scope string 'repo'"):
        validate([connection(GitHubAccess(scopes=["workflow"], holder=["alice"]))], policy)


def problems_of(*connections, policy=None) -> list[str]:
    with pytest.raises(DeclarationError) as caught:
        validate(list(connections), policy or Policy())
    return caught.value.lines()


def test_a_classic_scope_beside_a_fine_grained_permission_is_refused():
    [line] = problems_of(connection(GitHubAccess(scopes=["repo", "Contents: Read-only"], org="acme", holder=["alice"])))
    assert line.startswith(
        "connection 'demo': access[0].scopes: 'repo' is held only by GitHub personal access token (classic) and"
        " 'contents:read' only by "
    )
    assert line.endswith("no credential holds both; declare scopes of one kind of credential")


def test_scopes_that_one_kind_holds_are_accepted():
    assert validate([connection(GitHubAccess(scopes=["repo", "workflow"], holder=["alice"]))], Policy())
    assert validate(
        [connection(GitHubAccess(scopes=["contents:read", "metadata:read"], org="acme", holder=["alice"]))], Policy()
    )


def test_names_are_checked_with_the_platforms_rules_and_named_with_the_connection():
    access = GitHubAccess(scopes=["repo"], org="acme", repositories=["acme/a"], holder=["alice"])
    assert problems_of(connection(access)) == [
        "connection 'demo': access[0].repositories[0]: write 'a': repositories are named within org 'acme', without it"
    ]


def test_two_connections_whose_token_variables_coincide_are_both_named():
    access = GitHubAccess(scopes=["repo"], holder=["alice"])
    assert problems_of(connection(access, name="ci-bot"), connection(access, name="ci--bot")) == [
        "connection 'ci--bot': access[0].holder: holder 'alice' would read its token from"
        " SCM_ACCESS_TOKEN__CI_BOT__GITHUB__ALICE, as connection 'ci-bot' (access[0], holder 'alice') does;"
        " one token would reach both: rename one of them"
    ]


def test_holders_whose_token_variables_coincide_in_one_connection_are_named():
    hosts = [
        GitHubAccess(scopes=["repo"], holder=["alice"]),
        GitHubAccess(scopes=["repo"], holder=["alice"], base_url="https://ghe.example.com"),
    ]
    assert problems_of(connection(*hosts)) == [
        "connection 'demo': access[1].holder: holder 'alice' would read its token from"
        " SCM_ACCESS_TOKEN__DEMO__GITHUB__ALICE, as access[0] (holder 'alice') does; one token would reach both:"
        " rename one of them"
    ]


def test_people_with_distinct_variables_are_accepted():
    assert validate([connection(GitHubAccess(scopes=["repo"], holder=["ci-bot", "cibot"]))], Policy())


def test_entries_declaring_the_same_scopes_are_each_checked_under_their_own_connection():
    mistyped = [connection(GitHubAccess(scopes=["repo", "repo:stauts"], holder=["alice"]), name=n) for n in ("a", "b")]
    with pytest.raises(DeclarationError) as caught:
        validate(mistyped, Policy())
    assert [line.split(":")[0] for line in caught.value.lines()] == ["connection 'a'", "connection 'b'"]
    assert all("access[0].scopes[1]: unknown scope 'repo:stauts'" in line for line in caught.value.lines())


def test_the_same_scope_names_are_read_with_each_platforms_catalog():
    declared = [
        connection(GitLabAccess(scopes=["api"], group="acme", holder=["a"]), name="x"),
        connection(GitHubAccess(scopes=["api"], holder=["a"]), name="y"),
    ]
    with pytest.raises(DeclarationError) as caught:
        validate(declared, Policy())
    [line] = caught.value.lines()
    assert line.startswith("connection 'y': access[0].scopes[0]: unknown scope 'api'")


def test_an_entry_already_in_scope_strings_is_kept_as_declared():
    declared = connection(GitHubAccess(scopes=["repo"], holder=["alice"]))
    [validated] = validate([declared], Policy())
    assert validated == declared
    labelled = connection(GitHubAccess(scopes=["All repo options"], holder=["alice"]))
    [resolved] = validate([labelled], Policy())
    assert resolved.access[0].scopes == ["repo"] and labelled.access[0].scopes == ["All repo options"]
