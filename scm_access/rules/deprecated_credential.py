from scm_access.declarations.policy import Policy
from scm_access.platforms import get_platform
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import PLAN_AND_PROVISIONED, Rule, Severity


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    messages = []
    if facts.kind.spec.retired:
        messages.append(facts.kind.spec.retired)
    catalog = get_platform(facts.platform).catalog
    for scope in catalog.sorted(facts.scopes):
        if scope in catalog and catalog[scope].deprecated:
            messages.append(f"scope {scope!r} is deprecated: {catalog[scope].deprecated}")
    return messages


RULE = Rule(
    code="deprecated_credential",
    description="No retired credential kind or deprecated scope is planned.",
    severity=Severity.ERROR,
    check=check,
    judges=PLAN_AND_PROVISIONED,
)
