"""The planner builds a declaration's slots without validating them again and computes a slot's names once:
the slots it builds are the slots validation would build, and each holder's names are its own."""

from __future__ import annotations

import json

import pytest

from scm_access.declarations import Connection, GitHubAccess, GitLabAccess, Person, Policy, ServiceIdentity
from scm_access.plan.planner import plan
from scm_access.plan.slot import Slot, slot_tag, slots_for_holders
from scm_access.validate import validate


def planned(today, access) -> list[Slot]:
    connection = Connection(name="scanner", integration="Scanner", owner="team", purpose="Scans.", access=[access])
    return plan(validate([connection], Policy()), Policy(), today).slots


@pytest.fixture
def holders_slots(today) -> list[Slot]:
    access = GitHubAccess(
        scopes=["repo"], org="acme",
        holder=[Person(name="ana", login="ana-gh", email="ana@example.com"), Person(name="bruna")],
    )
    return planned(today, access)


def validated(slot: Slot) -> Slot:
    """The same slot, built by validating its fields."""
    return Slot(**{name: getattr(slot, name) for name in Slot.model_fields})


def test_a_planned_slot_is_the_slot_validation_builds(holders_slots):
    for slot in holders_slots:
        again = validated(slot)
        assert slot == again
        assert slot.model_fields_set == again.model_fields_set
        # The same document, keys in the same order (plan.json follows it).
        assert json.dumps(slot.summary()) == json.dumps(again.summary())


def test_a_planned_slot_stays_frozen(holders_slots):
    with pytest.raises(Exception, match="frozen"):
        holders_slots[0].holder = "someone-else"  # type: ignore[misc]


def test_each_holder_has_its_own_id_tag_token_name_and_variable(holders_slots):
    ana, bruna = holders_slots
    assert (ana.id, bruna.id) == ("scanner/github/ana", "scanner/github/bruna")
    assert (ana.tag, bruna.tag) == (slot_tag("scanner/github/ana"), slot_tag("scanner/github/bruna"))
    assert ana.token_name == f"Scanner (scanner) {ana.tag}" and bruna.token_name.endswith(bruna.tag)
    assert (ana.token_env_var, bruna.token_env_var) == (
        "SCM_ACCESS_TOKEN__SCANNER__GITHUB__ANA",
        "SCM_ACCESS_TOKEN__SCANNER__GITHUB__BRUNA",
    )


def test_names_computed_once_equal_names_computed_afresh(holders_slots):
    for slot in holders_slots:
        asked = (slot.id, slot.tag, slot.token_name, slot.token_env_var)
        assert (slot.id, slot.tag, slot.token_name, slot.token_env_var) == asked  # asked again: kept
        fresh = validated(slot)
        assert asked == (fresh.id, fresh.tag, fresh.token_name, fresh.token_env_var)


def test_names_are_no_fields(holders_slots):
    slot = holders_slots[0]
    _ = slot.token_name, slot.token_env_var
    assert "token_name" not in slot.model_dump() and "tag" not in slot.model_dump()
    assert slot == validated(slot)  # one whose names were never asked for


def test_a_copy_with_another_holder_has_that_holders_names(holders_slots):
    ana = holders_slots[0]
    _ = ana.id, ana.tag, ana.token_name, ana.token_env_var
    carla = ana.model_copy(update={"holder": "carla"})
    assert carla.id == "scanner/github/carla"
    assert carla.tag == slot_tag("scanner/github/carla") != ana.tag
    assert carla.token_name.endswith(carla.tag)
    assert carla.token_env_var == "SCM_ACCESS_TOKEN__SCANNER__GITHUB__CARLA"


def test_a_copy_that_changes_the_integration_renames_the_token(holders_slots):
    ana = holders_slots[0]
    _ = ana.token_name
    assert ana.model_copy(update={"integration": "Other"}).token_name == f"Other (scanner) {ana.tag}"


def test_holders_share_what_their_declaration_gives_them(today):
    access = GitLabAccess(scopes=["api"], group="acme/g", holder=["ana", "bruna"])
    ana, bruna = planned(today, access)
    assert ana.scopes is bruna.scopes and ana.violations is bruna.violations and ana.access is bruna.access
    assert ana.__dict__ is not bruna.__dict__


def test_slots_for_holders_refuses_values_that_are_not_a_slots(holders_slots):
    shared = {name: getattr(holders_slots[0], name) for name in Slot.model_fields}
    with pytest.raises(ValueError, match="holder"):  # the holder's own fields come from the holders
        slots_for_holders(shared, [("x", None, None)])
    del shared["holder"], shared["holder_login"], shared["holder_email"], shared["reason"]
    with pytest.raises(ValueError, match="reason"):
        slots_for_holders(shared, [("x", None, None)])


def test_a_copy_of_one_slot_leaves_the_others_fields_set_alone(holders_slots):
    ana, bruna = holders_slots
    before = set(bruna.model_fields_set)
    ana.model_copy(update={"holder": "carla"})
    assert bruna.model_fields_set == before == set(Slot.model_fields)


def test_holders_token_names_cut_once_equal_names_cut_for_each(today):
    # A fine-grained token's name is cut to 40 characters; the holders built together cut it once.
    connection = Connection(
        name="a-very-long-connection-name", integration="A Very Long Integration Name", owner="team",
        purpose="Scans.", access=[GitHubAccess(scopes=["metadata:read"], org="acme", holder=["ana", "bruna", "carla"])],
    )
    slots = plan(validate([connection], Policy()), Policy(), today).slots
    names = [slot.token_name for slot in slots]
    assert names == [validated(slot).token_name for slot in slots]
    assert all(len(name) == 40 and name.endswith(slot.tag) for name, slot in zip(names, slots))
    assert len({name[:-len(slot.tag)] for name, slot in zip(names, slots)}) == 1


def test_a_provisioned_slots_token_name_is_its_plain_name(today):
    access = GitLabAccess(scopes=["read_api"], group="acme/g", holder=ServiceIdentity(service="ci"))
    [slot] = planned(today, access)
    assert slot.token_name == "Scanner (scanner)" == validated(slot).token_name


def test_holders_token_variables_from_their_shared_start_equal_variables_made_for_each(today):
    access = GitHubAccess(scopes=["repo"], org="acme", holder=["ana", "bruna-lima", "c--3"])
    slots = planned(today, access)
    assert [slot.token_env_var for slot in slots] == [validated(slot).token_env_var for slot in slots] == [
        "SCM_ACCESS_TOKEN__SCANNER__GITHUB__ANA",
        "SCM_ACCESS_TOKEN__SCANNER__GITHUB__BRUNA_LIMA",
        "SCM_ACCESS_TOKEN__SCANNER__GITHUB__C_3",
    ]
