from scm_access.declarations.kinds import CredentialKind
from scm_access.declarations.policy import Policy
from scm_access.plan.slot import Severity
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import Rule

# Keys are not tokens: they carry no expiry on any platform, and their lifetime is managed by rotation.
_NEVER_EXPIRING_BY_DESIGN = frozenset(
    {CredentialKind.GITHUB_DEPLOY_KEY, CredentialKind.AZURE_DEVOPS_SERVICE_PRINCIPAL,
     CredentialKind.AZURE_DEVOPS_SERVICE_CONNECTION}
)


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    if policy.require_expiry and facts.lifetime_days is None and facts.kind not in _NEVER_EXPIRING_BY_DESIGN:
        return [f"{facts.kind.label} has no expiry date; the policy requires one"]
    return []


RULE = Rule(
    code="no_expiry",
    name="token-expiry-required",
    description="Every token has an expiry date when the policy requires one.",
    severity=Severity.ERROR,
    check=check,
)
