"""A slot's JSON summary (plan --format json, plan.json): each slot's own, however many slots share a declaration."""

from scm_access.declarations import Connection, GitHubAccess, Person, Policy
from scm_access.plan.planner import plan
from scm_access.plan.slot import Slot, declaration_groups, declaration_runs, summaries
from scm_access.validate import validate


def plan_holders(today):
    access = GitHubAccess(
        scopes=["repo"], org="acme",
        holder=[Person(name="alice", login="alice-gh", email="alice@example.com"), Person(name="bob")],
    )
    connection = Connection(name="demo", integration="Demo", owner="team", purpose="testing", access=[access])
    return plan(validate([connection], Policy()), Policy(), today).slots


def test_summaries_are_each_slots_own_summary(today):
    slots = plan_holders(today)
    assert list(summaries(slots)) == [slot.summary() for slot in slots]


def test_each_holder_keeps_its_own_login_email_and_token_variable(today):
    documents = list(summaries(plan_holders(today)))
    assert [(d["holder"], d["holder_login"], d["holder_email"]) for d in documents] == [
        ("alice", "alice-gh", "alice@example.com"),
        ("bob", None, None),
    ]
    assert [d["token_env_var"] for d in documents] == [
        "SCM_ACCESS_TOKEN__DEMO__GITHUB__ALICE",
        "SCM_ACCESS_TOKEN__DEMO__GITHUB__BOB",
    ]


def test_a_slot_that_differs_beyond_its_holder_is_summarised_on_its_own(today):
    first, second = plan_holders(today)
    changed = second.model_copy(update={"reason": "another reason", "lifetime_days": 7})
    assert list(summaries([first, changed])) == [first.summary(), changed.summary()]


def leaders(slots):
    return [slots.index(leader) for _, leader in declaration_runs(slots)]


def test_the_holders_of_a_declaration_are_one_run_led_by_the_first(today):
    alice, bob = plan_holders(today)
    assert leaders([alice, bob]) == [0, 0]
    assert leaders([alice, bob.model_copy()]) == [0, 0]  # a plain copy has the very same values


def test_a_copy_that_changes_a_shared_value_starts_a_run_of_its_own(today):
    alice, bob = plan_holders(today)
    assert leaders([alice, bob.model_copy(update={"reason": "another reason"})]) == [0, 1]
    assert leaders([alice, bob.model_copy(update={"holder": "carol"}), bob]) == [0, 0, 0]


def test_slots_built_apart_with_the_very_same_values_are_one_run(today):
    alice, bob = plan_holders(today)
    rebuilt = Slot.model_construct(**{name: getattr(bob, name) for name in Slot.model_fields})
    assert leaders([alice, rebuilt]) == [0, 0]
    other = Slot.model_construct(**{**{name: getattr(bob, name) for name in Slot.model_fields}, "scopes": ["repo"]})
    assert leaders([alice, other]) == [0, 1]  # equal scopes, another list: compared by identity


def test_groups_are_the_runs_each_slot_is_in_once_in_order(today):
    alice, bob = plan_holders(today)
    other = bob.model_copy(update={"reason": "another reason"})
    slots = [alice, bob, other, alice]
    groups = list(declaration_groups(slots))
    assert [(leader, run) for leader, run in groups] == [(alice, [alice, bob]), (other, [other]), (alice, [alice])]
    assert [slot for _, run in groups for slot in run] == slots
    assert [leader for slot, leader in declaration_runs(slots)] == [leader for leader, run in groups for _ in run]


def test_no_slots_no_groups():
    assert list(declaration_groups([])) == []
