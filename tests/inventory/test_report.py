"""The report of one inventory run, as every output reads it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.inventory.model import FoundCredential
from scm_access.inventory.report import (
    PROBLEM_DOCUMENT_FIELDS,
    InventoryReport,
    UndeclaredCredential,
    problem_document,
)
from scm_access.judge import Problem, ProblemCode
from scm_access.judge.finding import RemediationStep


def test_a_report_spells_out_its_counts_not_its_contents():
    # asyncio builds the repr of a run's result (restoring its interrupt handler): a large report spelt out
    # whole took seconds.
    found = FoundCredential(
        platform=Platform.GITLAB, source="personal_access_tokens", id="1", kind=CredentialKind.GITLAB_PAT,
        kind_label="personal access token",
    )
    report = InventoryReport(
        date=datetime(2026, 11, 23, 12, tzinfo=UTC), stale_days=90,
        undeclared=[UndeclaredCredential(found, ()) for _ in range(5_000)],
    )
    assert repr(report) == "InventoryReport(date=2026-11-23T12:00:00Z, 0 sources, 0 findings, 5000 undeclared)"


SHARED_STEP = RemediationStep(text="Revoke it.", link="https://example.test/revoke", items=["a", "b"], numbered=False)
PROBLEMS = [
    Problem(code=ProblemCode.UNDECLARED_CREDENTIAL, detail="no declaration accounts for it", remediation=[SHARED_STEP]),
    Problem(code=ProblemCode.STALE, detail="last used long ago"),
    Problem(code=ProblemCode.EXPIRED, detail="it expired", remediation=["Make a new one.", SHARED_STEP]),
]


def test_each_problem_of_an_undeclared_credential_is_documented_as_pydantic_dumps_it():
    assert tuple(Problem.model_fields) == PROBLEM_DOCUMENT_FIELDS
    steps: dict = {}
    documents = [problem_document(problem, steps) for problem in PROBLEMS * 2]
    assert documents == [problem.model_dump(mode="json") for problem in PROBLEMS * 2]
    documents[0]["remediation"][0]["items"].append("changed by a reader")
    assert problem_document(PROBLEMS[0], steps) == PROBLEMS[0].model_dump(mode="json")


def test_moments_are_documented_in_utc_with_a_z():
    found = FoundCredential(
        platform=Platform.GITLAB, source="personal_access_tokens", id="1", kind=CredentialKind.GITLAB_PAT,
        kind_label="personal access token", expires_at=datetime(2026, 12, 31, tzinfo=UTC),
        last_used_at=datetime(2026, 11, 23, 13, 30, tzinfo=timezone(timedelta(hours=2))),
    )
    document = UndeclaredCredential(found, ()).document()
    assert (document["expires_at"], document["last_used_at"]) == ("2026-12-31T00:00:00Z", "2026-11-23T11:30:00Z")
