"""`plan --out` writes one page per declaration module: the connections a team declares in one file share a
page (Markdown and HTML), each under its own heading, and the index links every slot to its row there."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli.project import declare, plan_out, run, set_policy

TODAY = "2026-11-30"
TEAM = """
CONNECTIONS = [
    Connection(name="wiki-sync", integration="Wiki <sync>", owner="docs & co", purpose="Copies pages.", access=[
        GitHubAccess(scopes=["repo"], org="acme", holder=[Person(name="ana", login="ana-a"), Person(name="bo")])]),
    Connection(name="ci-reader", integration="CI reader", owner="ci", purpose="Reads **pipelines**.", access=[
        GitLabAccess(scopes=["read_api"], group="acme/platform", holder=[Person(name="cy")])]),
]
"""
ALONE = """
CONNECTION = Connection(name="portal", integration="Portal", owner="p", purpose="Reads code.", access=[
    GitHubAccess(scopes=["repo"], org="acme", holder=[Person(name="dee")])])
"""
NAMED_LIKE_THE_INDEX = """
CONNECTION = Connection(name="tracker", integration="Tracker", owner="t", purpose="Syncs issues.", access=[
    GitHubAccess(scopes=["repo"], org="acme", holder=[Person(name="eve")])])
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    declare(root, "team_docs", TEAM)
    declare(root, "portal_module", ALONE)
    declare(root, "index", NAMED_LIKE_THE_INDEX)
    set_policy(root)
    return root


@pytest.fixture(scope="module")
def out(project, tmp_path_factory) -> Path:
    return plan_out(project, tmp_path_factory.mktemp("out"), TODAY)


def test_the_connections_of_one_module_share_one_page_per_format(out):
    pages = sorted(p.name for p in out.iterdir() if p.suffix in (".md", ".html") and not p.stem.startswith("index"))
    assert pages == ["portal_module.html", "portal_module.md", "team_docs.html", "team_docs.md"]


def test_every_slot_is_anchored_on_the_page_of_its_module(out):
    pages = {"wiki-sync": "team_docs", "ci-reader": "team_docs", "portal": "portal_module", "tracker": "index-2"}
    for slot in json.loads((out / "plan.json").read_text())["slots"]:
        page = (out / f"{pages[slot['connection']]}.html").read_text()
        assert f'id="{slot["connection"]}/{slot["platform"]}/{slot["holder"]}"' in page


def test_the_index_links_each_slot_to_its_modules_page(out):
    index = (out / "index.html").read_text()
    assert 'href="team_docs.html#ci-reader/gitlab/cy"' in index
    assert "(<team_docs.md#wiki-sync/github/bo>)" in (out / "index.md").read_text()


def test_a_module_named_index_does_not_replace_the_index(out):
    assert "scm-access plan" in (out / "index.html").read_text()
    assert 'href="index-2.html#tracker/github/eve"' in (out / "index.html").read_text()


def test_each_connection_of_a_shared_page_has_its_own_heading_with_its_sections_below(out):
    page = (out / "team_docs.md").read_text()
    headings = re.findall(r"^(#+) (.*)$", page, flags=re.MULTILINE)
    assert [(level, text) for level, text in headings if level != "###"] == [
        ("#", "connections/team_docs.py: credentials"),
        ("##", '<a id="wiki-sync"></a>Wiki \\<sync\\>'),
        ("##", '<a id="ci-reader"></a>CI reader'),
    ]


def test_a_connections_purpose_and_owner_are_shown_as_text_not_markup(out):
    page = (out / "team_docs.html").read_text()
    assert "Reads **pipelines**. (owner: ci; connection ci-reader)" in page
    assert "<h2>Wiki &lt;sync&gt;</h2>" in page and "owner: docs &amp; co" in page


def test_the_html_page_lists_its_connections_and_nests_their_sections(out):
    page = (out / "team_docs.html").read_text()
    assert '<li><a href="#wiki-sync">Wiki &lt;sync&gt;</a></li><li><a href="#ci-reader">CI reader</a></li>' in page
    assert re.search(r'<section class="slot [a-z]+" id="ci-reader/gitlab/cy">\n<h3>', page)


def test_a_module_with_one_connection_keeps_the_page_of_that_connection(out):
    page = (out / "portal_module.md").read_text()
    assert page.startswith("# Portal\n\n## ")
    assert "<h1>Portal: credentials</h1>" in (out / "portal_module.html").read_text()


def test_a_renamed_module_takes_its_old_pages_away(project, tmp_path):
    out = tmp_path / "out"
    run(project, "plan", "--out", str(out), "--today", TODAY)
    (project / "connections" / "portal_module.py").rename(project / "connections" / "portal_team.py")
    try:
        run(project, "plan", "--out", str(out), "--today", TODAY)
    finally:
        (project / "connections" / "portal_team.py").rename(project / "connections" / "portal_module.py")
    names = {p.name for p in out.iterdir()}
    assert "portal_team.html" in names and "portal_module.html" not in names
