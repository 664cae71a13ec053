"""Every credential the stack makes has a hand-off: where it lands, or how a person carries it and when
again."""

from __future__ import annotations

import shlex
from datetime import date, timedelta

import pytest

from scm_access.declarations import (
    AzureDevOpsAccess,
    Connection,
    GitHubAccess,
    GitLabAccess,
    IntegrationField,
    SecretStore,
    ServiceIdentity,
)
from scm_access.declarations.policy import Policy
from scm_access.instruct.handoff import as_instructions, handoffs_for
from scm_access.plan.generations import generation
from scm_access.plan.planner import plan
from scm_access.validate import validate

TODAY = date(2026, 11, 30)
FORM = IntegrationField(location="Jenkins → job → Configure", field="GitLab token")
CONNECTIONS = [
    Connection(
        name="jenkins", integration="Jenkins", owner="o", purpose="Builds from GitLab.",
        access=[GitLabAccess(scopes=["read_api"], group="acme/platform", holder=ServiceIdentity(service="ci"),
                             delivery=FORM)],
    ),
    Connection(
        name="release", integration="Release workflow", owner="o", purpose="Pushes release bumps.",
        access=[GitHubAccess(scopes=["contents:write"], org="acme", repositories=["config"],
                             holder=ServiceIdentity(service="release"), max_lifetime_days=60,
                             delivery=SecretStore(store="github_actions_secret", name="DEPLOY_KEY",
                                                  repository="acme/tools", holds="ssh_key"))],
    ),
    Connection(
        name="deployer", integration="Azure Pipelines", owner="o", purpose="Deploys.",
        access=[AzureDevOpsAccess(organization="acme", projects=["Platform"], scopes=["vso.code"],
                                  holder=ServiceIdentity(service="sp", origin_id="7f0c2a51-3a3e-4c0e-9a57-2d8f3c1b9e44"))],
    ),
]


@pytest.fixture(scope="module")
def slots():
    policy = Policy()
    return plan(validate(CONNECTIONS, policy), policy, TODAY).slots


@pytest.fixture(scope="module")
def handoffs(slots):
    found = handoffs_for(slots, rotate_before_days=7, today=TODAY, store_label=lambda s: f"<{s}>")
    return {h.connection: h for h in found}


def test_every_provisioned_slot_has_one(slots, handoffs):
    assert sorted(handoffs) == sorted(s.connection for s in slots if s.strategy == "provision")


def test_a_credential_a_person_pastes_is_copied_from_the_stack_to_the_clipboard_never_to_the_screen(handoffs):
    jenkins = handoffs["jenkins"]
    argv_left, argv_jq, argv_clip = (shlex.split(part) for part in jenkins.read_command.split(" | "))
    assert argv_left == ["pulumi", "stack", "output", "credentials", "--show-secrets", "--json"]
    assert argv_jq == ["jq", "-j", "--arg", "c", "jenkins", "--arg", "s", "jenkins/gitlab/ci", "--arg", "k", "token",
                       ".[$c][$s][$k]"]
    assert argv_clip == ["pbcopy"]
    assert jenkins.paste_into == "Jenkins → job → Configure → **GitLab token**"
    assert any("Each rotation means copying and pasting again" in s.text for s in jenkins.steps)


def test_a_provider_rotated_token_gives_the_rotation_rule_and_the_date_for_one_made_today(handoffs):
    jenkins = handoffs["jenkins"]
    assert jenkins.next_rotation == TODAY + timedelta(days=90 - 7) and not jenkins.next_rotation_exact
    assert "7 days before it expires" in jenkins.rotation


def test_a_credential_delivered_to_a_store_says_where_it_lands_and_when_a_new_one_comes(handoffs):
    release = handoffs["release"]
    assert release.store == "<github_actions_secret> **DEPLOY_KEY** in **acme/tools**"
    assert release.read_command is None
    _, started = generation(TODAY, 60)
    assert release.next_rotation == started + timedelta(days=60) and release.next_rotation_exact


def test_an_identity_without_a_secret_has_nothing_to_hand_over(handoffs):
    deployer = handoffs["deployer"]
    assert deployer.read_command is None and deployer.next_rotation is None
    assert deployer.steps[0].text.startswith("Nothing to hand over or rotate")


def test_a_declared_name_stays_one_argument_of_the_read_command(slots):
    hostile = [s.model_copy(update={"connection": "a'; rm -rf ~; echo '"}) for s in slots if s.connection == "jenkins"]
    (handoff,) = handoffs_for(hostile, rotate_before_days=7, today=TODAY)
    assert shlex.split(handoff.read_command.split(" | ")[1])[4] == "a'; rm -rf ~; echo '"


def test_a_hand_off_renders_as_a_section_of_the_connections_page(slots, handoffs):
    slot = next(s for s in slots if s.connection == "jenkins")
    section = as_instructions(handoffs["jenkins"], slot)
    assert section.title.endswith("(made by the stack: hand-off)")
    assert section.steps == handoffs["jenkins"].steps
