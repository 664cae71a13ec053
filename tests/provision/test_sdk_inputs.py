"""The mocks hold what the program sends to providers against the provider SDKs themselves."""

from __future__ import annotations

import pytest
from pulumi.runtime import rpc

from tests.provision.harness import run_program
from tests.provision.sdk_inputs import (
    invoke_problems,
    invoke_result_problems,
    output_problems,
    resource_input_problems,
)

MEMBERSHIP = "gitlab:index/groupMembership:GroupMembership"
PROJECT_TOKEN = "gitlab:index/projectAccessToken:ProjectAccessToken"


def secret(value):
    return {rpc._special_sig_key: rpc._special_secret_sig, "value": value}


def test_a_group_path_where_the_provider_wants_the_numeric_group_id_is_refused():
    (problem,) = resource_input_problems(
        MEMBERSHIP, "m", {"groupId": "acme/platform", "userId": 4242.0, "accessLevel": "reporter"}
    )
    assert "groupId: expected an integer, got 'acme/platform'" in problem


def test_numbers_arrive_as_floats_and_count_as_integers_when_whole():
    assert resource_input_problems(MEMBERSHIP, "m", {"groupId": 101.0, "userId": 4242.0, "accessLevel": "reporter"}) == []
    assert resource_input_problems(MEMBERSHIP, "m", {"groupId": 1.5, "userId": 1.0, "accessLevel": "reporter"})


def test_an_input_the_sdk_does_not_know_is_refused():
    problems = resource_input_problems(MEMBERSHIP, "m", {"groupId": 1, "userId": 1, "accessLevel": "reporter", "role": "x"})
    assert problems == ["m (gitlab:index/groupMembership:GroupMembership).role: not an input of GroupMembershipArgs"]


def test_a_required_input_left_out_is_refused():
    (problem,) = resource_input_problems(MEMBERSHIP, "m", {"groupId": 1, "accessLevel": "reporter"})
    assert problem.endswith("userId: required by GroupMembershipArgs but not given")


def test_nested_input_objects_and_lists_are_held_too():
    problems = resource_input_problems(
        PROJECT_TOKEN,
        "t",
        {"project": "a/b", "scopes": ["api", 3], "rotationConfiguration": {"expirationDays": 90.0, "rotateBefore": 7}},
    )
    assert any(p.endswith("scopes[1]: expected a string, got 3") for p in problems)
    assert any(p.endswith("rotationConfiguration.rotateBefore: not an input of ProjectAccessTokenRotationConfigurationArgs")
               for p in problems)


def test_secret_and_unknown_values_are_held_by_what_they_wrap():
    assert resource_input_problems("pulumi:providers:gitlab", "p", {"token": secret("glpat-x")}) == []
    assert resource_input_problems("pulumi:providers:gitlab", "p", {"token": secret(5)})
    assert resource_input_problems(MEMBERSHIP, "m", {"groupId": rpc.UNKNOWN, "userId": 1, "accessLevel": "x"}) == []


def test_an_unknown_resource_type_is_refused_and_the_programs_own_components_are_not_held():
    assert resource_input_problems("gitlab:index/groupMembershp:GroupMembershp", "m", {})
    assert resource_input_problems("scm-access:index:Connection", "c", {}) == []


def test_invoke_arguments_and_fake_results_are_held_against_the_sdk_function():
    assert invoke_problems("gitlab:index/getGroup:getGroup", {"fullPath": "acme"}) == []
    assert invoke_problems("gitlab:index/getGroup:getGroup", {"groupId": "acme"})
    assert invoke_problems("gitlab:index/getGroup:getGroup", {"path": "acme"})
    assert invoke_result_problems("gitlab:index/getGroup:getGroup", {"groupId": 1, "fullPath": "acme"}) == []
    assert invoke_result_problems("gitlab:index/getGroup:getGroup", {"group_id": 1})


def test_fake_outputs_must_be_outputs_of_the_resource():
    assert output_problems(MEMBERSHIP, "m", {"groupId": 1}) == []
    assert output_problems(MEMBERSHIP, "m", {"memberId": 1})


def test_a_program_that_passes_a_wrong_argument_fails_its_run(tmp_path):
    program = tmp_path / "__main__.py"
    program.write_text(
        "import pulumi_gitlab as gitlab\n"
        "gitlab.GroupMembership('m', group_id='acme/platform', user_id=1, access_level='reporter')\n"
    )
    with pytest.raises(AssertionError, match="groupId: expected an integer"):
        run_program(program=program)
