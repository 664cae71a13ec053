"""A slot: one credential that must exist. The unit of planning, verifying and reporting."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from enum import StrEnum
from operator import is_, itemgetter
from typing import Any, Callable, Generic, TypeVar, overload

from pydantic import BaseModel, ConfigDict, Field

from scm_access.core.defaults import empty_dict, empty_list
from scm_access.declarations.access import Access, Delivery, Prerequisite
from scm_access.declarations.token_variable import env_part, token_env_var, token_env_var_prefix
from scm_access.core.kinds import CredentialKind, Platform
from scm_access.declarations.location import declared_at
from scm_access.platforms.registry import get_platform
from scm_access.rules.rule import Severity, Violation


class Strategy(StrEnum):
    PROVISION = "provision"
    """An org-managed credential the program mints and rotates through the platform API."""
    USER_PAT = "user_pat"
    """A personal token only a person can create: instruct, then verify."""


T = TypeVar("T")


class computed_once(Generic[T]):
    """A value computed from an instance on first read and kept in its ``__dict__``, as
    :func:`functools.cached_property` does, without the lock Python 3.11 takes for each first read (a large
    plan reads four of them on each of a hundred thousand slots; computing one twice would only waste time)."""

    def __init__(self, function: Callable[[Any], T]) -> None:
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> computed_once[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | computed_once[T]:
        if instance is None:
            return self
        # Read again from the instance's __dict__ from now on: this descriptor defines no __set__.
        value = instance.__dict__[self.name] = self.function(instance)
        return value


class Slot(BaseModel):
    model_config = ConfigDict(frozen=True, ignored_types=(computed_once,))

    connection: str
    integration: str
    purpose: str
    platform: Platform
    holder: str = Field(description="Person name or service identity name.")
    holder_is_person: bool
    holder_login: str | None = None
    holder_email: str | None = Field(None, description="Account email of the holder, where declared.")
    guide: str | None = Field(None, description="The integration's setup guide, as the connection names it.")
    role: str | None = Field(None, description="Role the credential gets where the platform gives one (GitLab).")
    kind: CredentialKind
    scopes: list[str] = Field(description="Least-privilege scope set: the minimal cover, in UI order.")
    folded_scopes: dict[str, str] = Field(
        default_factory=empty_dict,
        description="Declared scopes left out because another planned scope contains them: scope → container.",
    )
    strategy: Strategy
    reason: str = Field(description="Why this strategy was chosen.")
    lifetime_days: int
    expires_at: date
    prerequisites: list[Prerequisite] = Field(default_factory=empty_list)
    violations: list[Violation] = Field(default_factory=empty_list)
    base_url: str | None = Field(None, description="Self-hosted web root; None for the cloud service.")
    delivery: Delivery | None = None
    access: Access = Field(exclude=True, repr=False)

    # What a slot is called, its tag, token name and token variable are asked for by every page, index and
    # check that shows the slot: each is computed once per slot (the values live beside the fields, outside
    # them: equality and dumps ignore them), and a copy with changed fields computes them anew.
    @computed_once
    def id(self) -> str:
        # ``_value_``, not the ``value`` property: two Python calls per slot in Python 3.11.
        return f"{self.connection}/{self.platform._value_}/{self.holder}"

    @computed_once
    def tag(self) -> str:
        """Short, stable tag of this slot (:func:`slot_tag`), carried in the name of a personal token."""
        return slot_tag(self.id)

    @computed_once
    def token_name(self) -> str:
        """Name (note) given to the token, so its owner and an admin can tell what it is for. A personal
        token's name ends with the slot's tag, which is how the admin inventory recognises it; the name is
        cut (never the tag) to fit the platform's limit for the kind. A credential the stack makes keeps its
        plain name: it is recognised by the marker in its description, and renaming would replace it."""
        if self.strategy != Strategy.USER_PAT:
            return f"{self.integration} ({self.connection})"
        # The holders of a declaration share the name before the tag (every tag has the same length): the
        # slots built together keep it beside their fields, cut once.
        together: _BuiltTogether | None = self.__dict__.get(_BUILT_TOGETHER)
        name = together.token_name_start if together is not None else None
        if name is None:
            name = self._token_name_start()
            if together is not None:
                together.token_name_start = name
        tag = self.tag
        return f"{name} {tag}" if name else tag

    def _token_name_start(self) -> str:
        """A personal token's name before its tag, cut to leave room for the tag within the platform's limit."""
        name = f"{self.integration} ({self.connection})"
        limit = get_platform(self.platform).token_name_limit(self.kind)
        if limit is not None and len(name) + 1 + TAG_LENGTH > limit:
            name = name[: max(limit - TAG_LENGTH - 1, 0)].rstrip()
        return name

    @computed_once
    def token_env_var(self) -> str:
        """Environment variable `verify --all` reads this slot's token from."""
        together: _BuiltTogether | None = self.__dict__.get(_BUILT_TOGETHER)
        if together is None:
            return token_env_var(self.connection, self.platform, self.holder)
        # What :func:`token_env_var` gives, its part before the holder's kept for the holders built together.
        start = together.token_env_var_start
        if start is None:
            start = together.token_env_var_start = token_env_var_prefix(self.connection, self.platform._value_)
        return start + env_part(self.holder)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Slot:
        copied = super().model_copy(update=update, deep=deep)
        if update:
            # Computed from the fields the copy may have changed: computed again when asked.
            for name in (*_COMPUTED, _BUILT_TOGETHER):
                copied.__dict__.pop(name, None)
        return copied

    @property
    def blocking(self) -> bool:
        return any(v.severity == Severity.ERROR for v in self.violations)

    def summary(self) -> dict:
        """The JSON shape of `scm-access plan --format json` (no expiry for a kind that has none)."""
        document = self.model_dump(mode="json")
        if not self.kind.spec.expires:
            document["expires_at"] = None
        if self.strategy == Strategy.USER_PAT:
            document["token_env_var"] = self.token_env_var  # where `verify --all` and `pulumi up` read it
        location = declared_at(self.access)  # reviews and code scanning point at the declaring line
        document["declared_at"] = {"file": location.file, "line": location.line} if location else None
        return document


