from scm_access.declarations.policy import Policy
from scm_access.plan.slot import Severity
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import Rule


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    if policy.require_expiry and facts.lifetime_days is None and facts.kind.spec.expires:
        # Keys and secretless identities have no expiry by design (their kind says so).
        return [f"{facts.kind.label} has no expiry date; the policy requires one"]
    return []


RULE = Rule(
    code="no_expiry",
    name="token-expiry-required",
    description="Every token has an expiry date when the policy requires one.",
    severity=Severity.ERROR,
    check=check,
)
