"""Instructions: the exact UI labels, pre-filled links, expiry, delivery and the verify command."""

import shlex
from urllib.parse import parse_qs, urlsplit

import pytest

from scm_access.declarations import Connection, GitHubAccess, Policy
from scm_access.declarations.loader import load_project
from scm_access.instruct.build import build_instructions, instructions_for
from scm_access.plan.planner import plan, plan_project
from scm_access.plan.slot import slot_tag as slot_tag_of
from scm_access.validate import validate


@pytest.fixture(scope="module")
def seed_instructions(fixture_project, today):
    project = load_project(fixture_project)
    slots = plan_project(project, today).slots
    return {(i.connection, i.platform, i.holder): i for i in instructions_for(slots)}


def query(link):
    return parse_qs(urlsplit(link).query)


def test_github_classic_link_carries_exactly_the_needed_scopes(seed_instructions):
    link = seed_instructions[("stackspot", "github", "ana")].creation_link
    assert link.startswith("https://github.com/settings/tokens/new?")
    assert query(link)["scopes"] == ["repo,workflow,write:packages"]


def test_github_classic_link_fills_the_note(seed_instructions):
    link = seed_instructions[("stackspot", "github", "ana")].creation_link
    slot_tag = slot_tag_of("stackspot/github/ana")
    assert query(link)["description"] == [f"StackSpot (stackspot) {slot_tag}"]


def test_fine_grained_link_name_carries_the_slot_tag_within_githubs_limit(seed_instructions):
    name = query(seed_instructions[("deeptraq", "github", "diego")].creation_link)["name"][0]
    assert name.endswith(slot_tag_of("deeptraq/github/diego")) and len(name) <= 40


def test_fine_grained_link_sets_owner_expiry_and_permission(seed_instructions):
    link = seed_instructions[("deeptraq", "github", "diego")].creation_link
    assert link.startswith("https://github.com/settings/personal-access-tokens/new?")
    params = query(link)
    assert (params["target_name"], params["expires_in"], params["metadata"]) == (["acme"], ["30"], ["read"])


def test_fine_grained_steps_name_the_repository_to_select(seed_instructions):
    steps = seed_instructions[("deeptraq", "github", "diego")].steps
    assert any("`acme/deeptraq-security-scanner`" in item for step in steps for item in step.items)


def test_gitlab_link_prefills_name_and_scopes(seed_instructions):
    link = seed_instructions[("stackspot", "gitlab", "ana")].creation_link
    assert link.startswith("https://gitlab.com/-/user_settings/personal_access_tokens?")
    assert set(query(link)["scopes"][0].split(",")) == set(seed_instructions[("stackspot", "gitlab", "ana")].scopes and
                                                         [s.name for s in seed_instructions[("stackspot", "gitlab", "ana")].scopes])


def test_azure_devops_steps_show_the_ui_label_of_every_scope(seed_instructions):
    item = seed_instructions[("exalate", "azure_devops", "carla")]
    ticked = [sub for step in item.steps for sub in step.items]
    labels = ("Work Items: Read & write", "Project and Team: Read", "Identity: Read", "Member Entitlement Management: Read")
    for label in labels:
        assert any(label in line for line in ticked), label


def test_expiry_date_is_in_the_steps(seed_instructions):
    item = seed_instructions[("exalate", "azure_devops", "carla")]
    assert any(item.expires_at.isoformat() in step.text for step in item.steps)


def test_sso_authorization_is_a_step_for_classic_tokens(seed_instructions):
    steps = seed_instructions[("stackspot", "github", "ana")].steps
    assert any("Configure SSO" in step.text for step in steps)


def test_delivery_names_the_integration_field(seed_instructions):
    steps = seed_instructions[("stackspot", "github", "ana")].steps
    assert any("**Personal Token**" in step.text for step in steps)


def test_last_step_is_the_verify_command(seed_instructions):
    item = seed_instructions[("stackspot", "github", "ana")]
    assert item.steps[-1].items == ["`scm-access verify stackspot --platform github --holder ana`"]


def test_self_hosted_links_use_the_declared_host(today):
    from scm_access.declarations import Connection, GitLabAccess, Policy

    connection = Connection(
        name="demo", integration="Demo", owner="t", purpose="p",
        access=[GitLabAccess(scopes=["read_api"], holder=["a"], base_url="https://gitlab.acme.example/")],
    )
    [slot] = plan(validate([connection], Policy()), Policy(), today).slots
    assert build_instructions(slot).creation_link.startswith(
        "https://gitlab.acme.example/-/user_settings/personal_access_tokens?"
    )


