"""Renderers show the same instructions in Markdown, JSON and a standalone HTML page."""

import json
from dataclasses import replace
from datetime import date

from scm_access.instruct.model import Holder, Instructions, ScopeLine, Step
from scm_access.outputs.instructions import render_html, render_json, render_markdown

ALICE = Holder(
    slot="demo/github/alice", name="alice", login=None, email=None, is_person=True, token_name="Demo (demo)",
    creation_link="https://github.com/settings/tokens/new?scopes=repo&description=Demo",
    token_env_var="X", verify_command="scm-access verify demo --platform github --holder alice",
)
ITEM = Instructions(
    connection="demo", integration="Demo", platform="github", platform_name="GitHub",
    kind="github_classic_pat", kind_label="GitHub personal access token (classic)",
    title="Demo on GitHub", host="https://github.com", expires_at=date(2027, 1, 1), lifetime_days=39,
    scopes=[ScopeLine(name="repo", label="Full control of private repositories")],
    steps=[Step(text="Click **Generate token** <now>", items=["`repo`"])],
    holders=[ALICE],
)


def test_markdown_lists_numbered_steps_with_the_link():
    text = render_markdown([ITEM])
    assert "1. Click **Generate token** \\<now\\>" in text  # step text is escaped Markdown (issue 9.10)
    assert "<https://github.com/settings/tokens/new?scopes=repo&description=Demo>" in text


def test_json_round_trips():
    assert json.loads(render_json([ITEM]))[0]["holders"][0]["creation_link"] == ITEM.creation_link


def test_html_escapes_text_and_renders_bold():
    page = render_html([ITEM], title="Demo")
    assert "<strong>Generate token</strong> &lt;now&gt;" in page
    assert 'href="https://github.com/settings/tokens/new?scopes=repo&amp;description=Demo"' in page


def test_html_is_a_standalone_document():
    page = render_html([ITEM], title="Demo")
    assert page.startswith("<!doctype html>") and "<link" not in page and "<script" not in page


def test_each_holder_row_is_escaped_on_its_own():
    bob = ALICE._replace(slot="demo/github/bob", name="bob", login="<b>bob</b>", email="b&o@x.example",
                         token_name="Demo (demo) 'q'")
    carol = ALICE._replace(slot="demo/github/carol", name="carol", login="carol-c")
    page = render_html([replace(ITEM, holders=[ALICE, bob, carol])], title="Demo")
    assert "<td><span><code>&lt;b&gt;bob&lt;/b&gt;</code> (<code>b&amp;o@x.example</code>)</span></td>" in page
    assert "<td><code>Demo (demo) &#x27;q&#x27;</code></td>" in page
    assert '<tr id="demo/github/carol"><td>carol</td><td><span><code>carol-c</code></span></td>' in page


def test_each_holder_row_is_markdown_of_its_own():
    bob = ALICE._replace(slot="demo/github/bob", name="bob", login="b`o|b", token_name=" ")
    carol = ALICE._replace(slot="demo/github/carol", name="carol", login="carol-c")
    text = render_markdown([replace(ITEM, holders=[ALICE, bob, carol])])
    assert '| <a id="demo/github/bob"></a>bob | ``b`o\\|b`` | `   ` | `X` |' in text
    assert '| <a id="demo/github/carol"></a>carol | `carol-c` | `Demo (demo)` | `X` |' in text
