"""A page has one section per declaration: the steps written once, and a row of their own values for each
holder. A declaration with one holder keeps that holder's values in its steps."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from scm_access.declarations import (
    AzureDevOpsAccess,
    BitbucketAccess,
    Connection,
    GitHubAccess,
    GitLabAccess,
    Person,
    Policy,
    ServiceIdentity,
)
from scm_access.instruct.build import build_instructions, instructions_for, sections_for
from scm_access.plan.planner import plan
from scm_access.plan.slot import slot_tag
from scm_access.validate import validate

TODAY = date(2026, 11, 30)
PEOPLE = [Person(name="alice", login="alice-a", email="alice@acme.example"), Person(name="bob"), Person(name="carol")]


def planned(*access):
    connection = Connection(name="demo", integration="Demo", owner="o", purpose="p", access=list(access))
    return plan(validate([connection], Policy()), Policy(), TODAY).slots


def sections(slots):
    return sections_for(slots, rotate_before_days=14, today=TODAY, project="/srv/project")


@pytest.fixture(scope="module")
def three():
    slots = planned(GitHubAccess(scopes=["repo"], org="acme", holder=PEOPLE))
    [section] = sections(slots)
    return slots, section


def words(step) -> str:
    return " ".join([step.text, step.link or "", *step.items])


def test_three_holders_of_a_declaration_are_one_section_listing_them(three):
    _, section = three
    assert [h.name for h in section.holders] == ["alice", "bob", "carol"]
    assert section.title == "Demo on GitHub: GitHub personal access token (classic) for 3 people (one token each)"


def test_each_holder_row_holds_their_own_tag_link_variable_and_verify_command(three):
    slots, section = three
    for slot, holder in zip(slots, section.holders):
        tag = slot_tag(f"demo/github/{slot.holder}")
        assert holder.slot == slot.id and holder.token_name == f"Demo (demo) {tag}"
        assert parse_qs(urlsplit(holder.creation_link).query)["description"] == [holder.token_name]
        assert holder.token_env_var == slot.token_env_var
        assert holder.verify_command == (
            f"scm-access verify demo --platform github --holder {slot.holder} --project /srv/project"
        )


def test_a_holders_row_says_whose_account_to_sign_in_as(three):
    _, section = three
    alice, bob, _ = section.holders
    assert (alice.login, alice.email, bob.login) == ("alice-a", "alice@acme.example", None)


def test_the_steps_are_written_once_and_name_no_holder(three):
    _, section = three
    text = "\n".join(words(step) for step in section.steps)
    for holder in section.holders:
        assert slot_tag(holder.slot) not in text and holder.name not in text and holder.token_env_var not in text
    assert "alice-a" not in text and "--holder" not in text


def test_the_steps_that_depend_on_the_holder_point_to_their_row(three):
    _, section = three
    steps = section.steps
    assert steps[0].text == (
        "Sign in to https://github.com as the account in your row of the table above: the token belongs to the"
        " account that creates it."
    )
    assert "In **Note**, keep or enter your token name from the table above." in [s.text for s in steps]
    [form] = [s for s in steps if "pre-filled form" in s.text]
    assert form.link is None and form.text.endswith("Your own link is in your row of the table above.")
    check = steps[-1]
    assert check.items == [] and "run your verify command from the table above" in check.text
    assert check.text.endswith("the token is read from the variable named in your row of the table above.")


def test_one_holder_keeps_the_concrete_values_in_the_steps():
    slots = planned(GitHubAccess(scopes=["repo"], org="acme", holder=[PEOPLE[0]]))
    [section] = sections(slots)
    [holder] = section.holders
    texts = [s.text for s in section.steps]
    assert texts[0] == (
        "Sign in to https://github.com as **alice-a** (account email `alice@acme.example`): the token belongs to"
        " the account that creates it."
    )
    assert f"In **Note**, keep or enter `{holder.token_name}`." in texts
    assert [s.link for s in section.steps if "pre-filled form" in s.text] == [holder.creation_link]
    assert section.steps[-1].items == [f"`{holder.verify_command}`"]
    assert f"`{holder.token_env_var}`." in section.steps[-1].text
    assert section.title.endswith("for alice")


def test_one_holder_alone_reads_as_that_holders_own_section(three):
    """`instructions CONNECTION --holder H` selects one slot: that holder's concrete section."""
    slots, section = three
    bob = slots[1]
    [alone] = sections([bob])
    assert alone == build_instructions(bob, project="/srv/project")
    assert alone.holders == [section.holders[1]]
    assert f"In **Note**, keep or enter `{alone.token_name}`." in [s.text for s in alone.steps]


def test_a_holders_own_section_and_the_shared_one_have_the_same_steps_but_for_the_blanks(three):
    slots, section = three
    alone = instructions_for(slots, project="/srv/project")
    assert [len(a.steps) for a in alone] == [len(section.steps)] * 3
    same = [a == b for a, b in zip(alone[1].steps, section.steps)]
    assert same.count(False) == 4  # signing in, the pre-filled form, the token's name, the check


def test_declarations_keep_their_order_and_each_gets_its_section():
    slots = planned(
        GitHubAccess(scopes=["repo"], org="acme", holder=PEOPLE[:2]),
        AzureDevOpsAccess(organization="acme", scopes=["Code: Read"], holder=[Person(name="dan")]),
    )
    assert [[h.name for h in s.holders] for s in sections(slots)] == [["alice", "bob"], ["dan"]]


def test_a_machine_users_section_names_the_machine_user():
    slots = planned(GitHubAccess(scopes=["repo"], holder=ServiceIdentity(service="ci", login="acme-ci")))
    [section] = sections(slots)
    assert "as the machine user **acme-ci**" in section.steps[0].text


PERSONAL_ACCESS = {
    "github classic": lambda people: GitHubAccess(scopes=["repo"], org="acme", holder=people),
    "github fine-grained": lambda people: GitHubAccess(
        scopes=["contents:read"], org="acme", repositories=["app"], kind="github_fine_grained_pat", holder=people
    ),
    "gitlab": lambda people: GitLabAccess(scopes=["read_api"], holder=people),
    "azure devops": lambda people: AzureDevOpsAccess(organization="acme", scopes=["Code: Read"], holder=people),
    "bitbucket": lambda people: BitbucketAccess(
        scopes=["read:repository:bitbucket"], workspace="acme", holder=people
    ),
}


@pytest.mark.parametrize("declared", PERSONAL_ACCESS.values(), ids=PERSONAL_ACCESS.keys())
def test_on_every_platform_the_shared_steps_name_no_holders_token_and_each_holder_alone_gets_theirs(declared):
    slots = planned(declared([Person(name="ann"), Person(name="ben")]))
    [section] = sections(slots)
    shared = "\n".join(words(step) for step in section.steps)
    assert all(slot_tag(h.slot) not in shared for h in section.holders)
    for slot, holder in zip(slots, section.holders):
        [alone] = sections([slot])
        own = "\n".join(words(step) for step in alone.steps)
        assert f"`{holder.token_name}`" in own and holder.verify_command in own
        assert holder.creation_link is None or holder.creation_link in own
