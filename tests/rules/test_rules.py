"""Each credential rule, with a passing and a failing case."""

import pytest

from scm_access.declarations import CredentialKind, Platform, Policy
from scm_access.rules import (
    ALL_RULES,
    CredentialFacts,
    access_level_within_need,
    classic_pat_disallowed,
    deprecated_credential,
    expiry_required,
    forbidden_scope,
    high_privilege_scope,
    lifetime_within_policy,
    longest_lifetime_requested,
    no_plaintext_secret,
    org_managed_available,
    rotation_configured,
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
    lifetime_within_policy: (dict(**CLASSIC, lifetime_days=90), dict(**CLASSIC, lifetime_days=91)),
    expiry_required: (dict(**CLASSIC, lifetime_days=30), dict(**CLASSIC, lifetime_days=None)),
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
    rotation_configured: (dict(**GROUP_TOKEN, rotation_days=7), dict(**GROUP_TOKEN, rotation_days=None)),
    access_level_within_need: (
        dict(**GROUP_TOKEN, access_level="reporter", declared_access_level="reporter"),
        dict(**GROUP_TOKEN, access_level="maintainer", declared_access_level="reporter"),
    ),
    no_plaintext_secret: (dict(**CLASSIC), dict(**CLASSIC, plaintext_secret_fields=("personalAccessToken",))),
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
    assert {m.RULE for m in CASES} == set(ALL_RULES)


def test_rule_codes_and_names_are_unique():
    assert len({r.code for r in ALL_RULES}) == len({r.name for r in ALL_RULES}) == len(ALL_RULES)
