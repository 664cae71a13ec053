"""A pre-filled link's query value is quoted exactly as urllib.parse quotes it, whatever the text."""

from urllib.parse import quote, quote_plus

import pytest

from scm_access.platforms.links import query_value

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
