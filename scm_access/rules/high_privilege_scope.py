from scm_access.declarations.policy import Policy
from scm_access.platforms.registry import get_platform
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import PLAN_AND_PROVISIONED, Rule, Severity


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    catalog = get_platform(facts.platform).catalog
    risky = [s for s in catalog.sorted(facts.scopes) if s in catalog and catalog[s].high_privilege]
    if not risky:
        return []
    labels = ", ".join(s if catalog.label(s) == s else f"{s} ({catalog.label(s)})" for s in risky)
    return [f"high-privilege scope requested: {labels}; confirm the integration needs it"]


RULE = Rule(
    code="high_privilege_scope",
    description="Scopes the platform flags as high-privilege are called out for review.",
    severity=Severity.WARNING,
    check=check,
    judges=PLAN_AND_PROVISIONED,
)
