"""Platform decisions the provisioners make: least role, rotation window, key and token generations."""

from __future__ import annotations

from datetime import date, timedelta

from scm_access.platforms.azure_devops.provision import project_group
from scm_access.platforms.gitlab.provision import least_access_level
from scm_access.provision.delivery import secret_name
from scm_access.provision.model import Credential, generation


def test_reading_code_needs_reporter():
    assert least_access_level(["read_api", "read_repository"]) == "reporter"


def test_pushing_code_needs_developer():
    assert least_access_level(["read_api", "write_repository"]) == "developer"


def test_runner_administration_needs_maintainer():
    assert least_access_level(["create_runner", "read_api"]) == "maintainer"


def test_read_only_azure_devops_scopes_join_readers():
    assert project_group(["vso.code", "vso.project"]) == "Readers"


def test_writing_azure_devops_scopes_join_contributors():
    assert project_group(["vso.code_write"]) == "Contributors"


def test_generation_is_stable_within_a_period_and_changes_after_it():
    start = date(2026, 11, 23)
    number, began = generation(start, 30)
    assert generation(began, 30) == (number, began)
    assert generation(began + timedelta(days=29), 30) == (number, began)
    assert generation(began + timedelta(days=30), 30)[0] == number + 1


def test_deploy_token_expiry_stays_within_lifetime_and_beyond_the_rotation_window(monkeypatch):
    from types import SimpleNamespace

    from scm_access.platforms.gitlab.provision import deploy_token_expiry

    slot = SimpleNamespace(lifetime_days=90)
    for offset in range(0, 200, 7):
        today = date(2026, 1, 1) + timedelta(days=offset)
        days_left = (deploy_token_expiry(slot, 7, today) - today).days
        assert 7 < days_left <= 90


def test_several_credentials_of_one_slot_get_suffixed_secret_names():
    import pulumi

    credential = Credential("private_key", pulumi.Output.secret("x"), target="platform-config")
    assert secret_name("DEPLOY_KEY", credential) == "DEPLOY_KEY_PLATFORM_CONFIG"


def test_resource_names_take_the_platform_part_from_its_plugin():
    from scm_access.core.kinds import Platform
    from scm_access.provision.provisioner import resource_prefix

    assert resource_prefix(Platform.AZURE_DEVOPS) == "azdo"  # the provisioner's own short name
    assert resource_prefix(Platform.GITLAB) == "gitlab"
    assert resource_prefix(Platform.BITBUCKET) == "bitbucket"  # no provisioner: the platform's name
