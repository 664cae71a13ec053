"""Azure DevOps organization and project names follow Azure DevOps' naming restrictions."""

import pytest

from scm_access.platforms.azure_devops.access import AzureDevOpsAccess
from scm_access.platforms.registry import get_platform


def problems(organization="acme", **fields):
    access = AzureDevOpsAccess(scopes=["vso.code"], holder=["alice"], organization=organization, **fields)
    return get_platform("azure_devops").name_problems(access)


@pytest.mark.parametrize("organization", ["acme", "Acme-Corp-2", "a"])
def test_valid_organizations_pass(organization):
    assert problems(organization) == []


@pytest.mark.parametrize("organization", ["-acme", "acme-", "ac me", "acme/x", "acme.x", "a" * 51])
def test_an_organization_outside_the_rule_is_refused(organization):
    [(field, message)] = problems(organization)
    assert field == "organization" and "is not an Azure DevOps organization name" in message


@pytest.mark.parametrize("project", ["Platform", "My Project", "Team (EU) & Co", "a" * 64])
def test_project_names_may_hold_spaces_and_more(project):
    assert problems(projects=[project]) == []


@pytest.mark.parametrize("project", ["a/b", "a?b", "a#b", "_x", ".x", "x.", "a\x1bb", "a" * 65])
def test_a_project_name_outside_the_restrictions_is_refused(project):
    [(field, _)] = problems(projects=[project])
    assert field == "projects[0]"


def test_a_project_name_with_spaces_is_encoded_in_the_manual_links():
    from datetime import date

    from scm_access.declarations import Connection, Policy, ServiceIdentity
    from scm_access.plan.planner import plan
    from scm_access.platforms.azure_devops.provision import PROVISIONER

    access = AzureDevOpsAccess(
        scopes=["vso.code"],
        organization="acme",
        projects=["Team (EU) & Co"],
        holder=ServiceIdentity(service="deployer", origin_id="7f0c2a51-3a3e-4c0e-9a57-2d8f3c1b9e44"),
    )
    declared = Connection(name="deploy", integration="D", owner="t", purpose="p", access=[access])
    [slot] = plan([declared], Policy(), date(2026, 1, 1)).slots
    _, steps = PROVISIONER.manual(slot, None)
    links = [step.link for step in steps if step.link]
    assert "https://dev.azure.com/acme/Team%20%28EU%29%20%26%20Co/_settings/permissions" in links
