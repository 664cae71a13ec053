"""Pulumi program: reconcile the declared connections with GitHub, GitLab and Azure DevOps.

Everything happens in the library (scm_access.provision.program); see docs/pulumi.md to run it.
"""

from pathlib import Path

from scm_access.provision.program import run

run(Path(__file__).resolve().parent)
