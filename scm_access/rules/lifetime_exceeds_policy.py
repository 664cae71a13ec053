from scm_access.declarations.policy import Policy
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import PLAN_AND_PROVISIONED, Rule, Severity


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    ceiling = policy.lifetime_ceiling(facts.kind)
    if facts.lifetime_days is not None and facts.lifetime_days > ceiling:
        return [
            f"lifetime of {facts.lifetime_days} days exceeds the policy maximum of {ceiling} days"
            f" for {facts.kind.label}"
        ]
    return []


RULE = Rule(
    code="lifetime_exceeds_policy",
    description="A credential's lifetime stays within the policy maximum for its kind.",
    severity=Severity.ERROR,
    check=check,
    judges=PLAN_AND_PROVISIONED,
)
