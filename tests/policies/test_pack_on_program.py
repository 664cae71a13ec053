"""The pack on the resources of a mocked program run, fed to the analyzer as the engine would (inputs in
wire form, declared secret outputs): what the program provisions satisfies the policy it was planned with."""

from __future__ import annotations

import pytest

from tests.policies.policy_harness import analyze, servicer
from tests.provision.harness import ALL_CREDENTIALS, Run, run_program

STRICT = {
    "lifetime-exceeds-policy": {
        "policy": {"default_max_lifetime_days": 30, "max_lifetime_days": {"gitlab_group_access_token": 30}},
    },
}


@pytest.fixture(scope="module")
def run() -> Run:
    return run_program(ALL_CREDENTIALS)


def diagnostics(run: Run, config=None) -> list[tuple[str, str, str, str]]:
    service = servicer(config)
    found = []
    for resource in run.resources:
        if resource.custom:
            for name, level, message in analyze(service, resource.typ, resource.inputs, name=resource.name,
                                                secret_outputs=resource.secret_outputs):
                found.append((resource.name, name, level, message))
    return found


def test_program_resources_break_no_mandatory_policy(run):
    assert [d for d in diagnostics(run) if d[2] == "MANDATORY"] == []


def test_program_resources_get_only_the_review_warnings_the_plan_gave(run):
    advisory = {(resource, policy) for resource, policy, level, _ in diagnostics(run) if level == "ADVISORY"}
    assert {policy for _, policy in advisory} == {"high-privilege-scope"}
    assert {resource for resource, _ in advisory} >= {
        "docs-publisher-gitlab-docs-ci-token",
        "release-config-sync-github-release-workflow-platform-config",
    }


def test_stricter_pack_config_blocks_the_program_tokens_beyond_it(run):
    blocked = {(resource, policy) for resource, policy, level, _ in diagnostics(run, STRICT) if level == "MANDATORY"}
    assert {policy for _, policy in blocked} == {"lifetime-exceeds-policy"}
    assert {resource for resource, _ in blocked} >= {
        "icr-gitlab-icr-jenkins-token",
        "docs-publisher-gitlab-docs-ci-token",
    }
