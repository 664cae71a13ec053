"""GitLab scope catalog: access-token scopes and deploy-token scopes.

One entry per scope string; a string shared by access tokens and deploy tokens (``read_repository``,
``read_registry``, ...) carries the union of the kinds. GitLab's token form labels each checkbox with the
scope string itself, so the label is the string and the meaning is in the description.

Sources (GitLab's own documentation, read in the gitlab-org/gitlab repository through its GitHub mirror):
- the access-token scope table, ``doc/security/tokens/access_token_scopes.md``: which scopes exist, which
  token kinds offer them, and what each grants;
- the deploy-token scope table, ``doc/user/project/deploy_tokens/_index.md``.

Implications are only those the tables state:
- ``api`` grants complete read and write access to the API, so it contains ``read_api`` and what the read-only
  API scopes allow (``read_user``); ``read_api`` grants read access to the API, which covers ``read_user``;
- on a personal access token (service-account tokens are personal access tokens of a service account),
  ``api`` also grants Git-over-HTTP pull and push and the container registry; group and project access
  tokens "do not include this Git-over-HTTP clause", so a group token that pushes needs ``write_repository``;
- ``write_repository`` is pull and push, ``write_virtual_registry`` is pull, push and delete: both contain
  their read scope; ``write_registry`` is push only and does not contain ``read_registry``.
``api`` containing the runner and self-rotation scopes is not stated by the tables: those implications are
kept unconfirmed, so they never drop a scope a guide asked for.

High privilege: scopes that push code or artefacts (repository, registries, packages), register or manage
runners (which receive CI jobs and their secrets), reach clusters, or act as an administrator.
"""

from __future__ import annotations

from scm_access.core.kinds import CredentialKind
from scm_access.scopes.catalog import Flag, Implication, Scope, ScopeCatalog, Source, implies

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

CHECKED = "2026-11-30"
SCOPE_TABLE = Source(
    "gitlab-org/gitlab:doc/security/tokens/access_token_scopes.md"
    " (https://docs.gitlab.com/security/tokens/access_token_scopes/; read at mirror gitlabhq/gitlabhq@41946e65)",
    CHECKED,
)
DEPLOY_TABLE = Source(
    "gitlab-org/gitlab:doc/user/project/deploy_tokens/_index.md"
    " (https://docs.gitlab.com/user/project/deploy_tokens/; read at mirror gitlabhq/gitlabhq@0286e4c6)",
    CHECKED,
)

HP = True
__ = False

_NOT_IN_TABLE = (
    "not in GitLab's access-token scope table; the table says only that api grants complete access to the"
    " API, not that the endpoints this scope guards accept api"
)

_IMPLIES: dict[str, tuple[Implication, ...]] = {
    "api": (
        *implies("read_api", "read_user", source=SCOPE_TABLE),
        # Footnote 1 of the table: the Git-over-HTTP and registry clause holds for personal tokens only.
        *implies("write_repository", "read_registry", "write_registry", source=SCOPE_TABLE, kinds=USER_TOKENS),
        Implication("create_runner", unconfirmed=_NOT_IN_TABLE),
        Implication("manage_runner", unconfirmed=_NOT_IN_TABLE),
        Implication("self_rotate", unconfirmed=_NOT_IN_TABLE),
    ),
    "read_api": implies("read_user", source=SCOPE_TABLE),
    "write_repository": implies("read_repository", source=SCOPE_TABLE),
    # Both tables: pull, push and delete (the deploy-token table says the same).
    "write_virtual_registry": implies("read_virtual_registry", source=SCOPE_TABLE),
}

_OBSERVABILITY = Flag(
    reason="absent from GitLab's access-token scope table: offered only to group and project tokens on"
    " instances where observability is turned on behind a feature flag",
    source=SCOPE_TABLE,
)
_OBSERVABILITY_UNCONFIRMED = (
    "no current GitLab documentation lists it; kept so that declarations and tokens that name it resolve"
)

