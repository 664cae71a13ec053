"""A DeepTraQ fine-grained token created as the instructions say is ``ok`` through `scm-access inventory` and
through `scm-access verify`, with the GitHub App configured, against a local GitHub."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from scm_access.cli import app
from scm_access.plan.slot import slot_tag
from tests.cli.project import declare, set_policy
from tests.platforms.github.inventory_fixtures import APP_ENV, APP_ID, PUBLIC_KEY, grant
from tests.support.fake_github import Account, FakeGitHub
from tests.support.fake_github_admin import FakeGitHubAdmin, OrgState

SCANNER = """
CONNECTION = Connection(name="deeptraq", integration="DeepTraQ", owner="appsec",
    purpose="DeepTraQ scans the security scanner repository.", access=[
    GitHubAccess(scopes=["metadata:read"], org="acme", repositories=["deeptraq-security-scanner"],
                 holder=[Person(name="diego", login="diego-rocha")], max_lifetime_days=30)])
"""
TOKEN = "github_pat_11ENDTOEND0endtoend_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"


@pytest.fixture
def project(tmp_path):
    declare(tmp_path, "deeptraq", SCANNER)
    set_policy(tmp_path)
    return tmp_path


@pytest.fixture
def github(serve, monkeypatch):
    """acme's grant of the token the instructions asked for (name with the slot's tag, metadata read, the
    one repository, 20 days), and the token itself answering as GitHub does."""
    for name, value in APP_ENV.items():
        monkeypatch.setenv(name, value)
    expires = (datetime.now(UTC) + timedelta(days=20)).replace(microsecond=0)
    row = grant(
        id=31,
        login="diego-rocha",
        name=f"DeepTraQ (deeptraq) {slot_tag('deeptraq/github/diego')}",
        expires_at=expires.isoformat().replace("+00:00", "Z"),
        last_used_at=None,
    )
    org = OrgState(grants=[row], grant_repositories={31: ["deeptraq-security-scanner"]}, members=["diego-rocha"])
    holder = Account(
        "diego-rocha",
        scopes=None,
        expiration=expires.strftime("%Y-%m-%d %H:%M:%S UTC"),
        repositories={"acme/deeptraq-security-scanner": True},
    )
    fake = FakeGitHubAdmin(APP_ID, PUBLIC_KEY, {"acme": org}, clock=time.time, fallback=FakeGitHub({TOKEN: holder}))
    return serve(fake)


def test_the_token_made_as_instructed_is_ok_in_the_inventory(project, github):
    result = CliRunner().invoke(
        app, ["inventory", "--project", str(project), "--platform", "github", "--base-url", github.url, "--format", "json"]
    )
    document = json.loads(result.stdout)
    assert [(f["slot"], f["status"], f["matched_by"]) for f in document["findings"]] == [
        ("deeptraq/github/diego", "ok", "name")
    ]
    assert (result.exit_code, document["undeclared"]) == (0, [])


def test_the_token_made_as_instructed_is_ok_in_verify(project, github, monkeypatch):
    monkeypatch.setenv("SCM_ACCESS_TOKEN", TOKEN)
    result = CliRunner().invoke(
        app,
        ["verify", "deeptraq", "--project", str(project), "--platform", "github", "--base-url", github.url,
         "--format", "json"],
    )
    finding = json.loads(result.stdout)
    assert (finding["slot"], finding["status"], result.exit_code) == ("deeptraq/github/diego", "ok", 0)
