"""What an administrator's view shows of the credentials that exist, in one shape for every platform.

``None`` always means *not seen* (the source does not show it, or did not answer), never *absent*: a
reader that cannot see a fact leaves it ``None`` and says why in :attr:`FoundCredential.unobservable`.
No value here is ever a secret: a listing shows at most a token's last characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.judge.observation import Fact, HolderState

RepositorySelection = Literal["all", "subset", "none"]


class SourceStatus(StrEnum):
    READ = "read"
    """Every page of the view was read."""
    SKIPPED = "skipped"
    """Not configured (no administrator credential for it) or not available here (tier, cloud/self-managed):
    the detail names what enables it."""
    FAILED = "failed"
    """The view could not be read (refused, unreachable, rate limited): the findings that depend on it are
    ``unknown``, the other sources' findings stand."""


@dataclass(frozen=True, slots=True)
class SourceReport:
    platform: str
    source: str
    """Which admin view, stable and short, e.g. ``fine_grained_grants``, ``credential_authorizations``."""
    status: SourceStatus
    detail: str = ""
    """What was read (counts, the organisation) or why not; never a credential."""
    scope: str | None = None
    """The organisation, group, project or workspace the view covers; None for the whole instance."""
    kinds: tuple[CredentialKind, ...] = ()
    """The kinds of credential this view lists (all of them, for its scope): a declared slot of such a kind
    with nothing found in a view that was read is ``missing``; with no view listing its kind, the inventory
    cannot tell and says so (``unknown``)."""


@dataclass(frozen=True, slots=True)
class FoundCredential:
    """One credential as an administrator's view lists it."""

    platform: Platform
    source: str
    """The :attr:`SourceReport.source` it was read from (revocation goes back through the same view)."""
    id: str
    """The platform's own id of the credential or grant (grant id, token id, authorizationId, key id)."""
    kind: CredentialKind | None
    """One of our kinds when it is one; None for anything else (then :attr:`kind_label` says what)."""
    kind_label: str
    """The platform's name for what it is, e.g. ``fine-grained personal access token``."""
    name: str | None = None
    """Name, note, label or title the creator gave it (where the instructions put the slot tag)."""
    owner: str | None = None
    """Login (GitHub, GitLab username), email (Atlassian) or principal name (Azure DevOps) of its holder;
    for a resource token or key, the resource it belongs to."""
    owner_id: str | None = None
    """The platform's id of the owner (user id, subject descriptor), for calls that need it."""
    owner_state: HolderState | None = None
    scope: str | None = None
    """The organisation, group, project or workspace the view covers, as declared (e.g. ``acme``)."""
    scopes: frozenset[str] | None = None
    """What it grants, spelled as the platform's scope catalog spells it (GitHub fine-grained:
    ``contents:read``). None: not shown by this view."""
    repository_selection: RepositorySelection | None = None
    repositories: frozenset[str] | None = None
    """Full names (``owner/repo``, ``group/project``) when the selection is a subset and was read."""
    expires_at: datetime | None = None
    never_expires: bool | None = None
    expired: bool | None = None
    revoked: bool | None = None
    active: bool | None = None
    """False: the platform says it no longer works."""
    created_at: datetime | None = None
    last_used_at: datetime | None = None
    usage_shown: bool = False
    """The view shows last use: ``last_used_at`` None then means *never used*, not *not seen*."""
    all_organizations: bool | None = None
    """Azure DevOps: valid in every organisation the user can reach (a global token)."""
    token_last_eight: str | None = None
    access_level: str | None = None
    """Role a resource token carries (GitLab ``developer``...), where the view shows it."""
    unobservable: tuple[str, ...] = ()
    """What this view cannot show of it, by nature, each saying where to settle it."""
    blind_to: frozenset[Fact] = frozenset()
    """The judged facts (scopes, expiry, owner) among :attr:`unobservable`: left ``None`` by nature, so the
    finding is ``partially_verified`` rather than ``unknown`` for them."""
    extra: tuple[tuple[str, str], ...] = ()
    """Further facts worth showing, as (name, value), e.g. ``("credential_authorized_at", "...")``."""


@dataclass(slots=True)
class Inventory:
    """What the readers found: every credential, and what each source said about itself."""

    credentials: list[FoundCredential] = field(default_factory=list)
    sources: list[SourceReport] = field(default_factory=list)

    def extend(self, other: Inventory) -> None:
        self.credentials += other.credentials
        self.sources += other.sources

    def failed_sources(self, platform: str) -> list[SourceReport]:
        return [s for s in self.sources if s.platform == platform and s.status == SourceStatus.FAILED]


def within(home: str, scope: str) -> bool:
    """Whether a view of ``scope`` lists what lives at ``home``: the same place, or a group above it (GitLab);
    names compare case-insensitively."""
    home, scope = home.casefold(), scope.casefold()
    return home == scope or home.startswith(scope + "/")
