"""A rule: one small named check with its metadata beside its logic, and where it applies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from scm_access.declarations.policy import Policy
from scm_access.rules.facts import CredentialFacts

Check = Callable[[CredentialFacts, Policy], list[str]]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Violation(BaseModel):
    """A policy rule a slot or a resource breaks, with the rule's stable code."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str


class Stage(StrEnum):
    """What a rule judges."""

    PLAN = "plan"
    """A planned slot (`scm-access plan`, and the program before it provisions anything)."""
    PROVISIONED = "provisioned"
    """A provider resource, as the CrossGuard policy pack sees its inputs."""


PLAN_ONLY = frozenset({Stage.PLAN})
PROVISIONED_ONLY = frozenset({Stage.PROVISIONED})
PLAN_AND_PROVISIONED = frozenset({Stage.PLAN, Stage.PROVISIONED})


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    """Stable violation code, e.g. ``forbidden_scope``; also the name of the rule's module."""
    description: str
    severity: Severity
    check: Check
    judges: frozenset[Stage]
    """Where the rule applies. A rule that judges plans has a plan fixture where it fires (tests/rules)."""

    @property
    def name(self) -> str:
        """The CrossGuard policy name, derived from the code: ``forbidden_scope`` → ``forbidden-scope``."""
        return self.code.replace("_", "-")

    def applies_to(self, stage: Stage) -> bool:
        return stage in self.judges
