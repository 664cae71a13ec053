"""A platform's inventory module as the reader contract describes it, answering what a test says: the
generic tests never depend on a real platform reader."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from scm_access.inventory import runner
from scm_access.inventory.model import Inventory
from scm_access.inventory.reader import AdminCredential, InventoryContext

Read = Callable[[InventoryContext], Awaitable[Inventory]]


@dataclass
class FakeReader:
    variable: str
    answer: Read
    ADMIN_CREDENTIALS: tuple[AdminCredential, ...] = field(init=False)
    contexts: list[InventoryContext] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ADMIN_CREDENTIALS = (AdminCredential(self.variable, "everything"),)

    def configured(self, environ: Mapping[str, str]) -> str | None:
        return None if environ.get(self.variable) else f"set {self.variable} to read it"

    async def read(self, ctx: InventoryContext) -> Inventory:
        self.contexts.append(ctx)
        return await self.answer(ctx)


def answering(inventory: Inventory) -> Read:
    async def read(ctx: InventoryContext) -> Inventory:
        return inventory

    return read


def install(monkeypatch, readers: Mapping[str, FakeReader]) -> None:
    """The runner finds these readers instead of the platform folders'."""
    monkeypatch.setattr(runner, "reader_for", lambda platform: readers.get(platform))
