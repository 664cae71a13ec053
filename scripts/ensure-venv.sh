#!/usr/bin/env bash
# Set up .venv (scripts/setup.sh) only when it is missing or pyproject.toml changed since the last setup
# (scripts/setup.sh leaves a copy of the pyproject.toml it installed from in .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .venv/bin/scm-access ] && cmp -s pyproject.toml .venv/.scm-access-setup; then
  exit 0
fi
scripts/setup.sh
