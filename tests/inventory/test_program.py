"""The inventory inside `pulumi up` (Pulumi's in-process mocks): with administrator credentials in the
stack's config, personal-token findings come from the inventory and the stack output `undeclared` lists what
exists without a declaration; without them nothing changes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.inventory.model import FoundCredential, Inventory, SourceReport, SourceStatus
from scm_access.inventory.program import config_key
from scm_access.plan.slot import slot_tag
from tests.inventory.fake_reader import FakeReader, answering, install
from tests.provision.harness import run_program

ADMIN_VARIABLE = "SCM_ACCESS_GITHUB_FAKE_ADMIN_TOKEN"
ADMIN_KEY = config_key(ADMIN_VARIABLE)
ADMIN_VALUE = "fake-admin-CANARY-0123456789"
SLOT = "deeptraq/github/diego"
TODAY = date(2026, 11, 23)
MIDNIGHT = datetime(2026, 11, 23, tzinfo=UTC)
READ = SourceReport("github", "fine_grained_grants", SourceStatus.READ, "2 grants", "acme",
                    (CredentialKind.GITHUB_FINE_GRAINED_PAT,))


def grant(**changes) -> FoundCredential:
    fields = dict(
        platform=Platform.GITHUB, source="fine_grained_grants", id="25381",
        kind=CredentialKind.GITHUB_FINE_GRAINED_PAT, kind_label="fine-grained personal access token",
        name=f"DeepTraQ (deeptraq) {slot_tag(SLOT)}", owner="diego-rocha", scope="acme",
        scopes=frozenset({"metadata:read"}), repository_selection="subset",
        repositories=frozenset({"acme/deeptraq-security-scanner"}),
        expires_at=MIDNIGHT + timedelta(days=29), never_expires=False, expired=False,
        created_at=MIDNIGHT - timedelta(days=1), last_used_at=MIDNIGHT - timedelta(hours=5), usage_shown=True,
    )
    fields.update(changes)
    return FoundCredential(**fields)


STRAY = grant(id="999", name="laptop", owner="carla-dias", never_expires=True, expires_at=None)


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(datetime(2026, 11, 23, 12, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def reader(monkeypatch):
    fake = FakeReader(ADMIN_VARIABLE, answering(Inventory([grant(), STRAY], [READ])))
    install(monkeypatch, {"github": fake})
    return fake


def finding_of(run, slot: str) -> dict:
    connection = slot.split("/")[0]
    return next(f for f in run.value(connection)["findings"] if f["slot"] == slot)


def with_admin_config(**config):
    return run_program({}, config={ADMIN_KEY: ADMIN_VALUE, **config}, secret_keys=(ADMIN_KEY,))


def test_the_config_key_is_the_variable_in_camel_case_without_the_prefix():
    assert config_key("SCM_ACCESS_GITLAB_ADMIN_TOKEN") == "gitlabAdminToken"


def test_without_admin_credentials_nothing_changes(reader):
    run = run_program({})
    assert finding_of(run, SLOT)["status"] == "missing" and "undeclared" not in run.outputs and not reader.contexts


def test_with_admin_credentials_a_personal_token_slot_is_judged_from_the_inventory(reader):
    finding = finding_of(with_admin_config(), SLOT)
    assert (finding["status"], finding["matched_by"]) == ("ok", "name")


def test_with_admin_credentials_the_stack_lists_what_exists_undeclared(reader):
    undeclared = with_admin_config().value("undeclared")
    assert [(u["id"], u["problems"][0]["code"]) for u in undeclared] == [("999", "undeclared_credential")]


def test_the_reader_gets_the_credential_from_the_stack_config(reader):
    with_admin_config()
    assert reader.contexts[0].environ == {ADMIN_VARIABLE: ADMIN_VALUE}


def test_a_failed_source_leaves_the_slot_unknown_with_the_reason(monkeypatch):
    failed = SourceReport("github", "fine_grained_grants", SourceStatus.FAILED, "HTTP 502 from the fake", "acme",
                          (CredentialKind.GITHUB_FINE_GRAINED_PAT,))
    install(monkeypatch, {"github": FakeReader(ADMIN_VARIABLE, answering(Inventory([], [failed])))})
    finding = finding_of(with_admin_config(), SLOT)
    assert finding["status"] == "unknown" and "HTTP 502" in finding["reason"]


def test_the_admin_credential_is_in_no_output(reader):
    run = with_admin_config()
    assert ADMIN_VALUE not in json.dumps({k: v[0] for k, v in run.outputs.items()}, default=str)


def test_the_summary_names_the_sources_read(reader):
    summary = with_admin_config().value("summary")
    assert summary["inventory"]["sources"][0]["status"] == "read" and summary["inventory"]["undeclared"] == 1


def test_the_docs_name_the_stack_config_key_of_every_admin_credential():
    from pathlib import Path

    from scm_access.inventory.runner import admin_credentials

    docs = (Path(__file__).parents[2] / "docs" / "inventory.md").read_text()
    undocumented = [
        c.env_var for c in admin_credentials(Platform)
        if f"`{c.env_var}` | `scm-access:{config_key(c.env_var)}`" not in docs
    ]
    assert undocumented == []
