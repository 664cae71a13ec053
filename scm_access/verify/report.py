"""The exit code of a verification. How findings are shown lives with the other output formats
(:mod:`scm_access.outputs.findings`)."""

from __future__ import annotations

from collections.abc import Sequence

from scm_access.errors import ExitCode
from scm_access.judge import Finding, Status, worst_status

EXIT_CODES = {
    Status.ACTION_REQUIRED: ExitCode.ACTION_REQUIRED,
    Status.UNKNOWN: ExitCode.UNKNOWN,
    Status.PARTIALLY_VERIFIED: ExitCode.PARTIALLY_VERIFIED,
    Status.OK: ExitCode.OK,
}


def exit_code_for(findings: Sequence[Finding]) -> ExitCode:
    """The exit code of the status that decides (the judge's order: a certain problem first, then a fact not
    seen); missing is no verdict: with nothing else, 0."""
    decisive = worst_status(f.status for f in findings)
    return EXIT_CODES[decisive] if decisive is not None else ExitCode.OK
