"""Text from outside the program is shown, never obeyed: visible controls, literal Markdown, web links only."""

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from scm_access.outputs.text import (
    Emphasis,
    markdown_code,
    markdown_subset,
    markdown_text,
    printable,
    spans,
    visible,
    web_link,
)

COMMONMARK = MarkdownIt("commonmark").enable("table")


def inline_tokens(markdown: str) -> list[str]:
    """Token types of the inline content of one paragraph."""
    [_, inline, _] = COMMONMARK.parse(markdown)
    return [child.type for child in inline.children]


def test_control_characters_are_shown_as_escapes():
    assert visible("a\x1b[2Jb\x07c\td\ne") == "a\\x1b[2Jb\\x07c\\td\\ne"
    assert visible("\u202eevil") == "\\u202eevil"  # a bidirectional override reorders what follows
    assert visible("plain é text") == "plain é text"


def test_declared_html_stays_text_in_markdown():
    text = markdown_text('<script>alert(1)</script> <img src=x onerror="y"> &amp;')
    assert inline_tokens(text) == ["text"]
    assert COMMONMARK.render(text).count("&lt;script&gt;") == 1


def test_declared_markdown_structure_stays_text():
    for hostile in ("# fake heading", "[click](https://evil.example)", "**bold** _em_ `code`", "- item", "1. one",
                    "> quote", "a | b", "![img](x)", "===", "line\n# heading"):
        assert inline_tokens(markdown_text(hostile)) == ["text"], hostile


def test_ordinary_text_stays_readable():
    assert markdown_text("acme/platform: Code (Read & write)") == "acme/platform: Code (Read \\& write)"


def test_code_span_holds_any_backticks():
    span = markdown_code("a``b`")
    [token] = [t for t in COMMONMARK.parseInline(span)[0].children]
    assert token.type == "code_inline" and token.content == "a``b`"


def test_only_whole_web_links_are_links():
    assert web_link("https://github.com/settings/tokens/new?scopes=repo") is not None
    for bad in ("javascript:alert(1)", "https://x.example/a b", "https://x.example/<script>", "ftp://x", None):
        assert web_link(bad) is None


def test_step_subset_is_split_into_its_parts():
    assert list(spans("Click **Create** then `copy` *now*.")) == [
        (Emphasis.PLAIN, "Click "), (Emphasis.STRONG, "Create"), (Emphasis.PLAIN, " then "),
        (Emphasis.CODE, "copy"), (Emphasis.PLAIN, " "), (Emphasis.EMPHASIS, "now"), (Emphasis.PLAIN, "."),
    ]


def test_step_subset_keeps_its_emphasis_and_escapes_the_rest():
    html = COMMONMARK.render(markdown_subset("Paste into **<b>Form</b>** at <https://evil.example>"))
    assert "<strong>&lt;b&gt;Form&lt;/b&gt;</strong>" in html and "<a " not in html


def test_a_plain_name_is_its_own_markdown_as_the_escaping_would_leave_it():
    from scm_access.outputs.text import _escaped_markdown

    for name in ("alice", "dev-0-4", "Integration-7", "0", "1-2", "a--b", "9x"):
        assert markdown_text(name) == _escaped_markdown(name) == name
    for name in ("1.", "-item", "a_b_", "a b", "x|y", "é"):  # not plain: escaped as before
        assert markdown_text(name) == _escaped_markdown(name)


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from("ab1_ -+=>:.)*\\`[]<>&|~!#é\n\r\t\x1b\u202e"), max_size=12))
def test_text_with_nothing_to_escape_is_returned_as_the_escaping_would_leave_it(text):
    from scm_access.outputs.text import _escaped_markdown, _escaping

    assert _escaped_markdown(text) == _escaping(text)


def test_a_sentence_without_markdown_in_it_is_its_own_markdown():
    title = "Integration 7 on GitHub: GitHub personal access token (classic) for 5 people (one token each)"
    assert markdown_text(title) == title


def test_an_underscore_between_letters_or_digits_stays_as_it_is():
    for text in ("SCM_ACCESS_TOKEN", "token_administration", "a_1", "é_é"):
        assert markdown_text(text) == text


def test_an_underscore_with_anything_else_on_a_side_is_escaped_beside_the_other_characters():
    assert markdown_text("_a") == "\\_a"
    assert markdown_text("a_") == "a\\_"
    assert markdown_text("a _b_ c") == "a \\_b\\_ c"
    assert markdown_text("*_a_*") == "\\*\\_a\\_\\*"
    assert markdown_text("x_*y") == "x\\_\\*y"
    assert markdown_text("x*_y") == "x\\*\\_y"
    assert markdown_text("__") == "\\_\\_"


def test_no_control_character_is_printable_so_printable_text_is_shown_as_it_is():
    from scm_access.outputs.text import _CONTROL

    controls = [chr(c) for c in range(0x10000) if _CONTROL.match(chr(c))]
    assert len(controls) > 60 and not any(c.isprintable() for c in controls)
    assert visible("plain text, printable: é ☃") == "plain text, printable: é ☃"
    # A no-break space is not printable, yet no control: kept. A zero-width space is one: shown.
    assert visible("no\u00a0break\u200bzero width") == "no\u00a0break\\u200bzero width"


@given(st.text() | st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_printable_tells_what_isprintable_tells(text):
    assert printable(text) == text.isprintable()
