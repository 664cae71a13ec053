"""Each credential rule, with a passing and a failing case."""

import pytest

from scm_access.declarations import CredentialKind, Platform, Policy
from scm_access.platforms.github.rules import classic_pat_disallowed
from scm_access.platforms.gitlab.rules import access_level_above_need
from scm_access.rules import (
    CredentialFacts,
    Stage,
    all_rules,
    deprecated_credential,
    forbidden_scope,
    high_privilege_scope,
    lifetime_exceeds_policy,
    longest_lifetime_requested,
    no_expiry,
    org_managed_available,
    plaintext_secret,
    rotation_not_configured,
)

POLICY = Policy(
    default_max_lifetime_days=90,
    forbidden_scopes={Platform.GITLAB: ["read_api"]},
    allow_classic_pats=False,
)
GROUP_TOKEN = dict(platform=Platform.GITLAB, kind=CredentialKind.GITLAB_GROUP_ACCESS_TOKEN, holder_is_person=False)
CLASSIC = dict(platform=Platform.GITHUB, kind=CredentialKind.GITHUB_CLASSIC_PAT)

CASES = {
    # rule module: (facts that pass, facts that fail)
    lifetime_exceeds_policy: (dict(**CLASSIC, lifetime_days=90), dict(**CLASSIC, lifetime_days=91)),
    no_expiry: (dict(**CLASSIC, lifetime_days=30), dict(**CLASSIC, lifetime_days=None)),
    forbidden_scope: (
        dict(**GROUP_TOKEN, scopes=frozenset({"read_repository"})),
        dict(**GROUP_TOKEN, scopes=frozenset({"api"})),  # api contains the forbidden read_api
    ),
    classic_pat_disallowed: (
        dict(platform=Platform.GITHUB, kind=CredentialKind.GITHUB_FINE_GRAINED_PAT),
        dict(**CLASSIC),
    ),
    deprecated_credential: (
        dict(platform=Platform.BITBUCKET, kind=CredentialKind.BITBUCKET_API_TOKEN),
        dict(platform=Platform.BITBUCKET, kind=CredentialKind.BITBUCKET_APP_PASSWORD),
    ),
    rotation_not_configured: (dict(**GROUP_TOKEN, rotation_days=7), dict(**GROUP_TOKEN, rotation_days=None)),
    access_level_above_need: (
        dict(**GROUP_TOKEN, access_level="reporter", declared_access_level="reporter"),
        dict(**GROUP_TOKEN, access_level="maintainer", declared_access_level="reporter"),
    ),
    plaintext_secret: (dict(**CLASSIC), dict(**CLASSIC, plaintext_secret_fields=("personalAccessToken",))),
    high_privilege_scope: (
        dict(platform=Platform.AZURE_DEVOPS, kind=CredentialKind.AZURE_DEVOPS_PAT, scopes=frozenset({"vso.work"})),
        dict(platform=Platform.AZURE_DEVOPS, kind=CredentialKind.AZURE_DEVOPS_PAT, scopes=frozenset({"vso.code_write"})),
    ),
    longest_lifetime_requested: (dict(**CLASSIC), dict(**CLASSIC, requested_longest_lifetime=True)),
    org_managed_available: (
        dict(**CLASSIC, org_managed_alternative=None),
        dict(**CLASSIC, org_managed_alternative="GitLab group access token"),
    ),
}


@pytest.mark.parametrize("module", CASES, ids=lambda m: m.RULE.name)
def test_rule_passes_compliant_facts(module):
    passing, _ = CASES[module]
    assert module.RULE.check(CredentialFacts(**passing), POLICY) == []


@pytest.mark.parametrize("module", CASES, ids=lambda m: m.RULE.name)
def test_rule_reports_a_violation(module):
    _, failing = CASES[module]
    assert len(module.RULE.check(CredentialFacts(**failing), POLICY)) == 1


def test_every_rule_is_tested():
    assert {m.RULE for m in CASES} == set(all_rules())


def test_one_name_per_rule_its_module_is_its_code_and_the_crossguard_name_is_derived():
    for module in CASES:
        rule = module.RULE
        assert module.__name__.rsplit(".", 1)[-1] == rule.code
        assert rule.name == rule.code.replace("_", "-")
    assert len({r.code for r in all_rules()}) == len(all_rules())


def test_every_rule_says_where_it_applies():
    for rule in all_rules():
        assert rule.judges and rule.judges <= {Stage.PLAN, Stage.PROVISIONED}


def test_platform_rules_live_in_their_platform_folder():
    assert classic_pat_disallowed.__name__.startswith("scm_access.platforms.github.rules.")
    assert access_level_above_need.__name__.startswith("scm_access.platforms.gitlab.rules.")
