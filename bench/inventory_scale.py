"""`scm-access inventory` at scale, as a user runs it, against a local server adding 50 ms to every answer.

    python bench/inventory_scale.py [--orgs 20] [--grants 10000] [--gitlab-tokens 5000] [--azure-users 2000]
                                    [--latency 0.05]

The data: GitHub — ``--orgs`` organizations holding ``--grants`` fine-grained token grants between them (100 a
page), read as a GitHub App's installation; GitLab — a self-managed instance listing ``--gitlab-tokens``
personal access tokens (100 a page) and their owners; Azure DevOps — one organization of ``--azure-users`` Graph
users, each user's tokens one token-administration request. Declarations: a few personal-token slots on each.

It runs the command end to end (``scm-access inventory --base-url … --format json --out DIR``) as a process and
prints its wall time, its peak memory, the requests the server answered by route against the requests the
data needs (every page and every per-user call once: nothing repeated, nothing left out), and the speed-up over
one request at a time (the requests times the latency: what a client waiting for each answer before the next
would take at best). Once during the run the server reports a GitHub rate limit used up until the next
second (to one installation: each installation token has its own limit); the benchmark checks that no request
with that token arrived after the report left the server (plus ``IN_FLIGHT_GRACE`` for a request already on
its way) and before the reset. On a machine whose CPUs are far oversubscribed the client may read the report
later than that grace, so a request it sent before reading it can be counted: read the load figure beside it.

The package's bytecode is compiled before the run, as installing it compiles it (and as a first run from a
checkout writes it): an environment that forbids writing bytecode (``PYTHONDONTWRITEBYTECODE``) would otherwise
have every run compile the whole package from source, which is not what a user runs.

Targets: under 10 s and under 300 MB; every request needed, each once; the rate limit respected. Exit status 1
when a target or a check fails. The server listens on 127.0.0.1 only and runs in its own process.
"""

from __future__ import annotations

import argparse
import compileall
import json
import math
import multiprocessing
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PER_PAGE = 100
IN_FLIGHT_GRACE = 0.25
"""Seconds after the rate-limit report left the server during which a request may still arrive that the client
sent before reading it."""
AZURE_ORG = "benchorg"
GITLAB_GROUP = "bench"
HOLDERS_PER_ORG = 5


def org_name(index: int) -> str:
    return f"org{index:02d}"


def login(org: int, user: int) -> str:
    return f"user-{org:02d}-{user:03d}"


# -- the data ---------------------------------------------------------------------------------------------


