"""instructions.json written item by item is the same document the renderer returns whole."""

import io
import json
from datetime import date

from scm_access.declarations.loader import load_project
from scm_access.instruct.build import instructions_for
from scm_access.instruct.model import Holder, Instructions, ScopeLine, Section, Step
from scm_access.outputs.instructions import InstructionsView, JsonWriter, json_document, json_record
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


def awkward_section(**changes):
    """A section whose every text needs escaping somewhere (quotes, backslashes, controls, non-ASCII)."""
    holder = Holder(
        slot='c/github/Zoë "z"', name='Zoë "z"', login=None, email="z\\@acme.example", is_person=True,
        token_name="Intégration\t(c) scm-abcdefgh", creation_link=None, token_env_var="SCM_ACCESS_TOKEN__C",
        verify_command="scm-access verify c --holder 'Zoë \"z\"'",
    )
    values = dict(
        connection="c", integration="Intégration\n☃", platform="github", platform_name="GitHub",
        kind="github_classic_pat", kind_label="GitHub personal access token (classic)", title='A "title" \x1b[2J',
        host="https://git.example/é", expires_at=date(2027, 1, 31), lifetime_days=62,
        scopes=[ScopeLine(name="repo", label="Full control \u2028", group=""), ScopeLine(name="x", label="x")],
        steps=[Step(text="Open → **here**", link="https://x.example/?a=1&b=\"2\""), Step(text="Tick:", items=["`a`", "é"])],
        holders=[holder, holder._replace(slot="c/github/b", login="b", creation_link="https://l.example/?n=b+c")],
        prerequisites=["Be a member of \"ops\"."], notes=["Note \\ one", "☂"], section=Section.HANDOFF, expiry=None,
    )
    values.update(changes)
    return Instructions(**values)


def test_a_record_is_the_dump_of_the_section_whatever_its_texts_hold():
    for section in (awkward_section(), awkward_section(expiry="no expiry", steps=[], notes=[], scopes=[])):
        assert json_record(section) == json.dumps(section.to_dict())
