from scm_access.declarations.policy import Policy
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import PLAN_ONLY, Rule, Severity


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    if facts.requested_longest_lifetime:
        return [
            "the integration's guide asks for the longest possible expiry; capped at the policy maximum"
            f" of {policy.lifetime_ceiling(facts.kind)} days"
        ]
    return []


RULE = Rule(
    code="longest_lifetime_requested",
    description="A declaration that asks for the longest lifetime is capped at the policy maximum, visibly.",
    severity=Severity.WARNING,
    check=check,
    judges=PLAN_ONLY,
)
