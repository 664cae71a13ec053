"""Property: whatever text a declaration holds (markup, control characters, quotes, newlines, HTML), every
output format stays well-formed: Markdown parses without raw HTML or links from it, HTML gets no element
from it, the terminal gets no control character from it, JSON round-trips, and nothing raises."""

import io
import json
import re
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console

from scm_access.declarations import (
    AzureDevOpsAccess,
    Connection,
    GitHubAccess,
    GroupMembership,
    IntegrationField,
    Person,
    Policy,
)
from scm_access.instruct.build import instructions_for, sections_for
from scm_access.outputs import OutputFormat, emit, render
from scm_access.outputs.findings import FindingsView
from scm_access.outputs.instructions import InstructionsView
from scm_access.outputs.plan import PlanView
from scm_access.plan.planner import plan
from scm_access.validate import validate
from scm_access.judge import Finding, ObservedFacts, Problem, ProblemCode, Status

PIECES = st.sampled_from(
    list("ab <>&\"'`*_[]()#|!\\/=-+.:;\n\r\t\x00\x07\x1b\x7f\x9b\u202e")
    + ["<script>", "</script>", "<img src=x onerror=alert(1)>", "[/red]", "[link=https://evil.example]",
       "\x1b]8;;https://evil.example\x07", "\x1b[2J", "**", "# ", "javascript:", "https://evil.example", "1. "]
)
HOSTILE = st.lists(PIECES, min_size=1, max_size=12).map("".join).filter(lambda s: s.strip())

COMMONMARK = MarkdownIt("commonmark").enable("table")
OUR_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "p", "nav", "ul", "li",
            "a", "section", "dl", "dt", "dd", "code", "ol", "strong", "em", "table", "thead", "tbody", "tr", "th",
            "td", "div", "wbr", "span"}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def connection(integration: str, purpose: str, location: str, field: str, step: str, group: str) -> Connection:
    return Connection(
        name="demo", integration=integration, owner="team", purpose=purpose,
        access=[
            GitHubAccess(scopes=["repo"], org="acme", holder=[Person(name="alice", login="alice"), Person(name="bob")],
                         delivery=IntegrationField(location=location, field=field, steps=[step])),
            AzureDevOpsAccess(organization="acme", scopes=["Code: Read"], holder=[Person(name="carol")],
                              prerequisites=[GroupMembership(group=group)]),
        ],
    )


ANCHOR = re.compile(r'<a id="[-a-z0-9_/]+"></a>')
"""The one piece of HTML a Markdown page holds: an empty anchor named after a slot (names are validated)."""


def assert_markdown_is_ours(markdown: str) -> None:
    for token in COMMONMARK.parse(markdown):
        assert token.type not in {"html_block"}, token
        anchor = ""
        for child in token.children or []:
            if child.type == "html_inline" and (anchor or child.content.startswith("<a id=")):
                anchor += child.content  # the anchor's opening and closing tags, in two tokens
                if ANCHOR.fullmatch(anchor):
                    anchor = ""
                continue
            assert not anchor, anchor
            assert child.type != "html_inline", child
            if child.type == "link_open":
                assert urlsplit(str(child.attrGet("href"))).hostname != "evil.example", child


def assert_html_is_ours(page: str) -> None:
    parser = Tags()
    parser.feed(page)
    assert parser.tags <= OUR_TAGS, parser.tags - OUR_TAGS
    assert not any(href.lower().startswith("javascript:") or urlsplit(href).hostname == "evil.example"
                   for href in parser.hrefs)


def terminal_text(subject: str, data) -> str:
    buffer = io.StringIO()
    emit(subject, OutputFormat.TERMINAL, data, Console(file=buffer, width=80, color_system=None, highlight=False,
                                                        markup=False))
    return buffer.getvalue()


def assert_no_controls(text: str) -> None:
    assert not any((ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F or c == "\u202e" for c in text), repr(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE)
def test_every_format_stays_well_formed(integration, purpose, location, field, step, group):
    policy = Policy()
    result = plan(validate([connection(integration, purpose, location, field, step, group)], policy), policy,
                  date(2026, 11, 23))
    items = instructions_for(result.slots)
    instructions = InstructionsView(items, title=integration, subtitle=purpose)
    # As `plan --out` writes them: one section for a declaration's several holders.
    sections = sections_for(result.slots, rotate_before_days=14, today=date(2026, 11, 23), project=purpose)
    page = InstructionsView(sections, title=integration, subtitle=purpose)
    plan_view = PlanView(result, policy_source=purpose, pages={"demo": "demo.html"})

    for subject, data in (("instructions", instructions), ("instructions", page), ("plan", plan_view)):
        assert_markdown_is_ours(render(subject, OutputFormat.MARKDOWN, data))
        assert_html_is_ours(render(subject, OutputFormat.HTML, data))
        json.loads(render(subject, OutputFormat.JSON, data))
        assert_no_controls(terminal_text(subject, data))


@settings(max_examples=40, deadline=None)
@given(HOSTILE, HOSTILE, HOSTILE)
def test_findings_from_a_hostile_server_stay_well_formed(login, detail, remediation):
    finding = Finding(
        slot="demo/github/alice", connection="demo", platform="github", holder="alice", status=Status.ACTION_REQUIRED,
        problems=[Problem(code=ProblemCode.WRONG_OWNER, detail=detail, remediation=[remediation])],
        facts=ObservedFacts(owner_login=login, scopes_granted=[login]), reason=detail,
    )
    for view in (FindingsView([finding], single=True), FindingsView([finding, finding])):
        assert_markdown_is_ours(render("findings", OutputFormat.MARKDOWN, view))
        json.loads(render("findings", OutputFormat.JSON, view))
        assert_no_controls(terminal_text("findings", view))
