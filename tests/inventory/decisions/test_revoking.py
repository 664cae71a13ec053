"""Revocation end to end against a local GitHub (the App, its installation, the grant revocation endpoint):
nothing written in a dry run or without the opt-in (the server records every write), the cap and the
certainty rules hold, every act is reported with the person affected."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from scm_access.declarations import Policy
from scm_access.errors import ExitCode
from scm_access.http import ApiClient, HttpSettings, RetryPolicy
from scm_access.inventory.decisions import Matched, Outcome, RevocationCandidate
from scm_access.inventory.decisions.runner import RevocationsRun, revoke_candidates
from scm_access.inventory.model import HolderState
from tests.inventory.decisions.conftest import NOW
from tests.inventory.decisions.test_revocation import grant
from tests.support.fake_github_admin import pem_of, revoking_github

APP_ID = 515151


@pytest.fixture(scope="module")
def key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def github(key):
    with revoking_github(APP_ID, key.public_key()) as served:
        yield served


def revoke(local, key, candidates, policy, *, apply) -> RevocationsRun:
    pem = pem_of(key)
    environ = {"SCM_ACCESS_GITHUB_APP_ID": str(APP_ID), "SCM_ACCESS_GITHUB_APP_PRIVATE_KEY": pem}

    async def go():
        async with ApiClient(HttpSettings(timeout=5, retry=RetryPolicy(attempts=1))) as http:
            return await revoke_candidates(
                candidates, [], policy, environ, NOW, apply=apply, http=http, api_root=local.url
            )

    return asyncio.run(go())


def undeclared(grant_id: str, **changes) -> RevocationCandidate:
    return RevocationCandidate(grant(id=grant_id, **changes))


ALLOWED = Policy(allow_revocation=["github_fine_grained_pat"])


def test_a_dry_run_proposes_and_writes_nothing(github, key):
    server, local = github
    run = revoke(local, key, [undeclared("11")], ALLOWED, apply=False)
    assert server.writes == []
    assert [(p.cause, r.outcome) for p, r in run.acts] == [("undeclared", Outcome.NOT_SENT)]
    assert run.exit_code == ExitCode.ACTION_REQUIRED


def test_without_the_opt_in_nothing_is_written_even_with_apply(github, key):
    server, local = github
    run = revoke(local, key, [undeclared("11")], Policy(), apply=True)
    assert server.writes == [] and "allow_revocation" in run.acts[0][1].detail


def test_with_apply_and_the_opt_in_the_grant_is_revoked_and_reported(github, key):
    server, local = github
    run = revoke(local, key, [undeclared("11")], ALLOWED, apply=True)
    assert server.revoked == [{"action": "revoke", "pat_ids": [11]}]
    ((proposal, result),) = run.acts
    assert (proposal.affected, result.outcome, run.exit_code) == ("octocat", Outcome.DONE, ExitCode.OK)


def test_the_cap_holds_across_one_run(github, key):
    server, local = github
    policy = Policy(allow_revocation=True, max_revocations_per_run=2)
    run = revoke(local, key, [undeclared(str(n)) for n in (11, 12, 13)], policy, apply=True)
    assert [sorted(call["pat_ids"]) for call in server.revoked] == [[11, 12]]
    assert [r.outcome for _, r in run.acts] == [Outcome.DONE, Outcome.DONE, Outcome.NOT_SENT]


def test_an_uncertain_verdict_or_a_heuristic_match_is_never_revoked(github, key):
    server, local = github
    uncertain = RevocationCandidate(grant(id="21", expired=True), certain=False)
    guessed = RevocationCandidate(
        grant(id="22", owner_state=HolderState.DELETED), slot="scanner/github/dora", matched_by=Matched.HEURISTIC
    )
    run = revoke(local, key, [uncertain, guessed], Policy(allow_revocation=True), apply=True)
    assert server.writes == [] and {r.outcome for _, r in run.acts} == {Outcome.NOT_SENT}


def test_an_app_that_may_only_read_grants_revokes_nothing(github, key):
    server, local = github
    server.fake.orgs["acme"].app_permissions["organization_personal_access_tokens"] = "read"
    run = revoke(local, key, [undeclared("11")], ALLOWED, apply=True)
    assert server.writes == [] and run.acts[0][1].outcome == Outcome.FAILED
    assert run.exit_code == ExitCode.UNKNOWN


def test_an_expired_grant_is_revoked_first_when_the_cap_cuts(github, key):
    server, local = github
    policy = Policy(allow_revocation=True, max_revocations_per_run=1)
    candidates = [undeclared("31"), undeclared("32", expires_at=NOW - timedelta(days=2), expired=True)]
    revoke(local, key, candidates, policy, apply=True)
    assert server.revoked == [{"action": "revoke", "pat_ids": [32]}]
