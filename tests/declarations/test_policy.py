"""The organisation's policy, and how a stack or a policy pack overrides it."""

import pytest
from pydantic import ValidationError

from scm_access.declarations import CredentialKind, Platform, Policy

DECLARED = Policy(
    max_lifetime_days={CredentialKind.GITHUB_FINE_GRAINED_PAT: 30, CredentialKind.GITLAB_PAT: 60},
    forbidden_scopes={Platform.GITHUB: ["delete_repo"], Platform.AZURE_DEVOPS: ["app_token"]},
)


def test_overriding_one_kinds_lifetime_keeps_the_others():
    policy = DECLARED.with_overrides({"max_lifetime_days": {"gitlab_group_access_token": 90}})
    assert policy.lifetime_ceiling(CredentialKind.GITHUB_FINE_GRAINED_PAT) == 30
    assert policy.lifetime_ceiling(CredentialKind.GITLAB_GROUP_ACCESS_TOKEN) == 90


def test_forbidden_scopes_of_an_override_add_to_the_declared_ones():
    policy = DECLARED.with_overrides({"forbidden_scopes": {"gitlab": ["sudo"], "github": ["admin:org"]}})
    assert policy.forbidden(Platform.GITHUB) == {"delete_repo", "admin:org"}
    assert policy.forbidden(Platform.AZURE_DEVOPS) == {"app_token"}
    assert policy.forbidden(Platform.GITLAB) == {"sudo"}


def test_plain_fields_are_replaced():
    assert DECLARED.with_overrides({"default_max_lifetime_days": 45}).default_max_lifetime_days == 45


def test_an_invalid_override_is_refused():
    with pytest.raises(ValidationError):
        DECLARED.with_overrides({"expiry_warning_days": -1})


@pytest.mark.parametrize("field", ["default_max_lifetime_days", "expiry_warning_days", "rotate_before_days"])
def test_day_counts_are_strict_integers(field):
    with pytest.raises(ValidationError):
        Policy(**{field: True})


def test_a_per_kind_lifetime_is_a_strict_integer():
    with pytest.raises(ValidationError):
        Policy(max_lifetime_days={"github_fine_grained_pat": True})