def test_provisioned_slots_get_no_manual_steps(seed_instructions):
    assert ("icr", "gitlab", "icr-jenkins") not in seed_instructions


def test_verify_command_round_trips_through_a_shell_split(seed_instructions):
    item = seed_instructions[("stackspot", "github", "ana")]
    (printed,) = item.steps[-1].items
    argv = ["scm-access", "verify", "stackspot", "--platform", "github", "--holder", "ana"]
    assert shlex.split(printed.strip("`")) == shlex.split(item.verify_command) == argv


# -- what the platforms' sources leave open -------------------------------------------------------------


def _instructions_for(access, today):
    from scm_access.declarations import Connection, Policy

    connection = Connection(name="demo", integration="Demo", owner="o", purpose="p", access=[access])
    [slot] = plan(validate([connection], Policy()), Policy(), today).slots
    return build_instructions(slot)


def test_a_scope_kept_beside_an_unconfirmed_container_is_explained(today):
    from scm_access.declarations import GitLabAccess

    instructions = _instructions_for(GitLabAccess(scopes=["api", "self_rotate"], holder=["alice"]), today)
    assert [s.name for s in instructions.scopes] == ["api", "self_rotate"]
    (note,) = [n for n in instructions.notes if "may already include it" in n]
    assert "`self_rotate`" in note and "`api`" in note and "GitLab does not document" in note


def test_a_deprecated_scope_is_called_out_where_it_is_ticked(today):
    from scm_access.declarations import GitHubAccess

    instructions = _instructions_for(GitHubAccess(scopes=["read:discussion"], holder=["alice"]), today)
    assert any("is deprecated" in n and "team discussions" in n for n in instructions.notes)


def test_the_check_step_promises_only_what_the_kind_shows_to_its_token(today):
    from scm_access.declarations import Connection, GitHubAccess, Person, Policy

    def check_step(**access):
        connection = Connection(
            name="demo", integration="Demo", owner="t", purpose="p",
            access=[GitHubAccess(org="acme", holder=[Person(name="ana", login="ana")], **access)],
        )
        [slot] = plan(validate([connection], Policy()), Policy(), today).slots
        return build_instructions(slot).steps[-1].text

    classic = check_step(scopes=["repo"], kind="github_classic_pat")
    fine_grained = check_step(scopes=["contents:read"], repositories=["scanner"], kind="github_fine_grained_pat")
    assert "missing or excess scopes" in classic
    assert "excess" not in fine_grained
    assert "partially_verified" in fine_grained and "fine-grained tokens" in fine_grained


def test_a_folded_scope_is_not_ticked_and_the_page_says_which_ticked_scope_includes_it(today):
    access = GitHubAccess(scopes=["repo", "repo:status", "workflow"], holder=["alice"])
    connection = Connection(name="demo", integration="Demo", owner="o", purpose="p", access=[access])
    [item] = instructions_for(plan(validate([connection], Policy()), Policy(), today).slots)
    assert [line.name for line in item.scopes] == ["repo", "workflow"]
    assert (
        "No need to tick **Access commit status** (`repo:status`): **Full control of private repositories** (`repo`)"
        " already includes it." in item.notes
    )


def test_each_holder_of_a_declaration_names_its_own_token(today):
    access = GitHubAccess(scopes=["repo"], org="acme", holder=["alice", "bob"])
    connection = Connection(name="demo", integration="Demo", owner="o", purpose="p", access=[access])
    alice, bob = instructions_for(plan(validate([connection], Policy()), Policy(), today).slots)
    bob_tag = slot_tag_of("demo/github/bob")
    assert query(bob.creation_link)["description"] == [f"Demo (demo) {bob_tag}"]
    assert [s.text for s in bob.steps if "**Note**" in s.text] == [f"In **Note**, keep or enter `Demo (demo) {bob_tag}`."]
    assert slot_tag_of("demo/github/alice") in alice.creation_link


def test_holders_share_every_step_that_reads_the_same(today):
    access = GitHubAccess(scopes=["repo"], org="acme", holder=["alice", "bob"])
    connection = Connection(name="demo", integration="Demo", owner="o", purpose="p", access=[access])
    alice, bob = instructions_for(plan(validate([connection], Policy()), Policy(), today).slots)
    bob_tag = slot_tag_of("demo/github/bob")
    own = [b for a, b in zip(alice.steps[1:-1], bob.steps[1:-1]) if a is not b]
    assert own and all(bob_tag in f"{s.text} {s.link}" for s in own)
