"""Credential policy rules: one small named rule per module, shared by `scm-access plan` and the
CrossGuard policy pack."""

from scm_access.rules import (
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
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import Rule

ALL_RULES: tuple[Rule, ...] = (
    lifetime_within_policy.RULE,
    expiry_required.RULE,
    forbidden_scope.RULE,
    classic_pat_disallowed.RULE,
    deprecated_credential.RULE,
    rotation_configured.RULE,
    access_level_within_need.RULE,
    no_plaintext_secret.RULE,
    high_privilege_scope.RULE,
    longest_lifetime_requested.RULE,
    org_managed_available.RULE,
)

__all__ = ["ALL_RULES", "CredentialFacts", "Rule"]
