"""Judges provisioned resources only: a plan holds no secret values; only a provider resource's inputs can hold one in plain text."""

from scm_access.declarations.policy import Policy
from scm_access.rules.facts import CredentialFacts
from scm_access.rules.rule import PROVISIONED_ONLY, Rule, Severity


def check(facts: CredentialFacts, policy: Policy) -> list[str]:
    return [f"input {name!r} holds plain text where a secret is expected" for name in facts.plaintext_secret_fields]


RULE = Rule(
    code="plaintext_secret",
    description="Inputs that carry a credential are Pulumi secrets, never plain text.",
    severity=Severity.ERROR,
    check=check,
    judges=PROVISIONED_ONLY,
)
