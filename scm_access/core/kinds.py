"""Platforms and credential kinds: open vocabularies built from the platform folders.

Each platform folder has a ``kinds.py`` with ``KINDS``, one :class:`KindSpec` per credential kind it knows.
:class:`Platform` has one member per folder (``scm_access/platforms/github`` → ``Platform.GITHUB``) and
:class:`CredentialKind` one member per record (``github_classic_pat`` → ``CredentialKind.GITHUB_CLASSIC_PAT``).
Code outside the platform folders never names a member: it reads the kind's attributes (``kind.is_personal``,
``kind.spec.expires``, ...), so adding a platform or a kind touches no generic file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import EnumMeta, StrEnum
from typing import TYPE_CHECKING, Any, Literal

from scm_access.core.discovery import load_platform_module, platform_folders

CredentialForm = Literal["token", "ssh_key", "none"]


@dataclass(frozen=True, slots=True)
class KindSpec:
    """Everything generic code may know about one credential kind.

    Which scopes a kind can hold is decided by its platform's scope catalog: each scope lists the kinds that
    can carry it (``Scope.kinds``), and the planner and validation both ask the catalog.
    """

    value: str
    """Stable identifier, used in declarations and documents, e.g. ``github_classic_pat``."""
    label: str
    """Full name, e.g. ``GitHub personal access token (classic)``."""
    short_label: str
    """The name without the platform, for tables that already show the platform."""
    personal: bool
    """Only a person can create it: no API mints it for the organisation."""
    form: CredentialForm = "token"
    """What is handed over: a token string, an SSH private key, or nothing (an identity that authenticates
    with short-lived tokens issued on demand, e.g. a service principal)."""
    expires: bool = True
    """It has an expiry date on the platform (a key or a secretless identity does not): the plan sets one,
    and the expiry rule asks for one."""
    rotates: bool = False
    """The stack rotates it through the provider's own rotation setting; the rotation rule asks for one."""
    retired: str | None = None
    """Why it can no longer be used, and what to use instead; None while the platform accepts it."""
    lifetime_ceiling_days: int | None = None
    """The longest lifetime the platform itself accepts; None when the platform sets no ceiling."""
    api_access: bool = True
    """It can call the platform's API (deploy keys and deploy tokens only clone or pull)."""
    token_prefixes: tuple[str, ...] = ()
    """Prefixes that reveal the kind from the token alone."""
    pulumi_resource_types: tuple[str, ...] = ()
    """Provider resource types that make it (as the policy pack sees them)."""
    verification: str | None = None
    """What ``scm-access verify`` checks of this kind with the token alone, and what it cannot see there, in
    a sentence or two for the instructions' check step; None when verify cannot check this kind."""

    @property
    def carries_secret(self) -> bool:
        return self.form != "none"


def _discover() -> tuple[list[str], dict[str, tuple[str, KindSpec]]]:
    folders: list[str] = []
    specs: dict[str, tuple[str, KindSpec]] = {}
    for folder in platform_folders():
        module = load_platform_module(folder, "kinds")
        if module is None:
            continue  # a folder without kinds is not a platform (e.g. shared helpers)
        folders.append(folder)
        for spec in module.KINDS:
            if spec.value in specs:
                raise RuntimeError(f"credential kind {spec.value!r} is declared by {specs[spec.value][0]} and {folder}")
            specs[spec.value] = (folder, spec)
    return folders, specs


_FOLDERS, _SPECS = _discover()


class _PlatformBase(StrEnum):
    @property
    def kinds(self) -> list[CredentialKind]:
        """The credential kinds this platform knows, in the order its folder lists them."""
        return [kind for kind in CredentialKind if kind.platform == self]


class _KindBase(StrEnum):
    # ``_value_`` rather than the ``value`` property, and the platform member looked up in its map: an
    # inventory asks these of tens of thousands of credentials (the enum property is slow in Python 3.11).
    @property
    def spec(self) -> KindSpec:
        return _SPECS[self._value_][1]

    @property
    def platform(self) -> Platform:
        return Platform._value2member_map_[_SPECS[self._value_][0]]  # type: ignore[return-value]

    @property
    def is_personal(self) -> bool:
        """Only a person can create it: no API mints it for the organisation."""
        return self.spec.personal

    @property
    def carries_secret(self) -> bool:
        """False for an identity that authenticates without a secret of its own: nothing to hand over."""
        return self.spec.carries_secret

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def short_label(self) -> str:
        """The label without the platform name, for tables that already show the platform."""
        return self.spec.short_label


def _members(values: Iterable[str]) -> list[tuple[str, str]]:
    return [(value.upper(), value) for value in values]


if TYPE_CHECKING:
    # Members exist only at run time; to a type checker any member name is a member.
    class _OpenEnumMeta(EnumMeta):
        def __getattr__(cls, name: str) -> Any: ...

    class Platform(_PlatformBase, metaclass=_OpenEnumMeta): ...

    class CredentialKind(_KindBase, metaclass=_OpenEnumMeta): ...
else:
    Platform = _PlatformBase("Platform", _members(_FOLDERS), module=__name__, qualname="Platform")
    CredentialKind = _KindBase("CredentialKind", _members(_SPECS), module=__name__, qualname="CredentialKind")


def kind_for_token(token: str, platform: Platform | str | None = None) -> CredentialKind | None:
    """The kind a token's prefix reveals (longest prefix first), if any; never logs or returns the token."""
    candidates = [
        (prefix, kind)
        for kind in CredentialKind
        if platform is None or kind.platform == platform
        for prefix in kind.spec.token_prefixes
    ]
    for prefix, kind in sorted(candidates, key=lambda item: -len(item[0])):
        if token.startswith(prefix):
            return kind
    return None


def kind_for_resource_type(resource_type: str) -> CredentialKind | None:
    """The kind a provider resource type makes, if it makes one."""
    return next((k for k in CredentialKind if resource_type in k.spec.pulumi_resource_types), None)
