from scm_access.declarations.policy import Policy
from scm_access.platforms.registry import get_platform
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import PLAN_AND_PROVISIONED, Rule, Severity


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    messages = []
    if facts.kind.spec.retired:
        messages.append(facts.kind.spec.retired)
    catalog = get_platform(facts.platform).catalog
    for scope in catalog.sorted(facts.scopes):
        deprecated = catalog[scope].deprecated if scope in catalog else None
        if deprecated is not None:
            since = f" (since {deprecated.since})" if deprecated.since else ""
            messages.append(f"scope {scope!r} is deprecated{since}: {deprecated.reason}")
    return messages


RULE = Rule(
    code="deprecated_credential",
    description="No retired credential kind or deprecated scope is planned.",
    severity=Severity.ERROR,
    check=check,
    judges=PLAN_AND_PROVISIONED,
)
