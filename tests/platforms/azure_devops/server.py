"""A local Azure DevOps organization for tests, answering with Microsoft's official examples.

It behaves as the service does for a PAT: Basic authentication with the PAT as password; without
``X-TFS-FedAuthRedirect: Suppress`` a refused credential gets the 203 sign-in page, with it a 401; a read
that needs a scope the PAT lacks gets a 401. Graph, Identities, user entitlements, feeds and the audit log are
served on the same root, as an Azure DevOps Server collection does.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

from platforms.local_server import FIXTURES, Reply, Request, load_fixture

ORGANIZATION = "fabrikam"
CONNECTION_DATA = load_fixture("azure_devops/connection_data.json")
GROUPS = load_fixture("azure_devops/graph_groups_list.json")
MEMBERSHIP_CHECK = load_fixture("azure_devops/graph_membership_check.json")
DESCRIPTOR = load_fixture("azure_devops/graph_descriptor_by_id.json")
IDENTITIES = load_fixture("azure_devops/identities_by_subject_descriptor.json")
RATE_LIMITED = load_fixture("azure_devops/rate_limited.json")
SIGN_IN_PAGE = (Path(FIXTURES) / "azure_devops" / "sign_in_page.html").read_text()

USER = CONNECTION_DATA["responses"]["200"]["body"]["authenticatedUser"]
USER_ACCOUNT = USER["properties"]["Account"]["$value"]
USER_DESCRIPTOR = USER["subjectDescriptor"]
PCA = next(g for g in GROUPS["responses"]["200"]["body"]["value"] if g["displayName"] == "Project Collection Administrators")

# What each read needs, from Microsoft's REST reference (the scope named in each operation's security).
SCOPE_OF_READ = {
    "/_apis/git/repositories": "vso.code",
    "/_apis/projects": "vso.project",
    "/_apis/wit/fields": "vso.work",
    "/_apis/distributedtask/pools": "vso.agentpools",
    "/_apis/wiki/wikis": "vso.wiki",
    "/_apis/build/builds": "vso.build",
    "/_apis/test/runs": "vso.test",
    "/_apis/serviceendpoint/endpoints": "vso.serviceendpoint",
    "/_apis/distributedtask/variablegroups": "vso.variablegroups_read",
    "/_apis/distributedtask/taskgroups": "vso.taskgroups_read",
    "/_apis/graph/groups": "vso.graph",
    "/_apis/graph/memberships": "vso.graph",
    "/_apis/graph/descriptors": "vso.graph",
    "/_apis/identities": "vso.identity",
    "/_apis/userentitlements": "vso.memberentitlementmanagement",
    "/_apis/packaging/feeds": "vso.packaging",
    "/_apis/audit/auditlog": "vso.auditlog",
}


def basic(pat: str) -> str:
    return "Basic " + base64.b64encode(f":{pat}".encode()).decode()


def official(example: dict, status: str = "200") -> Reply:
    answer = example["responses"][status]
    headers = {"Content-Type": "application/json; charset=utf-8", **answer.get("headers", {})}
    body = answer.get("body")
    if isinstance(body, str):
        return Reply.text(int(status), body, headers.pop("Content-Type"), **headers)
    return Reply.json(int(status), body, headers) if body is not None else Reply(int(status), headers)


@dataclass
class AzureDevOpsOrganization:
    pat: str
    reads: set[str] = field(default_factory=lambda: {"vso.code", "vso.project", "vso.work", "vso.graph"})
    """Read scopes the PAT holds (the server only tells reads apart)."""
    projects: set[str] = field(default_factory=lambda: {"Platform"})
    member_of: set[str] = field(default_factory=lambda: {PCA["descriptor"]})
    expired: bool = False
    groups_per_page: int = 10
    """The official list, served in pages linked by X-MS-ContinuationToken."""
    preview_only: set[str] = field(default_factory=set)
    """Reads (paths) still in preview: a released api-version gets HTTP 400, as Azure DevOps answers."""

    def __call__(self, request: Request) -> Reply:
        prefix = f"/{ORGANIZATION}"
        if not request.path.startswith(prefix + "/"):
            return Reply.text(404, "Not Found")
        path = request.path[len(prefix):]
        if request.headers.get("authorization") != basic(self.pat) or self.expired:
            if request.headers.get("x-tfs-fedauthredirect") != "Suppress":
                return Reply.text(203, SIGN_IN_PAGE, "text/html; charset=utf-8")
            if self.expired:
                return official(CONNECTION_DATA, "401")
            return Reply.text(401, "Unauthorized", "text/html", **{"WWW-Authenticate": 'Basic realm="https://tfsprodcus3.visualstudio.com/"'})
        if path == "/_apis/connectionData":
            return official(CONNECTION_DATA)
        needed = self._scope_of(path)
        if needed is None:
            return Reply.json(404, {"message": "not found"})
        if needed not in self.reads:
            return Reply.text(401, "Unauthorized", "text/html")
        version = request.query.get("api-version", [""])[0]
        if any(path.endswith(p) for p in self.preview_only) and "-preview" not in version:
            return Reply.json(400, {"message": f"The requested version \"{version}\" of the resource is under"
                                    " preview. The -preview flag must be supplied in the api-version for such requests."})
        return self._read(request, path)

    def _scope_of(self, path: str) -> str | None:
        for read, scope in SCOPE_OF_READ.items():
            if path == read or path.endswith(read) or path.startswith(read + "/"):
                return scope
        return None

    def _read(self, request: Request, path: str) -> Reply:
        if path.startswith("/_apis/graph/memberships/"):
            subject, container = path.rsplit("/", 2)[-2:]
            member = subject == USER_DESCRIPTOR and container in self.member_of
            return official(MEMBERSHIP_CHECK) if member else Reply(404)
        if path == "/_apis/graph/groups":
            return self._groups_page(request)
        if path.startswith("/_apis/graph/descriptors/"):
            return official(DESCRIPTOR)
        if path == "/_apis/identities":
            return official(IDENTITIES)
        project = path.split("/_apis/", 1)[0].strip("/")
        if project and project not in self.projects:
            return Reply.json(404, {"message": f"TF200016: The following project does not exist: {project}."})
        return Reply.json(200, {"count": 0, "value": []})

    def _groups_page(self, request: Request) -> Reply:
        groups = GROUPS["responses"]["200"]["body"]["value"]
        start = int(request.query.get("continuationToken", ["0"])[0])
        page = groups[start:start + self.groups_per_page]
        headers = {}
        if start + self.groups_per_page < len(groups):
            headers["X-MS-ContinuationToken"] = str(start + self.groups_per_page)
        return Reply.json(200, {"count": len(page), "value": page}, headers)