_COMPUTED = ("id", "tag", "token_name", "token_env_var")
_BUILT_TOGETHER = "_built_together"
"""Beside the fields of the slots :func:`slots_for_holders` builds in one call: the same :class:`_BuiltTogether`
for all of them (they share every value but the holder's). A copy that changes a field drops it."""


class _BuiltTogether:
    """The mark of slots built together, and what their names share, kept by the first of them asked."""

    __slots__ = ("token_name_start", "token_env_var_start")

    def __init__(self) -> None:
        self.token_name_start: str | None = None
        """A personal token's name before its tag (:meth:`Slot._token_name_start`)."""
        self.token_env_var_start: str | None = None
        """The token variable before the holder's part."""
_FIELD_ORDER = tuple(Slot.model_fields)
_FIELDS = frozenset(_FIELD_ORDER)
_EVERY_FIELD = set(_FIELDS)
"""The fields set of every slot the planner builds: one set for all (a set per slot weighed more than the
slot's values). Pydantic copies a model's set before it changes it (``model_copy``), and a frozen slot's
never changes."""
_HOLDER_FIELDS = ("holder", "holder_login", "holder_email")
_SHARED_FIELDS = tuple(name for name in Slot.model_fields if name not in _HOLDER_FIELDS)


def slots_for_holders(
    shared: Mapping[str, Any], holders: Sequence[tuple[str, str | None, str | None]]
) -> list[Slot]:
    """One slot per (holder, login, email), with every other field from ``shared``: values already validated
    (the planner's, from validated declarations), given for every field. The slots share those values (the
    same objects) and differ in the holder alone.

    This is what :meth:`Slot.model_construct` does, without its per-field bookkeeping, which cost more than
    everything else in planning a slot: each slot gets its own field dict (a copy of one dict) and the
    instance state pydantic keeps beside it. A slot built here equals the one ``Slot(**values)`` validates."""
    wrong = shared.keys() ^ _SHARED_FIELDS
    if wrong:
        raise ValueError(f"a slot needs every field but the holder's: {sorted(wrong)} missing or unknown")
    # In the fields' order, as validation leaves them: dumps follow it. Beside the fields, one mark for the
    # holders' slots (see declaration_runs).
    base = dict.fromkeys(_FIELD_ORDER)
    base.update(shared)
    base[_BUILT_TOGETHER] = _BuiltTogether()
    slots = []
    new, set_attribute = Slot.__new__, object.__setattr__
    for holder, login, email in holders:
        values = base.copy()
        values["holder"] = holder
        values["holder_login"] = login
        values["holder_email"] = email
        slot = new(Slot)
        set_attribute(slot, "__dict__", values)
        set_attribute(slot, "__pydantic_fields_set__", _EVERY_FIELD)
        set_attribute(slot, "__pydantic_extra__", None)
        set_attribute(slot, "__pydantic_private__", None)
        slots.append(slot)
    return slots


