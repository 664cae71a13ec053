#!/usr/bin/env bash
# Quick start, step 2: set up everything the tests need and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh "pulumi,test"
# The contract tests serve GitHub's official OpenAPI description with the Prism mock server (npm packages).
if command -v npm >/dev/null 2>&1; then
  (cd tests/contract && npm ci --no-audit --no-fund --loglevel=error)
  # Microsoft's SARIF validator checks the review's SARIF; npm may skip the script that marks it executable.
  (cd tests/review/sarif-validator && npm ci --no-audit --no-fund --loglevel=error \
    && chmod u+x node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool 2>/dev/null || true)
else
  echo "npm not found: the GitHub contract tests will be skipped" >&2
fi
checks=0
echo "== types (mypy: the package, the Pulumi program, the policy pack)"
.venv/bin/mypy || checks=1
echo "== structure (import contracts: the flow's layers, platform folders as plug-ins)"
.venv/bin/python scripts/check_structure.py || checks=1
echo "== tests"
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "no tests were collected" >&2
  status=0
fi
if [ "$checks" -ne 0 ]; then
  echo "the type or structure checks failed (see above)" >&2
  [ "$status" -eq 0 ] && status=1
fi
exit "$status"
