"""A token never leaves the process, whatever a server sends back.

Servers here echo the credential they receive into every field they answer with: the identity (login,
username, account), the scopes, error messages and headers, on all four platforms. The token, and every
credential value derived from it (a Basic ``Authorization`` value and its base64 part), must show up
nowhere: not on stdout or stderr in any format, not in the findings, not in a log record, not in the text
of an exception.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import textwrap
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scm_access.cli import app
from scm_access.declarations import Policy
from scm_access.judge.secrets import scrub
from scm_access.declarations.loader import load_project
from scm_access.plan.planner import plan_project
from scm_access.verify.runner import verify_slot
from scm_access.verify.token import Token
from tests.support.local_server import Reply, Request

PROJECT = textwrap.dedent(
    """
    from scm_access.declarations import (
        AzureDevOpsAccess, BitbucketAccess, Connection, GitHubAccess, GitLabAccess, Person,
    )

    ALICE = Person(name="alice", login="alice", email="alice@example.com")
    CONNECTION = Connection(
        name="echo",
        integration="Echo",
        owner="platform",
        purpose="Checks that no token is ever printed.",
        access=[
            GitHubAccess(scopes=["repo"], org="acme", holder=[ALICE]),
            GitLabAccess(scopes=["read_api"], projects=["acme/web"], holder=[ALICE]),
            AzureDevOpsAccess(scopes=["vso.code"], organization="acme", projects=["web"], holder=[ALICE]),
            BitbucketAccess(scopes=["read:repository:bitbucket"], workspace="acme", holder=[ALICE]),
        ],
    )
    """
)


@dataclass(frozen=True)
class Canary:
    platform: str
    token: str

    def derived(self) -> list[str]:
        """The credential values a verifier may build from the token."""
        values = [self.token]
        for user in ("", "alice@example.com", "alice"):
            encoded = base64.b64encode(f"{user}:{self.token}".encode()).decode()
            values += [encoded, f"Basic {encoded}"]
        return values


CANARIES = [
    Canary("github", "ghp_" + "LEAKgithubCANARY0123456789abcdefghij"),
    Canary("gitlab", "glpat-" + "LEAKgitlabCANARY0123"),
    Canary("azure_devops", "leakazuredevopscanary0123456789abcdefghijklmnopqrst"),
    Canary("bitbucket", "ATATT3x" + "LEAKbitbucketCANARY0123456789abcdefgh"),
]


def sent_token(request: Request) -> tuple[str, str]:
    """(token, credential header value) from whichever header carried the credential."""
    if "private-token" in request.headers:
        value = request.headers["private-token"]
        return value, value
    auth = request.authorization or ""
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "basic":
        return base64.b64decode(value).decode().partition(":")[2], auth
    return value, auth


def echoing_server(failing: bool):
    """Answers like each platform, with the token in every field; ``failing``: every answer is an error."""

    def handle(request: Request) -> Reply:
        token, credential = sent_token(request)
        echo = {"X-Echo": credential, "X-Token": token, "WWW-Authenticate": f'Bearer error_description="{token}"'}
        path = request.path.split("?", 1)[0]
        if failing:
            body = {"message": f"{token} {credential}", "error": {"message": token}, "errorDescription": credential}
            return Reply.json(body, 403, echo)
        if path == "/user":  # GitHub
            headers = {**echo, "X-OAuth-Scopes": f"repo, {token}",
                       "GitHub-Authentication-Token-Expiration": "2027-01-01 00:00:00 UTC"}
            return Reply.json({"login": token, "name": credential, "message": token}, headers=headers)
        if path == "/api/v4/personal_access_tokens/self":
            return Reply.json({"id": 1, "name": token, "scopes": ["read_api", token], "active": True,
                               "revoked": False, "expires_at": "2027-01-01", "user_id": 7}, headers=echo)
        if path == "/api/v4/user":
            return Reply.json({"id": 7, "username": token, "name": credential}, headers=echo)
        if path.endswith("/_apis/connectionData"):
            user = {"id": "6e0b1c2d-0000-4000-8000-000000000001", "providerDisplayName": token,
                    "subjectDescriptor": "aad.Y2FuYXJ5",
                    "properties": {"Account": {"$type": "System.String", "$value": token}}}
            return Reply.json({"authenticatedUser": user, "authorizedUser": user}, headers=echo)
        if path == "/2.0/user":
            return Reply.json({"uuid": "{7c0ffee0-0000-4000-8000-000000000001}", "username": token,
                               "display_name": credential, "account_id": token}, headers=echo)
        return Reply.json({"message": token, "error": {"message": credential}}, 403, echo)

    return handle


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "connections").mkdir()
    (tmp_path / "connections" / "echo.py").write_text(PROJECT)
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "credential_policy.py").write_text(
        "from scm_access.declarations import Policy\nPOLICY = Policy()\n"
    )
    return tmp_path


def assert_clean(canary: Canary, texts: list[str]) -> None:
    for text in texts:
        for secret in canary.derived():
            assert secret not in text, f"{canary.platform}: a credential value leaked"


@pytest.mark.parametrize("failing", [False, True], ids=["echoing-identity", "echoing-errors"])
@pytest.mark.parametrize("canary", CANARIES, ids=lambda c: c.platform)
def test_no_output_format_shows_the_token_a_server_echoes(project, serve, caplog, canary, failing):
    server = serve(echoing_server(failing))
    base_url = f"{server.url}/acme" if canary.platform == "azure_devops" else server.url
    outputs = []
    with caplog.at_level(logging.DEBUG):
        for fmt in ("table", "json", "markdown"):
            result = CliRunner().invoke(
                app,
                ["verify", "echo", "-p", canary.platform, "--base-url", base_url, "--format", fmt,
                 "--project", str(project)],
                env={"SCM_ACCESS_TOKEN": canary.token, "COLUMNS": "200"},
            )
            assert result.exit_code in (1, 3, 5), result.output
            outputs += [result.output, getattr(result, "stderr", "") or ""]
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                outputs.append("".join(traceback.format_exception(result.exception)))
            if fmt == "json":
                finding = json.loads(result.stdout)
                assert finding["platform"] == canary.platform
    assert server.requests, "the verifier talked to the echoing server"
    assert_clean(canary, [*outputs, caplog.text, *(r.getMessage() for r in caplog.records)])


@pytest.mark.parametrize("canary", CANARIES, ids=lambda c: c.platform)
def test_the_finding_itself_holds_no_echoed_token(project, serve, canary):
    server = serve(echoing_server(failing=False))
    base_url = f"{server.url}/acme" if canary.platform == "azure_devops" else server.url
    plan = plan_project(load_project(project))
    [slot] = [s for s in plan.slots if s.platform.value == canary.platform]
    finding = asyncio.run(verify_slot(slot, Token(canary.token), policy=Policy(), api_root=base_url))
    assert_clean(canary, [finding.model_dump_json(), repr(finding), str(finding)])
    # What the server said is still reported, with the token taken out.
    if canary.platform in ("github", "gitlab", "azure_devops"):
        assert finding.facts.owner_login == "<redacted>"


def test_a_log_record_never_shows_a_token_in_use():
    token = Token("ghp_" + "LOGcanary" * 4)
    logger = logging.getLogger("scm_access.test")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    logger.addHandler(handler)
    try:
        logger.warning("server said %s", token.reveal())
        try:
            raise RuntimeError(token.reveal())
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    formatted = [logging.Formatter().format(r) for r in records]
    assert formatted[0] == "server said <redacted>"
    assert all(token.reveal() not in text for text in formatted)


def test_a_derived_credential_is_scrubbed_like_the_token():
    token = Token("ATATT3x" + "derived" * 5)
    header = token.derive("Basic " + base64.b64encode(f"a@b.c:{token.reveal()}".encode()).decode())
    encoded = header.split(" ", 1)[1]
    assert scrub(f"sent {header} and {encoded}") == "sent <redacted> and <redacted>"
