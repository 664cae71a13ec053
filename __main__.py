"""Pulumi program: reconcile the declared connections with GitHub, GitLab and Azure DevOps.

Everything happens in the library (scm_access.provision.program); see docs/pulumi.md to run it.
"""

import gc
from pathlib import Path

from scm_access.inventory.program import inventory_for_program
from scm_access.provision.program import run

# The Pulumi SDK allocates several futures per resource, and they live until the run ends. Python's cyclic
# collector rescans them, and at 1,000 connections that was a third of the program's CPU, growing faster
# than the stack (fewer collections, or freezing what is built, did not change that). The collector is off
# for the run: the run is then near-linear and 30 % cheaper at 1,000 connections, for about 0.15 MB of
# uncollected cyclic garbage per connection, freed when the run ends (bench/program_scale.py).
gc.disable()

# With administrator credentials in the stack's config, personal-token findings come from the admin
# inventory and the stack lists what exists undeclared (docs/inventory.md); without them nothing changes.
run(Path(__file__).resolve().parent, inventory=inventory_for_program)
