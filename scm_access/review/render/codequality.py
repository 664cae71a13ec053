"""The review as a GitLab Code Quality report: a JSON array of issues (GitLab's required fields only).

GitLab shows the issues in the merge request widget and compares them with the target branch's report by
fingerprint, so fingerprints come from what an issue is about, never from its line.
"""

from __future__ import annotations

import json

from scm_access.review.model import Level, Review

SEVERITY = {Level.ERROR: "critical", Level.WARNING: "major", Level.NOTE: "info"}


def render_codequality(review: Review) -> str:
    issues = []
    for finding in review.findings:
        location = finding.location if finding.location.file else review.policy_location
        if not location.file:
            continue  # GitLab refuses an issue without a path; the JSON report keeps it
        issues.append(
            {
                "description": finding.message,
                "check_name": finding.rule,
                "fingerprint": finding.fingerprint,
                "severity": SEVERITY[finding.level],
                "location": {"path": location.file.removeprefix("./"), "lines": {"begin": location.line or 1}},
            }
        )
    # ensure_ascii keeps the file plain ASCII: no byte-order mark, nothing an old parser trips on.
    return json.dumps(issues, indent=2) + "\n"
