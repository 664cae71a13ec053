"""Judges provisioned resources only: the plan sets an expiry on every kind that has one, so only a provider resource can lack it."""

from scm_access.declarations.policy import Policy
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import PROVISIONED_ONLY, Rule, Severity


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    if policy.require_expiry and facts.lifetime_days is None and facts.kind.spec.expires:
        # Keys and secretless identities have no expiry by design (their kind says so).
        return [f"{facts.kind.label} has no expiry date; the policy requires one"]
    return []


RULE = Rule(
    code="no_expiry",
    description="Every token has an expiry date when the policy requires one.",
    severity=Severity.ERROR,
    check=check,
    judges=PROVISIONED_ONLY,
)
