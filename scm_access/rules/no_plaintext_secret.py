from scm_access.declarations.policy import Policy
from scm_access.plan.slot import Severity
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import Rule


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    return [f"input {name!r} holds plain text where a secret is expected" for name in facts.plaintext_secret_fields]


RULE = Rule(
    code="plaintext_secret",
    name="no-plaintext-secrets",
    description="Inputs that carry a credential are Pulumi secrets, never plain text.",
    severity=Severity.ERROR,
    check=check,
)
