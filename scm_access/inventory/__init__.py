"""The admin inventory: what credentials exist, read from the platforms' administrator views (no holder's
token needed), matched to the declared slots and judged by the one judge.

Each platform folder reads its own views in ``platforms/<platform>/inventory.py`` (see :mod:`.reader`);
everything here is generic: the shape of what was found, the reading context, matching and judging.
"""

from scm_access.inventory.model import FoundCredential, HolderState, Inventory, SourceReport, SourceStatus

__all__ = ["FoundCredential", "HolderState", "Inventory", "SourceReport", "SourceStatus"]
