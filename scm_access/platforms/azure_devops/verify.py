"""Verify an Azure DevOps personal access token in hand.

What the PAT itself shows, and how:
- who it authenticates as: ``GET {organization}/_apis/connectionData`` with HTTP Basic (empty user name, the
  PAT as password) and ``X-TFS-FedAuthRedirect: Suppress``, so a refused credential gets a 401 rather than
  a sign-in page. A 203 or any HTML answer is never a success: the credential was not taken, but such an
  answer does not say whether the PAT is bad or the URL is not an organization, so it gives ``unknown``.
- whether each declared scope is held, by one documented read-only GET per scope family (work items, code,
  projects, builds...): a 401 or 403 there means the scope is missing. A successful read proves the read
  level only; write, execute and manage levels are never probed, because a verifier never writes.
- group membership (e.g. Project Collection Administrators) through the Graph API on the organization's
  ``vssps`` host: find the group, then ``HEAD memberships/{user}/{group}`` (200 member, 404 not).

Some areas live on their own host in the cloud (``vssps``, ``vsaex``, ``feeds``, ``auditservice``); a probe names
its host and ``service_root`` maps the organization URL to it, so Azure DevOps Server (one collection URL for
everything) needs no special case.

What it cannot show: its expiry date and its full scope list (only the owner, in User settings, or an
administrator through the token admin API, sees them). Those stay in ``facts.unobservable``, so an Azure
DevOps finding is never ``ok`` from the token alone: at best it is ``partially_verified`` (every observable
fact confirmed), and it is the certain problems (missing scope, wrong owner, not in the group) that make it
``action_required`` and tell the holder what to fix.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

import httpx

from scm_access.declarations.access import GroupMembership
from scm_access.core.kinds import CredentialKind
from scm_access.http import Api, ApiError, PageRequest, read_json
from scm_access.judge import Fact, Finding, Observation, ProblemCode
from scm_access.plan.slot import Slot
from scm_access.platforms.azure_devops.spec import SPEC, azure_devops_access
from scm_access.platforms.azure_devops.responses import (
    Identity,
    find_group,
    is_sign_in_page,
    parse_connection_data,
    parse_descriptor,
    parse_groups,
    says_expired,
)
from scm_access.platforms.azure_devops.scopes import CATALOG
from scm_access.verify.context import VerifyContext, failed
from scm_access.verify.token import Token

API_VERSION = "7.1"
GRAPH_API_VERSION = "7.1-preview.1"
AUDIT_API_VERSION = "7.1-preview.1"
GRAPH_HOST = "vssps"
EXPIRY_UNOBSERVABLE = (
    "expiry: a PAT's expiry date is shown only to its owner (User settings > Personal access tokens)"
    " and to administrators (token admin API), not to the PAT itself"
)
SCOPES_UNOBSERVABLE = (
    "granted scopes: Azure DevOps does not list a PAT's scopes to the PAT, so scopes beyond the"
    " declaration (excess) cannot be seen"
)


@dataclass(frozen=True)
class Probe:
    """A documented read-only GET that needs exactly ``read_scope`` (the lowest level of its family)."""

    read_scope: str
    path: str
    """Relative to the host's root; ``{project}`` is the first declared project."""
    host: str | None = None
    """The service whose host answers (``vssps``, ``vsaex``...); None for the organization URL itself."""
    params: dict[str, str] = field(default_factory=dict)

    @property
    def needs_project(self) -> bool:
        return "{project}" in self.path


PROBES: tuple[Probe, ...] = (
    Probe("vso.code", "_apis/git/repositories"),
    Probe("vso.project", "_apis/projects", params={"$top": "1"}),
    Probe("vso.work", "_apis/wit/fields"),
    Probe("vso.agentpools", "_apis/distributedtask/pools"),
    Probe("vso.wiki", "_apis/wiki/wikis"),
    Probe("vso.build", "{project}/_apis/build/builds", params={"$top": "1"}),
    Probe("vso.test", "{project}/_apis/test/runs", params={"$top": "1"}),
    Probe("vso.serviceendpoint", "{project}/_apis/serviceendpoint/endpoints"),
    Probe("vso.variablegroups_read", "{project}/_apis/distributedtask/variablegroups"),
    Probe("vso.taskgroups_read", "{project}/_apis/distributedtask/taskgroups"),
    Probe("vso.graph", "_apis/graph/groups", host=GRAPH_HOST, params={"api-version": GRAPH_API_VERSION}),
    # Reading one's own identity needs Identity (Read); the subject descriptor is filled in at run time.
    Probe("vso.identity", "_apis/identities", host=GRAPH_HOST, params={"queryMembership": "None"}),
    # Hosts, paths and scopes as the memberEntitlementManagement spec and Microsoft's REST reference give them.
    Probe("vso.memberentitlementmanagement", "_apis/userentitlements", host="vsaex"),
    Probe("vso.packaging", "_apis/packaging/feeds", host="feeds"),
    # One entry is enough to see the scope; the audit API is published as a preview only.
    Probe("vso.auditlog", "_apis/audit/auditlog", host="auditservice",
          params={"api-version": AUDIT_API_VERSION, "batchSize": "1"}),
)
SERVICES: frozenset[str] = frozenset(p.host for p in PROBES if p.host) | {GRAPH_HOST}


