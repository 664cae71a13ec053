"""Choosing slots by connection, platform and holder: a name that matches nothing lists the valid choices."""

from datetime import date

import pytest

from scm_access.declarations import Connection, GitHubAccess, GitLabAccess, Policy
from scm_access.plan.planner import plan
from scm_access.plan.selection import SlotSelectionError, select_one_slot, select_slots

SLOTS = plan(
    [
        Connection(
            name="portal",
            integration="Portal",
            owner="team",
            purpose="testing",
            access=[
                GitHubAccess(scopes=["repo"], holder=["ana", "bruno"]),
                GitLabAccess(scopes=["read_api"], holder=["ana"]),
            ],
        ),
        Connection(
            name="scanner",
            integration="Scanner",
            owner="team",
            purpose="testing",
            access=[GitHubAccess(scopes=["repo"], holder=["carla"])],
        ),
    ],
    Policy(),
    date(2026, 1, 1),
).slots


def refusal(*args) -> str:
    with pytest.raises(SlotSelectionError) as caught:
        select_slots(SLOTS, *args)
    assert caught.value.exit_code == 2
    return str(caught.value)


def test_no_filter_selects_every_slot():
    assert select_slots(SLOTS, None, None, None) == SLOTS


def test_filters_narrow_the_choice():
    assert [s.id for s in select_slots(SLOTS, "portal", "github", None)] == ["portal/github/ana", "portal/github/bruno"]
    assert [s.id for s in select_slots(SLOTS, None, None, "carla")] == ["scanner/github/carla"]


def test_an_unknown_connection_lists_the_declared_ones():
    assert refusal("portl", None, None) == "no connection named 'portl' (declared: portal, scanner)"


def test_a_platform_the_connection_does_not_use_lists_its_platforms():
    assert refusal("portal", "bitbucket", None) == (
        "connection 'portal' declares no access on bitbucket (declared: github, gitlab)"
    )


def test_an_unknown_holder_lists_the_holders_there():
    assert refusal("portal", "github", "carlos") == (
        "connection 'portal' on github has no holder 'carlos' (holders: ana, bruno)"
    )


def test_one_slot_asks_for_the_option_that_narrows_it():
    with pytest.raises(SlotSelectionError, match="spans github, gitlab: pass --platform"):
        select_one_slot(SLOTS, "portal", None, "ana")
    with pytest.raises(SlotSelectionError, match=r"several holders on github \(ana, bruno\): pass --holder"):
        select_one_slot(SLOTS, "portal", "github", None)
    assert select_one_slot(SLOTS, "portal", "gitlab", None).id == "portal/gitlab/ana"
