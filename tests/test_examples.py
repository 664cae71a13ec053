"""The shipped examples in connections/ and policies/ are documentation a user copies: they plan, their
instructions render in every format the CLI offers, and the Pulumi program runs them under the mocks. Every
other test reads the tests' own project (tests/fixtures/project), so editing an example breaks only this."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scm_access.outputs import formats_for
from scm_access.declarations.loader import load_project
from scm_access.plan.planner import plan_project
from tests.provision.harness import ALL_CREDENTIALS, run_program

EXAMPLES = Path(__file__).resolve().parents[1]


def test_the_examples_plan_render_in_every_format_and_run_under_the_mocks(today, tmp_path):
    project = load_project(EXAMPLES)
    declared = {c.name for c in project.connections}
    slots = plan_project(project, today).slots
    assert declared and {s.connection for s in slots} == declared

    formats = [f.value for f in formats_for("instructions")]
    assert {"terminal", "markdown", "json", "html"} <= set(formats)
    for format in formats:
        shown = subprocess.run(
            [sys.executable, "-m", "scm_access", "instructions", "--format", format, "--today", today.isoformat(),
             "--project", str(EXAMPLES)],
            capture_output=True, text=True, timeout=120,
        )
        assert shown.returncode == 0 and shown.stdout.strip(), (format, shown.stderr)
        assert "Traceback" not in shown.stderr

    run = run_program(ALL_CREDENTIALS, config={"declarations": str(EXAMPLES)})
    assert run.value("summary")["connections"] == len(declared)
    assert run.warnings == []
    for name in declared:
        assert run.value(name)["instructions"]
