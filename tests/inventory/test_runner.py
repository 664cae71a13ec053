"""Running the inventory: every configured platform's reader at once, a platform without credentials
skipped with one line, a failing source spoiling only its own slots, nothing secret in what comes out."""

from __future__ import annotations

import asyncio
import json

import pytest

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.http import ApiClient, ApiUnavailable
from scm_access.inventory.model import Inventory, SourceReport, SourceStatus
from scm_access.inventory.reader import InventoryContext
from scm_access.inventory.runner import run_inventory
from scm_access.judge import Status
from scm_access.judge.secrets import register_secret
from tests.inventory.conftest import POLICY, gitlab_slot, gitlab_token_for, grant_for, grants_read, scanner_slot
from tests.inventory.fake_reader import FakeReader, Read, answering, install
from tests.support.fake_time import NOW

GITHUB_SLOT = scanner_slot()
GITLAB_SLOT = gitlab_slot()
GITLAB_READ = SourceReport("gitlab", "personal_access_tokens", SourceStatus.READ, "1 token", None, (CredentialKind.GITLAB_PAT,))
ENVIRON = {"GH_ADMIN": "x", "GL_ADMIN": "y"}


def run(**kwargs):
    async def go():
        async with ApiClient() as http:
            return await run_inventory(
                [GITHUB_SLOT, GITLAB_SLOT], policy=POLICY, environ=kwargs.pop("environ", ENVIRON), http=http,
                now=NOW, **kwargs,
            )

    return asyncio.run(go())


def statuses(report) -> dict[str, Status]:
    return {f.finding.slot: f.finding.status for f in report.findings}


def both_platforms(github: Read, gitlab: Read) -> dict[str, FakeReader]:
    return {"github": FakeReader("GH_ADMIN", github), "gitlab": FakeReader("GL_ADMIN", gitlab)}


def healthy_github() -> Read:
    return answering(Inventory(credentials=[grant_for(GITHUB_SLOT)], sources=[grants_read()]))


def healthy_gitlab() -> Read:
    return answering(Inventory(credentials=[gitlab_token_for(GITLAB_SLOT)], sources=[GITLAB_READ]))


def test_every_configured_platform_is_read_and_judged(monkeypatch):
    install(monkeypatch, both_platforms(healthy_github(), healthy_gitlab()))
    assert statuses(run()) == {GITHUB_SLOT.id: Status.OK, GITLAB_SLOT.id: Status.OK}


def test_readers_run_at_the_same_time(monkeypatch):
    running = {"now": 0, "peak": 0}

    def overlapping(inventory: Inventory) -> Read:
        async def read(ctx: InventoryContext) -> Inventory:
            running["now"] += 1
            running["peak"] = max(running["peak"], running["now"])
            await asyncio.sleep(0.05)
            running["now"] -= 1
            return inventory

        return read

    install(monkeypatch, both_platforms(
        overlapping(Inventory(sources=[grants_read()])), overlapping(Inventory(sources=[GITLAB_READ]))
    ))
    run()
    assert running["peak"] == 2


def test_a_platform_without_credentials_is_skipped_with_one_line_naming_the_variable(monkeypatch):
    install(monkeypatch, both_platforms(healthy_github(), healthy_gitlab()))
    report = run(environ={"GH_ADMIN": "x"})
    assert [line for line in report.skipped if line.startswith("gitlab")] == ["gitlab: skipped: set GL_ADMIN to read it"]


def test_the_slots_of_a_skipped_platform_are_not_judged(monkeypatch):
    install(monkeypatch, both_platforms(healthy_github(), healthy_gitlab()))
    assert list(statuses(run(environ={"GH_ADMIN": "x"}))) == [GITHUB_SLOT.id]


def test_only_the_platforms_asked_for_are_read(monkeypatch):
    install(monkeypatch, both_platforms(healthy_github(), healthy_gitlab()))
    assert list(statuses(run(platforms=[Platform.GITLAB]))) == [GITLAB_SLOT.id]


