#!/usr/bin/env bash
# Create the virtual environment and install scm-access into it. Usage: scripts/setup.sh [extras]
# (extras: "" for the CLI alone, "pulumi,test" for the Pulumi program and the test suite).
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[$extras]"
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
fi
# What this setup installed from: scripts/ensure-venv.sh sets up again only when pyproject.toml changes.
cp pyproject.toml .venv/.scm-access-setup