def api_root(slot: Slot) -> str:
    """The organization URL: ``https://dev.azure.com/{organization}``, or on Azure DevOps Server the server's
    base URL with the collection (``https://host/tfs/DefaultCollection``), as the instructions link it."""
    return SPEC.web_url(slot.access)


def service_root(organization_url: str, service: str | None) -> str:
    """Where a service's area lives: ``{service}.dev.azure.com/{org}`` for the cloud (and
    ``{org}.{service}.visualstudio.com`` for old-style URLs); the collection itself for Azure DevOps Server, and
    the organization URL when ``service`` is None."""
    root = organization_url.rstrip("/")
    if service is None:
        return root
    parts = urlsplit(root)
    host = parts.hostname or ""
    if host == "dev.azure.com":
        return urlunsplit((parts.scheme, f"{service}.dev.azure.com", parts.path, "", ""))
    # Only the bare {org}.visualstudio.com: a URL already on a service host is kept as given.
    if host.endswith(".visualstudio.com") and host.count(".") == 2:
        organization = host.split(".", 1)[0]
        return urlunsplit((parts.scheme, f"{organization}.{service}.visualstudio.com", parts.path, "", ""))
    return root


def graph_root(organization_url: str) -> str:
    """Where Graph and Identities live (the ``vssps`` host)."""
    return service_root(organization_url, GRAPH_HOST)


def organization_name(slot: Slot, organization_url: str) -> str | None:
    declared = azure_devops_access(slot.access).organization
    if declared:
        return declared
    path = urlsplit(organization_url).path.strip("/")
    return path.rsplit("/", 1)[-1] or None


def credential_headers(token: Token) -> dict[str, str]:
    basic = base64.b64encode(f":{token.reveal()}".encode()).decode()
    return {
        "Authorization": token.derive(f"Basic {basic}"),
        # Without it a refused credential is redirected to a sign-in page instead of getting a 401.
        "X-TFS-FedAuthRedirect": "Suppress",
        "Accept": "application/json",
    }


def continuation_page(response: httpx.Response, data: object, page: PageRequest) -> PageRequest | None:
    """Azure DevOps lists in pages: a continuation token in the ``X-MS-ContinuationToken`` header (or
    ``continuationToken`` in the body) asks for the next one, sent back as a query parameter."""
    token = response.headers.get("x-ms-continuationtoken")
    if not token and isinstance(data, dict):
        token = data.get("continuationToken")
    if not token or not isinstance(token, str):
        return None
    return PageRequest(page.url, {**page.params, "continuationToken": token})


