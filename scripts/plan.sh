#!/usr/bin/env bash
# Quick start, step 1: set up and plan the example declarations (offline, no credentials).
# Prints the plan and writes the instructions (Markdown, HTML, JSON) to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/scm-access plan --out out "$@"
