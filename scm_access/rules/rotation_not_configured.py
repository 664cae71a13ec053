"""Judges provisioned resources only: the plan sets rotation on every provisioned slot, so only a provider resource can lack it."""

from scm_access.declarations.policy import Policy
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import PROVISIONED_ONLY, Rule, Severity


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    if facts.kind.spec.rotates and not facts.holder_is_person and facts.rotation_days is None:
        return [f"{facts.kind.label} has no rotation configured; set rotate_before_days"]
    return []


RULE = Rule(
    code="rotation_not_configured",
    description="Provisioned GitLab tokens rotate before they expire.",
    severity=Severity.ERROR,
    check=check,
    judges=PROVISIONED_ONLY,
)
