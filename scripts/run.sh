#!/usr/bin/env bash
# Installs lurewatch into .venv and serves the API and the NGO review desk on http://127.0.0.1:8000,
# with an SQLite database filled by crawling the bundled demo job site on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
uv sync --frozen --extra all --no-dev --quiet
exec uv run --frozen --no-sync lurewatch serve --demo "$@"
