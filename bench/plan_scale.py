"""Plan and instruct at scale: generates 10,000 and 20,000 slots, plans them and renders instructions.

Prints the seconds for each size (best of three runs) and their ratio. Target: 10,000 slots in under 2 s on one core, and
20,000 within 2.2x of 10,000. Run: .venv/bin/python bench/plan_scale.py
"""

from __future__ import annotations

import gc
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scm_access.declarations import (  # noqa: E402
    AzureDevOpsAccess,
    Connection,
    GitHubAccess,
    GitLabAccess,
    GroupMembership,
    IntegrationField,
    Person,
    Policy,
    SamlSsoAuthorization,
    ServiceIdentity,
)
from scm_access.instruct.build import instructions_for  # noqa: E402
from scm_access.instruct.render import render_markdown  # noqa: E402
from scm_access.plan.planner import plan  # noqa: E402
from scm_access.validate import validate  # noqa: E402

SLOTS_PER_CONNECTION = 10  # 4 GitHub people + 4 Azure DevOps people + 1 GitLab service + 1 GitLab person
TODAY = date(2026, 11, 23)


def generate(slot_count: int) -> list[Connection]:
    connections = []
    for n in range(slot_count // SLOTS_PER_CONNECTION):
        people = [Person(name=f"dev-{n}-{i}", login=f"dev{n}x{i}") for i in range(4)]
        delivery = IntegrationField(location="Integration → Settings", field="Token")
        connections.append(
            Connection(
                name=f"integration-{n}",
                integration=f"Integration {n}",
                owner="team",
                purpose="benchmark",
                access=[
                    GitHubAccess(
                        scopes=["All repo options", "workflow", "read:org"], org="acme", holder=people,
                        prerequisites=[SamlSsoAuthorization(org="acme")], delivery=delivery,
                    ),
                    AzureDevOpsAccess(
                        organization="acme", scopes=["Code: Read & write", "Work Items: Read & write"],
                        holder=people, prerequisites=[GroupMembership(group="Project Collection Administrators")],
                        delivery=delivery,
                    ),
                    GitLabAccess(scopes=["read_api"], group=f"acme/g{n}", holder=ServiceIdentity(service="ci")),
                    GitLabAccess(
                        scopes=["api"], group=f"acme/g{n}", holder=[people[0]], base_url="https://gitlab.acme.example"
                    ),
                ],
            )
        )
    return connections


REPEATS = 3


def run(slot_count: int) -> tuple[float, int, int]:
    connections = generate(slot_count)
    policy = Policy()
    gc.collect()
    started = time.perf_counter()
    slots = plan(validate(connections, policy), policy, TODAY).slots
    items = instructions_for(slots)
    text = render_markdown(items)
    elapsed = time.perf_counter() - started
    return elapsed, len(slots), len(text)


def main() -> None:
    run(1_000)  # warm up imports and caches
    results = {}
    for size in (10_000, 20_000):
        # Best of three, as timeit does: this machine's neighbours only ever add time.
        elapsed, slots, size_chars = min(run(size) for _ in range(REPEATS))
        results[size] = elapsed
        print(f"{slots:>6} slots: {elapsed:6.2f} s  ({slots / elapsed:,.0f} slots/s, {size_chars / 1e6:.1f} MB of Markdown)")
    print(f"ratio 20,000 / 10,000: {results[20_000] / results[10_000]:.2f}x (target <= 2.2x)")
    print(f"10,000 slots under 2 s: {'yes' if results[10_000] < 2 else 'NO'}")


if __name__ == "__main__":
    main()
