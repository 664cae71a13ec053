"""A holders table written with one look at all its values says exactly what writing it value by value says:
the quick way is taken only where nothing needs escaping, and the careful way otherwise."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scm_access.instruct.model import Holder
from scm_access.outputs.instructions import (
    _html_row,
    _json_holder,
    _json_holders,
    _markdown_row,
    _plain_html_rows,
    _plain_markdown_rows,
)
from scm_access.outputs.text import EachMatch, web_link, web_links

LINK = "https://github.com/settings/tokens/new?scopes=repo,workflow&description=Integration+0+%28i-0%29+scm-abcdefgh"


def holder(number: int, **changes) -> Holder:
    values = dict(
        slot=f"integration-0/github/dev-{number}", name=f"dev-{number}", login=f"dev{number}x", email=None,
        is_person=True, token_name=f"Integration 0 (integration-0) scm-abcdefg{number}", creation_link=LINK,
        token_env_var=f"SCM_ACCESS_TOKEN__INTEGRATION_0__GITHUB__DEV_{number}",
        verify_command=f"scm-access verify integration-0 --platform github --holder dev-{number} --project /srv/p",
    )
    values.update(changes)
    return Holder(**values)


PLAIN = [holder(0), holder(1, email="dev1@acme.example"), holder(2, login=None, creation_link=None)]

AWKWARD_VALUES = [
    "Zoë Ünal", "bob `tick`", 'q "uote" <b>&amp;', "x_y|z", "Tab\tname", "line\nbreak", " ", "", "1. list",
    "back\\slash", "it's", "\x7f", "\u202eevil", "https://x.example/a b", "HTTP://x.example", "httpſ://x.example",
    "javascript:alert(1)", "http://", "https://x.example/<a>", "dev-0\ndev-1",
]
FIELDS = ["slot", "name", "login", "email", "token_name", "creation_link", "token_env_var", "verify_command"]


def tables():
    """Plain tables, and tables where one value of one holder is awkward in some way."""
    yield PLAIN
    for field in FIELDS:
        for value in AWKWARD_VALUES:
            yield [PLAIN[0], PLAIN[1]._replace(**{field: value}), PLAIN[2]]


def test_plain_tables_take_the_quick_way_in_every_format():
    assert _plain_markdown_rows(PLAIN, links=True) is not None
    assert _plain_html_rows(PLAIN, links=True) is not None
    assert _json_holders(PLAIN) == ", ".join(map(_json_holder, PLAIN))


@pytest.mark.parametrize("links", [True, False])
@pytest.mark.parametrize(
    ("quick_rows", "careful_row"),
    [(_plain_markdown_rows, _markdown_row), (_plain_html_rows, _html_row)],
    ids=["markdown", "html"],
)
def test_quick_rows_are_the_rows_written_one_by_one(quick_rows, careful_row, links):
    quick = 0
    for holders in tables():
        rows = quick_rows(holders, links)
        if rows is not None:
            quick += 1
            assert rows == [careful_row(h, links) for h in holders]
    assert quick > 1


def test_json_records_are_the_records_written_one_by_one():
    for holders in tables():
        records = _json_holders(holders)
        assert records == ", ".join(map(_json_holder, holders))
        assert json.loads(f"[{records}]") == [
            {"slot": h.slot, "holder": h.name, "login": h.login, "email": h.email, "token_name": h.token_name,
             "creation_link": h.creation_link, "token_env_var": h.token_env_var, "verify_command": h.verify_command}
            for h in holders
        ]


def test_the_quick_way_is_not_taken_for_a_value_markdown_must_escape():
    assert _plain_markdown_rows([PLAIN[0], PLAIN[1]._replace(login="a|b")], links=True) is None
    assert _plain_markdown_rows([PLAIN[0], PLAIN[1]._replace(creation_link="https://x.example/a b")], links=True) is None
    assert _plain_html_rows([PLAIN[0], PLAIN[1]._replace(token_name="<b>")], links=True) is None


URLS = st.one_of(
    st.sampled_from(AWKWARD_VALUES + [LINK, "https://x.example/é", "http://a", "https://", "Https://x"]),
    st.builds(lambda scheme, rest: scheme + rest, st.sampled_from(["https://", "http://", "HTTPS://", "ftp://", ""]),
              st.text(max_size=12)),
)


@settings(max_examples=300)
@given(st.lists(URLS, max_size=4))
def test_web_links_tells_what_web_link_tells_of_each(urls):
    assert web_links(urls) == all(web_link(url) is not None for url in urls)


@settings(max_examples=300)
@given(st.lists(st.text(alphabet="ab-_/\n é", max_size=6), max_size=4))
def test_each_match_tells_what_the_pattern_tells_of_each(texts):
    pattern = re.compile("[a-z][a-z_/-]*")
    assert EachMatch(pattern)(texts) == all(pattern.fullmatch(text) for text in texts)
