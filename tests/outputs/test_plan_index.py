"""The index of a plan --out folder links each personal token to its section on the connection's page;
plan.json written slot by slot is the document the renderer returns whole."""

import io
import json
import re

from scm_access.declarations import (
    Connection,
    GitHubAccess,
    GitLabAccess,
    IntegrationField,
    Person,
    Policy,
    SamlSsoAuthorization,
    ServiceIdentity,
)
from scm_access.outputs import OutputFormat, render
from scm_access.outputs.plan import PlanView, json_document, slot_json_texts, write_json_document
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


def many_holders_plan(today):
    people = [
        Person(name="ana", login="ana-gh", email="ana@example.com"),
        Person(name="bruna", login="br\u00fana \"b\"", email="br\u00fana\u2192@ex\u00e4mple.com"),
        Person(name="carla"),
    ]
    connections = [
        Connection(name="demo", integration="Demo \u2192 \"quoted\"", owner="team", purpose="testing",
                   access=[GitHubAccess(scopes=["repo"], org="acme", holder=people),
                           GitLabAccess(scopes=["api"], group="acme", holder=people[1:])]),
        Connection(name="bot", integration="Bot", owner="team", purpose="automation",
                   access=[GitLabAccess(scopes=["read_api"], group="acme", holder=ServiceIdentity(service="ci"))]),
    ]
    return plan(validate(connections, Policy()), Policy(), today)


def test_each_slots_json_text_is_its_summary_encoded(today):
    slots = many_holders_plan(today).slots
    assert len({s.strategy for s in slots}) == 2  # personal tokens (with a token variable) and provisioned
    assert list(slot_json_texts(slots)) == [json.dumps(slot.summary()) for slot in slots]


def test_plan_json_of_many_holders_is_the_compact_document(today):
    view = PlanView(many_holders_plan(today))
    file = io.StringIO()
    write_json_document(view, file)
    assert file.getvalue() == json_document(view, indent=None)


def test_declarations_sharing_values_are_each_encoded_as_their_own(today):
    # Declarations one after another that share most values (scopes, a delivery, a date, a lifetime) and differ
    # in a few (a kind, an expiry, a prerequisite, text): no slot is written with another declaration's values.
    delivery = IntegrationField(location="Settings \u2192 Tokens", field="Token \"main\"")
    connections = [
        Connection(name=f"c-{n}", integration=f"Integration {n} \u00e4", owner="team", purpose=purpose,
                   access=[GitHubAccess(scopes=scopes, org="acme", holder=["ana", "bruna"], delivery=delivery,
                                        max_lifetime_days=lifetime, prerequisites=prerequisites)])
        for n, (scopes, lifetime, purpose, prerequisites) in enumerate([
            (["repo"], 90, "testing", [SamlSsoAuthorization(org="acme")]),
            (["repo"], 90, "testing", [SamlSsoAuthorization(org="acme")]),
            (["metadata:read"], 30, "tab\there, 100% %s", []),
            (["repo"], 60, "testing", [SamlSsoAuthorization(org="other")]),
            (["repo"], "longest", "testing", []),
            (["metadata:read", "contents:read"], 30, "testing", [SamlSsoAuthorization(org="acme")]),
        ])
    ]
    slots = plan(validate(connections, Policy()), Policy(), today).slots
    assert len({s.kind for s in slots}) == 2 and len({s.expires_at for s in slots}) == 3
    assert list(slot_json_texts(slots)) == [json.dumps(slot.summary()) for slot in slots]


def test_a_slot_built_with_the_values_of_another_declaration_is_encoded_as_its_own(today):
    slots = many_holders_plan(today).slots
    # A copy shares every value of its original but two: it is not one of the original's holders.
    odd = slots[0].model_copy(update={"guide": "https://guide.example/\u2192", "role": "developer"})
    mixed = [slots[0], odd, *slots[1:]]
    assert list(slot_json_texts(mixed)) == [json.dumps(slot.summary()) for slot in mixed]


def test_a_declaration_whose_text_holds_the_template_mark_is_encoded_all_the_same(today):
    from scm_access.outputs.plan import _MARK

    access = GitHubAccess(scopes=["repo"], org="acme", holder=["ana", "bruna"])
    connection = Connection(name="demo", integration="Demo", owner="team", purpose=f"odd {_MARK} text", access=[access])
    slots = plan(validate([connection], Policy()), Policy(), today).slots
    assert list(slot_json_texts(slots)) == [json.dumps(slot.summary()) for slot in slots]


