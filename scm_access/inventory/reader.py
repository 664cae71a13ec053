"""How a platform folder reads its administrator views: the context it gets, and the module it provides.

A platform that has admin views provides ``platforms/<platform>/inventory.py`` with:

``ADMIN_CREDENTIALS: tuple[AdminCredential, ...]``
    the environment variables that enable its reading, each with what it enables;
``def configured(environ: Mapping[str, str]) -> str | None``
    None when enough is set to read something; otherwise one line naming the variable(s) that enable it;
``async def read(ctx: InventoryContext) -> Inventory``
    every view it can read for the declared slots of that platform. A view that fails is a
    :class:`~scm_access.inventory.model.SourceReport` with status ``failed`` (never an exception for what a
    server does); a bug propagates.

What the generic side relies on (``match.py``, ``judging.py``):

- each view that was read, failed or skipped is one :class:`~scm_access.inventory.model.SourceReport` whose
  ``kinds`` lists the credential kinds it lists and ``scope`` the owner it covers: a declared slot of such a
  kind with nothing found is ``missing`` only when such a view was read;
- a credential's name, note or title goes in ``name`` and its description (if any) in ``extra`` as
  ``("description", ...)``: the slot tag and the stack's ``[scm-access …]`` marker are looked for there;
- a fact the view cannot show by nature is ``None``, said in ``unobservable`` and, when it is one the judge
  needs (scopes, expiry, owner), named in ``blind_to``; a fact it failed to show is ``None`` alone (then the
  finding is ``unknown``).

Administrator credentials are read from the environment only (never arguments), held as
:class:`~scm_access.verify.token.Token` so every output boundary scrubs them, and never logged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from types import ModuleType

from scm_access.core.discovery import platform_module_name
from scm_access.declarations.policy import Policy
from scm_access.http import ApiClient
from scm_access.plan.slot import Slot


@dataclass(frozen=True, slots=True)
class AdminCredential:
    env_var: str
    """e.g. ``SCM_ACCESS_GITLAB_ADMIN_TOKEN``."""
    enables: str
    """What reading it enables, for the skipped line and the docs."""
    secret: bool = True


@dataclass
class InventoryContext:
    slots: list[Slot]
    """The declared slots of this platform (possibly none: then only the instance-wide views are read)."""
    http: ApiClient
    environ: Mapping[str, str]
    policy: Policy
    now: datetime
    api_root: str | None = None
    """``--base-url``: one API root overriding every slot's own (Enterprise Server, self-managed, tests)."""
    options: dict[str, object] = field(default_factory=dict)

    @classmethod
    def for_platform(
        cls,
        platform: str,
        slots: Sequence[Slot],
        *,
        http: ApiClient,
        environ: Mapping[str, str],
        policy: Policy,
        now: datetime,
        api_root: str | None = None,
        options: Mapping[str, object] | None = None,
    ) -> InventoryContext:
        """The context of one platform's module: the run's, with that platform's slots only."""
        return cls(
            slots=[s for s in slots if s.platform == platform],
            http=http,
            environ=environ,
            policy=policy,
            now=now,
            api_root=api_root,
            options=dict(options or {}),
        )


def reader_for(platform: str) -> ModuleType | None:
    """The platform's inventory module, None if it has none (found by name, like every plug-in)."""
    name = platform_module_name(platform, "inventory")
    try:
        return import_module(name)
    except ModuleNotFoundError as error:
        if error.name == name:
            return None
        raise
