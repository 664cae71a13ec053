"""The decisions inside the Pulumi program (Pulumi's in-process mocks): the same decisions as stack outputs
(`token_requests`, `revocations`); `pulumi preview` never writes, `pulumi up` writes only where the policy
opts in, through the same code as the command line. The inventory reader is a fake; the GitHub App, the
request list, the review and the revocation endpoints are a local server that records every write."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.inventory.model import FoundCredential, Inventory, SourceReport, SourceStatus
from scm_access.inventory.program import BASE_URL_KEY, config_key
from scm_access.inventory.reader import AdminCredential
from tests.inventory.fake_reader import FakeReader, answering, install
from tests.provision.harness import run_program
from tests.support.fake_github_admin import FakeGitHubAdmin, OrgState
from tests.support.local_server import LocalServer, Reply, Request

APP_ID = 717171
APP_ID_VAR, KEY_VAR = "SCM_ACCESS_GITHUB_APP_ID", "SCM_ACCESS_GITHUB_APP_PRIVATE_KEY"
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
READ = SourceReport("github", "fine_grained_grants", SourceStatus.READ, "1 grant", "acme",
                    (CredentialKind.GITHUB_FINE_GRAINED_PAT,))
STRAY = FoundCredential(
    platform=Platform.GITHUB, source="fine_grained_grants", id="999",
    kind=CredentialKind.GITHUB_FINE_GRAINED_PAT, kind_label="fine-grained personal access token",
    name="laptop", owner="carla-dias", scope="acme", scopes=frozenset({"contents:write"}),
    repository_selection="all", expires_at=NOW + timedelta(days=20), never_expires=False, expired=False,
)
_TOKEN_EXCHANGE = re.compile(r"^/app/installations/\d+/access_tokens$")


def pending_request() -> dict:
    """diego-rocha asks for more than the fixture's DeepTraQ declaration gives him (contents: write)."""
    return {
        "id": 5, "reason": None, "owner": {"login": "diego-rocha", "id": 5, "type": "User", "site_admin": False},
        "repository_selection": "all", "repositories_url": "https://api.github.com/x",
        "permissions": {"repository": {"contents": "write", "metadata": "read"}},
        "created_at": NOW.isoformat(), "token_id": 1, "token_name": "DeepTraQ", "token_expired": False,
        "token_expires_at": (NOW + timedelta(days=10)).isoformat(), "token_last_used_at": None,
    }


@dataclass
class GitHub:
    fake: FakeGitHubAdmin
    writes: list[tuple[str, dict]] = field(default_factory=list)

    def __call__(self, request: Request) -> Reply:
        path = request.path.partition("?")[0]
        if request.method != "GET" and not _TOKEN_EXCHANGE.match(path):
            self.writes.append((path, request.json()))
            return Reply(status=202)
        return self.fake(request)


@pytest.fixture(scope="module")
def key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def github(key):
    org = OrgState(requests=[pending_request()])
    org.app_permissions.update(
        organization_personal_access_tokens="write", organization_personal_access_token_requests="write"
    )
    server = GitHub(FakeGitHubAdmin(APP_ID, key.public_key(), {"acme": org}, clock=time.time))
    with LocalServer(server) as local:
        yield server, local


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def reader(monkeypatch):
    fake = FakeReader(APP_ID_VAR, answering(Inventory([STRAY], [READ])))
    fake.ADMIN_CREDENTIALS = (AdminCredential(APP_ID_VAR, "the App", secret=False), AdminCredential(KEY_VAR, "its key"))
    install(monkeypatch, {"github": fake})
    return fake


def run(key, local, *, preview: bool, policy: dict | None = None):
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()
    config = {
        f"scm-access:{config_key(APP_ID_VAR)}": str(APP_ID),
        f"scm-access:{config_key(KEY_VAR)}": pem,
        f"scm-access:{BASE_URL_KEY}": local.url,
    }
    if policy is not None:
        config["policy"] = json.dumps(policy)
    return run_program({}, config=config, secret_keys=(f"scm-access:{config_key(KEY_VAR)}",), preview=preview), pem


def test_preview_exports_the_proposals_and_writes_nothing(reader, github, key):
    server, local = github
    result, _ = run(key, local, preview=True, policy={"allow_revocation": True, "review_token_requests": "enforce"})
    (row,) = result.value("revocations")["revocations"]
    assert (row["id"], row["cause"], row["affected"], row["result"]) == ("999", "undeclared", "carla-dias", "not_sent")
    assert server.writes == []


def test_preview_exports_the_request_decisions(reader, github, key):
    server, local = github
    result, _ = run(key, local, preview=True)
    (row,) = result.value("token_requests")["requests"]
    assert (row["requester"], row["decision"], row["result"]) == ("diego-rocha", "deny", "not_sent")


def test_up_without_the_opt_in_writes_nothing(reader, github, key):
    server, local = github
    result, _ = run(key, local, preview=False)
    assert server.writes == []
    assert "allow_revocation" in result.value("revocations")["revocations"][0]["result_detail"]
    assert "'advise'" in result.value("token_requests")["requests"][0]["result_detail"]


def test_up_with_the_opt_in_acts_through_the_same_code_and_reports_it(reader, github, key):
    server, local = github
    result, _ = run(key, local, preview=False, policy={"allow_revocation": ["github_fine_grained_pat"],
                                                        "review_token_requests": "enforce"})
    assert ("/orgs/acme/personal-access-tokens", {"action": "revoke", "pat_ids": [999]}) in server.writes
    denials = [body for path, body in server.writes if path == "/orgs/acme/personal-access-token-requests"]
    assert [(d["pat_request_ids"], d["action"]) for d in denials] == [([5], "deny")]
    assert result.value("revocations")["revocations"][0]["result"] == "done"
    assert result.value("token_requests")["requests"][0]["result"] == "done"


def test_the_apps_private_key_is_in_no_output(reader, github, key):
    server, local = github
    result, pem = run(key, local, preview=True)
    exported = json.dumps({k: v[0] for k, v in result.outputs.items()}, default=str)
    assert pem.splitlines()[1] not in exported
