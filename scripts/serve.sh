#!/usr/bin/env bash
# Set up, build and serve Sift at http://127.0.0.1:8000/ (pass serve.py options, e.g. --port 0).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python serve.py "$@"
