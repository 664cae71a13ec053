"""How the Pulumi program grows with the number of connections.

Runs the real ``__main__.py`` in-process under Pulumi mocks (no CLI, no network) with 100 and 1,000 generated
connections: three of four hold three org-managed slots (a GitLab group access token, a GitHub deploy key
delivered into an Actions secret, an Azure DevOps service principal in a project group), the fourth a personal
fine-grained token (instructions only). Prints wall and CPU seconds (CPU is steadier on a shared machine),
milliseconds per connection, and resources registered per connection (all, and provider credentials only).

    python bench/program_scale.py [N ...]
"""

from __future__ import annotations

import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.provision.harness import ALL_CREDENTIALS, run_program  # noqa: E402

GENERATED = '''
import uuid

from scm_access.declarations import (
    AzureDevOpsAccess, Connection, CredentialKind, GitHubAccess, GitLabAccess, IntegrationField, Person, SecretStore,
    ServiceIdentity,
)

FORM = IntegrationField(location="settings", field="token")


def connection(i: int) -> Connection:
    service = ServiceIdentity(service=f"svc-{i}", origin_id=str(uuid.UUID(int=i + 1)))
    return Connection(
        name=f"svc-{i:05d}",
        integration=f"Service {i}",
        owner="bench",
        purpose="Generated for the scale benchmark.",
        access=[
            GitLabAccess(scopes=["read_api", "read_repository"], group=f"acme/team-{i}", holder=service,
                         delivery=FORM),
            # The deploy key is asked for: the planner gives one unasked only to a delivery that takes an SSH key.
            GitHubAccess(scopes=["contents:read"], org="acme", repositories=[f"repo-{i}"], holder=service,
                         kind=CredentialKind.GITHUB_DEPLOY_KEY,
                         delivery=SecretStore(store="github_actions_secret", name="DEPLOY_KEY",
                                              repository=f"acme/ci-{i}")),
            AzureDevOpsAccess(organization="acme", projects=[f"Team{i}"], scopes=["Code: Read"], holder=service),
        ],
    )


def person(i: int) -> Connection:
    return Connection(
        name=f"dev-{i:05d}", integration=f"Scanner {i}", owner="bench", purpose="Generated.",
        access=[GitHubAccess(scopes=["metadata:read"], org="acme", repositories=[f"repo-{i}"],
                             holder=[Person(name="dev", login="dev")], delivery=FORM)],
    )


CONNECTIONS = [connection(i) if i % 4 else person(i) for i in range({count})]
'''


def measure(count: int) -> tuple[float, float, int, int]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "connections").mkdir()
        (root / "connections" / "generated.py").write_text(textwrap.dedent(GENERATED).replace("{count}", str(count)))
        started, cpu = time.perf_counter(), time.process_time()
        run = run_program(ALL_CREDENTIALS, config={"declarations": str(root)}, check_sdk=False)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    providers = sum(1 for r in run.resources if r.custom and not r.typ.startswith("pulumi:providers:"))
    return seconds, cpu, len(run.resources), providers


def main(counts: list[int]) -> None:
    print(
        f"{'connections':>11} {'seconds':>8} {'cpu s':>8} {'ms/conn':>8} {'resources':>9} {'res/conn':>8}"
        f" {'credential res/conn':>19}"
    )
    measure(4)  # warm-up: the first run pays the SDK's one-time imports, which would inflate the smallest size
    for count in counts:
        seconds, cpu, registered, credentials = measure(count)
        print(
            f"{count:>11} {seconds:>8.2f} {cpu:>8.2f} {1000 * seconds / count:>8.2f} {registered:>9}"
            f" {registered / count:>8.2f} {credentials / count:>19.2f}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000])
