"""Each policy of the pack with a passing and a failing resource, through constructed validation args."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from tests.policies.policy_harness import validate

GROUP_TOKEN = "gitlab:index/groupAccessToken:GroupAccessToken"
PROJECT_TOKEN = "gitlab:index/projectAccessToken:ProjectAccessToken"
PAT = "gitlab:index/personalAccessToken:PersonalAccessToken"
DEPLOY_TOKEN = "gitlab:index/groupDeployToken:GroupDeployToken"
DEPLOY_KEY = "github:index/repositoryDeployKey:RepositoryDeployKey"
GITHUB_CONNECTION = "azuredevops:index/serviceEndpointGitHub:ServiceEndpointGitHub"
VARIABLE_GROUP = "azuredevops:index/variableGroup:VariableGroup"
CI_VARIABLE = "gitlab:index/projectVariable:ProjectVariable"

ROTATING = {"expirationDays": 90, "rotateBeforeDays": 7}


def group_token(**props):
    return {"group": "acme", "name": "t", "scopes": ["read_api"], "accessLevel": "reporter",
            "rotationConfiguration": ROTATING, **props}


def pat(scopes: list[str]) -> dict:
    return {"userId": 1, "name": "p", "scopes": scopes, "expiresAt": in_days(30)}


def in_days(days: int) -> str:
    return f"{(date.today() + timedelta(days=days)).isoformat()}T00:00:00Z"


# -- lifetime-exceeds-policy ---------------------------------------------------------------------


def test_lifetime_within_the_policy_maximum_passes():
    assert validate("lifetime-exceeds-policy", GROUP_TOKEN, group_token()) == []


def test_rotation_lifetime_beyond_the_policy_maximum_fails():
    (message,) = validate("lifetime-exceeds-policy", GROUP_TOKEN,
                          group_token(rotationConfiguration={"expirationDays": 120, "rotateBeforeDays": 7}))
    assert "lifetime of 120 days exceeds the policy maximum of 90 days" in message


def test_expiry_date_beyond_the_policy_maximum_fails():
    props = {"group": "acme", "name": "d", "scopes": ["read_registry"], "expiresAt": in_days(300)}
    assert validate("lifetime-exceeds-policy", DEPLOY_TOKEN, props)


def test_pack_config_can_tighten_the_maximum():
    config = {"policy": {"max_lifetime_days": {"gitlab_group_access_token": 30}}}
    assert validate("lifetime-exceeds-policy", GROUP_TOKEN, group_token(), config=config)


# -- no-expiry ------------------------------------------------------------------------------


def test_deploy_token_with_an_expiry_passes():
    props = {"group": "acme", "name": "d", "scopes": ["read_registry"], "expiresAt": in_days(30)}
    assert validate("no-expiry", DEPLOY_TOKEN, props) == []


def test_deploy_token_that_never_expires_fails():
    props = {"group": "acme", "name": "d", "scopes": ["read_registry"]}
    (message,) = validate("no-expiry", DEPLOY_TOKEN, props)
    assert "no expiry date" in message


# -- forbidden-scope --------------------------------------------------------------------------------


def test_token_without_forbidden_scopes_passes():
    assert validate("forbidden-scope", PAT, pat(["read_api"])) == []


def test_token_with_a_forbidden_scope_fails():
    (message,) = validate("forbidden-scope", PAT, pat(["sudo"]))
    assert "'sudo'" in message


def test_scope_containing_a_forbidden_one_fails():
    config = {"policy": {"forbidden_scopes": {"gitlab": ["read_api"]}}}
    token = group_token(scopes=["api"], accessLevel="developer")
    assert validate("forbidden-scope", GROUP_TOKEN, token, config=config)


# -- deprecated-credential --------------------------------------------------------------------------


@pytest.fixture
def read_api_deprecated(monkeypatch):
    from scm_access.platforms.gitlab.scopes import CATALOG
    from scm_access.scopes.catalog import Flag, Source

    flag = Flag(
        reason="replaced by fine-grained permissions",
        source=Source("https://example.test/deprecations", "2026-11-30"),
        since="2026-11-01",
    )
    entry = dataclasses.replace(CATALOG.scopes["read_api"], deprecated=flag)
    monkeypatch.setitem(CATALOG.scopes, "read_api", entry)


def test_token_with_current_scopes_passes():
    assert validate("deprecated-credential", GROUP_TOKEN, group_token()) == []


def test_token_with_a_scope_the_catalog_marks_deprecated_fails(read_api_deprecated):
    (message,) = validate("deprecated-credential", GROUP_TOKEN, group_token())
    assert "'read_api' is deprecated (since 2026-11-01): replaced by fine-grained permissions" in message


# -- rotation-not-configured -------------------------------------------------------------------


def test_group_token_with_rotation_passes():
    assert validate("rotation-not-configured", GROUP_TOKEN, group_token()) == []


def test_group_token_with_only_an_expiry_date_fails():
    props = group_token(expiresAt=in_days(30))
    del props["rotationConfiguration"]
    (message,) = validate("rotation-not-configured", GROUP_TOKEN, props)
    assert "no rotation configured" in message


# -- access-level-above-need ---------------------------------------------------------------------------


def test_reporter_for_reading_passes():
    assert validate("access-level-above-need", PROJECT_TOKEN, {"project": "a/b", **group_token()}) == []


def test_gitlab_default_maintainer_role_for_reading_fails():
    props = {"project": "a/b", **group_token()}
    del props["accessLevel"]
    (message,) = validate("access-level-above-need", PROJECT_TOKEN, props)
    assert "'maintainer' is above the declared need 'reporter'" in message


def test_role_above_what_the_marked_declaration_needs_fails():
    # The icr declaration asks for reporter; its marker ties the resource to that slot.
    props = group_token(accessLevel="developer", scopes=["read_api", "write_repository"],
                        description="iCR [scm-access icr/gitlab/icr-jenkins]")
    (message,) = validate("access-level-above-need", GROUP_TOKEN, props)
    assert "above the declared need 'reporter'" in message


# -- plaintext-secret ------------------------------------------------------------------------------


def test_service_connection_keeping_its_pat_secret_passes():
    props = {"projectId": "p", "serviceEndpointName": "gh", "authPersonal": {"personalAccessToken": "ghp_x"}}
    assert validate("plaintext-secret", GITHUB_CONNECTION, props, secret_outputs=["authPersonal"]) == []


def test_service_connection_with_its_pat_in_plain_state_fails():
    props = {"projectId": "p", "serviceEndpointName": "gh", "authPersonal": {"personalAccessToken": "ghp_x"}}
    (message,) = validate("plaintext-secret", GITHUB_CONNECTION, props)
    assert "'authPersonal' holds plain text" in message


def test_variable_group_with_a_secret_variable_passes():
    variable = {"name": "GITLAB_TOKEN", "secretValue": "glpat-x", "isSecret": True}
    props = {"projectId": "p", "name": "g", "variables": [variable]}
    assert validate("plaintext-secret", VARIABLE_GROUP, props) == []


def test_variable_group_with_a_token_as_plain_value_fails():
    props = {"projectId": "p", "name": "g", "variables": [{"name": "DEPLOY", "value": "glpat-abcdefabcdefabcdef"}]}
    (message,) = validate("plaintext-secret", VARIABLE_GROUP, props)
    assert "variables[0].value" in message


def test_ordinary_ci_variable_need_not_be_secret():
    assert validate("plaintext-secret", CI_VARIABLE, {"project": "a/b", "key": "LOG_LEVEL", "value": "debug"}) == []


def test_ci_variable_holding_a_token_outside_secret_state_fails():
    assert validate("plaintext-secret", CI_VARIABLE, {"project": "a/b", "key": "DOCS_TOKEN", "value": "x" * 20})


# -- high-privilege-scope --------------------------------------------------------------------


def test_read_only_scopes_need_no_review():
    assert validate("high-privilege-scope", GROUP_TOKEN, group_token()) == []


def test_high_privilege_scope_is_called_out():
    token = group_token(scopes=["api"], accessLevel="developer")
    (message,) = validate("high-privilege-scope", GROUP_TOKEN, token)
    assert "high-privilege scope requested: api" in message


def test_writable_deploy_key_is_called_out():
    key = {"repository": "r", "key": "k", "title": "t", "readOnly": False}
    assert validate("high-privilege-scope", DEPLOY_KEY, key)


# -- scope of the pack ---------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", [
    "lifetime-exceeds-policy", "no-expiry", "forbidden-scope", "deprecated-credential",
    "rotation-not-configured", "access-level-above-need", "plaintext-secret",
    "high-privilege-scope",
])
def test_resources_holding_no_credential_are_left_alone(policy):
    assert validate(policy, "gitlab:index/project:Project", {"name": "x", "visibilityLevel": "public"}) == []