# scope, kinds, high privilege, meaning, source of existence
_SCOPES: tuple[tuple[str, frozenset[CredentialKind], bool, str, Source], ...] = (
    ("api", ACCESS_TOKENS, HP,
     "Complete read and write access to the API within the token's reach, including the container registry,"
     " the dependency proxy and the package registry. On a personal access token also Git-over-HTTP pull and"
     " push; group and project tokens need write_repository for that.", SCOPE_TABLE),
    ("read_api", ACCESS_TOKENS, __,
     "Read access to the API within the token's reach. For a personal access token this includes the"
     " container and package registries; for group and project tokens, the package registry only.",
     SCOPE_TABLE),
    ("read_user", USER_TOKENS, __,
     "Read the authenticated user's profile (GET /user) and the read-only /users endpoints."
     " Group and project tokens cannot have it.", SCOPE_TABLE),
    ("read_repository", ACCESS_TOKENS | {DEPLOY}, __,
     "Pull repositories over Git-over-HTTP; access tokens may also use the repository files API.",
     SCOPE_TABLE),
    ("write_repository", ACCESS_TOKENS, HP,
     "Pull and push repositories over Git-over-HTTP (not the API).", SCOPE_TABLE),
    ("read_registry", ACCESS_TOKENS | {DEPLOY}, __,
     "Pull container images from a registry that requires authentication (when the registry is enabled).",
     SCOPE_TABLE),
    ("write_registry", ACCESS_TOKENS | {DEPLOY}, HP,
     "Push container images. It does not include pulling: group, project and deploy tokens also need"
     " read_registry to push.", SCOPE_TABLE),
    ("read_virtual_registry", USER_TOKENS | {GROUP, DEPLOY}, __,
     "Pull container images through the dependency proxy (when enabled).", SCOPE_TABLE),
    ("write_virtual_registry", USER_TOKENS | {GROUP, DEPLOY}, HP,
     "Pull, push and delete container images through the dependency proxy (when enabled).", SCOPE_TABLE),
    ("create_runner", ACCESS_TOKENS, HP,
     "Create runners within the token's reach.", SCOPE_TABLE),
    ("manage_runner", ACCESS_TOKENS, HP,
     "Manage runners: assign, update and delete them.", SCOPE_TABLE),
    ("k8s_proxy", ACCESS_TOKENS, HP,
     "Call the Kubernetes API through the agent for Kubernetes.", SCOPE_TABLE),
    ("self_rotate", ACCESS_TOKENS, __,
     "Rotate this token and nothing else.", SCOPE_TABLE),
    ("ai_features", ACCESS_TOKENS, __,
     "Use the GitLab Duo APIs (Code Suggestions, Chat); on self-managed instances only when Duo is enabled.",
     SCOPE_TABLE),
    ("sudo", ADMIN_ONLY, HP,
     "Act as any user through the Sudo header or parameter. Offered only to administrators.", SCOPE_TABLE),
    ("admin_mode", ADMIN_ONLY, HP,
     "Call administrator endpoints when Admin Mode is on (self-managed). Offered only to administrators.",
     SCOPE_TABLE),
    ("read_service_ping", ADMIN_ONLY, __,
     "Download the Service Ping payload. Offered only to administrators.", SCOPE_TABLE),
    ("read_observability", RESOURCE_TOKENS, __,
     "Read observability data; group and project tokens only, when observability is enabled.", SCOPE_TABLE),
    ("write_observability", RESOURCE_TOKENS, __,
     "Write observability data; group and project tokens only, when observability is enabled.", SCOPE_TABLE),
    # Deploy tokens only.
    ("read_package_registry", frozenset({DEPLOY}), __,
     "Deploy tokens: pull packages from the package registry.", DEPLOY_TABLE),
    ("write_package_registry", frozenset({DEPLOY}), HP,
     "Deploy tokens: publish packages to the package registry. It does not include pulling.", DEPLOY_TABLE),
)

_EXPERIMENTAL = {"read_observability": _OBSERVABILITY, "write_observability": _OBSERVABILITY}


def _group(kinds: frozenset[CredentialKind]) -> str:
    if kinds == frozenset({DEPLOY}):
        return "Deploy token scopes"
    if kinds == ADMIN_ONLY:
        return "Administrator scopes"
    return "Access token scopes"


def _entry(
    name: str, kinds: frozenset[CredentialKind], high: bool, meaning: str, source: Source
) -> Scope:
    experimental = _EXPERIMENTAL.get(name)
    return Scope(
        name=name,
        # GitLab's form shows the scope string as the checkbox label.
        label=name,
        label_source=source,
        kinds=kinds,
        implies=_IMPLIES.get(name, ()),
        description=meaning,
        group=_group(kinds),
        high_privilege=high,
        experimental=experimental,
        ui_selectable=experimental is None,
        sources=(source,),
        unconfirmed=_OBSERVABILITY_UNCONFIRMED if experimental is not None else None,
    )


CATALOG = ScopeCatalog.of("gitlab", [_entry(*row) for row in _SCOPES])
