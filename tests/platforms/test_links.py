"""A pre-filled link: the declaration's template with each holder's token name, quoted exactly as urllib.parse
quotes it."""

from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scm_access.platforms.links import LinkTemplate, query_value

TEXTS = [
    "",
    "plain-name_1.0~",
    "Integration 7 (integration-7) scm-abcdefgh",
    "Intégration ☃ (x) scm-2345abcd",
    "a+b & c=d ,: end",
    "trailing space ",
    " leading",
    "two  spaces scm-aaaaaaaa",
    "last word needs quoting (x)",
    "slash/and?query#frag scm-bbbbbbbb",
    "tab\tand\nnewline scm-cccccccc",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("safe", ["", ",", ",:"])
def test_quoted_as_quote_plus_quotes_it(text, safe):
    assert query_value(text, plus=True, safe=safe) == quote_plus(text, safe=safe)


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("safe", ["", ",", ",:"])
def test_quoted_as_quote_quotes_it(text, safe):
    assert query_value(text, safe=safe) == quote(text, safe=safe)


def test_holders_of_one_declaration_differ_only_in_their_tag():
    first = query_value("Deploy bot (deploy) scm-aaaaaaaa", plus=True)
    second = query_value("Deploy bot (deploy) scm-bbbbbbbb", plus=True)
    assert first == "Deploy+bot+%28deploy%29+scm-aaaaaaaa" and second.endswith("+scm-bbbbbbbb")


def test_a_template_fills_in_the_quoted_token_name():
    template = LinkTemplate(before="https://forge.example/new?name=", after="&scopes=a,b", plus=True, safe=",")
    assert template.link("Deploy, bot (x) scm-aaaaaaaa") == (
        "https://forge.example/new?name=Deploy,+bot+%28x%29+scm-aaaaaaaa&scopes=a,b"
    )


def test_a_template_cuts_a_name_longer_than_the_form_takes_before_quoting_it():
    template = LinkTemplate(before="https://forge.example/new?name=", name_limit=7)
    assert template.link("abc def ghi") == "https://forge.example/new?name=abc%20def"


@pytest.mark.parametrize("name_limit", [None, 7, 30])
@pytest.mark.parametrize("plus,safe", [(True, ",:"), (False, "")])
def test_the_links_of_a_declarations_holders_are_each_holders_own_link(name_limit, plus, safe):
    template = LinkTemplate(before="https://forge.example/new?name=", after="&x=1", plus=plus, safe=safe,
                            name_limit=name_limit)
    runs = [
        ["Deploy bot (deploy) scm-aaaaaaaa", "Deploy bot (deploy) scm-bbbbbbbb", "Deploy bot (deploy) scm-cccccccc"],
        ["Deploy bot (deploy) scm-aaaaaaaa", "Other (o) scm-bbbbbbbb", "Deploy bot (deploy) tag é"],
        ["no-space", "no-space-2"],
        ["", "x"],
        TEXTS,
        [],
    ]
    for names in runs:
        assert template.links(names) == [template.link(name) for name in names]


@settings(max_examples=300)
@given(st.text(max_size=12) | st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=12),
       st.sampled_from(["", ",", ",:", "/ "]))
def test_any_text_is_quoted_as_urllib_quotes_it(text, safe):
    assert query_value(text, plus=True, safe=safe) == quote_plus(text, safe=safe)
    assert query_value(text, safe=safe) == quote(text, safe=safe)
