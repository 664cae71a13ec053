"""GitLab scope catalog: access-token scopes and deploy-token scopes.

One entry per scope string; a string shared by access tokens and deploy tokens (``read_repository``,
``read_registry``, ...) carries the union of the kinds. GitLab's token form labels each checkbox with the
scope string itself, so the label is the string and the meaning is in the description (GitLab docs "Access
token scopes" and "Deploy tokens").

GitLab docs do not publish an implication table. Containment here is what GitLab's scope checks give, kept
to what holds for every token kind that carries both scopes:
- ``api`` is accepted by every REST endpoint, so it contains the REST-only scopes (``read_api``,
  ``read_user``, ``create_runner``, ``manage_runner``, ``self_rotate``), and it grants Git-over-HTTP pull and
  push and container registry pull and push;
- ``read_api`` is accepted by every GET endpoint, which covers all ``read_user`` allows;
- ``write_repository`` is Git pull and push, so it contains ``read_repository``;
- ``write_registry`` is push only and does not contain ``read_registry``; likewise the virtual registry pair.
Left out on purpose: ``read_api`` containing ``read_repository`` or ``read_registry`` (the container registry
is outside it for group and project tokens), and ``api`` containing the virtual registry scopes (GitLab is
separating dependency-proxy access from the general scopes).

High privilege: scopes that push code or artefacts (repository, registries, packages), register or manage
runners (which receive CI jobs and their secrets), reach clusters, or act as an administrator.
"""

from __future__ import annotations

from scm_access.core.kinds import CredentialKind
from scm_access.scopes.catalog import Scope, ScopeCatalog

ROLE_RANK: dict[str, int] = {
    "no one": 0, "minimal": 5, "guest": 10, "planner": 15, "reporter": 20,
    "security_manager": 25, "developer": 30, "maintainer": 40, "owner": 50,
}
"""GitLab roles, lowest first (project and group access tokens carry a role as well as scopes)."""

PAT = CredentialKind.GITLAB_PAT
PROJECT = CredentialKind.GITLAB_PROJECT_ACCESS_TOKEN
GROUP = CredentialKind.GITLAB_GROUP_ACCESS_TOKEN
SERVICE_ACCOUNT = CredentialKind.GITLAB_SERVICE_ACCOUNT_TOKEN
DEPLOY = CredentialKind.GITLAB_DEPLOY_TOKEN

# Service-account tokens are personal access tokens of a non-admin bot user: they take the user scopes.
ACCESS_TOKENS = frozenset({PAT, PROJECT, GROUP, SERVICE_ACCOUNT})
USER_TOKENS = frozenset({PAT, SERVICE_ACCOUNT})
ADMIN_ONLY = frozenset({PAT})
RESOURCE_TOKENS = frozenset({PROJECT, GROUP})

HP = True
__ = False

# scope, kinds, directly contains, high privilege, meaning
_SCOPES: tuple[tuple[str, frozenset[CredentialKind], tuple[str, ...], bool, str], ...] = (
    ("api", ACCESS_TOKENS,
     ("read_api", "read_user", "write_repository", "read_registry", "write_registry",
      "create_runner", "manage_runner", "self_rotate"), HP,
     "Complete read and write access to the REST and GraphQL APIs within the token's reach, including the"
     " container registry, the dependency proxy and the package registry; Git-over-HTTP pull and push."),
    ("read_api", ACCESS_TOKENS, ("read_user",), __,
     "Read access to the API within the token's reach. For a personal access token this includes the"
     " container and package registries; for group and project tokens, the package registry only."),
    ("read_user", USER_TOKENS, (), __,
     "Read the authenticated user's profile (GET /user) and the read-only /users endpoints."
     " Group and project tokens cannot have it."),
    ("read_repository", ACCESS_TOKENS | {DEPLOY}, (), __,
     "Pull repositories over Git-over-HTTP; access tokens may also use the repository files API."),
    ("write_repository", ACCESS_TOKENS, ("read_repository",), HP,
     "Pull and push repositories over Git-over-HTTP (not the API)."),
    ("read_registry", ACCESS_TOKENS | {DEPLOY}, (), __,
     "Pull container images from a registry that requires authentication (when the registry is enabled)."),
    ("write_registry", ACCESS_TOKENS | {DEPLOY}, (), HP,
     "Push container images. It does not include pulling: group and project tokens also need"
     " read_registry to push."),
    ("read_virtual_registry", USER_TOKENS | {GROUP, DEPLOY}, (), __,
     "Pull container images through the dependency proxy (when enabled)."),
    ("write_virtual_registry", USER_TOKENS | {GROUP, DEPLOY}, (), HP,
     "Push and delete container images through the dependency proxy; it is not read_virtual_registry."),
    ("create_runner", ACCESS_TOKENS, (), HP,
     "Create runners within the token's reach."),
    ("manage_runner", ACCESS_TOKENS, (), HP,
     "Manage runners: assign, update and delete them."),
    ("k8s_proxy", ACCESS_TOKENS, (), HP,
     "Call the Kubernetes API through the agent for Kubernetes."),
    ("self_rotate", ACCESS_TOKENS, (), __,
     "Rotate this token and nothing else."),
    ("ai_features", ACCESS_TOKENS, (), __,
     "Use the GitLab Duo APIs (Code Suggestions, Chat); on self-managed instances only when Duo is enabled."),
    ("sudo", ADMIN_ONLY, (), HP,
     "Act as any user through the Sudo header or parameter. Offered only to administrators."),
    ("admin_mode", ADMIN_ONLY, (), HP,
     "Call administrator endpoints when Admin Mode is on (self-managed). Offered only to administrators."),
    ("read_service_ping", ADMIN_ONLY, (), __,
     "Download the Service Ping payload. Offered only to administrators."),
    ("read_observability", RESOURCE_TOKENS, (), __,
     "Read observability data; group and project tokens only, when observability is enabled."),
    ("write_observability", RESOURCE_TOKENS, (), __,
     "Write observability data; group and project tokens only, when observability is enabled."),
    # Deploy tokens only.
    ("read_package_registry", frozenset({DEPLOY}), (), __,
     "Deploy tokens: pull packages from the package registry."),
    ("write_package_registry", frozenset({DEPLOY}), (), HP,
     "Deploy tokens: publish packages to the package registry. It does not include pulling."),
)


def _group(kinds: frozenset[CredentialKind]) -> str:
    if kinds == frozenset({DEPLOY}):
        return "Deploy token scopes"
    if kinds == ADMIN_ONLY:
        return "Administrator scopes"
    return "Access token scopes"


CATALOG = ScopeCatalog.of(
    "gitlab",
    [
        Scope(
            name=name,
            label=name,
            kinds=kinds,
            implies=implies,
            description=meaning,
            group=_group(kinds),
            high_privilege=high,
        )
        for name, kinds, implies, high, meaning in _SCOPES
    ],
)
