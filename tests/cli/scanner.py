"""One declared fine-grained token slot (a scanner reading one repository) and the grant that fits it: what the
inventory command tests read, judge and revoke."""

from __future__ import annotations

from datetime import timedelta

from scm_access.core.kinds import CredentialKind, Platform
from scm_access.inventory.model import FoundCredential
from scm_access.plan.slot import slot_tag
from tests.support.fake_time import NOW

SCANNER = """
CONNECTION = Connection(name="scanner", integration="Scanner", owner="t", purpose="Scans one repository.", access=[
    GitHubAccess(scopes=["metadata:read"], org="acme", repositories=["scanner"],
                 holder=[Person(name="bruna", login="bruna-lima")], max_lifetime_days=30)])
"""
SLOT = "scanner/github/bruna"


def grant(**changes) -> FoundCredential:
    """The organisation's grant of the token the instructions make for SLOT; ``changes`` make it another."""
    fields = dict(
        platform=Platform.GITHUB, source="fine_grained_grants", id="25381",
        kind=CredentialKind.GITHUB_FINE_GRAINED_PAT, kind_label="fine-grained personal access token",
        name=f"Scanner (scanner) {slot_tag(SLOT)}", owner="bruna-lima", scope="acme",
        scopes=frozenset({"metadata:read"}), repository_selection="subset", repositories=frozenset({"acme/scanner"}),
        expires_at=NOW + timedelta(days=29), never_expires=False, expired=False,
        created_at=NOW - timedelta(days=1), last_used_at=NOW - timedelta(days=3), usage_shown=True,
    )
    fields.update(changes)
    return FoundCredential(**fields)
