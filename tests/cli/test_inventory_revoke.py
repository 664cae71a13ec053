"""`scm-access inventory --revoke [--apply]`: proposals from what the inventory found, acts only with --apply
and the policy's opt-in, through GitHub's grant revocation (a local GitHub App that records every write).
The inventory reader is a fake answering what each test says; the revocation is the real GitHub module."""

from __future__ import annotations

import json

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric import rsa
from typer.testing import CliRunner

from scm_access.cli import app
from scm_access.core.kinds import CredentialKind
from scm_access.inventory.model import FoundCredential, HolderState, Inventory, SourceReport, SourceStatus
from tests.cli.project import declare, set_policy
from tests.cli.scanner import SCANNER, SLOT
from tests.cli.scanner import grant as scanner_grant
from tests.inventory.fake_reader import FakeReader, answering, install
from tests.support.fake_github_admin import pem_of, revoking_github
from tests.support.fake_time import NOW

APP_ID = 616161
READ = SourceReport("github", "fine_grained_grants", SourceStatus.READ, "2 grants", "acme",
                    (CredentialKind.GITHUB_FINE_GRAINED_PAT,))


def grant(**changes) -> FoundCredential:
    """The scanner's grant, its holder known to be active (revocation weighs who holds a credential)."""
    return scanner_grant(**{"owner_state": HolderState.ACTIVE, **changes})


LAPTOP = grant(id="777", name="my laptop", owner="carla", repositories=frozenset({"acme/payroll"}))


@pytest.fixture(scope="module")
def key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def github(key):
    with revoking_github(APP_ID, key.public_key()) as served:
        yield served


def project(tmp_path, policy: str = "POLICY = Policy()\n"):
    declare(tmp_path, "scanner", SCANNER)
    set_policy(tmp_path, policy)
    return tmp_path


def inventory(monkeypatch, key, root, local, *args, found=(grant(), LAPTOP)):
    install(monkeypatch, {"github": FakeReader("GH_ADMIN", answering(Inventory(list(found), [READ])))})
    pem = pem_of(key)
    monkeypatch.setenv("GH_ADMIN", "configured")
    monkeypatch.setenv("SCM_ACCESS_GITHUB_APP_ID", str(APP_ID))
    monkeypatch.setenv("SCM_ACCESS_GITHUB_APP_PRIVATE_KEY", pem)
    with time_machine.travel(NOW, tick=False):
        return CliRunner().invoke(app, ["inventory", "--project", str(root), "--base-url", local.url, *args])


ALLOWED = 'POLICY = Policy(allow_revocation=["github_fine_grained_pat"])\n'


def test_revoke_proposes_the_undeclared_grant_naming_its_holder_and_writes_nothing(monkeypatch, key, tmp_path, github):
    server, local = github
    result = inventory(monkeypatch, key, project(tmp_path, ALLOWED), local, "--revoke", "--format", "json")
    document = json.loads(result.stdout)
    assert [(r["id"], r["cause"], r["affected"], r["result"]) for r in document["revocations"]] == [
        ("777", "undeclared", "carla", "not_sent")
    ]
    assert (server.writes, result.exit_code) == ([], 1)


def test_revoke_apply_revokes_within_the_opt_in_and_reports_it(monkeypatch, key, tmp_path, github):
    server, local = github
    result = inventory(monkeypatch, key, project(tmp_path, ALLOWED), local, "--revoke", "--apply", "--format", "json")
    assert server.revoked == [{"action": "revoke", "pat_ids": [777]}]
    (row,) = json.loads(result.stdout)["revocations"]
    assert (row["result"], row["affected"], result.exit_code) == ("done", "carla", 0)


def test_revoke_apply_without_the_opt_in_writes_nothing(monkeypatch, key, tmp_path, github):
    server, local = github
    result = inventory(monkeypatch, key, project(tmp_path), local, "--revoke", "--apply", "--format", "json")
    assert server.writes == [] and result.exit_code == 1


def test_the_declared_grant_is_never_proposed(monkeypatch, key, tmp_path, github):
    server, local = github
    result = inventory(monkeypatch, key, project(tmp_path, ALLOWED), local, "--revoke", "--format", "json")
    assert "25381" not in {r["id"] for r in json.loads(result.stdout)["revocations"]}


def test_the_terminal_report_shows_the_inventory_then_the_proposals(monkeypatch, key, tmp_path, github):
    server, local = github
    result = inventory(monkeypatch, key, project(tmp_path, ALLOWED), local, "--revoke")
    assert "dry run: nothing is sent" in result.stdout and "carla" in result.stdout


def test_apply_without_revoke_is_a_usage_error(monkeypatch, key, tmp_path, github):
    server, local = github
    result = inventory(monkeypatch, key, project(tmp_path, ALLOWED), local, "--apply")
    assert result.exit_code == 2 and server.writes == []
