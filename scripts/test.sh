#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

if ! command -v chromium >/dev/null && [ ! -x /usr/bin/chromium ]; then
  echo "NOTE: no Chromium at /usr/bin/chromium: the browser tests in e2e/ will be skipped."
  echo "      Install it with 'apt-get install -y chromium' to run them."
fi

echo "== test suite on SQLite"
env -u DATABASE_URL "$BIN/pytest" "$@"

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== test suite on PostgreSQL ($TEST_DATABASE_URL)"
  DATABASE_URL="$TEST_DATABASE_URL" "$BIN/pytest" "$@"
fi
