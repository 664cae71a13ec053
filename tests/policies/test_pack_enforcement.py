"""The pack as the engine drives it: enforcement levels, pack config, preview, and its shape."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path
from unittest import mock

import yaml
from pulumi.runtime import rpc

from policies.pack import BY_NAME, POLICIES, RULE_POLICIES
from scm_access.rules import Stage, rules_for
from tests.policies.policy_harness import analyze, servicer

ROOT = Path(__file__).resolve().parents[2]
GROUP_TOKEN = "gitlab:index/groupAccessToken:GroupAccessToken"
TOO_LONG = {"group": "acme", "name": "t", "scopes": ["api"], "accessLevel": "developer",
            "rotationConfiguration": {"expirationDays": 120, "rotateBeforeDays": 7}}


def levels(diagnostics):
    return {name: level for name, level, _ in diagnostics}


def test_pack_has_one_policy_per_rule_that_judges_provisioned_credentials():
    expected = [(r.name, r.description) for r in rules_for(Stage.PROVISIONED)]
    assert [(p.name, p.description) for p in RULE_POLICIES] == expected
    assert POLICIES == [*RULE_POLICIES, BY_NAME["declarations-valid"]]


def test_required_rules_are_in_the_pack():
    assert {
        "lifetime-exceeds-policy", "forbidden-scope", "rotation-not-configured",
        "access-level-above-need", "plaintext-secret",
    } <= set(BY_NAME)


def test_error_rules_are_mandatory_and_warnings_advisory_by_default():
    found = levels(analyze(servicer(), GROUP_TOKEN, TOO_LONG))
    assert found == {"lifetime-exceeds-policy": "MANDATORY", "high-privilege-scope": "ADVISORY"}


def test_pack_config_changes_a_policy_enforcement_level():
    service = servicer({"lifetime-exceeds-policy": {"enforcementLevel": "advisory"}})
    found = levels(analyze(service, GROUP_TOKEN, TOO_LONG))
    assert found["lifetime-exceeds-policy"] == "ADVISORY"


def test_pack_config_can_disable_a_policy():
    service = servicer({"high-privilege-scope": {"enforcementLevel": "disabled"}})
    found = levels(analyze(service, GROUP_TOKEN, TOO_LONG))
    assert "high-privilege-scope" not in found


def test_pack_config_policy_overrides_reach_the_rule():
    config = {"forbidden-scope": {"policy": {"forbidden_scopes": {"gitlab": ["api"]}}}}
    found = levels(analyze(servicer(config), GROUP_TOKEN, TOO_LONG))
    assert found["forbidden-scope"] == "MANDATORY"


def test_value_unknown_during_preview_is_advisory_not_a_failure():
    props = {**TOO_LONG, "rotationConfiguration": rpc.UNKNOWN}
    for name, level, message in analyze(servicer(), GROUP_TOKEN, props):
        if name == "lifetime-exceeds-policy":
            assert level == "ADVISORY" and "during preview" in message
            break
    else:
        raise AssertionError("no diagnostic for the unknown rotation configuration")


def test_main_only_builds_the_pack(monkeypatch):
    monkeypatch.setattr(sys, "path", list(sys.path))
    with mock.patch("pulumi_policy.PolicyPack") as pack:
        runpy.run_path(str(ROOT / "policies" / "__main__.py"), run_name="__main__")
    (call,) = pack.call_args_list
    assert call.kwargs["name"] == "scm-access"
    assert [p.name for p in call.kwargs["policies"]] == [p.name for p in POLICIES]


def test_importing_the_pack_reads_no_declarations():
    code = (
        "import sys; sys.path.insert(0, '.'); import policies.pack as p;"
        " assert not [m for m in sys.modules if m.startswith('scm_access_connections')];"
        " assert p.declared.cache_info().currsize == 0"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_policy_pack_project_file_is_a_python_pack():
    settings = yaml.safe_load((ROOT / "policies" / "PulumiPolicy.yaml").read_text())
    assert settings["runtime"]["name"] == "python" and settings["version"]
