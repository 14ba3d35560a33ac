#!/usr/bin/env bash
# Set up everything, then run the whole suite: lint, types, JS unit tests, Python unit tests,
# browser tests in Chromium against the built site, and the suite inside Pyodide.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
echo "== ruff"; .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy
echo "== node --test"; node --test tests/js/
echo "== pytest"; .venv/bin/pytest "$@"
