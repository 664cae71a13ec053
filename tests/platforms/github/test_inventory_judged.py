"""What GitHub's views give, judged end to end by the inventory runner (matching and the one judge)."""

from __future__ import annotations

import asyncio
import time

import pytest

from scm_access.declarations import Policy
from scm_access.inventory.runner import run_inventory
from scm_access.judge import Status
from tests.platforms.github.inventory_fixtures import APP_ENV, APP_ID, PUBLIC_KEY, deploy_key, deploy_key_slot
from tests.support.fake_github_admin import FakeGitHubAdmin, OrgState
from tests.support.fake_time import NOW


@pytest.fixture
def github(serve):
    def start(**orgs: OrgState):
        return serve(FakeGitHubAdmin(APP_ID, PUBLIC_KEY, orgs, clock=time.time))

    return start


def judged(server, slots, make_client):
    async def run():
        async with make_client(run_time_limit=None) as client:
            return await run_inventory(slots, policy=Policy(), environ=APP_ENV, api_root=server.url, http=client, now=NOW)

    return asyncio.run(run())


def test_one_key_per_declared_repository_is_ok_not_a_duplicate(github, make_client):
    slot = deploy_key_slot(repositories=["app", "web"])
    marker = f"CI (ci) [scm-access {slot.id}]"
    server = github(acme=OrgState(deploy_keys={"app": [deploy_key(1, marker)], "web": [deploy_key(2, marker)]}))
    (finding,) = [f.finding for f in judged(server, [slot], make_client).findings]
    assert (finding.status, [p.code.value for p in finding.problems]) == (Status.OK, [])


def test_a_declared_repository_without_its_key_is_missing(github, make_client):
    slot = deploy_key_slot(repositories=["app", "web"])
    server = github(acme=OrgState(deploy_keys={"app": [deploy_key(1, f"CI (ci) [scm-access {slot.id}]")], "web": []}))
    (finding,) = [f.finding for f in judged(server, [slot], make_client).findings]
    assert [p.code.value for p in finding.problems] == ["missing_scope"] and "acme/web" in finding.problems[0].detail


def test_two_keys_on_one_repository_are_a_duplicate(github, make_client):
    slot = deploy_key_slot(repositories=["app"])
    marker = f"CI (ci) [scm-access {slot.id}]"
    server = github(acme=OrgState(deploy_keys={"app": [deploy_key(1, marker), deploy_key(2, marker)]}))
    (finding,) = [f.finding for f in judged(server, [slot], make_client).findings]
    assert "duplicate" in [p.code.value for p in finding.problems]


def test_a_key_that_can_push_where_read_is_declared_is_excess(github, make_client):
    slot = deploy_key_slot(repositories=["app"])
    server = github(acme=OrgState(deploy_keys={"app": [deploy_key(1, f"t [scm-access {slot.id}]", read_only=False)]}))
    (finding,) = [f.finding for f in judged(server, [slot], make_client).findings]
    assert [p.code.value for p in finding.problems] == ["excess_scope"]
