"""The review as JUnit XML: one test case per slot, failed when the change brings the slot a finding at or
above the threshold, skipped when the slot is removed. Valid against the Apache Ant JUnit schema."""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from scm_access.review.model import Finding, Level, Review
from scm_access.review.summary import verdict_line


def render_junit(review: Review, threshold: Level | None = Level.ERROR) -> str:
    failing = defaultdict(list)
    for finding in review.failing(threshold):
        if finding.slot is not None:
            failing[finding.slot].append(finding)
    new_by_slot: dict[str, list[Finding]] = defaultdict(list)
    for finding in review.findings:
        if finding.slot is not None and finding.baseline == "new":
            new_by_slot[finding.slot].append(finding)
    slots = sorted(review.slots, key=lambda s: s.key)
    suites = ET.Element("testsuites")
    suite = ET.SubElement(
        suites,
        "testsuite",
        {
            "name": "scm-access review",
            "package": "scm-access",
            "id": "0",
            "timestamp": f"{review.today}T00:00:00",
            "hostname": "localhost",
            "tests": str(len(slots)),
            "failures": str(sum(1 for s in slots if failing.get(s.key))),
            "errors": "0",
            "skipped": str(sum(1 for s in slots if s.removed)),
            "time": "0",
        },
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", {"name": "base", "value": review.base.label})
    ET.SubElement(properties, "property", {"name": "head", "value": review.head.label})
    for slot in slots:
        case = ET.SubElement(suite, "testcase", {"name": slot.key, "classname": slot.connection, "time": "0"})
        if slot.removed:
            ET.SubElement(case, "skipped", {"message": f"no longer declared ({slot.kind})"})
        elif failing.get(slot.key):
            findings = failing[slot.key]
            failure = ET.SubElement(
                case, "failure", {"message": findings[0].message, "type": findings[0].rule}
            )
            failure.text = "\n".join(f"{f.level}: {f.rule}: {f.message}" for f in new_by_slot[slot.key])
    ET.SubElement(suite, "system-out").text = verdict_line(review, threshold)
    ET.SubElement(suite, "system-err").text = ""
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
