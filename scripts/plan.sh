#!/usr/bin/env bash
# Quick start, step 1: set up (only when needed) and plan the example declarations (offline, no credentials).
# Prints the plan and writes the instructions (Markdown, HTML, JSON) and an index to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-venv.sh
exec .venv/bin/scm-access plan --out out "$@"
