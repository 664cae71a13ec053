"""Throughput of `verify --all` for classic GitHub tokens, against a local server adding 50 ms per answer.

    python bench/verify_throughput.py [--tokens 1000] [--sequential-sample 40] [--latency 0.05]

Prints tokens per second, requests per token, and the speed-up over verifying one token at a time. The
one-at-a-time figure is measured on a smaller sample and extrapolated (said so in the output). Once during
the concurrent run the server reports ``X-RateLimit-Remaining: 0``; the benchmark checks that no request
left the client after it learned that and before the reset time.

Targets: 1,000 tokens in under 5 s, at least 10x one-at-a-time, exactly one request per classic token.
Exit status 1 when a target or the rate-limit check fails. The server listens on 127.0.0.1 only and runs in
its own process, so it does not compete with the client for the interpreter lock.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scm_access.declarations import CredentialKind, GitHubAccess, Person, Platform, Policy  # noqa: E402
from scm_access.http import ApiClient, HttpSettings  # noqa: E402
from scm_access.plan.slot import Slot, Strategy  # noqa: E402
from scm_access.verify import SlotToken, Status, Token, verify_all  # noqa: E402


def token_for(index: int) -> str:
    return f"ghp_bench{index:06d}" + "x" * 27


# -- the server (its own process) -----------------------------------------------------------------


def serve(port_pipe, latency: float, report_at: int) -> None:
    from tests.support.local_server import LocalServer, Reply

    expiry = (datetime.now(UTC) + timedelta(days=60)).strftime("%Y-%m-%d %H:%M:%S UTC")
    state = {"count": 0, "report": None}

    def handler(request):
        if request.path == "/__stats":
            arrivals = [r.arrived_at for r in server.requests if r.path == "/user"]
            return Reply.json({"arrivals": arrivals, "report": state["report"]})
        state["count"] += 1
        token = (request.authorization or "").removeprefix("Bearer ")
        headers = {
            "X-OAuth-Scopes": "repo",
            "GitHub-Authentication-Token-Expiration": expiry,
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": "4000",
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
        }
        if state["count"] == report_at:
            # Reported once: quota used up until the next whole second plus one.
            reset = math.floor(time.time()) + 2
            headers["X-RateLimit-Remaining"] = "0"
            headers["X-RateLimit-Reset"] = str(reset)
            state["report"] = {"sent_at": time.time() + latency, "reset": reset}
        login = "user" + token.removeprefix("ghp_bench")[:6]
        return Reply.json({"login": login, "id": 1, "type": "User"}, headers=headers)

    server = LocalServer(handler, latency=latency)
    server.start()
    port_pipe.send(server.port)
    port_pipe.close()
    while True:
        time.sleep(3600)


# -- the client -----------------------------------------------------------------------------------


def slots(count: int, offset: int = 0) -> list[SlotToken]:
    access = GitHubAccess(scopes=["repo"], org="acme", holder=[Person(name="p", login="p")])
    items = []
    for index in range(offset, offset + count):
        slot = Slot(
            connection="bench",
            integration="Bench",
            purpose="benchmark",
            platform=Platform.GITHUB,
            holder=f"p{index}",
            holder_is_person=True,
            holder_login=f"user{index:06d}",
            kind=CredentialKind.GITHUB_CLASSIC_PAT,
            scopes=["repo"],
            strategy=Strategy.USER_PAT,
            reason="benchmark",
            lifetime_days=90,
            expires_at=date.today() + timedelta(days=90),
            access=access,
        )
        items.append(SlotToken(slot, Token(token_for(index))))
    return items


async def run(items: list[SlotToken], url: str, settings: HttpSettings) -> tuple[list, float, list[float], list[float]]:
    sent: list[float] = []
    learned: list[float] = []

    async def on_request(request: httpx.Request) -> None:
        sent.append(time.time())

    async def on_response(response: httpx.Response) -> None:
        # Runs after the client's own hook has taken the reported limit into account.
        if response.headers.get("x-ratelimit-remaining") == "0":
            learned.append(time.time())

    async with ApiClient(settings, event_hooks={"request": [on_request], "response": [on_response]}) as http:
        started = time.perf_counter()
        findings = await verify_all(items, policy=Policy(), http=http, api_roots={"github": url})
        elapsed = time.perf_counter() - started
    return findings, elapsed, sent, learned


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=1000)
    parser.add_argument("--sequential-sample", type=int, default=40)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=HttpSettings().max_concurrency)
    args = parser.parse_args()

    sample = args.sequential_sample
    receive, send = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(
        target=serve, args=(send, args.latency, sample + args.tokens // 3), daemon=True
    )
    server.start()
    try:
        port = receive.recv()
        url = f"http://127.0.0.1:{port}"

        seq_findings, seq_elapsed, _, _ = asyncio.run(
            run(slots(sample, offset=args.tokens), url, HttpSettings(max_concurrency=1))
        )
        findings, elapsed, sent, learned = asyncio.run(
            run(slots(args.tokens), url, HttpSettings(max_concurrency=args.concurrency))
        )
        stats = httpx.get(f"{url}/__stats").json()
    finally:
        server.terminate()
        server.join(5)

    requests = len(stats["arrivals"]) - sample
    rate = args.tokens / elapsed
    seq_rate = sample / seq_elapsed
    seq_estimate = args.tokens / seq_rate
    speedup = rate / seq_rate
    statuses = {s.value: sum(f.status == s for f in findings) for s in Status}
    report = stats["report"]
    reset = report["reset"] if report else None
    too_early = [t for t in sent if learned and learned[0] <= t < reset] if reset else []
    server_side = (
        [t for t in stats["arrivals"] if report["sent_at"] < t < reset] if report else []
    )

    print(f"tokens verified        {args.tokens} in {elapsed:.2f} s  ({rate:,.0f} tokens/s, concurrency {args.concurrency})")
    print(f"requests per token     {requests / args.tokens:.3f}  ({requests} requests)")
    print(f"one at a time          {seq_rate:.1f} tokens/s, measured on {sample} tokens;"
          f" extrapolated to {args.tokens}: {seq_estimate:.1f} s")
    print(f"speed-up               {speedup:.1f}x")
    print(f"findings               {json.dumps({k: v for k, v in statuses.items() if v})}")
    if report:
        pause = reset - learned[0] if learned else float("nan")
        print(f"rate-limit report      remaining 0 until {datetime.fromtimestamp(reset, UTC):%H:%M:%S} UTC"
              f" (client paused {pause:.2f} s); requests sent after it and before the reset: {len(too_early)}"
              f" (server saw {len(server_side)} arrive in that window, in flight before the report reached the client)")
    else:
        print("rate-limit report      not triggered (too few tokens)")

    failures = []
    if elapsed >= 5 and args.tokens >= 1000:
        failures.append(f"{args.tokens} tokens took {elapsed:.2f} s (target < 5 s)")
    if speedup < 10:
        failures.append(f"speed-up {speedup:.1f}x (target >= 10x)")
    if requests != args.tokens:
        failures.append(f"{requests} requests for {args.tokens} classic tokens (target: exactly one each)")
    if too_early:
        failures.append(f"{len(too_early)} request(s) sent past a reported X-RateLimit-Remaining: 0 before reset")
    if statuses.get("ok") != args.tokens:
        failures.append(f"not every finding is ok: {statuses}")
    for failure in failures:
        print(f"MISSED: {failure}")
    print("all targets met" if not failures else f"{len(failures)} target(s) missed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
