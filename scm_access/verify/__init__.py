"""Verify tokens in hand against their slots: findings with stable problem codes and remediation.

See :mod:`scm_access.verify.context` for the interface each platform's verifier implements.
"""

from scm_access.judge import Finding, Observation, ObservedFacts, Problem, ProblemCode, Status, status_for
from scm_access.verify.context import VerifyContext, conclude
from scm_access.verify.runner import SlotToken, verifier_for, verify_all, verify_slot
from scm_access.verify.token import TOKEN_ENV_VAR, NoTokenError, Token, read_token, token_from_env

__all__ = [
    "TOKEN_ENV_VAR",
    "Finding",
    "NoTokenError",
    "ObservedFacts",
    "Observation",
    "Problem",
    "ProblemCode",
    "SlotToken",
    "Status",
    "Token",
    "VerifyContext",
    "conclude",
    "read_token",
    "status_for",
    "token_from_env",
    "verifier_for",
    "verify_all",
    "verify_slot",
]
