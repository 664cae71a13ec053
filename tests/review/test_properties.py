"""Properties of the semantic diff, over generated declarations and policies: a revision compared with itself
is no change; comparing the other way round inverts every change; the order declarations are written in
changes nothing."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from scm_access.declarations import (
    Connection,
    CredentialKind,
    GitHubAccess,
    GitLabAccess,
    Person,
    Policy,
    SamlSsoAuthorization,
    ServiceIdentity,
)
from scm_access.errors import DeclarationError
from scm_access.review.model import Review
from tests.review.conftest import planned, reviewed

GITHUB_SCOPES = ["repo", "public_repo", "read:org", "write:org", "admin:org", "workflow", "delete_repo"]
GITLAB_SCOPES = ["read_api", "api", "read_repository", "write_repository"]
PEOPLE = ["alice", "bob", "carol"]


def subset(items: list[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(items), min_size=1, max_size=3, unique=True)


@st.composite
def github_access(draw) -> dict:
    return {
        "platform": "github",
        "scopes": draw(subset(GITHUB_SCOPES)),
        "holder": draw(subset(PEOPLE)),
        "lifetime": draw(st.sampled_from([30, 60, 90])),
        "sso": draw(st.booleans()),
        "repositories": draw(st.lists(st.sampled_from(["api", "web", "docs"]), max_size=3, unique=True)),
    }


@st.composite
def gitlab_access(draw) -> dict:
    service = draw(st.booleans())
    return {
        "platform": "gitlab",
        "scopes": draw(subset(GITLAB_SCOPES)),
        "holder": None if service else draw(subset(PEOPLE)),
        "lifetime": draw(st.sampled_from([30, 90])),
    }


@st.composite
def revision(draw) -> dict:
    names = draw(st.lists(st.sampled_from(["north", "south", "east", "west"]), max_size=3, unique=True))
    connections = {}
    for name in names:
        platforms = draw(st.lists(st.sampled_from(["github", "gitlab"]), min_size=1, max_size=2, unique=True))
        connections[name] = [draw(github_access() if p == "github" else gitlab_access()) for p in platforms]
    policy = {
        "forbidden": draw(st.lists(st.sampled_from(["delete_repo", "admin:enterprise", "site_admin"]), unique=True)),
        "fine_grained_days": draw(st.sampled_from([90, 120])),
        "allow_classic_pats": draw(st.booleans()),
    }
    return {"connections": connections, "policy": policy}


def build(spec: dict, shuffle: random.Random | None = None) -> dict:
    """The snapshot of a generated revision; with ``shuffle``, every list whose order means nothing is
    written in another order."""

    def order(items: list) -> list:
        items = list(items)
        if shuffle is not None:
            shuffle.shuffle(items)
        return items

    connections = []
    for name, entries in order(list(spec["connections"].items())):
        access = []
        for entry in order(entries):
            holder = [Person(name=p, login=p) for p in order(entry["holder"])] if entry["holder"] else ServiceIdentity(service="bot")
            if entry["platform"] == "github":
                access.append(
                    GitHubAccess(
                        org="acme",
                        repositories=order(entry["repositories"]),
                        scopes=order(entry["scopes"]),
                        holder=holder,
                        max_lifetime_days=entry["lifetime"],
                        prerequisites=[SamlSsoAuthorization(org="acme")] if entry["sso"] else [],
                    )
                )
            else:
                access.append(
                    GitLabAccess(group="acme/g", scopes=order(entry["scopes"]), holder=holder, max_lifetime_days=entry["lifetime"])
                )
        connections.append(Connection(name=name, integration=name.title(), owner="o", purpose="p", access=access))
    policy = Policy(
        forbidden_scopes={"github": order(spec["policy"]["forbidden"])},
        max_lifetime_days={CredentialKind.GITHUB_FINE_GRAINED_PAT: spec["policy"]["fine_grained_days"]},
        allow_classic_pats=spec["policy"]["allow_classic_pats"],
    )
    try:
        return planned(connections, policy)
    except DeclarationError:
        reject()  # a combination the declarations refuse is not a revision


PROPERTIES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def changed_slots(review: Review) -> dict[str, object]:
    return {slot.key: slot for connection in review.connections for slot in connection.slots}


@PROPERTIES
@given(revision())
def test_a_revision_compared_with_itself_is_no_change(spec):
    document = build(spec)
    review = reviewed(document, document)
    assert review.connections == [] and review.policy == [] and review.deleted_credentials == []
    assert review.verdicts.new == [] and review.verdicts.fixed == [] and review.verdicts.updated == []
    assert all(f.baseline == "unchanged" for f in review.findings)
    assert not review.changes_access


@PROPERTIES
@given(revision(), st.integers(0, 2**32))
def test_the_order_declarations_are_written_in_changes_nothing(spec, seed):
    review = reviewed(build(spec), build(spec, random.Random(seed)))
    assert review.connections == [] and review.policy == []
    assert all(f.baseline == "unchanged" for f in review.findings)


@PROPERTIES
@given(revision(), revision())
def test_comparing_the_other_way_round_inverts_every_change(first, second):
    a, b = build(first), build(second)
    forward, backward = reviewed(a, b), reviewed(b, a)
    inverse = {"added": "removed", "removed": "added", "changed": "changed"}
    assert {c.name: inverse[c.change] for c in forward.connections} == {c.name: c.change for c in backward.connections}
    there, back = changed_slots(forward), changed_slots(backward)
    assert set(there) == set(back)
    for key, slot in there.items():
        other = back[key]
        assert other.change == inverse[slot.change]
        assert {s.scope for s in slot.scopes_added} == {s.scope for s in other.scopes_removed}
        assert {s.scope for s in slot.scopes_removed} == {s.scope for s in other.scopes_added}
        assert set(slot.newly_granted) == set(other.no_longer_granted)
        assert set(slot.no_longer_granted) == set(other.newly_granted)
        assert {(f.field, repr(f.before), repr(f.after)) for f in slot.fields} == {
            (f.field, repr(f.after), repr(f.before)) for f in other.fields
        }
    assert {(v.slot, v.code) for v in forward.verdicts.new} == {(v.slot, v.code) for v in backward.verdicts.fixed}
    assert {(v.slot, v.code) for v in forward.verdicts.fixed} == {(v.slot, v.code) for v in backward.verdicts.new}
    assert forward.verdicts.unchanged == backward.verdicts.unchanged
    flipped = {"relaxed": "tightened", "tightened": "relaxed", "changed": "changed"}
    assert sorted((p.setting, flipped[p.direction], repr(p.after), repr(p.before)) for p in forward.policy) == sorted(
        (p.setting, p.direction, repr(p.before), repr(p.after)) for p in backward.policy
    )
