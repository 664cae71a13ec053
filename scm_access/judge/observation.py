"""What was seen of one credential, where from, and what could not be seen: the one input of the judge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from scm_access.core.kinds import CredentialKind
from scm_access.judge.finding import Problem, ProblemCode


class Source(StrEnum):
    TOKEN = "token"
    """The token in hand: what the platform answers to requests made with it (``scm-access verify``)."""
    PROVIDER = "provider"
    """The Pulumi provider's read of a credential the stack made, after apply."""
    INVENTORY = "inventory"
    """An administrator's listing of credentials, no token needed."""


class HolderState(StrEnum):
    """What the platform says of the account a credential belongs to."""

    ACTIVE = "active"
    BLOCKED = "blocked"
    """Blocked, banned or deactivated: the account cannot sign in, its tokens may linger."""
    DELETED = "deleted"
    """The account is gone (or deleted in its identity provider, e.g. Entra)."""
    NOT_A_MEMBER = "not_a_member"
    """The account exists but is no longer a member of the organisation the credential reaches."""


DEPARTED = frozenset({HolderState.BLOCKED, HolderState.DELETED, HolderState.NOT_A_MEMBER})


class Fact(StrEnum):
    """Facts the judge compares with the declaration; a required one not seen is never taken as right."""

    KIND = "kind"
    OWNER = "owner"
    SCOPES = "scopes"
    EXPIRY = "expiry"
    READ_ONLY = "read_only"
    EXISTS = "exists"


@dataclass
class Observation:
    """What one source saw of a credential. ``None`` always means *not seen*, never *absent*."""

    source: Source = Source.TOKEN
    kind: CredentialKind | None = None
    kind_label: str | None = None
    """Name of the kind when it is none of ours (e.g. a GitHub OAuth app token)."""
    owner_login: str | None = None
    scopes_granted: list[str] | None = None
    """The full granted set when the source shows it; None when it cannot be seen (a token verifier then
    reports missing permissions itself, from probes)."""
    expires_at: datetime | None = None
    never_expires: bool | None = None
    active: bool | None = None
    """False: the source says the credential no longer works (expired or disabled)."""
    revoked: bool | None = None
    read_only: bool | None = None
    """For a key: whether it is read-only (compared with :attr:`wants_read_only`, what the declaration needs)."""
    wants_read_only: bool | None = None
    exists: bool | None = None
    target: str | None = None
    """The resource this observation is about (a repository, a project), when a slot has several."""
    token_last_four: str | None = None
    required: tuple[Fact, ...] | None = None
    """Facts this observation must carry for a verdict; None: the source's usual ones (see the judge)."""
    problems: list[Problem] = field(default_factory=list)
    """What the source itself found wrong or could not see, in its own words."""
    unobservable: list[str] = field(default_factory=list)
    """What this source cannot show by its nature (not: failed to show), each with where to settle it."""
    blind_to: set[Fact] = field(default_factory=set)
    """Required facts among :attr:`unobservable`: not reported again as not seen."""
    orgs_authorized: list[str] | None = None
    groups: list[str] | None = None
    repositories_reachable: list[str] | None = None
    # -- what an administrator's listing shows besides (None: not shown) --
    all_repositories: bool | None = None
    """True: it reaches every repository of its owner; False: only :attr:`repositories_reachable` (full
    names). Compared with the declared repositories only when set."""
    created_at: datetime | None = None
    last_used_at: datetime | None = None
    usage_shown: bool = False
    """The source shows last use: :attr:`last_used_at` None then means *never used*."""
    holder_state: HolderState | None = None
    all_organizations: bool | None = None
    """True: valid in every organisation its holder can reach (an Azure DevOps global token)."""

    def add(self, code: ProblemCode, detail: str) -> None:
        self.problems.append(Problem(code=code, detail=detail))

    def cannot_show(self, what: str, *facts: Fact) -> None:
        """``what`` (a fact, why it cannot be seen from here, and where to settle it) is out of this source's
        sight by its nature: everything else may still be verified, but the finding is never plain ``ok``."""
        if what not in self.unobservable:
            self.unobservable.append(what)
        self.blind_to.update(facts)
