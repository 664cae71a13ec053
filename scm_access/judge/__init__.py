"""Judge what was observed of a slot's credential: one pure function gives the finding, whoever looked
(the token in hand, the Pulumi provider, an inventory)."""

from scm_access.judge.finding import (
    STATUS_ORDER,
    Finding,
    ObservedFacts,
    Problem,
    ProblemCode,
    Status,
    status_for,
    worst_status,
)
from scm_access.judge.judge import finding_for, judge, missing_finding, nothing_found, undeclared_problems
from scm_access.judge.observation import Fact, HolderState, Observation, Source

__all__ = [
    "STATUS_ORDER",
    "Fact",
    "Finding",
    "HolderState",
    "Observation",
    "ObservedFacts",
    "Problem",
    "ProblemCode",
    "Source",
    "Status",
    "finding_for",
    "judge",
    "missing_finding",
    "nothing_found",
    "status_for",
    "undeclared_problems",
    "worst_status",
]
