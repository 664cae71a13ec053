"""Build a subset of GitHub's official OpenAPI description holding only the endpoints scm-access calls.

The full description is large and ``ghec.json`` refers to files the package does not ship, so Prism is
given a self-contained subset: the chosen operations and every component they reach, following each
``$ref`` and each ``#/components/...`` string (discriminator mappings name schemas by string), without
``x-webhooks``.

    python tests/contract/build_github_subset.py [--source ghec|api.github.com] [--out PATH]

GitHub Enterprise Cloud's description (``ghec.json``) is the default: it holds everything github.com has
and the SAML credential authorizations the inventory reads.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PACKAGE = HERE / "node_modules" / "@octokit" / "openapi" / "generated"
DEFAULT_OUT = HERE / ".contract" / "github-subset.json"

# Every path the GitHub verifier may request (see scm_access/platforms/github/verify.py).
VERIFIER_PATHS = [
    "/user",
    "/user/memberships/orgs/{org}",
    "/orgs/{org}/public_members/{username}",
    "/repos/{owner}/{repo}",
    "/repos/{owner}/{repo}/commits",
    "/repos/{owner}/{repo}/issues",
    "/repos/{owner}/{repo}/pulls",
    "/repos/{owner}/{repo}/actions/runs",
    "/repos/{owner}/{repo}/deployments",
    "/repos/{owner}/{repo}/hooks",
    "/repos/{owner}/{repo}/actions/secrets",
    "/repos/{owner}/{repo}/actions/variables",
    "/repos/{owner}/{repo}/environments",
    "/repos/{owner}/{repo}/dependabot/alerts",
    "/repos/{owner}/{repo}/code-scanning/alerts",
    "/repos/{owner}/{repo}/teams",
]
# Every operation the inventory may send (see scm_access/platforms/github/app_auth.py and admin_views.py):
# the App's installation and token exchange, the organization's admin views, a declared repository's keys
# (its Actions secrets are above).
INVENTORY_OPERATIONS = [
    "/orgs/{org}/installation",
    "POST /app/installations/{installation_id}/access_tokens",
    "/orgs/{org}/personal-access-tokens",
    "/orgs/{org}/personal-access-tokens/{pat_id}/repositories",
    "/orgs/{org}/personal-access-token-requests",
    "/orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories",
    "/orgs/{org}/credential-authorizations",
    "/orgs/{org}/members",
    "/orgs/{org}/members/{username}",
    "/repos/{owner}/{repo}/keys",
]
# The writes the token-request review and grant revocation send (scm_access/platforms/github/
# token_requests.py): Prism checks their bodies against the description too.
DECISION_OPERATIONS = [
    "POST /orgs/{org}/personal-access-token-requests",
    "POST /orgs/{org}/personal-access-tokens",
]
OPERATIONS = [*VERIFIER_PATHS, *INVENTORY_OPERATIONS, *DECISION_OPERATIONS]
"""A bare path is its GET; otherwise ``METHOD /path``."""
COMPONENT_PREFIX = "#/components/"


def component_refs(node: Any) -> set[str]:
    """Every ``#/components/...`` string in ``node``: ``$ref`` values and discriminator mapping values."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and item.startswith(COMPONENT_PREFIX):
            found.add(item)
    return found


def resolve(spec: dict, ref: str) -> Any:
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def operation(entry: str) -> tuple[str, str]:
    """(method, path) of an entry of :data:`OPERATIONS`."""
    method, _, path = entry.rpartition(" ")
    return (method or "get").lower(), path


def subset(spec: dict, operations: list[str]) -> dict:
    wanted = [operation(entry) for entry in operations]
    missing = [f"{m.upper()} {p}" for m, p in wanted if p not in spec["paths"] or m not in spec["paths"][p]]
    if missing:
        raise SystemExit(f"not in the description: {', '.join(missing)}")
    chosen: dict[str, dict[str, Any]] = {}
    for method, path in wanted:
        item = spec["paths"][path]
        chosen.setdefault(path, {key: value for key, value in item.items() if key == "parameters"})[method] = item[method]
    components: dict[str, dict[str, Any]] = {}
    pending = component_refs(chosen)
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        _, _, kind, name = ref.split("/", 3)
        value = resolve(spec, ref)
        components.setdefault(kind, {})[name] = value
        pending |= component_refs(value) - seen
    result = {key: spec[key] for key in ("openapi", "info", "servers") if key in spec}
    result["paths"] = chosen
    result["components"] = {kind: dict(sorted(items.items())) for kind, items in sorted(components.items())}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=["ghec", "api.github.com"], default="ghec")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    source = PACKAGE / f"{args.source}.json"
    if not source.exists():
        print(f"{source} not found: run `npm ci` in {HERE.name}/ first", file=sys.stderr)
        return 2
    spec = json.loads(source.read_text())
    result = subset(spec, OPERATIONS)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    count = sum(len(items) for items in result["components"].values())
    print(f"{args.out.name}: {len(result['paths'])} paths, {count} components from {source.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
