"""A secret is recognised in the forms a server or a library may give it back in, not only verbatim: encoded,
inside the base64 of a longer text, or in part (a long prefix, a suffix, each half of a split) — and ordinary
text is left alone."""

from __future__ import annotations

import base64
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scm_access.judge.secrets import ECHO_WINDOW, REDACTED, SecretSet, encodings

TOKEN = "ghp_R4nd0mT0k3nV4lu3Th4tN0b0dyC0uldGu3ss"
SECRETS = SecretSet([TOKEN])


def leaks(text: str) -> bool:
    """Whether any ECHO_WINDOW characters of the token, or an encoding of it, survive scrubbing."""
    clean = SECRETS.scrub(text)
    return any(TOKEN[i : i + ECHO_WINDOW] in clean for i in range(len(TOKEN) - ECHO_WINDOW + 1)) or any(
        form in clean for form in (quote(TOKEN), base64.b64encode(TOKEN.encode()).decode(), TOKEN.encode().hex())
    )


@pytest.mark.parametrize(
    "echo",
    [
        pytest.param(TOKEN, id="verbatim"),
        pytest.param(quote(f"login {TOKEN}!", safe=""), id="url-encoded"),
        pytest.param(quote_plus(f"a {TOKEN} b"), id="form-encoded"),
        pytest.param(TOKEN.encode().hex(), id="hex"),
        pytest.param(base64.b64encode(TOKEN.encode()).decode(), id="base64"),
        pytest.param(base64.urlsafe_b64encode(TOKEN.encode()).decode().rstrip("="), id="base64url-unpadded"),
        pytest.param(TOKEN[:24], id="long-prefix"),
        pytest.param(f"…{TOKEN[-ECHO_WINDOW:]}", id="suffix"),
        pytest.param(f"{TOKEN[:20]}\n{TOKEN[20:]}", id="split-in-two"),
        pytest.param(f"scopes: repo,{TOKEN[3:30]},workflow", id="inside-a-list"),
    ],
)
def test_an_altered_or_partial_echo_is_redacted(echo):
    assert SECRETS.scrub(echo) != echo and not leaks(echo)


@pytest.mark.parametrize("around", ["", "x", "a b\n", "<{", "…"])
@pytest.mark.parametrize("form", list(encodings(TOKEN)) + [TOKEN[:ECHO_WINDOW], TOKEN[-ECHO_WINDOW:]])
def test_a_text_holding_any_form_of_a_secret_is_said_to_mention_one(form, around):
    text = f"ordinary text{around}{form}{around}more ordinary text"
    assert SECRETS.mentions(text)


PIECES = [form[start:start + size] for form in encodings(TOKEN) for start in (0, 3, 9) for size in (6, 15, 17, 40)]


@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet=" \n<>'\"|,;%=+/_-ab", max_size=3)), max_size=12))
def test_whatever_scrubbing_would_change_is_said_to_mention_a_secret(parts):
    text = "".join(parts)
    assert SECRETS.mentions(text) or SECRETS.scrub(text) == text


@pytest.mark.parametrize("before", ["", "u:", "user:", "x-access-token:"])
@pytest.mark.parametrize("after", ["", "!", "\n\n"])
def test_the_base64_of_any_text_holding_the_token_is_redacted(before, after):
    blob = base64.b64encode(f"{before}{TOKEN}{after}".encode()).decode()
    clean = SECRETS.scrub(blob)
    assert REDACTED in clean
    residue = base64.b64decode(clean.replace(REDACTED, "") + "===")  # what is left decodes to at most the edges
    assert TOKEN[2:-2] not in residue.decode("latin-1")


@pytest.mark.parametrize(
    "ordinary",
    [
        "Full control of private repositories (repo)",
        "https://github.com/settings/tokens/new?scopes=repo,workflow&description=iCR+%28icr%29",
        "SCM_ACCESS_TOKEN__ICR__GITHUB__ICR_JENKINS",
        TOKEN[:ECHO_WINDOW - 1],  # shorter than a window: cannot be told from ordinary text
        "ghp_" + "x" * 36,  # another token of the same kind
    ],
)
def test_ordinary_text_is_left_alone(ordinary):
    assert SECRETS.scrub(ordinary) == ordinary
    assert not SECRETS.mentions(ordinary)


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=60), st.text(max_size=60))
def test_text_around_a_partial_echo_never_hides_it(before, after):
    echo = f"{before} {TOKEN[5:5 + ECHO_WINDOW + 3]} {after}"
    assert not leaks(echo)
