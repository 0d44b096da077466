#!/usr/bin/env bash
# Installs everything the tests need (Chromium, PostgreSQL and Redis binaries, the Python
# dependencies) and runs every test. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/chromium/locales/vi.pak >/dev/null 2>&1 || missing+=(chromium-l10n)  # UI languages
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "lurewatch: installing ${missing[*]} from Debian packages" >&2
  apt_install "${missing[@]}"
fi
uv sync --frozen --all-extras --group dev --quiet
exec uv run --frozen --no-sync pytest "$@"
