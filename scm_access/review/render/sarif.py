"""The review as SARIF 2.1.0, for GitHub code scanning (and any SARIF viewer).

One rule per policy rule and per kind of review finding, with stable ids and help text; each result sits at
the declaration's file and line, its fingerprint built from what it is about (rule, slot, scope) so that an
unrelated edit moving the line does not make it a new alert. Policy verdicts carry a baseline state (new or
unchanged since the base revision).
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import quote

from scm_access.review.model import Finding, Level, Location, Review

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/scm-access/scm-access"
# GitHub reads security-severity (0-10) to rank security results: high, medium, low.
_SECURITY_SEVERITY = {Level.ERROR: "7.5", Level.WARNING: "5.0", Level.NOTE: "2.0"}
_PROBLEM_SEVERITY = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "recommendation"}


def tool_version() -> str:
    try:
        return version("scm-access")
    except PackageNotFoundError:
        return "0.0.0"


def render_sarif(review: Review, category: str = "scm-access-review") -> str:
    rules = review.rules
    index = {rule.id: position for position, rule in enumerate(rules)}
    results = [_result(finding, index, review.policy_location) for finding in review.findings]
    tool_version_text = tool_version()
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "scm-access",
                        "informationUri": INFORMATION_URI,
                        "version": tool_version_text,
                        "semanticVersion": tool_version_text,
                        "rules": [
                            {
                                "id": rule.id,
                                "name": _pascal(rule.name),
                                "shortDescription": {"text": rule.description},
                                "fullDescription": {"text": rule.help[:1024]},
                                "help": {"text": rule.help, "markdown": rule.help},
                                "defaultConfiguration": {"level": str(rule.level)},
                                "properties": {
                                    "tags": ["security", "credentials", rule.id.split("/")[0]],
                                    "precision": "very-high",
                                    "problem.severity": _PROBLEM_SEVERITY[rule.level],
                                    "security-severity": _SECURITY_SEVERITY[rule.level],
                                },
                            }
                            for rule in rules
                        ],
                    }
                },
                "automationDetails": {"id": f"{category}/"},
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {
                    "base": review.base.model_dump(mode="json"),
                    "head": review.head.model_dump(mode="json"),
                    "changesAccess": review.changes_access,
                },
            }
        ],
    }
    # Compact: json only uses its fast encoder without indentation (10,000 results: 1.4 s → 0.2 s).
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def _result(finding: Finding, index: dict[str, int], fallback: Location) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": str(finding.level),
        "message": {"text": finding.message},
        "partialFingerprints": {"primaryLocationLineHash": finding.fingerprint},
        "properties": {"slot": finding.slot, "connection": finding.connection},
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.rule.startswith("policy/"):
        result["baselineState"] = finding.baseline
    location = finding.location if finding.location.file else fallback
    if location.file:
        # A URI reference (RFC 3986): a repository-relative path, percent-encoded.
        physical: dict[str, Any] = {"artifactLocation": {"uri": quote(location.file, safe="/")}}
        if location.line:
            physical["region"] = {"startLine": location.line}
        result["locations"] = [{"physicalLocation": physical}]
    return result


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))
