"""Pulumi program: reconcile the declared connections with GitHub, GitLab and Azure DevOps.

Everything happens in the library (scm_access.provision.program); see docs/pulumi.md to run it.
"""

import gc
from pathlib import Path

from scm_access.provision.program import run

# The Pulumi SDK allocates many short-lived futures per resource. With Python's default first-generation
# threshold (700), cyclic collection costs about a quarter of a 1,000-connection run; collecting less
# often keeps the run near-linear at no measurable memory cost (bench/program_scale.py).
gc.set_threshold(10_000, 10, 10)

run(Path(__file__).resolve().parent)
