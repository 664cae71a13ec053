from scm_access.declarations.policy import Policy
from scm_access.platforms.gitlab.scopes import ROLE_RANK
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import PLAN_AND_PROVISIONED, Rule, Severity


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    granted, needed = facts.access_level, facts.declared_access_level
    if granted is None or needed is None:
        return []
    if ROLE_RANK.get(granted, 100) > ROLE_RANK.get(needed, 100):
        return [f"access level {granted!r} is above the declared need {needed!r}"]
    return []


RULE = Rule(
    code="access_level_above_need",
    description="A token's role is not above what the declaration needs.",
    severity=Severity.ERROR,
    check=check,
    judges=PLAN_AND_PROVISIONED,
)
