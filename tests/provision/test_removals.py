"""The stack says which credentials a change would delete: every update exports a ledger of what it made
(with what protects it), and the next run — preview included — reads it back through a reference to its own
stack and names each credential it no longer makes, why, and whether the deletion is held back."""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine

from tests.provision.harness import ALL_CREDENTIALS, Run, run_program

MADE = {
    "icr/gitlab/icr-jenkins",
    "docs-publisher/gitlab/docs-ci",
    "cluster-image-pull/gitlab/prod-cluster",
    "release-config-sync/github/release-workflow",
    "azure-pipelines-deploy/azure_devops/platform-deployer",
}
GITLAB_MADE = {slot for slot in MADE if "/gitlab/" in slot}
REVOCATION_ALLOWED = {"policy": json.dumps({"allow_revocation": True})}
TODAY = date(2026, 12, 9)  # outside every fixture credential's rotation window


def run(**kwargs) -> Run:
    with time_machine.travel(TODAY, tick=False):
        return run_program(**kwargs)


@pytest.fixture(scope="module")
def first() -> Run:
    return run(env=ALL_CREDENTIALS)


@pytest.fixture(scope="module")
def ledger(first) -> list[dict]:
    return first.value("stack_credentials")


def test_the_ledger_lists_every_credential_the_stack_made_with_its_resources(ledger):
    assert {entry["slot"] for entry in ledger} == MADE
    deploy_key = next(e for e in ledger if e["slot"] == "release-config-sync/github/release-workflow")
    assert any("RepositoryDeployKey" in urn for urn in deploy_key["resources"])
    assert any("ActionsSecret" in urn for urn in deploy_key["resources"])  # its stored copy too


def test_without_the_opt_in_the_ledger_says_removal_is_held_back(ledger):
    assert all(e["protected"] and e["on_removal"].startswith("held back") for e in ledger)


def test_with_the_opt_in_the_ledger_says_removal_deletes_and_revokes():
    entries = run(env=ALL_CREDENTIALS, config=REVOCATION_ALLOWED).value("stack_credentials")
    assert all(not e["protected"] and e["on_removal"].startswith("deleted") for e in entries)


def test_the_ledger_is_not_secret(first):
    _, secret, known = first.outputs["stack_credentials"]
    assert not secret and known


def test_before_the_first_update_nothing_would_be_deleted(first):
    assert first.value("removals") == [] and not any("previous update made" in w for w in first.warnings)


def test_the_same_declarations_again_delete_nothing(ledger):
    again = run(env=ALL_CREDENTIALS, previous_outputs={"stack_credentials": ledger})
    assert again.value("removals") == []


def test_a_removed_declaration_is_named_with_what_the_update_does(ledger):
    gone = {**ledger[0], "slot": "retired/gitlab/old-bot", "connection": "retired"}
    later = run(env=ALL_CREDENTIALS, previous_outputs={"stack_credentials": [*ledger, gone]})
    [removal] = later.value("removals")
    assert removal["slot"] == "retired/gitlab/old-bot" and removal["why"] == "no longer declared"
    assert removal["outcome"] == "held back" and removal["resources"] == gone["resources"]
    assert any(w.startswith("scm-access: retired/gitlab/old-bot: the previous update made") and "held back" in w
               for w in later.warnings)


def test_a_platform_left_unconfigured_would_delete_what_the_stack_made_there(ledger):
    without_gitlab = {k: v for k, v in ALL_CREDENTIALS.items() if k != "GITLAB_TOKEN"}
    later = run(env=without_gitlab, previous_outputs={"stack_credentials": ledger})
    removals = {r["slot"]: r for r in later.value("removals")}
    assert set(removals) == GITLAB_MADE
    assert all(r["why"].startswith("not provisioned this run") and r["outcome"] == "held back" for r in removals.values())


def test_with_the_opt_in_a_removal_is_said_to_delete(ledger):
    unprotected = [{**e, "protected": False} for e in ledger]
    gone = {**unprotected[0], "slot": "retired/gitlab/old-bot"}
    later = run(env=ALL_CREDENTIALS, config=REVOCATION_ALLOWED, previous_outputs={"stack_credentials": [gone]})
    [removal] = [r for r in later.value("removals") if r["slot"] == "retired/gitlab/old-bot"]
    assert removal["outcome"] == "deleted" and "revoked" in removal["what_happens"]


def test_a_credential_protected_last_time_is_still_held_back_after_the_opt_in(ledger):
    # The engine refuses to delete a resource still protected in its state: the opt-in unprotects only
    # what the program still registers.
    gone = {**ledger[0], "slot": "retired/gitlab/old-bot"}
    later = run(env=ALL_CREDENTIALS, config=REVOCATION_ALLOWED, previous_outputs={"stack_credentials": [gone]})
    [removal] = [r for r in later.value("removals") if r["slot"] == "retired/gitlab/old-bot"]
    assert removal["outcome"] == "held back"


def test_an_unreadable_previous_ledger_is_ignored():
    later = run(env=ALL_CREDENTIALS, previous_outputs={"stack_credentials": "not a list"})
    assert later.value("removals") == []


def test_reading_the_previous_update_can_be_turned_off():
    later = run(env=ALL_CREDENTIALS, config={"readPreviousUpdate": "false"})
    assert "removals" not in later.outputs and not later.of_type("pulumi:pulumi:StackReference")


def test_the_ledger_names_the_provider_id_of_each_resource_it_lists(ledger):
    # What `scm-access inventory --stack-outputs` matches the credentials it finds by.
    deploy_key = next(e for e in ledger if e["slot"] == "release-config-sync/github/release-workflow")
    [key_urn] = [urn for urn in deploy_key["resources"] if "RepositoryDeployKey" in urn]
    assert deploy_key["ids"][key_urn]
    assert set(deploy_key["ids"]) <= set(deploy_key["resources"])