async def verify(
    ctx: VerifyContext, *, service_urls: Mapping[str, str] | None = None
) -> Finding:
    """``service_urls`` (service -> root URL, e.g. ``vssps`` for Graph) overrides where a service's host is
    reached (tests, proxies). Roots are derived from the organization URL otherwise."""
    headers = credential_headers(ctx.token)
    overrides = service_urls or {}
    org = ctx.http.at(ctx.api_root, headers)
    hosts: dict[str | None, Api] = {None: org}
    for service in SERVICES:
        hosts[service] = ctx.http.at(overrides.get(service) or service_root(ctx.api_root, service), headers)
    graph = hosts[GRAPH_HOST]
    obs = Observation()

    response = await org.get("_apis/connectionData")
    if not _identity_answer(response, obs):
        return ctx.conclude(obs)
    identity = parse_connection_data(read_json(response))
    if identity.is_anonymous:
        obs.add(
            ProblemCode.API_ERROR,
            "Azure DevOps answered for an anonymous caller: the credential was not used, so nothing was concluded",
        )
        return ctx.conclude(obs)

    # Only a PAT authenticates with Basic and an empty user name.
    obs.kind = CredentialKind.AZURE_DEVOPS_PAT
    obs.owner_login = identity.account
    if identity.account is None:
        obs.unobservable.append("owner: connectionData named no account for the identity")
    obs.cannot_show(EXPIRY_UNOBSERVABLE, Fact.EXPIRY)
    obs.cannot_show(SCOPES_UNOBSERVABLE, Fact.SCOPES)

    try:
        subject = await _subject_descriptor(graph, identity)
        await _probe_scopes(ctx.slot, hosts, subject, obs)
        for prerequisite in ctx.slot.prerequisites:
            if isinstance(prerequisite, GroupMembership):
                organization = organization_name(ctx.slot, ctx.api_root)
                await _check_membership(graph, subject, prerequisite.group, organization, obs)
    except ApiError as error:
        failed(obs, error)  # what connectionData showed still counts; the verdict becomes unknown
    return ctx.conclude(obs)


def _identity_answer(response: httpx.Response, obs: Observation) -> bool:
    """True when connectionData answered with an identity to read; otherwise records why not."""
    if response.status_code == 401:
        if says_expired(response):
            obs.add(ProblemCode.EXPIRED, "Azure DevOps says the personal access token has expired")
        else:
            obs.add(
                ProblemCode.INVALID_TOKEN,
                "Azure DevOps refused the token (HTTP 401): it is wrong, revoked or expired, or it was created"
                " for another organization",
            )
        return False
    if is_sign_in_page(response):
        obs.add(
            ProblemCode.API_ERROR,
            f"Azure DevOps answered HTTP {response.status_code} with a sign-in page instead of the API: it did"
            " not take the credential, and such a page does not say whether the token is bad or the base URL"
            " is not an organization URL (https://dev.azure.com/ORGANIZATION or a collection URL)",
        )
        return False
    if response.status_code == 404:
        obs.add(ProblemCode.API_ERROR, "Azure DevOps answered HTTP 404 for connectionData: is the base URL the organization URL?")
        return False
    if response.status_code != 200:
        obs.add(ProblemCode.API_ERROR, f"Azure DevOps answered HTTP {response.status_code} for connectionData")
        return False
    return True


async def _subject_descriptor(graph: Api, identity: Identity) -> str | None:
    if identity.subject_descriptor:
        return identity.subject_descriptor
    response = await graph.get(
        f"_apis/graph/descriptors/{quote(identity.id, safe='')}", params={"api-version": GRAPH_API_VERSION}
    )
    if response.status_code != 200 or is_sign_in_page(response):
        return None
    return parse_descriptor(read_json(response))


# -- scopes ------------------------------------------------------------------------------------------


async def _probe_scopes(slot: Slot, hosts: dict[str | None, Api], subject: str | None, obs: Observation) -> None:
    projects = azure_devops_access(slot.access).projects
    project = projects[0] if isinstance(projects, list) and projects else None
    # read scope -> (granted; None when the probe could not tell, what was asked)
    results: dict[str, tuple[bool | None, str]] = {}
    failed: set[str] = set()  # read scopes whose probe got an answer that tells nothing (not: could not be asked)
    missing: list[str] = []

    for scope in slot.scopes:
        if scope not in CATALOG:
            continue
        closure = CATALOG.closure([scope])
        probes = [p for p in PROBES if p.read_scope in closure]
        if not probes:
            obs.unobservable.append(f"{_named(scope)}: no read-only request shows whether the token holds it")
            continue
        for probe in probes:
            if probe.read_scope not in results:
                granted, asked, answered = await _run_probe(probe, hosts[probe.host], project, subject)
                results[probe.read_scope] = (granted, asked)
                if granted is None and answered:
                    failed.add(probe.read_scope)
        refused = [(p, results[p.read_scope][1]) for p in probes if results[p.read_scope][0] is False]
        if refused:
            probe, asked = refused[0]
            missing.append(f"{_named(scope)} (Azure DevOps refused {asked}, which needs {probe.read_scope})")
            continue
        silent = [results[p.read_scope][1] for p in probes if results[p.read_scope][0] is None]
        if any(p.read_scope in failed for p in probes):
            # Asked, and the answer did not tell: a fact not seen, not one out of sight by nature.
            obs.unobservable.append(f"{_named(scope)}: {silent[0]}")
            obs.add(ProblemCode.NOT_OBSERVABLE, f"{_named(scope)} could not be checked: {silent[0]}")
        elif silent:
            obs.unobservable.append(f"{_named(scope)}: {silent[0]}")
        elif scope not in {p.read_scope for p in probes}:
            obs.unobservable.append(
                f"{_named(scope)}: the read level was confirmed; higher levels cannot be seen without writing"
            )
    if missing:
        # One problem like the other platforms' scope comparison; a 401/403 may also be a missing permission.
        obs.add(
            ProblemCode.MISSING_SCOPE,
            "missing: " + "; ".join(missing) + ". If the token does hold these, its owner lacks the permission"
            " to read there",
        )


