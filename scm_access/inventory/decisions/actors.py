"""Sending what the gate lets through, by the platform's own module (found by name, like every plug-in).

A platform that can revoke what its inventory reads provides ``platforms/<platform>/revoke.py`` with:

``REVOCABLE: Mapping[str, Revocability]``
    per admin view (:attr:`FoundCredential.source`), what revoking a credential through it does; a view not
    listed is never revoked through;
``async def revoke(ctx: InventoryContext, credentials: Sequence[FoundCredential]) -> list[ActResult]``
    one result per credential, in the order given, through the API the credential was read from. A refusal or no answer is a
    ``failed`` result with the reason (never an exception for what a server does); a bug propagates.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from types import ModuleType

from scm_access.core.discovery import load_platform_module
from scm_access.core.kinds import Platform
from scm_access.inventory.decisions.gate import Gated
from scm_access.inventory.decisions.model import ActResult, Outcome, Revocability, RevocationProposal
from scm_access.inventory.model import FoundCredential
from scm_access.inventory.reader import InventoryContext


def revoker_for(platform: Platform | str) -> ModuleType | None:
    """The platform's revoke module; None where it has none."""
    return load_platform_module(Platform(platform).value, "revoke")


def revocability(credential: FoundCredential) -> Revocability | None:
    """What revoking this credential through the view it was read from does; None: it cannot be."""
    module = revoker_for(credential.platform)
    if module is None:
        return None
    found: Revocability | None = module.REVOCABLE.get(credential.source)
    return found


Revoke = Callable[[InventoryContext, Sequence[FoundCredential]], Awaitable[list[ActResult]]]


async def perform_revocations(
    gated: Sequence[Gated[RevocationProposal]], context_for: Callable[[Platform], InventoryContext]
) -> list[tuple[RevocationProposal, ActResult]]:
    """Every proposal with its result, in the order given: sent ones through their platform, one call per
    platform; the others ``not_sent`` with the gate's reason."""
    results: dict[int, ActResult] = {}
    by_platform: dict[Platform, list[tuple[int, FoundCredential]]] = {}
    for index, item in enumerate(gated):
        if item.send:
            by_platform.setdefault(item.item.credential.platform, []).append((index, item.item.credential))
    for platform, entries in by_platform.items():
        module = revoker_for(platform)
        if module is None:  # the proposal could not exist without the module: a bug
            raise RuntimeError(f"{platform.value} has no revoke module, yet a revocation there was let through")
        revoke: Revoke = module.revoke
        answered = await revoke(context_for(platform), [credential for _, credential in entries])
        if [r.target for r in answered] != [credential.id for _, credential in entries]:
            raise RuntimeError(f"{platform.value} revoke did not answer once per credential, in order")
        results.update({index: result for (index, _), result in zip(entries, answered)})
    return [
        (item.item, results[index] if item.send else ActResult(item.item.credential.id, Outcome.NOT_SENT, item.why_not or ""))
        for index, item in enumerate(gated)
    ]