def test_slots_of_declarations_in_any_order_are_each_encoded_as_their_own(today):
    slots = many_holders_plan(today).slots
    shuffled = slots[::2] + slots[1::2]
    assert list(slot_json_texts(shuffled)) == [json.dumps(slot.summary()) for slot in shuffled]


ROWS = {
    OutputFormat.MARKDOWN: re.compile(r"^(?:\| (?!Connection \|)|- `).*$", re.M),  # the rows, the violations' lines
    OutputFormat.HTML: re.compile(r"<tr><td>.*?</tr>"),
}


def index_rows(view, format):
    return ROWS[format].findall(render("plan", format, view))


def test_each_index_row_is_the_row_of_its_slot_alone_in_any_order(today):
    slots = many_holders_plan(today).slots
    shuffled = slots[::2] + slots[1::2]
    for format, pages in [(f, p) for f in ROWS for p in ({"demo": "demo.md", "bot": "bot.md"}, {"bot": "bot.md"})]:
        rows = index_rows(PlanView(Plan(slots=shuffled, today=today), pages=pages), format)
        alone = [index_rows(PlanView(Plan(slots=[s], today=today), pages=pages), format) for s in shuffled]
        if format == OutputFormat.MARKDOWN:  # every row first, then every violation
            alone = [[one[0] for one in alone] + [line for one in alone for line in one[1:]]]
        assert rows == [line for one in alone for line in one] and len(set(rows)) == len(rows)


def test_problem_lines_group_each_violation_by_declaration_whatever_the_order(today):
    from scm_access.outputs.plan import ProblemLine, problem_lines

    slots = many_holders_plan(today).slots
    shuffled = slots[::2] + slots[1::2]
    expected: dict[tuple, list[str]] = {}
    for slot in shuffled:
        for v in slot.violations:
            expected.setdefault((slot.connection, slot.platform.value, v.severity, v.code, v.message), []).append(slot.holder)
    lines = problem_lines(shuffled)
    assert lines == [ProblemLine(*key, holders=tuple(holders)) for key, holders in expected.items()]
    assert any(len(line.holders) > 1 for line in lines)


def test_plan_json_written_in_batches_is_the_compact_document(today, monkeypatch):
    import scm_access.outputs.plan as plan_output

    view = PlanView(many_holders_plan(today), policy_source="policies/credential_policy.py")
    for batch in (1, 2, 4, 100):
        monkeypatch.setattr(plan_output, "_BATCH", batch)
        file = io.StringIO()
        write_json_document(view, file)
        assert file.getvalue() == json_document(view, indent=None), batch


def shapes_plan(today):
    """Declarations of a few shapes, several of each (their rows end alike), under several connections."""
    store = IntegrationField(location="Settings", field="Token")
    connections = [
        Connection(name=f"c-{n}", integration=f"C{n}", owner="team", purpose="testing", access=[
            GitHubAccess(scopes=["repo", "workflow"] if n % 2 else ["metadata:read"], org="acme",
                         holder=["ana", f"dev-{n}"], delivery=store),
            GitLabAccess(scopes=["api"], group="acme", holder=ServiceIdentity(service=f"bot-{n}")),
        ])
        for n in range(6)
    ]
    return plan(validate(connections, Policy(forbidden_scopes={"github": ["workflow"]})), Policy(), today)


def rebuilt(result):
    """The plan with each slot validated anew: no list shared between slots, every row rendered on its own."""
    from scm_access.plan.slot import Slot

    return Plan(slots=[Slot(**{name: getattr(s, name) for name in Slot.model_fields}) for s in result.slots],
                today=result.today)


def test_rows_rendered_once_per_shape_equal_rows_rendered_for_each_declaration(today):
    result = shapes_plan(today)
    again = rebuilt(result)
    assert result.slots[0].scopes is result.slots[6].scopes and again.slots[0].scopes is not again.slots[6].scopes
    pages = {f"c-{n}": f"page-{n}.md" for n in range(0, 6, 2)}  # some rows link to a page, some do not
    for format in (OutputFormat.MARKDOWN, OutputFormat.HTML):
        assert render("plan", format, PlanView(result, pages=pages)) == render("plan", format, PlanView(again, pages=pages))
