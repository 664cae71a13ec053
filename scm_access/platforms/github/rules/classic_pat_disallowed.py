from scm_access.core.kinds import CredentialKind
from scm_access.declarations.policy import Policy
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import PLAN_ONLY, Rule, Severity


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    if facts.kind == CredentialKind.GITHUB_CLASSIC_PAT and not policy.allow_classic_pats:
        return [
            "the policy does not allow GitHub personal access tokens (classic); use a fine-grained token"
            " if the integration accepts one"
        ]
    return []


RULE = Rule(
    code="classic_pat_disallowed",
    description="GitHub personal access tokens (classic) are used only where the policy allows them.",
    severity=Severity.ERROR,
    check=check,
    judges=PLAN_ONLY,
)