TAG_LENGTH = len("scm-") + 8
"""Every slot tag's length (:func:`slot_tag`)."""
SLOT_TAG = re.compile(r"(?<![A-Za-z0-9])scm-([a-z2-7]{8})(?![A-Za-z0-9])")
"""A slot tag inside a credential's name, note or label."""


_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"
"""RFC 4648 base32's alphabet, in lower case."""
_BASE32_PAIRS = tuple(first + second for first in _BASE32 for second in _BASE32)
"""The two base32 characters of each 10-bit number."""


def slot_tag(slot_id: str) -> str:
    """``scm-`` and 8 characters derived from the slot's id (connection/platform/holder): the same slot has
    the same tag in every plan, and 40 bits keep two slots' tags apart in any realistic declaration set.
    (The first 8 base32 characters of the SHA-256 digest are those of its first 5 bytes.)

    The 40 bits are spelt two characters at a time: what ``base64.b32encode(digest[:5]).lower()`` gives,
    which is pure Python in 3.11 and cost twice the rest of the tag (a plan spells one per slot; a slot
    keeps its tag, so no cache is needed here)."""
    bits = int.from_bytes(hashlib.sha256(slot_id.encode("utf-8")).digest()[:5], "big")
    pairs = _BASE32_PAIRS
    return f"scm-{pairs[bits >> 30]}{pairs[(bits >> 20) & 1023]}{pairs[(bits >> 10) & 1023]}{pairs[bits & 1023]}"


def tags_in(text: str | None) -> list[str]:
    """Every slot tag in ``text`` (a token's name or note), in order."""
    return [f"scm-{match}" for match in SLOT_TAG.findall(text or "")]


def summaries(slots: Iterable[Slot]) -> Iterator[dict[str, Any]]:
    """``slot.summary()`` for each slot, dumping what the holders of one declaration share once (see
    :func:`declaration_groups`). The documents share their nested lists: they are for encoding, not for
    editing."""
    for leader, run in declaration_groups(slots):
        shared = leader.summary()
        yield shared
        for slot in run[1:]:
            document = dict(shared)  # the same keys in the same order
            document.update(holder_fields(slot, document))
            yield document


PER_HOLDER = ("holder", "holder_login", "holder_email", "token_env_var")
"""The keys of a slot's summary that differ between the holders of one declaration."""


def holder_fields(slot: Slot, document: dict[str, Any]) -> dict[str, Any]:
    """The slot's own values of the :data:`PER_HOLDER` keys that ``document`` has."""
    return {key: getattr(slot, key) for key in PER_HOLDER if key in document}


_shared_values = itemgetter(*_SHARED_FIELDS)


def declaration_runs(slots: Iterable[Slot]) -> Iterator[tuple[Slot, Slot]]:
    """Each slot with the first slot of its declaration, from which it differs only in its :data:`PER_HOLDER`
    values.

    The planner gives the holders of a declaration the same objects for every field but the holder's own, so
    slots whose other fields are the very same objects (compared by identity: a slot built any other way
    stands on its own) differ only in the holder; slots built together by :func:`slots_for_holders` are
    known to, and their values are not compared. A declaration's slots come one after another in a plan:
    only the last declaration is kept in mind (a plan in another order has more, shorter runs, never wrong ones)."""
    leader: Slot | None = None
    last_values: tuple[Any, ...] = ()
    last_mark: object = None
    for slot in slots:
        mark = slot.__dict__.get(_BUILT_TOGETHER)
        if leader is None or mark is None or mark is not last_mark:
            # Not built with the slot before it (see slots_for_holders): its values tell.
            values = _shared_values(slot.__dict__)
            if leader is None or not all(map(is_, values, last_values)):
                # Holding the values keeps them alive while they are compared by identity.
                leader, last_values = slot, values
            last_mark = mark
        yield slot, leader


def declaration_groups(slots: Iterable[Slot]) -> Iterator[tuple[Slot, list[Slot]]]:
    """The slots in runs of one declaration each, as :func:`declaration_runs` finds them: the first slot of the
    run and the run's slots (the first included), in order. A renderer does what the run shares once and the
    rest in one pass over its slots."""
    leader: Slot | None = None
    run: list[Slot] = []
    for slot, first in declaration_runs(slots):
        if first is not leader:
            if leader is not None:
                yield leader, run
            leader, run = first, []
        run.append(slot)
    if leader is not None:
        yield leader, run


__all__ = [
    "PER_HOLDER",
    "SLOT_TAG",
    "Slot",
    "Strategy",
    "declaration_groups",
    "declaration_runs",
    "holder_fields",
    "slot_tag",
    "slots_for_holders",
    "summaries",
    "tags_in",
    "token_env_var",
]
