from scm_access.declarations.policy import Policy
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import PLAN_ONLY, Rule, Severity


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    if policy.prefer_org_managed and facts.holder_is_person and facts.org_managed_alternative:
        return [
            f"personal tokens where {facts.org_managed_alternative} would do; declare a service identity"
            " as holder if the integration accepts it"
        ]
    return []


RULE = Rule(
    code="org_managed_available",
    description="Personal tokens are flagged where the platform could mint an org-managed equivalent.",
    severity=Severity.WARNING,
    check=check,
    judges=PLAN_ONLY,
)
