from scm_access.declarations.policy import Policy
from scm_access.plan.slot import Severity
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import Rule


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    if facts.requested_longest_lifetime:
        return [
            "the integration's guide asks for the longest possible expiry; capped at the policy maximum"
            f" of {policy.lifetime_ceiling(facts.kind)} days"
        ]
    return []


RULE = Rule(
    code="longest_lifetime_requested",
    name="longest-lifetime-requested",
    description="A declaration that asks for the longest lifetime is capped at the policy maximum, visibly.",
    severity=Severity.WARNING,
    check=check,
    applies_to_provisioned=False,
)
