"""instructions.json written item by item is the same document the renderer returns whole."""

import io

from scm_access.declarations.loader import load_project
from scm_access.instruct.build import instructions_for
from scm_access.outputs.instructions import InstructionsView, JsonWriter, json_document
from scm_access.plan.planner import plan_project


def test_written_in_parts_it_is_the_compact_document(fixture_project, today):
    items = instructions_for(plan_project(load_project(fixture_project), today).slots)
    file = io.StringIO()
    writer = JsonWriter(file)
    writer.write(items[:2])
    writer.write(items[2:])
    writer.close()
    assert len(items) > 2
    assert file.getvalue() == json_document(InstructionsView(items), indent=None)


def test_nothing_written_is_an_empty_list():
    file = io.StringIO()
    JsonWriter(file).close()
    assert file.getvalue() == json_document(InstructionsView([]), indent=None) == "[]"
