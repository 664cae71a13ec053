"""A declaration's section in every format: the shared parts and steps once, a row per holder with their
own anchor, account, token name, pre-filled link, variable and verify command."""

import io
import json
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from scm_access.declarations import AzureDevOpsAccess, Connection, GitHubAccess, Person, Policy
from scm_access.instruct.build import sections_for
from scm_access.outputs import OutputFormat, render
from scm_access.outputs.instructions import InstructionsView, JsonWriter, json_document
from scm_access.plan.planner import plan
from scm_access.plan.slot import slot_tag
from scm_access.validate import validate

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def page():
    connection = Connection(
        name="demo", integration="Demo <b>", owner="o", purpose="p",
        access=[
            GitHubAccess(scopes=["repo"], org="acme", holder=[
                Person(name="alice", login="alice-a", email="alice@acme.example"), Person(name="bob"),
                Person(name="carol"),
            ]),
            AzureDevOpsAccess(organization="acme", scopes=["Code: Read"], holder=[Person(name="dan")]),
        ],
    )
    slots = plan(validate([connection], Policy()), Policy(), TODAY).slots
    items = sections_for(slots, rotate_before_days=14, today=TODAY, project="/srv/project")
    return InstructionsView(items, title="Demo: credentials")


def github(page):
    return page.items[0]


def test_markdown_writes_the_steps_once_and_a_row_per_holder(page):
    markdown = render("instructions", OutputFormat.MARKDOWN, page)
    assert markdown.startswith('## <a id="demo/github/alice/holders"></a>Demo \\<b\\> on GitHub')
    shared = markdown.split("\n## ")[0]
    assert shared.count("In **Note**") == 1 and shared.count("**Steps**") == 1
    for holder in github(page).holders:
        [row] = [line for line in shared.splitlines() if line.startswith(f'| <a id="{holder.slot}"></a>')]
        assert f"`{holder.token_name}`" in row and slot_tag(holder.slot) in row
        assert f"(<{holder.creation_link}>)" in row
        assert f"`{holder.token_env_var}`" in row and f"`{holder.verify_command}`" in row
    assert "| `alice-a` (`alice@acme.example`) |" in shared and "| your own account |" in shared


def test_markdown_table_is_a_table_of_one_row_per_holder(page):
    markdown = render("instructions", OutputFormat.MARKDOWN, page)
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 1 + 3  # the header, then alice, bob, carol (dan's section has no table)


def test_a_one_holder_section_keeps_its_own_values_in_the_facts_and_steps(page):
    markdown = render("instructions", OutputFormat.MARKDOWN, page)
    single = markdown.split("\n## ")[1]
    dan = page.items[1].holders[0]
    assert single.startswith(f'<a id="{dan.slot}"></a>') and "**Holders**" not in single
    assert f"- **Token name:** `{dan.token_name}`" in single and f"   - `{dan.verify_command}`" in single


class Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, str] = {}
        self.ids: list[str] = []
        self._row: str | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if "id" in found:
            self.ids.append(found["id"])
        if tag == "tr" and "id" in found:
            self._row = found["id"]
            self.rows[self._row] = ""
        if self._row and tag == "a":
            self.rows[self._row] += f" href={found['href']} "

    def handle_endtag(self, tag):
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._row:
            self.rows[self._row] += data


def test_html_anchors_each_holders_row_at_their_slot_and_shows_their_values(page):
    html = render("instructions", OutputFormat.HTML, page)
    parser = Rows()
    parser.feed(html)
    for holder in github(page).holders:
        row = parser.rows[holder.slot]
        assert holder.name in row and holder.token_name in row and holder.token_env_var in row
        assert holder.verify_command in row and f"href={holder.creation_link} " in row
    assert len(parser.ids) == len(set(parser.ids))  # every anchor on the page is unique
    assert html.count('<ol class="steps">') == 2 and html.count("In <strong>Note</strong>") == 1


def test_html_escapes_declared_text_in_the_table(page):
    html = render("instructions", OutputFormat.HTML, page)
    assert "Demo <b>" not in html and "Demo &lt;b&gt; (demo)" in html


def test_html_labels_each_holders_value_on_a_narrow_screen(page):
    html = render("instructions", OutputFormat.HTML, page)
    narrow = re.search(r"@media \(max-width: \d+rem\) \{\s*table\.holders.*?\n\}", html, re.DOTALL)
    assert narrow and all(f'content: "{label}"' in narrow.group(0) for label in ("Holder", "Token name", "Verify"))


def test_json_is_one_record_per_declaration_with_its_holders(page):
    records = json.loads(render("instructions", OutputFormat.JSON, page))
    assert [len(r["holders"]) for r in records] == [3, 1]
    first = records[0]
    assert first["title"].endswith("for 3 people (one token each)") and len(first["steps"]) == len(github(page).steps)
    assert [h["holder"] for h in first["holders"]] == ["alice", "bob", "carol"]
    for record, holder in zip(first["holders"], github(page).holders):
        assert record == {
            "slot": holder.slot, "holder": holder.name, "login": holder.login, "email": holder.email,
            "token_name": holder.token_name, "creation_link": holder.creation_link,
            "token_env_var": holder.token_env_var, "verify_command": holder.verify_command,
        }
    assert not any("slot" in record or "token_name" in record for record in records)


def test_json_written_in_parts_is_the_same_records(page):
    file = io.StringIO()
    writer = JsonWriter(file)
    writer.write(page.items[:1])
    writer.write(page.items[1:])
    writer.close()
    assert file.getvalue() == json_document(page, indent=None)
    assert json.loads(file.getvalue()) == [item.to_dict() for item in page.items]


def test_a_page_carries_the_rules_of_the_tables_it_has(page):
    html = render("instructions", OutputFormat.HTML, page)
    alone = render("instructions", OutputFormat.HTML, InstructionsView(page.items[1:]))
    assert "table.holders {" in html and "table.index {" not in html
    assert "table.holders {" not in alone and "@media print" in alone


def test_html_holders_never_split_a_value_mid_word_on_a_wide_screen(page):
    """Table columns are sized from their values' whole words: a login like `dev1x0` is never cut in two."""
    html = render("instructions", OutputFormat.HTML, page)
    wide = html.split("@media", 1)[0]
    assert "table.holders code { overflow-wrap: break-word; }" in wide


def test_html_links_in_steps_break_rather_than_widen_a_phone_screen(page):
    html = render("instructions", OutputFormat.HTML, page)
    assert re.search(r"ol\.steps a[^{]*\{ overflow-wrap: anywhere; \}", html)
