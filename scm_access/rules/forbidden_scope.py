from scm_access.declarations.policy import Policy
from scm_access.platforms.registry import get_platform
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import PLAN_AND_PROVISIONED, Rule, Severity


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    forbidden = policy.forbidden(facts.platform)
    if not forbidden:
        return []
    catalog = get_platform(facts.platform).catalog
    known = [s for s in facts.scopes if s in catalog]
    # A forbidden scope is also granted by any scope that contains it, or might (an unconfirmed containment
    # counts here: the policy errs on the side of refusing).
    reached = catalog.reach(known, facts.kind) | set(facts.scopes)
    hits = sorted(forbidden & reached)
    if not hits:
        return []
    return [f"grants forbidden scope {', '.join(repr(h) for h in hits)}"]


RULE = Rule(
    code="forbidden_scope",
    description="No credential carries a scope the policy forbids, directly or through a containing scope.",
    severity=Severity.ERROR,
    check=check,
    judges=PLAN_AND_PROVISIONED,
)
