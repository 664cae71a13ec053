"""Removing a declaration deletes nothing unless the policy opts in (allow_revocation): without it, every
credential the stack makes on a platform, and every stored copy, is protected from deletion."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import time_machine

from scm_access.provision.model import generation
from tests.provision.harness import ALL_CREDENTIALS, Run, run_program

DEPLOY_KEY = "github:index/repositoryDeployKey:RepositoryDeployKey"
DEPLOY_TOKEN = "gitlab:index/groupDeployToken:GroupDeployToken"
KEY_PAIR = "tls:index/privateKey:PrivateKey"
ROTATE_BEFORE_DAYS = 7
LIFETIME = 90  # the fixtures' deploy key and deploy token


def deploy_token_started(today: date) -> date:
    return generation(today, LIFETIME - ROTATE_BEFORE_DAYS)[1]


def in_rotation_window(today: date) -> bool:
    started = (generation(today, LIFETIME)[1], deploy_token_started(today))
    return any((today - day).days < ROTATE_BEFORE_DAYS for day in started)


def mid_generation() -> date:
    """A day on which neither the deploy key nor the deploy token is in its rotation window."""
    day = date(2026, 12, 1)
    while in_rotation_window(day):
        day += timedelta(days=1)
    return day


def platform_resources(run: Run) -> list:
    """What the stack makes on a platform: every custom resource but providers and local key pairs."""
    return [r for r in run.resources if r.custom and not r.typ.startswith("pulumi:providers:") and r.typ != KEY_PAIR]


@pytest.fixture(scope="module")
def guarded() -> Run:
    with time_machine.travel(mid_generation(), tick=False):
        return run_program(ALL_CREDENTIALS)


def test_every_credential_and_stored_copy_is_protected_without_the_opt_in(guarded):
    made = platform_resources(guarded)
    assert {r.typ.split(":")[0] for r in made} == {"gitlab", "github", "azuredevops"}
    assert [r.name for r in made if not r.protect] == []
    assert not any(r.retain_on_delete for r in guarded.resources)  # kept in state, so deletable on opt-in


def test_local_key_pairs_are_never_protected(guarded):
    assert guarded.of_type(KEY_PAIR) and not any(r.protect for r in guarded.of_type(KEY_PAIR))


def test_the_stack_output_says_deletion_is_held_back_and_why(guarded):
    assert guarded.value("summary")["deletion"].startswith("held back: the policy does not allow revocation")


def test_with_the_opt_in_nothing_is_protected_and_deletion_follows_the_declarations():
    with time_machine.travel(mid_generation(), tick=False):
        run = run_program(ALL_CREDENTIALS, config={"policy": json.dumps({"allow_revocation": True})})
    assert not any(r.protect for r in run.resources)
    assert run.value("summary")["deletion"].startswith("follows the declarations")


def test_an_opt_in_for_one_platform_unprotects_only_that_platforms_credentials():
    with time_machine.travel(mid_generation(), tick=False):
        run = run_program(ALL_CREDENTIALS, config={"policy": json.dumps({"allow_revocation": ["gitlab"]})})
    protected = {r.typ.split(":")[0] for r in platform_resources(run) if r.protect}
    unprotected = {r.typ.split(":")[0] for r in platform_resources(run) if not r.protect}
    assert (protected, unprotected) == ({"github", "azuredevops"}, {"gitlab"})


def test_the_stack_output_names_what_deletion_follows_the_declarations_for():
    with time_machine.travel(mid_generation(), tick=False):
        run = run_program(ALL_CREDENTIALS, config={"policy": json.dumps({"allow_revocation": ["gitlab"]})})
    assert run.value("summary")["deletion"].startswith("follows the declarations only for gitlab")


def test_a_replaced_credential_is_unprotected_in_its_rotation_window_so_the_update_can_replace_it():
    key_rotation = generation(mid_generation(), LIFETIME)[1] + timedelta(days=LIFETIME)  # next generation's day 0
    with time_machine.travel(key_rotation, tick=False):
        run = run_program(ALL_CREDENTIALS)
    (key,) = run.of_type(DEPLOY_KEY)
    assert not key.protect
    token_rotating = (key_rotation - deploy_token_started(key_rotation)).days < ROTATE_BEFORE_DAYS
    (token,) = run.of_type(DEPLOY_TOKEN)
    assert token.protect is not token_rotating