def test_a_failed_view_makes_its_slots_unknown_and_leaves_the_others_intact(monkeypatch):
    failed = grants_read(status=SourceStatus.FAILED, detail="GitHub answered HTTP 502")
    install(monkeypatch, both_platforms(answering(Inventory(sources=[failed])), healthy_gitlab()))
    report = run()
    assert statuses(report) == {GITHUB_SLOT.id: Status.UNKNOWN, GITLAB_SLOT.id: Status.OK}
    assert "HTTP 502" in (report.findings[0].finding.reason or "")


def test_a_reader_that_lets_a_server_failure_through_spoils_only_its_platform(monkeypatch):
    async def unreachable(ctx: InventoryContext) -> Inventory:
        raise ApiUnavailable("api.github.com did not answer after 3 tries")

    install(monkeypatch, both_platforms(unreachable, healthy_gitlab()))
    report = run()
    assert statuses(report) == {GITHUB_SLOT.id: Status.UNKNOWN, GITLAB_SLOT.id: Status.OK}
    assert "did not answer" in (report.findings[0].finding.reason or "")


def test_a_bug_in_a_reader_is_not_a_finding(monkeypatch):
    async def broken(ctx: InventoryContext) -> Inventory:
        raise KeyError("owner")

    install(monkeypatch, both_platforms(broken, healthy_gitlab()))
    with pytest.raises(KeyError):
        run()


def test_a_credential_nobody_declared_is_listed_as_undeclared(monkeypatch):
    stray = grant_for(GITHUB_SLOT, id="99", name="laptop", owner="carla")
    inventory = Inventory(credentials=[grant_for(GITHUB_SLOT), stray], sources=[grants_read()])
    install(monkeypatch, both_platforms(answering(inventory), healthy_gitlab()))
    report = run()
    assert [(u.credential.id, u.problems[0].code.value) for u in report.undeclared] == [("99", "undeclared_credential")]


def test_a_credential_listed_twice_by_a_reader_counts_once(monkeypatch):
    inventory = Inventory(credentials=[grant_for(GITHUB_SLOT), grant_for(GITHUB_SLOT)], sources=[grants_read()])
    install(monkeypatch, both_platforms(answering(inventory), healthy_gitlab()))
    assert statuses(run())[GITHUB_SLOT.id] == Status.OK


def test_no_credential_value_leaves_the_run_whatever_a_server_echoed(monkeypatch):
    secret = "glpat-CANARYcanaryCANARY0123"
    register_secret(secret)
    echoed = gitlab_token_for(GITLAB_SLOT, id="5", name=f"copy of {secret}", owner="someone")
    failed = grants_read(status=SourceStatus.FAILED, detail=f"refused {secret}")
    install(monkeypatch, both_platforms(
        answering(Inventory(sources=[failed])),
        answering(Inventory(credentials=[gitlab_token_for(GITLAB_SLOT), echoed], sources=[GITLAB_READ])),
    ))
    document = json.dumps(run().document())
    assert secret not in document and "<redacted>" in document


def test_a_credential_value_a_server_put_in_any_field_of_what_it_lists_is_in_no_output(monkeypatch):
    secret = "glpat-ECHOechoECHOecho0123"
    register_secret(secret)
    everywhere = dict(
        id=f"id-{secret}", owner_id=secret, kind=None, kind_label=f"token {secret}", scope=f"group {secret}",
        scopes=frozenset({secret, "read_api"}), repositories=frozenset({f"acme/{secret}"}), token_last_eight=secret,
        access_level=secret, extra=(("description", secret),),
    )
    stray = gitlab_token_for(GITLAB_SLOT, name="stray", owner="someone", **everywhere)
    matched = grant_for(GITHUB_SLOT, id=secret, owner_id=secret, extra=(("note", secret),))
    install(monkeypatch, both_platforms(
        answering(Inventory(credentials=[matched], sources=[grants_read()])),
        answering(Inventory(credentials=[gitlab_token_for(GITLAB_SLOT), stray], sources=[GITLAB_READ])),
    ))
    report = run()
    import scm_access.outputs.inventory  # noqa: F401 - registers the inventory's formats
    from scm_access.outputs import OutputFormat, render

    outputs = [json.dumps(report.document())] + [
        render("inventory", form, report) for form in (OutputFormat.MARKDOWN, OutputFormat.HTML)
    ]
    assert [secret[:16] in text or secret[-16:] in text for text in outputs] == [False, False, False]
    assert all("redacted" in text for text in outputs)
