"""What a stack of scm-access made, read from `pulumi stack output --json`: the ledger's credential resources
by their provider ids, and nothing else of the file."""

from __future__ import annotations

import json

import pytest

from scm_access.inventory.stack_outputs import LEDGER_OUTPUT, StackOutputsError, resource_ids
from scm_access.provision import removals

SECRET = "glpat-stack-output-canary-DO-NOT-LEAK"
TOKEN_URN = ("urn:pulumi:prod::scm-access::scm-access:connection$gitlab:index/projectAccessToken:ProjectAccessToken"
             "::icr-jenkins-token")
MEMBER_URN = "urn:pulumi:prod::scm-access::scm-access:connection$gitlab:index/projectMembership:ProjectMembership::m"
KEY_URN = "urn:pulumi:prod::scm-access::github:index/repositoryDeployKey:RepositoryDeployKey::release-key"


def outputs(*ledger: dict, **more: object) -> str:
    return json.dumps({LEDGER_OUTPUT: list(ledger), **more})


def entry(slot: str, platform: str, ids: dict[str, str]) -> dict:
    return {"slot": slot, "platform": platform, "resources": list(ids), "ids": ids, "protected": True}


def test_the_ledger_output_is_the_one_the_stack_exports():
    assert LEDGER_OUTPUT == removals.LEDGER_OUTPUT


def test_a_credential_resource_is_known_by_the_last_part_of_its_provider_id():
    text = outputs(
        entry("icr/gitlab/icr-jenkins", "gitlab", {TOKEN_URN: "acme/icr:4711", MEMBER_URN: "acme/icr:99"}),
        entry("release/github/release-workflow", "github", {KEY_URN: "platform-config:23824728"}),
    )
    assert resource_ids(text) == {
        ("gitlab", "4711"): "icr/gitlab/icr-jenkins",  # the membership is not a credential
        ("github", "23824728"): "release/github/release-workflow",
    }


def test_outputs_read_with_show_secrets_are_read_the_same_and_their_secrets_not_at_all():
    text = outputs(entry("icr/gitlab/icr-jenkins", "gitlab", {TOKEN_URN: "acme/icr:4711"}),
                   credentials={"icr": {"icr-jenkins": {"token": SECRET}}})
    assert SECRET not in repr(resource_ids(text))


def test_a_platform_the_file_makes_up_is_not_looked_up():
    assert resource_ids(outputs(entry("x/y/z", "../../os", {TOKEN_URN: "p:1"}))) == {}


@pytest.mark.parametrize("text, says", [
    ("{not json " + SECRET, "not JSON (line 1, column 2)"),
    (json.dumps([SECRET]), "not the JSON object"),
    (json.dumps({"credentials": SECRET}), "no 'stack_credentials' output"),
    (json.dumps({LEDGER_OUTPUT: SECRET}), "is not a list"),
])
def test_a_file_that_is_not_a_stacks_outputs_is_refused_without_showing_its_content(text, says):
    with pytest.raises(StackOutputsError) as refused:
        resource_ids(text)
    assert says in str(refused.value) and SECRET not in str(refused.value)
