"""`scm-access verify --base-url`: a token never goes out over plain http, except to this machine."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scm_access.cli import app
from tests.support.local_server import Reply
from tests.verify.conftest import CANARY

CONNECTION = textwrap.dedent(
    """
    from scm_access.declarations import Connection, GitHubAccess, Person

    CONNECTION = Connection(
        name="ci-bot",
        integration="CI",
        owner="platform",
        purpose="CI reads the org's repositories.",
        access=[GitHubAccess(scopes=["repo"], org="acme", holder=[Person(name="alice", login="alice")])],
    )
    """
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "connections").mkdir()
    (tmp_path / "connections" / "ci_bot.py").write_text(CONNECTION)
    return tmp_path


@pytest.fixture
def capturing_proxy(serve):
    """A plain-http proxy on loopback that records what passes through it (and answers every request)."""
    return serve(lambda request: Reply.json({"message": "proxied"}, 502))


def invoke(project: Path, *args: str, env: dict[str, str]):
    return CliRunner().invoke(app, ["verify", *args, "--project", str(project)], env=env)


@pytest.mark.parametrize("flags", [["ci-bot", "-p", "github"], ["--all", "-p", "github"]])
def test_a_plain_http_base_url_is_a_usage_error_and_nothing_is_sent(project, capturing_proxy, flags):
    env = {
        "SCM_ACCESS_TOKEN": CANARY,
        "SCM_ACCESS_TOKEN__CI_BOT__GITHUB__ALICE": CANARY,
        "HTTP_PROXY": capturing_proxy.url,
        "http_proxy": capturing_proxy.url,
    }
    result = invoke(project, *flags, "--base-url", "http://example.com", env=env)
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        "error: --base-url: refused to send the token to http://example.com: credentials go over https only"
        " (plain http only to a loopback address)"
    ]
    assert capturing_proxy.requests == []
    assert CANARY not in result.output


def test_plain_http_to_a_loopback_address_is_allowed(project, serve):
    server = serve(lambda request: Reply.json({"message": "Bad credentials"}, 401))
    result = invoke(project, "ci-bot", "-p", "github", "--base-url", server.url, env={"SCM_ACCESS_TOKEN": CANARY})
    assert result.exit_code == 1, result.output
    assert len(server.requests) == 1
