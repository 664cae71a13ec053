"""Credential policy rules, shared by `scm-access plan` and the CrossGuard policy pack.

One rule per module, the module named after the rule's code: generic rules here, platform-specific ones in
``scm_access/platforms/<platform>/rules/``. Rules are found, not listed: :func:`all_rules`.
"""

from scm_access.rules.facts import CredentialFacts
from scm_access.rules.registry import all_rules, rules_for
from scm_access.rules.rule import Rule, Severity, Stage, Violation

__all__ = ["CredentialFacts", "Rule", "Severity", "Stage", "Violation", "all_rules", "rules_for"]
