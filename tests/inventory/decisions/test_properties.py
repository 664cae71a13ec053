"""Properties over generated declarations, requests, inventories and policies: nothing approved exceeds a
declaration; nothing is sent without --apply and the opt-in; nothing is revoked on an uncertain verdict or a
heuristic match; the per-run cap holds."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations import Person, Policy
from scm_access.inventory.decisions import Decision, Matched, Revocability, RevocationCandidate
from scm_access.inventory.decisions.gate import gate_requests, gate_revocations
from scm_access.inventory.decisions.requests import EXPIRY_GRACE, decide_requests
from scm_access.inventory.decisions.revocation import propose_revocations
from scm_access.inventory.model import HolderState
from tests.inventory.decisions.conftest import NOW, request, scanner_access, slots_for
from tests.inventory.decisions.test_revocation import grant

PERMISSIONS = ("contents", "issues", "pull_requests", "actions")
LEVELS = ("read", "write")
REPOSITORIES = ("scanner", "tools", "web", "payroll")
LOGINS = ("dora", "emil", "fay")


def within(asked: str, declared: set[str]) -> bool:
    """The oracle, written apart from the catalog: a level covers the levels below it; GitHub adds
    metadata:read to any repository permission."""
    if asked == "metadata:read":
        return bool(declared)
    permission, level = asked.split(":")
    return any(d.split(":")[0] == permission and LEVELS.index(d.split(":")[1]) >= LEVELS.index(level) for d in declared)


scopes = st.sets(st.sampled_from([f"{p}:{level}" for p in PERMISSIONS for level in LEVELS]), min_size=1, max_size=3)
declarations = st.lists(
    st.tuples(st.sampled_from(LOGINS), scopes, st.sets(st.sampled_from(REPOSITORIES), max_size=3), st.integers(1, 90)),
    min_size=1,
    max_size=3,
)
requests = st.lists(
    st.tuples(
        st.sampled_from(LOGINS),
        st.sets(st.sampled_from([f"{p}:{level}" for p in PERMISSIONS for level in LEVELS] + ["metadata:read"]), max_size=4),
        st.one_of(st.none(), st.just("all"), st.sets(st.sampled_from(REPOSITORIES), min_size=1, max_size=3)),
        st.one_of(st.none(), st.integers(1, 400)),
    ),
    min_size=1,
    max_size=4,
)


def declared_slots(entries):
    accesses = [
        scanner_access(
            scopes=sorted(granted),
            repositories=sorted(repositories),
            holder=[Person(name=login, login=login)],
            max_lifetime_days=days,
        )
        for login, granted, repositories, days in entries
    ]
    return slots_for(*accesses)


def as_request(index, login, asked, selection, days):
    return request(
        id=str(index),
        requester=login,
        scopes=frozenset(asked),
        repository_selection="all" if selection == "all" else ("subset" if selection else None),
        repositories=frozenset(f"acme/{r}" for r in selection) if selection and selection != "all" else None,
        expires_at=NOW + timedelta(days=days) if days else None,
        never_expires=False if days else None,
    )


@st.composite
def near_requests(draw, entries):
    """Requests drawn around the declarations: within one, or a step beyond it in one or more facts."""
    login, granted, repositories, days = draw(st.sampled_from(entries))
    asked = draw(st.sets(st.sampled_from(sorted(granted)), min_size=1))
    asked |= draw(st.sets(st.sampled_from([f"{p}:{level}" for p in PERMISSIONS for level in LEVELS]), max_size=1))
    chosen = draw(st.sets(st.sampled_from(sorted(repositories)), min_size=1)) if repositories else None
    selection = draw(st.one_of(st.just(chosen or "all"), st.just("all"), st.sets(st.sampled_from(REPOSITORIES), min_size=1)))
    lifetime = draw(st.one_of(st.integers(1, days), st.integers(1, 400)))
    return draw(st.sampled_from([login, *LOGINS])), asked, selection, lifetime


@settings(max_examples=200, deadline=None)
@given(st.data(), declarations)
def test_nothing_approved_exceeds_a_declaration(data, entries):
    slots = declared_slots(entries)
    asked = data.draw(st.lists(st.one_of(near_requests(entries), requests.map(lambda r: r[0])), min_size=1, max_size=4))
    decisions = decide_requests([as_request(i, *a) for i, a in enumerate(asked)], slots, Policy(), NOW)
    for decision in decisions:
        event(decision.decision.value)
        if decision.decision != Decision.APPROVE:
            continue
        req = decision.request
        slot = next(s for s in slots if s.id == decision.slot)
        declared_repositories = {f"acme/{r}" for r in slot.access.repositories}  # type: ignore[attr-defined]
        assert slot.holder_login == req.requester
        assert all(within(s, set(slot.scopes)) for s in req.scopes or ())
        assert req.repository_selection != "all" or not declared_repositories
        assert not declared_repositories or (req.repositories or set()) <= declared_repositories
        assert req.expires_at is not None and req.expires_at - NOW <= timedelta(days=slot.lifetime_days) + EXPIRY_GRACE


@settings(max_examples=150, deadline=None)
@given(declarations, requests, st.sampled_from(["off", "advise", "enforce"]), st.booleans())
def test_no_review_is_sent_without_apply_and_enforce(entries, asked, review, apply):
    decisions = decide_requests([as_request(i, *a) for i, a in enumerate(asked)], declared_slots(entries), Policy(), NOW)
    gated = gate_requests(decisions, Policy(review_token_requests=review), apply=apply)
    for item in gated:
        if item.send:
            assert apply and review == "enforce" and item.item.decision != Decision.UNDECIDED


candidates = st.lists(
    st.builds(
        lambda n, expired, state, slot, matched, certain, excess: RevocationCandidate(
            grant(id=str(n), expired=expired, owner_state=state),
            slot=slot,
            matched_by=matched if slot else None,
            problems=(("excess_scope", "more"),) if excess else (),
            certain=certain,
        ),
        st.integers(0, 10_000),
        st.booleans(),
        st.one_of(st.none(), st.sampled_from(list(HolderState))),
        st.one_of(st.none(), st.just("scanner/github/dora")),
        st.sampled_from(list(Matched)),
        st.booleans(),
        st.booleans(),
    ),
    max_size=20,
    unique_by=lambda c: c.credential.id,
)
allow = st.one_of(
    st.booleans(),
    st.lists(st.sampled_from([Platform.GITHUB, Platform.GITLAB, CredentialKind.GITHUB_FINE_GRAINED_PAT]), max_size=2),
)
causes = st.lists(st.sampled_from(["undeclared", "expired", "holder_departed", "excess_scope"]), unique=True)


@settings(max_examples=200, deadline=None)
@given(candidates, allow, causes, st.integers(0, 6), st.booleans(), st.booleans(), st.booleans())
def test_revocations_are_sent_only_when_certain_allowed_applied_and_under_the_cap(
    found, allowed, revoke_when, cap, apply, org_access_only, expired_ones_listed
):
    policy = Policy(allow_revocation=allowed, revoke_when=revoke_when, max_revocations_per_run=cap)
    revocability = Revocability(org_access_only=org_access_only, effect="gone", expired_ones_listed=expired_ones_listed)
    proposals = propose_revocations(found, NOW, lambda _: revocability)
    gated = gate_revocations(proposals, policy, apply=apply)
    sent = [g.item for g in gated if g.send]
    by_id = {c.credential.id: c for c in found}
    assert len(sent) <= cap
    for proposal in sent:
        candidate = by_id[proposal.credential.id]
        assert candidate.certain and apply
        assert not (candidate.slot is not None and candidate.matched_by == Matched.HEURISTIC)
        assert policy.revocation_allowed(proposal.credential.platform, proposal.credential.kind)
        assert proposal.cause in revoke_when
        assert proposal.cause != "undeclared" or (org_access_only and candidate.slot is None)
        assert expired_ones_listed or not candidate.credential.expired  # an expired token gone everywhere: not proposed
