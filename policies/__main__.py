"""The scm-access CrossGuard policy pack. Run with `pulumi preview --policy-pack policies`.

Only builds the pack (which serves the engine and never returns); the policies are in pack.py.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # pack.py sits beside this file
    sys.path.insert(0, str(HERE))
try:
    import scm_access  # noqa: F401 - installed by requirements.txt (`-e ..`)
except ModuleNotFoundError:  # run from a checkout without installing: use the project next door
    sys.path.insert(0, str(HERE.parent))

from pack import PACK_ENFORCEMENT, PACK_NAME, POLICIES
from pulumi_policy import PolicyPack

PolicyPack(
    name=PACK_NAME,
    policies=POLICIES,
    enforcement_level=PACK_ENFORCEMENT,
    description="Credential rules of scm-access, one source with `scm-access plan`.",
)
