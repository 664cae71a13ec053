"""Matching: each credential found to at most one declared slot, by id, by name, or by a heuristic that
says so; every credential ends matched or undeclared."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from scm_access.core.kinds import CredentialKind
from scm_access.inventory.judging import judge_matched
from scm_access.inventory.match import MatchedBy, match
from scm_access.judge import Status
from scm_access.plan.slot import Strategy
from tests.inventory.conftest import POLICY, grant_for, scanner_slot
from tests.support.fake_time import NOW


def untagged(slot, **changes):
    return grant_for(slot, name="my token", **changes)


def test_a_credential_named_with_the_slot_tag_is_matched_by_name():
    slot = scanner_slot()
    result = match([slot], [grant_for(slot)])
    assert result.matches[slot.id].matched_by == MatchedBy.NAME and not result.undeclared


def test_the_tag_matches_even_when_someone_else_holds_it_so_the_judge_can_say_wrong_owner():
    slot = scanner_slot()
    result = match([slot], [grant_for(slot, owner="mallory")])
    assert result.matches[slot.id].matched_by == MatchedBy.NAME


def test_a_credential_the_stack_made_is_matched_by_its_marker():
    slot = scanner_slot(strategy=Strategy.PROVISION)
    found = grant_for(slot, name=f"Scanner (scanner) [scm-access {slot.id}]")
    assert match([slot], [found]).matches[slot.id].matched_by == MatchedBy.NAME


def test_a_credential_the_stack_outputs_name_is_matched_by_id():
    slot = scanner_slot(strategy=Strategy.PROVISION)
    found = grant_for(slot, name="renamed by hand", id="77")
    result = match([slot], [found], resource_ids={("github", "77"): slot.id})
    assert result.matches[slot.id].matched_by == MatchedBy.RESOURCE_ID


def test_an_untagged_credential_of_the_holder_in_the_org_is_a_heuristic_match():
    slot = scanner_slot()
    assert match([slot], [untagged(slot)]).matches[slot.id].matched_by == MatchedBy.HEURISTIC


def test_an_untagged_credential_of_someone_else_is_undeclared():
    slot = scanner_slot()
    result = match([slot], [untagged(slot, owner="carla")])
    assert not result.matches and [u.credential.owner for u in result.undeclared] == ["carla"]


def test_an_untagged_credential_for_another_organisation_is_undeclared():
    slot = scanner_slot()
    assert not match([slot], [untagged(slot, scope="globex")]).matches


def test_an_untagged_credential_of_another_kind_is_undeclared():
    slot = scanner_slot()
    assert not match([slot], [untagged(slot, kind=CredentialKind.GITHUB_CLASSIC_PAT)]).matches


def test_of_several_fitting_slots_the_one_whose_scopes_it_grants_exactly_wins():
    reader = scanner_slot()
    writer = scanner_slot(connection="pusher", scopes=["contents:write"])
    found = untagged(reader, scopes=frozenset({"contents:write"}))
    assert list(match([reader, writer], [found]).matches) == [writer.id]


def test_a_tie_between_slots_matches_none_and_names_them():
    first = scanner_slot()
    second = scanner_slot(connection="other")
    result = match([first, second], [untagged(first)])
    assert not result.matches and "scanner/github/bruna" in (result.undeclared[0].note or "")


def test_two_credentials_for_one_slot_are_both_matched_to_it():
    slot = scanner_slot()
    result = match([slot], [grant_for(slot, id="1"), grant_for(slot, id="2")])
    assert len(result.matches[slot.id].credentials) == 2


def test_the_judged_credential_is_the_named_one_before_a_heuristic_one():
    slot = scanner_slot()
    result = match([slot], [untagged(slot, id="old"), grant_for(slot, id="new")])
    assert [c.id for c in result.matches[slot.id].credentials] == ["new"]


def test_a_slot_found_by_name_is_not_guessed_at_again():
    slot = scanner_slot()
    result = match([slot], [grant_for(slot, id="tagged"), untagged(slot, id="leftover")])
    assert [u.credential.id for u in result.undeclared] == ["leftover"]


def test_a_working_credential_is_judged_before_an_expired_one():
    slot = scanner_slot()
    expired = grant_for(slot, id="expired", expired=True, last_used_at=NOW)
    result = match([slot], [expired, grant_for(slot, id="current")])
    assert result.matches[slot.id].credentials[0].id == "current"


# -- properties ---------------------------------------------------------------------------------------

CONNECTIONS = ["scanner", "pusher", "sync"]
HOLDERS = {"bruna": "bruna-lima", "carla": "carla-dias", "diego": "diego-rocha"}
SCOPES = ["metadata:read", "contents:read", "contents:write", "issues:read"]


@st.composite
def declarations(draw):
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(CONNECTIONS), st.sampled_from(sorted(HOLDERS))), unique=True, max_size=6)
    )
    slots = []
    for connection, holder in pairs:
        scopes = draw(st.lists(st.sampled_from(SCOPES), min_size=1, max_size=2, unique=True))
        slots.append(
            scanner_slot(connection=connection, holder=holder, holder_login=HOLDERS[holder], scopes=sorted(scopes))
        )
    return slots


@st.composite
def inventories(draw, slots):
    found = []
    for number in range(draw(st.integers(0, 8))):
        base = draw(st.sampled_from(slots)) if slots else scanner_slot()
        changes = {
            "id": str(number),
            "name": draw(st.sampled_from([base.token_name, "my token", None, f"old {base.tag}"])),
            "owner": draw(st.sampled_from([*HOLDERS.values(), "mallory", None])),
            "scope": draw(st.sampled_from(["acme", "globex", None])),
            "scopes": frozenset(draw(st.lists(st.sampled_from(SCOPES), max_size=3))),
            "kind": draw(st.sampled_from([CredentialKind.GITHUB_FINE_GRAINED_PAT, CredentialKind.GITHUB_CLASSIC_PAT])),
        }
        found.append(grant_for(base, **changes))
    return found


@st.composite
def declared_and_found(draw):
    slots = draw(declarations())
    return slots, draw(inventories(slots))


@settings(max_examples=150, deadline=None)
@given(declared_and_found())
def test_every_credential_ends_exactly_once_matched_or_undeclared(case):
    slots, found = case
    result = match(slots, found)
    ends = Counter([*result.matched_ids(), *(("github", u.credential.source, u.credential.id) for u in result.undeclared)])
    assert ends == Counter(("github", f.source, f.id) for f in found)


@settings(max_examples=150, deadline=None)
@given(declared_and_found())
def test_no_two_slots_claim_one_credential(case):
    slots, found = case
    result = match(slots, found)
    claims = Counter(c.id for m in result.matches.values() for c in m.credentials)
    assert all(count == 1 for count in claims.values())


@settings(max_examples=100, deadline=None)
@given(declared_and_found(), st.data())
def test_a_credential_made_exactly_as_its_slot_says_is_ok(case, data):
    slots, noise = case
    if not slots:
        return
    slot = data.draw(st.sampled_from(slots))
    exact = grant_for(slot, id="exact", scopes=frozenset(slot.scopes))
    # Whatever else exists, a credential that is exactly the slot's, named as told, is judged ok.
    others = [replace(f, name="unrelated") for f in noise]
    result = match(slots, [exact, *others])
    chosen = result.matches[slot.id]
    assert ([c.id for c in chosen.credentials], chosen.matched_by) == (["exact"], MatchedBy.NAME)
    assert judge_matched(slot, chosen.credentials, POLICY, NOW).status == Status.OK