class Data:
    """Everything the server lists, made up deterministically from the sizes."""

    def __init__(self, orgs: int, grants: int, gitlab_tokens: int, azure_users: int) -> None:
        self.orgs = [org_name(i) for i in range(orgs)]
        now = datetime.now(UTC)
        expires = (now + timedelta(days=30)).isoformat()
        used = (now - timedelta(days=2)).isoformat()
        per_org = [grants // orgs + (1 if i < grants % orgs else 0) for i in range(orgs)]
        self.grants: dict[str, list[dict]] = {}
        for i, org in enumerate(self.orgs):
            self.grants[org] = [
                {
                    "id": i * 1_000_000 + n,
                    "owner": {"login": login(i, n % 50), "id": i * 1000 + n % 50, "type": "User", "site_admin": False},
                    "repository_selection": "all",
                    "repositories_url": f"https://api.example/organizations/{i}/personal-access-tokens/{n}/repositories",
                    "permissions": {"repository": {"metadata": "read"}},
                    "access_granted_at": used,
                    "token_id": i * 1_000_000 + n,
                    "token_name": f"token {n}",
                    "token_expired": False,
                    "token_expires_at": expires,
                    "token_last_used_at": used,
                }
                for n in range(per_org[i])
            ]
        self.members = {
            org: [{"login": login(i, u), "id": i * 1000 + u, "type": "User"} for u in range(50)]
            for i, org in enumerate(self.orgs)
        }
        self.gitlab_users = [
            {"id": u, "username": f"gl-user-{u}", "state": "active", "bot": False} for u in range(max(1, gitlab_tokens // 5))
        ]
        self.gitlab_tokens = [
            {
                "id": t, "name": f"token {t}", "revoked": False, "created_at": used, "scopes": ["read_api"],
                "user_id": t % len(self.gitlab_users), "last_used_at": used, "active": True,
                "expires_at": expires[:10], "description": None,
            }
            for t in range(gitlab_tokens)
        ]
        self.azure_users = [
            {
                "subjectKind": "user", "descriptor": f"aad.user{u:05d}", "principalName": f"user{u}@bench.example",
                "mailAddress": f"user{u}@bench.example", "displayName": f"User {u}", "origin": "aad",
                "originId": f"origin-{u}", "domain": "bench", "isDeletedInOrigin": False,
            }
            for u in range(azure_users)
        ]
        self.azure_expires = expires

    def azure_tokens(self, descriptor: str) -> list[dict]:
        number = int(descriptor.removeprefix("aad.user"))
        return [
            {
                "clientId": "00000000-0000-0000-0000-000000000000", "accessId": f"a{number}",
                "authorizationId": f"auth-{number}", "hostAuthorizationId": None, "userId": f"uid-{number}",
                "validFrom": "2026-11-01T00:00:00Z", "validTo": self.azure_expires, "displayName": f"token {number}",
                "scope": "vso.code", "targetAccounts": ["org-guid"], "token": None, "alternateToken": None,
                "isValid": True, "isPublic": False, "publicData": None, "source": None, "claims": None,
            }
        ]

    def expected_requests(self) -> Counter:
        """What reading all of it needs, by route: every page once, every per-user call once."""
        expected: Counter = Counter()
        for org in self.orgs:
            expected["github installation"] += 1
            expected["github installation token"] += 1
            expected["github grants page"] += max(1, math.ceil(len(self.grants[org]) / PER_PAGE))
            expected["github requests page"] += 1
            expected["github members page"] += max(1, math.ceil(len(self.members[org]) / PER_PAGE))
        expected["gitlab user"] += 1
        expected["gitlab tokens page"] += max(1, math.ceil(len(self.gitlab_tokens) / PER_PAGE))
        expected["gitlab users page"] += max(1, math.ceil(len(self.gitlab_users) / PER_PAGE))
        expected["gitlab group views"] += 3  # the declared group's access tokens, deploy tokens, service accounts
        expected["azure graph users page"] += max(1, math.ceil(len(self.azure_users) / 500))
        expected["azure token administration (per user)"] += len(self.azure_users)
        return expected


# -- the server (its own process) -------------------------------------------------------------------------


def route_of(method: str, path: str) -> str:
    if path.startswith("/orgs/") and path.endswith("/installation"):
        return "github installation"
    if method == "POST" and path.startswith("/app/installations/"):
        return "github installation token"
    if re.fullmatch(r"/orgs/[^/]+/personal-access-tokens", path):
        return "github grants page"
    if re.fullmatch(r"/orgs/[^/]+/personal-access-token-requests", path):
        return "github requests page"
    if re.fullmatch(r"/orgs/[^/]+/members", path):
        return "github members page"
    if path == "/api/v4/user":
        return "gitlab user"
    if path == "/api/v4/personal_access_tokens":
        return "gitlab tokens page"
    if path == "/api/v4/users":
        return "gitlab users page"
    if path.startswith("/api/v4/groups/"):
        return "gitlab group views"
    if path.endswith("/_apis/graph/users"):
        return "azure graph users page"
    if "/_apis/tokenadmin/personalaccesstokens/" in path:
        return "azure token administration (per user)"
    return f"unexpected {method} {path}"


def _page(items: list, query: dict, base: str, link: bool = True) -> tuple[list, dict[str, str]]:
    page = int(query.get("page", ["1"])[0])
    per_page = int(query.get("per_page", [str(PER_PAGE)])[0])
    chunk = items[(page - 1) * per_page : page * per_page]
    headers: dict[str, str] = {}
    last = max(1, math.ceil(len(items) / per_page))
    if page < last:
        if link:
            headers["Link"] = f'<{base}?per_page={per_page}&page={page + 1}>; rel="next"'
        headers["X-Next-Page"] = str(page + 1)
    headers["X-Page"] = str(page)
    headers["X-Total-Pages"] = str(last)
    headers["X-Total"] = str(len(items))
    return chunk, headers


def serve(port_pipe, sizes: dict, latency: float, rate_limit_at: int) -> None:
    from tests.support.local_server import LocalServer, Reply

    data = Data(**sizes)
    state = {"github": 0, "report": None}
    expires = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def github_headers(credential: str | None) -> dict[str, str]:
        state["github"] += 1
        headers = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4000",
                   "X-RateLimit-Reset": str(int(time.time()) + 3600)}
        if state["github"] == rate_limit_at:
            reset = math.floor(time.time()) + 2  # used up until the next whole second plus one
            headers.update({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)})
            state["report"] = {"sent_at": time.time() + latency, "reset": reset, "credential": credential}
        return headers

    def handler(request):
        split = urlsplit(request.path)
        path, query = split.path, parse_qs(split.query)
        base = f"http://127.0.0.1:{server.port}{path}"
        if path == "/__stats":
            routes = Counter(route_of(r.method, urlsplit(r.path).path) for r in server.requests if r.path != "/__stats")
            targets = Counter(f"{r.method} {r.path}" for r in server.requests if r.path != "/__stats")
            github = [
                (r.arrived_at, r.authorization) for r in server.requests if r.path.startswith(("/orgs/", "/app/"))
            ]
            answered = [r for r in server.requests if r.path != "/__stats"]
            start = min((r.arrived_at for r in answered), default=0.0)
            spans: dict[str, list[float]] = {}
            for r in answered:
                span = spans.setdefault(route_of(r.method, urlsplit(r.path).path), [r.arrived_at - start] * 2)
                span[0], span[1] = min(span[0], r.arrived_at - start), max(span[1], r.arrived_at - start)
            return Reply.json({
                "routes": routes, "repeated": sum(n - 1 for n in targets.values() if n > 1),
                "github_arrivals": github, "report": state["report"], "spans": spans,
                "cpu": time.process_time(), "first_at": start,
                "last_at": max((r.arrived_at for r in answered), default=0.0),
            })
        route = route_of(request.method, path)
        if route.startswith("github"):
            headers = github_headers(request.authorization)
            org = path.split("/")[2] if path.startswith("/orgs/") else None
            if route == "github installation":
                return Reply.json({"id": 1000 + data.orgs.index(org), "account": {"login": org}}, headers=headers)
            if route == "github installation token":
                # Each organization's installation has its own token, and its own rate limit.
                installation = path.split("/")[3]
                return Reply.json({"token": f"ghs_bench{installation}" + "b" * 28, "expires_at": expires}, status=201,
                                  headers=headers)
            if route == "github grants page":
                items, paging = _page(data.grants[org], query, base)
                return Reply.json(items, headers={**headers, **paging})
            if route == "github requests page":
                return Reply.json([], headers=headers)
            if route == "github members page":
                items, paging = _page(data.members[org], query, base)
                return Reply.json(items, headers={**headers, **paging})
        if route == "gitlab user":
            return Reply.json({"id": 1, "username": "root", "is_admin": True, "state": "active"})
        if route == "gitlab tokens page":
            items, paging = _page(data.gitlab_tokens, query, base)
            return Reply.json(items, headers=paging)
        if route == "gitlab users page":
            items, paging = _page(data.gitlab_users, query, base)
            return Reply.json(items, headers=paging)
        if route == "gitlab group views":
            return Reply.json([], headers={"X-Page": "1", "X-Total-Pages": "1", "X-Total": "0"})
        if route == "azure graph users page":
            token = query.get("continuationToken", ["0"])[0]
            start = int(token)
            chunk = data.azure_users[start : start + 500]
            headers = {}
            if start + 500 < len(data.azure_users):
                headers["X-MS-ContinuationToken"] = str(start + 500)
            return Reply.json({"count": len(chunk), "value": chunk}, headers=headers)
        if route == "azure token administration (per user)":
            descriptor = path.rsplit("/", 1)[-1]
            tokens = data.azure_tokens(descriptor)
            return Reply.json({"value": tokens, "count": len(tokens)})
        return Reply.json({"message": "Not Found"}, status=404)

    server = LocalServer(handler, latency=latency)
    server.start()
    port_pipe.send(server.port)
    port_pipe.close()
    while True:
        time.sleep(3600)


# -- the declarations ------------------------------------------------------------------------------------


def write_project(folder: Path, orgs: int) -> None:
    """One connection per organization (a fine-grained token for each of a few people), and one on GitLab and
    Azure DevOps."""
    lines = [
        "from scm_access.declarations import AzureDevOpsAccess, Connection, GitHubAccess, GitLabAccess, Person",
        "",
        "CONNECTIONS = [",
    ]
    for i in range(orgs):
        people = ", ".join(f'Person(name="u{u}", login="{login(i, u)}")' for u in range(HOLDERS_PER_ORG))
        lines += [
            f'    Connection(name="scan-{org_name(i)}", integration="Scanner", owner="bench", purpose="Benchmark.",',
            f'        access=[GitHubAccess(scopes=["metadata:read"], org="{org_name(i)}", holder=[{people}],'
            " max_lifetime_days=30)]),",
        ]
    lines += [
        '    Connection(name="sync", integration="Sync", owner="bench", purpose="Benchmark.", access=[',
        f'        GitLabAccess(scopes=["read_api"], group="{GITLAB_GROUP}",'
        ' holder=[Person(name="gl", login="gl-user-1")], base_url="https://gitlab.bench.example"),',
        f'        AzureDevOpsAccess(scopes=["vso.code"], organization="{AZURE_ORG}",'
        ' holder=[Person(name="az", login="user1@bench.example")]),',
        "    ]),",
        "]",
    ]
    (folder / "connections").mkdir(parents=True)
    (folder / "connections" / "bench.py").write_text("\n".join(lines) + "\n")
    (folder / "policies").mkdir()
    (folder / "policies" / "credential_policy.py").write_text(
        "from scm_access.declarations import Policy\n\nPOLICY = Policy()\n"
    )


def private_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()


# -- the run ----------------------------------------------------------------------------------------------


def run_command(url: str, project: Path, out: Path) -> tuple[float, float, float, int, dict, float]:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SCM_ACCESS_")},
        "PYTHONPATH": str(ROOT),
        "SCM_ACCESS_GITHUB_APP_ID": "12345",
        "SCM_ACCESS_GITHUB_APP_PRIVATE_KEY": private_key_pem(),
        "SCM_ACCESS_GITLAB_ADMIN_TOKEN": "glpat-" + "b" * 20,
        "SCM_ACCESS_AZURE_DEVOPS_ADMIN_TOKEN": "a" * 52,
    }
    compileall.compile_dir(str(ROOT / "scm_access"), quiet=1)
    command = [sys.executable, "-m", "scm_access", "inventory", "--project", str(project), "--base-url", url,
               "--format", "json", "--out", str(out), "--fail-on", "none"]
    launched = time.time()
    started = time.perf_counter()
    finished = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    try:
        document = json.loads(finished.stdout)
    except json.JSONDecodeError:
        document = {}
        print(finished.stderr[-3000:], file=sys.stderr)
    return wall, peak_mb, cpu, finished.returncode, document, launched


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=20)
    parser.add_argument("--grants", type=int, default=10_000)
    parser.add_argument("--gitlab-tokens", type=int, default=5_000)
    parser.add_argument("--azure-users", type=int, default=2_000)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    sizes = {"orgs": args.orgs, "grants": args.grants, "gitlab_tokens": args.gitlab_tokens,
             "azure_users": args.azure_users}
    data = Data(**sizes)
    expected = data.expected_requests()

    receive, send = multiprocessing.Pipe(duplex=False)
    rate_limit_at = max(2, sum(v for k, v in expected.items() if k.startswith("github")) // 2)
    server = multiprocessing.Process(target=serve, args=(send, sizes, args.latency, rate_limit_at), daemon=True)
    server.start()
    port = receive.recv()
    url = f"http://127.0.0.1:{port}"
    try:
        with tempfile.TemporaryDirectory() as folder:
            project = Path(folder) / "project"
            write_project(project, args.orgs)
            wall, peak_mb, cpu, code, document, launched = run_command(url, project, Path(folder) / "out")
            written = sum(f.stat().st_size for f in (Path(folder) / "out").glob("*")) if (Path(folder) / "out").exists() else 0
        import httpx

        stats = httpx.get(f"{url}/__stats", timeout=30).json()
    finally:
        server.terminate()

    routes = Counter(stats["routes"])
    total = sum(routes.values())
    needed = sum(expected.values())
    sequential = total * args.latency
    print(f"inventory: {args.orgs} GitHub orgs, {args.grants:,} fine-grained grants, {args.gitlab_tokens:,} GitLab"
          f" tokens, {args.azure_users:,} Azure DevOps users; {args.latency * 1000:.0f} ms per answer")
    print(f"  machine load      {' '.join(f'{x:.1f}' for x in os.getloadavg())} (1, 5, 15 min) on {os.cpu_count()} CPU(s)")
    print(f"  exit code {code}; {len(document.get('findings', []))} findings,"
          f" {len(document.get('undeclared', []))} undeclared, sources:"
          f" {Counter(s['status'] for s in document.get('sources', []))}")
    print(f"  wall time         {wall:6.2f} s   (target < 10 s)")
    print(f"  CPU time          {cpu:6.2f} s   (the command's own; on a busy machine wall time is more)")
    before = stats["first_at"] - launched
    reading = stats["last_at"] - stats["first_at"]
    print(f"  phases            {before:.2f} s to the first request, {reading:.2f} s to the last, then"
          f" {wall - before - reading:.2f} s (judging, writing, exit)")
    print(f"  server CPU time   {stats['cpu']:6.2f} s   (the local server's, on the other core: a server busier than"
          f" its 50 ms makes the client wait)")
    print(f"  peak memory       {peak_mb:6.1f} MB  (target < 300 MB)")
    print(f"  files written     {written / 1e6:6.1f} MB")
    print(f"  requests          {total:6d}     (needed: {needed}; repeated: {stats['repeated']})")
    for route in sorted(set(routes) | set(expected)):
        flag = "" if routes.get(route, 0) == expected.get(route, 0) else "   <-- differs"
        print(f"    {route:42s} {routes.get(route, 0):6d} / {expected.get(route, 0):6d}{flag}")
    for route, (first, last) in sorted(stats["spans"].items(), key=lambda item: item[1][0]):
        print(f"    {route:42s} from {first:6.2f} s to {last:6.2f} s")
    print(f"  one at a time     {sequential:6.2f} s   (requests x latency, at best)")
    print(f"  speed-up          {sequential / wall:6.1f} x")

    failures = []
    if wall >= 10:
        failures.append("wall time is not under 10 s")
    if peak_mb >= 300:
        failures.append("peak memory is not under 300 MB")
    if stats["repeated"]:
        failures.append(f"{stats['repeated']} request(s) repeated")
    if routes != expected:
        failures.append("the requests are not exactly the pages and per-user calls the data needs")
    if code not in (0, 1, 3, 5):
        failures.append(f"the command exited {code}")
    report = stats["report"]
    if report is None:
        failures.append("the rate-limit report was never sent")
    else:
        # A rate limit holds for the credential it was reported to (GitHub: each installation token its own).
        same = [t for t, credential in stats["github_arrivals"] if credential == report["credential"]]
        # A request the client sent before it had read the report can still arrive after it left the server:
        # such a request was in flight, not sent in spite of it. Requests arriving later than this did not.
        in_flight = [t for t in same if report["sent_at"] < t <= report["sent_at"] + IN_FLIGHT_GRACE]
        early = [t for t in same if report["sent_at"] + IN_FLIGHT_GRACE < t < report["reset"]]
        print(f"  rate limit        reported to one installation, used up until the next second; its requests"
              f" before the reset: {len(early)} (and {len(in_flight)} in flight when it was reported)")
        if early:
            failures.append(f"{len(early)} GitHub request(s) went out before the reported reset")
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
