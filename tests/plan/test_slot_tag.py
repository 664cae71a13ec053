"""The slot tag: a short, stable name for a slot that a personal token carries in its name, so the admin
inventory can tell which declared slot a token it finds is for."""

from __future__ import annotations

from datetime import date

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations import GitHubAccess, Person
from scm_access.plan.slot import Slot, Strategy, slot_tag, tags_in


def slot(**changes) -> Slot:
    fields = dict(
        connection="scanner",
        integration="Scanner",
        purpose="Scans.",
        platform=Platform.GITHUB,
        holder="bruna",
        holder_is_person=True,
        holder_login="bruna-lima",
        kind=CredentialKind.GITHUB_CLASSIC_PAT,
        scopes=["repo"],
        strategy=Strategy.USER_PAT,
        reason="only bruna can create it",
        lifetime_days=30,
        expires_at=date(2026, 12, 23),
        access=GitHubAccess(scopes=["repo"], org="acme", holder=[Person(name="bruna", login="bruna-lima")]),
    )
    fields.update(changes)
    return Slot(**fields)


def test_the_tag_depends_on_the_slot_alone():
    assert slot_tag("scanner/github/bruna") == slot_tag("scanner/github/bruna") != slot_tag("scanner/github/ana")


def test_a_personal_token_name_ends_with_its_slot_tag():
    assert slot().token_name == f"Scanner (scanner) {slot_tag('scanner/github/bruna')}"


def test_the_tag_is_found_again_in_the_name():
    assert tags_in(slot().token_name) == [slot().tag]


def test_a_tag_inside_a_longer_word_is_no_tag():
    assert tags_in(f"x{slot().tag}y") == []


def test_a_long_name_is_cut_to_the_platforms_limit_keeping_the_tag():
    long = slot(
        integration="A Very Long Integration Name", connection="a-very-long-connection-name",
        kind=CredentialKind.GITHUB_FINE_GRAINED_PAT, scopes=["metadata:read"],
    )
    name = long.token_name
    assert len(name) == 40 and name.endswith(long.tag)


def test_a_credential_the_stack_makes_keeps_its_plain_name():
    assert slot(strategy=Strategy.PROVISION).token_name == "Scanner (scanner)"


def test_the_tag_is_the_base32_of_the_first_five_bytes_of_the_ids_sha256():
    import base64
    import hashlib

    for slot_id in ("scanner/github/bruna", "a/gitlab/b", "integration-99999/azure_devops/dev-99999-4", "é/x/y"):
        digest = hashlib.sha256(slot_id.encode("utf-8")).digest()
        assert slot_tag(slot_id) == "scm-" + base64.b32encode(digest[:5]).decode("ascii").lower()


def test_every_character_of_the_tag_is_spelt_as_base32_spells_it():
    import base64
    import hashlib

    # Enough ids that every character position takes every one of the 32 values.
    ids = [f"integration-{n}/github/dev-{n}-{i}" for n in range(400) for i in range(5)]
    seen: list[set[str]] = [set() for _ in range(8)]
    for slot_id in ids:
        expected = base64.b32encode(hashlib.sha256(slot_id.encode("utf-8")).digest()[:5]).decode("ascii").lower()
        tag = slot_tag(slot_id)
        assert tag == f"scm-{expected}"
        for position, character in enumerate(expected):
            seen[position].add(character)
    assert all(len(characters) == 32 for characters in seen)
