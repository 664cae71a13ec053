"""Instructions say whose account to sign in as, show the integration's guide, and explain where the plan
differs from what the guide asked for."""

from datetime import date

import pytest

from scm_access.declarations import (
    AzureDevOpsAccess,
    BitbucketAccess,
    Connection,
    GitHubAccess,
    Person,
    Policy,
    ServiceIdentity,
)
from scm_access.errors import DeclarationError
from scm_access.instruct.build import instructions_for
from scm_access.plan.planner import plan
from scm_access.validate import validate

TODAY = date(2026, 11, 30)
MACHINE_USER = ServiceIdentity(service="ci-jenkins", login="acme-ci-bot", email="ci-bot@acme.example")


def instructions(*access, guide="Tool docs: Creating a token"):
    declared = Connection(name="tool", integration="Tool", owner="team", purpose="testing", guide=guide,
                          access=list(access))
    policy = Policy()
    return instructions_for(plan(validate([declared], policy), policy, TODAY).slots)


def texts(item) -> list[str]:
    return [step.text for step in item.steps]


def test_a_machine_users_token_is_made_signed_in_as_that_machine_user():
    [item] = instructions(BitbucketAccess(scopes=["read:repository:bitbucket"], workspace="acme", holder=MACHINE_USER))
    assert item.title.endswith("for the machine user acme-ci-bot (ci-jenkins)")
    assert texts(item)[0] == (
        "Sign in to https://bitbucket.org as the machine user **acme-ci-bot** (account email"
        " `ci-bot@acme.example`), not with your own account: the token belongs to the account that creates it,"
        " and this one is held by the service identity **ci-jenkins**."
    )


def test_a_service_identity_without_a_login_says_so():
    [item] = instructions(GitHubAccess(scopes=["repo"], holder=ServiceIdentity(service="ci-jenkins")))
    assert "for the service identity ci-jenkins" in item.title
    assert "its login is not declared" in texts(item)[0]


def test_a_person_signs_in_with_their_own_account():
    [item] = instructions(GitHubAccess(scopes=["repo"], holder=[Person(name="ana", login="ana-souza")]))
    assert item.title.endswith("for ana")
    assert texts(item)[0] == (
        "Sign in to https://github.com as **ana-souza**: the token belongs to the account that creates it."
    )


def test_the_integrations_guide_is_shown():
    [item] = instructions(GitHubAccess(scopes=["repo"], holder=["ana"]))
    assert "Tool's setup guide: Tool docs: Creating a token." in item.notes


def test_a_retired_kind_the_guide_asked_for_is_explained_in_one_sentence():
    [item] = instructions(BitbucketAccess(scopes=["read:repository:bitbucket"], workspace="acme", holder=MACHINE_USER,
                                          guide_asked_for=["Bitbucket app password"]))
    [note] = [n for n in item.notes if n.startswith("The guide asks for")]
    assert note.startswith("The guide asks for a Bitbucket app password: Bitbucket app passwords stopped working")
    assert item.kind == "bitbucket_api_token"


def test_a_broader_scope_the_guide_asked_for_is_explained_with_what_it_would_add():
    [item] = instructions(AzureDevOpsAccess(scopes=["Code: Read & write"], organization="acme", holder=["ana"],
                                            guide_asked_for=["Full access"]))
    [note] = [n for n in item.notes if n.startswith("The guide asks for")]
    assert note.startswith("The guide asks for **Full access** (`app_token`); this plan asks only for the scopes")
    assert "would also grant" in note and "scopes the integration does not need" in note


def test_a_guides_other_name_for_a_scope_is_explained_without_being_declared_twice():
    [item] = instructions(GitHubAccess(scopes=["All repo options"], holder=["ana"]))
    assert [s.name for s in item.scopes] == ["repo"]
    assert any(n.startswith("The guide's **All repo options** is the scope `repo`") for n in item.notes)


def test_what_the_guide_asked_for_must_be_a_kind_or_a_scope_of_the_platform():
    declared = Connection(name="tool", integration="Tool", owner="team", purpose="testing",
                          access=[GitHubAccess(scopes=["repo"], holder=["ana"], guide_asked_for=["Full access"])])
    with pytest.raises(DeclarationError) as caught:
        validate([declared], Policy())
    assert caught.value.lines() == [
        "connection 'tool': access[0].guide_asked_for[0]: 'Full access' is neither a GitHub credential kind nor a scope"
    ]


def test_the_html_page_does_not_ask_a_machine_users_operator_to_find_their_name():
    from scm_access.outputs.instructions import render_html

    page = render_html(instructions(GitHubAccess(scopes=["repo"], holder=MACHINE_USER)), title="Tool")
    assert "Find your name" not in page
    assert "machine user acme-ci-bot" in page