async def _run_probe(
    probe: Probe, api: Api, project: str | None, subject: str | None
) -> tuple[bool | None, str, bool]:
    """(granted; None when the probe does not tell, what was asked, whether the probe was sent)."""
    if probe.needs_project and project is None:
        return None, f"no project is declared to check it in ({probe.path.format(project='PROJECT')})", False
    params = {"api-version": API_VERSION, **probe.params}
    if probe.read_scope == "vso.identity":
        if subject is None:
            return None, "the token's identity has no subject descriptor to look up", False
        params["subjectDescriptors"] = subject
    path = probe.path.format(project=quote(project or "", safe=""))
    # Several services share a path layout: the host says which one refused.
    asked = f"GET {path}" + (f" on the {probe.host} host" if probe.host else "")
    response = await api.get(path, params=params)
    if response.status_code == 400 and "preview" not in params["api-version"]:
        # Azure DevOps refuses a released version number for a resource still in preview at that version.
        response = await api.get(path, params={**params, "api-version": f"{API_VERSION}-preview"})
    if response.status_code in (401, 403):
        return False, f"{asked} (HTTP {response.status_code})", True
    if response.status_code == 200 and not is_sign_in_page(response):
        return True, asked, True
    if is_sign_in_page(response):
        return None, f"{asked} answered with a sign-in page", True
    if response.status_code == 404 and probe.needs_project:
        return None, f"{asked} answered HTTP 404: project {project!r} not found or not visible to the token", True
    return None, f"{asked} answered HTTP {response.status_code}", True


def _named(scope: str) -> str:
    return f"{scope} ({CATALOG.label(scope)})" if scope in CATALOG else scope


# -- group membership ----------------------------------------------------------------------------------


async def _check_membership(
    graph: Api, subject: str | None, wanted: str, organization: str | None, obs: Observation
) -> None:
    if subject is None:
        _membership_unobservable(obs, wanted, "the token's identity has no subject descriptor")
        return
    groups = []
    async for response, data in graph.pages(
        "_apis/graph/groups", next_page=continuation_page, params={"api-version": GRAPH_API_VERSION}
    ):
        if response.status_code in (401, 403):
            _membership_unobservable(
                obs, wanted, f"the Graph API refused the token (HTTP {response.status_code}); seeing groups needs"
                " Graph (Read), vso.graph"
            )
            return
        if data is None or is_sign_in_page(response):
            _membership_unobservable(obs, wanted, f"the Graph API answered HTTP {response.status_code}")
            return
        groups += parse_groups(data)
    matches = find_group(groups, wanted, organization)
    if len(matches) != 1:
        why = "no group has that name" if not matches else "several groups have that name; declare it as [scope]\\name"
        _membership_unobservable(obs, wanted, why)
        return
    group = matches[0]
    response = await graph.head(
        f"_apis/graph/memberships/{quote(subject, safe='')}/{quote(group.descriptor, safe='')}"
        f"?api-version={GRAPH_API_VERSION}"
    )
    if response.status_code == 200:
        obs.groups = [*(obs.groups or []), group.principal_name or group.display_name]
    elif response.status_code == 404:
        obs.add(
            ProblemCode.NOT_IN_REQUIRED_GROUP,
            f"the token's owner is not a member of {group.principal_name or group.display_name} (Graph shows"
            " direct memberships: membership through a Microsoft Entra group is not seen)",
        )
    else:
        _membership_unobservable(obs, wanted, f"the membership check answered HTTP {response.status_code}")


def _membership_unobservable(obs: Observation, group: str, why: str) -> None:
    obs.unobservable.append(f"membership of {group}: {why}")
    obs.add(ProblemCode.NOT_OBSERVABLE, f"membership of {group} could not be checked: {why}")
