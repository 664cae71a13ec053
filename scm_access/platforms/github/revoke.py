"""Revoking on GitHub what the inventory found, through the view it was read from.

A fine-grained token's grant (``POST /orgs/{org}/personal-access-tokens``, ``action: revoke``, in bulk) takes
away the token's access to that organisation only: the holder keeps the token for everything else, and
GitHub emails them. Nothing else the GitHub inventory reads is revoked here.
"""

from __future__ import annotations

from scm_access.inventory.decisions.model import Revocability
from scm_access.platforms.github.token_requests import revoke

GRANTS_SOURCE = "fine_grained_grants"

REVOCABLE = {
    GRANTS_SOURCE: Revocability(
        org_access_only=True,
        effect="revoking the grant takes the token's access to the organisation away; the holder keeps the token"
        " for anything else, and GitHub emails them",
        # The list keeps an expired token's grant (token_expired: true) until it is revoked.
        expired_ones_listed=True,
    ),
}

__all__ = ["REVOCABLE", "revoke"]
