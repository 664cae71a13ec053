"""`scm-access requests` as a user runs it, against a local GitHub: decisions printed, nothing written in a
dry run or under advise (the server fails the test on any write), approvals and denials sent under enforce
with --apply, every act reported, documented exit codes."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.cli.project import declare, run, set_policy
from tests.support.fake_github_admin import FakeGitHubAdmin, OrgState
from tests.support.local_server import LocalServer, Reply, Request

APP_ID = 424242
SCANNER = """
CONNECTION = Connection(name="scanner", integration="Scanner", owner="appsec", purpose="Scans the tools.", access=[
    GitHubAccess(scopes=["contents:read", "issues:write"], org="acme", repositories=["scanner", "tools"],
                 holder=[Person(name="dora", login="dora-dev")], max_lifetime_days=30)])
"""
_TOKEN_EXCHANGE = re.compile(r"^/app/installations/\d+/access_tokens$")
_REVIEWS = re.compile(r"^/orgs/(?P<org>[^/]+)/personal-access-token-requests(/\d+)?$")


def pending(request_id: int, login: str, permissions: dict, repositories: str = "subset", days: int = 30) -> dict:
    now = datetime.now(timezone.utc)
    return {
        "id": request_id,
        "reason": "for the scanner",
        "owner": {"login": login, "id": request_id, "type": "User", "site_admin": False},
        "repository_selection": repositories,
        "repositories_url": f"https://api.github.com/organizations/1/personal-access-token-requests/{request_id}/repositories",
        "permissions": {"repository": permissions},
        "created_at": now.isoformat(),
        "token_id": 9000 + request_id,
        "token_name": "Scanner (scanner)",
        "token_expired": False,
        "token_expires_at": (now + timedelta(days=days)).isoformat(),
        "token_last_used_at": None,
    }


@dataclass
class GitHubWithReviews:
    """The admin fake, plus the review endpoint: accepts reviews made with an installation token (202) and
    records each body; every other write is recorded as unexpected."""

    fake: FakeGitHubAdmin
    reviews: list[dict] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)

    def __call__(self, request: Request) -> Reply:
        path = request.path.partition("?")[0]
        if request.method in {"POST", "PUT", "PATCH", "DELETE"} and not _TOKEN_EXCHANGE.match(path):
            self.writes.append(f"{request.method} {path}")
            bearer = (request.authorization or "").removeprefix("Bearer ")
            if request.method == "POST" and _REVIEWS.match(path) and bearer in self.fake.issued:
                self.reviews.append(request.json())
                return Reply(status=202)
            return Reply.json({"message": "Not Found"}, 404)
        return self.fake(request)


@pytest.fixture(scope="module")
def pem() -> tuple[str, rsa.RSAPublicKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    text = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()
    return text, key.public_key()


@pytest.fixture
def github(pem):
    org = OrgState(
        requests=[
            pending(1, "dora-dev", {"contents": "read", "metadata": "read"}),
            pending(2, "dora-dev", {"contents": "write", "metadata": "read"}),
            pending(3, "mallory", {"contents": "read"}),
        ],
        request_repositories={1: ["scanner"], 2: ["scanner"], 3: ["scanner"]},
    )
    org.app_permissions["organization_personal_access_token_requests"] = "write"
    server = GitHubWithReviews(FakeGitHubAdmin(APP_ID, pem[1], {"acme": org}, clock=time.time))
    with LocalServer(server) as local:
        yield server, local


def project(tmp_path, review: str | None = None):
    declare(tmp_path, "scanner", SCANNER)
    set_policy(tmp_path, f"POLICY = Policy(review_token_requests={review!r})\n" if review else "POLICY = Policy()\n")
    return tmp_path


def requests(root, local, pem, *args):
    env = {"SCM_ACCESS_GITHUB_APP_ID": str(APP_ID), "SCM_ACCESS_GITHUB_APP_PRIVATE_KEY": pem[0]}
    return run(root, "requests", "--base-url", local.url, *args, env=env)


def decisions(result) -> dict[str, tuple[str, str]]:
    document = json.loads(result.stdout)
    return {row["id"]: (row["decision"], row["result"]) for row in document["requests"]}


def test_a_dry_run_decides_each_request_and_writes_nothing(tmp_path, github, pem):
    server, local = github
    result = requests(project(tmp_path), local, pem, "--format", "json")
    assert decisions(result) == {"1": ("approve", "not_sent"), "2": ("deny", "not_sent"), "3": ("undecided", "not_sent")}
    assert (server.writes, result.returncode) == ([], 1)


def test_enforce_without_apply_writes_nothing(tmp_path, github, pem):
    server, local = github
    result = requests(project(tmp_path, "enforce"), local, pem, "--format", "json")
    assert server.writes == [] and result.returncode == 1
    assert {row["result_detail"] for row in json.loads(result.stdout)["requests"]} >= {
        "dry run: nothing is sent without --apply"
    }


def test_advise_with_apply_writes_nothing_and_says_why(tmp_path, github, pem):
    server, local = github
    result = requests(project(tmp_path, "advise"), local, pem, "--apply", "--format", "json")
    assert server.writes == [] and result.returncode == 1
    (row,) = [r for r in json.loads(result.stdout)["requests"] if r["id"] == "1"]
    assert "review_token_requests is 'advise'" in row["result_detail"]


def test_enforce_with_apply_sends_the_approval_and_the_denial_and_reports_each(tmp_path, github, pem):
    server, local = github
    result = requests(project(tmp_path, "enforce"), local, pem, "--apply", "--format", "json")
    actions = {(tuple(r["pat_request_ids"]), r["action"]) for r in server.reviews}
    assert actions == {((1,), "approve"), ((2,), "deny")}
    assert decisions(result) == {"1": ("approve", "done"), "2": ("deny", "done"), "3": ("undecided", "not_sent")}
    assert result.returncode == 1  # mallory's request is left for a person


def test_the_denial_sent_names_the_slot_and_the_excess(tmp_path, github, pem):
    server, local = github
    requests(project(tmp_path, "enforce"), local, pem, "--apply", "--format", "json")
    (denial,) = [r for r in server.reviews if r["action"] == "deny"]
    assert "scanner/github/dora" in denial["reason"] and "contents:write" in denial["reason"]
    assert len(denial["reason"]) <= 1024


def test_everything_decided_and_sent_exits_0(tmp_path, github, pem):
    server, local = github
    server.fake.orgs["acme"].requests = server.fake.orgs["acme"].requests[:2]
    assert requests(project(tmp_path, "enforce"), local, pem, "--apply").returncode == 0


def test_an_app_that_may_only_read_requests_sends_nothing_and_exits_3(tmp_path, github, pem):
    server, local = github
    server.fake.orgs["acme"].app_permissions["organization_personal_access_token_requests"] = "read"
    result = requests(project(tmp_path, "enforce"), local, pem, "--apply", "--format", "json")
    assert server.writes == [] and result.returncode == 3
    (row,) = [r for r in json.loads(result.stdout)["requests"] if r["id"] == "1"]
    assert row["result"] == "failed" and "it needs write" in row["result_detail"]


def test_an_org_the_app_is_not_installed_on_is_a_failed_source(tmp_path, github, pem):
    server, local = github
    result = requests(project(tmp_path), local, pem, "--org", "acme", "--org", "elsewhere", "--format", "json")
    sources = {s["scope"] if "scope" in s else s["detail"]: s["status"] for s in json.loads(result.stdout)["sources"]}
    assert "failed" in sources.values() and "read" in sources.values()
    assert result.returncode == 3


def test_the_markdown_report_names_each_request_and_its_decision(tmp_path, github, pem):
    server, local = github
    result = requests(project(tmp_path), local, pem, "--format", "markdown")
    assert "| acme \\#1 | dora-dev |" in result.stdout or "| acme #1 | dora-dev |" in result.stdout
    assert "**deny**" in result.stdout and "**undecided**" in result.stdout


def test_a_policy_that_turns_review_off_is_a_usage_error(tmp_path, github, pem):
    server, local = github
    result = requests(project(tmp_path, "off"), local, pem)
    assert result.returncode == 2 and "review_token_requests is 'off'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_without_the_app_it_says_which_variables_enable_it(tmp_path, github):
    server, local = github
    result = run(project(tmp_path), "requests", "--base-url", local.url)
    assert result.returncode == 2 and "SCM_ACCESS_GITHUB_APP_ID" in result.stderr
