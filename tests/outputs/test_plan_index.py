"""The index of a plan --out folder links each personal token to its section on the connection's page;
plan.json written slot by slot is the document the renderer returns whole."""

import io

from scm_access.declarations import Connection, GitHubAccess, Policy
from scm_access.outputs import OutputFormat, render
from scm_access.outputs.plan import PlanView, json_document, write_json_document
from scm_access.plan.planner import Plan, plan
from scm_access.validate import validate


def one_slot_plan(today, holder="alice"):
    access = GitHubAccess(scopes=["repo"], org="acme", holder=["alice"])
    connection = Connection(name="demo", integration="Demo", owner="team", purpose="testing", access=[access])
    [slot] = plan(validate([connection], Policy()), Policy(), today).slots
    return Plan(slots=[slot.model_copy(update={"holder": holder})], today=today)


def test_markdown_index_links_to_the_slot_section(today):
    text = render("plan", OutputFormat.MARKDOWN, PlanView(one_slot_plan(today), pages={"demo": "demo.md"}))
    assert "[demo](<demo.md#demo/github/alice>)" in text


def test_markdown_index_percent_encodes_what_a_link_destination_cannot_hold(today):
    view = PlanView(one_slot_plan(today, holder="ana maria>"), pages={"demo": "demo.md"})
    assert "[demo](<demo.md#demo/github/ana%20maria%3E>)" in render("plan", OutputFormat.MARKDOWN, view)


def test_plan_json_written_slot_by_slot_is_the_compact_document(today):
    view = PlanView(one_slot_plan(today), policy_source="policies/credential_policy.py")
    file = io.StringIO()
    write_json_document(view, file)
    assert file.getvalue() == json_document(view, indent=None)
