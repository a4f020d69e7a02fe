#!/usr/bin/env bash
# The whole suite on SQLite, and on PostgreSQL beside it when TEST_DATABASE_URL is set (CI sets it), then
# the job tests on RQ when TEST_REDIS_URL is set (CI sets it too); the suite runs on as
# many processes as the machine has cores (each has its own test database); PYTEST_WORKERS=0 runs
# in one process, e.g. to step through a test. With DEPLOY_SMOKE set (CI sets it), the deployment
# guide's stack is brought up and tried through nginx too (scripts/deploy_smoke.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

if ! command -v chromium >/dev/null && [ ! -x /usr/bin/chromium ]; then
  echo "NOTE: no Chromium at /usr/bin/chromium: the browser tests in e2e/ will be skipped."
  echo "      Install it with 'apt-get install -y chromium' to run them."
fi

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "== test suite on SQLite"
  env -u DATABASE_URL "$BIN/pytest" -n "${PYTEST_WORKERS:-auto}" "$@"
else
  # Both databases at once: each run alone leaves the cores idle a third of the time (a
  # worker waiting for a subprocess, a browser or the other worker's last test), which the
  # other run fills. Each writes its own log, shown whole when both are done.
  echo "== test suite on SQLite and on PostgreSQL ($TEST_DATABASE_URL), side by side"
  mkdir -p var
  env -u DATABASE_URL "$BIN/pytest" -n "${PYTEST_WORKERS:-auto}" "$@" >var/test-sqlite.log 2>&1 &
  sqlite_pid=$!
  postgres=0
  DATABASE_URL="$TEST_DATABASE_URL" "$BIN/pytest" -n "${PYTEST_WORKERS:-auto}" "$@" \
    >var/test-postgresql.log 2>&1 || postgres=$?
  sqlite=0
  wait "$sqlite_pid" || sqlite=$?
  echo "== test suite on SQLite"
  cat var/test-sqlite.log
  echo "== test suite on PostgreSQL ($TEST_DATABASE_URL)"
  cat var/test-postgresql.log
  if [ "$sqlite" -ne 0 ] || [ "$postgres" -ne 0 ]; then
    echo "FAILED: SQLite exit $sqlite, PostgreSQL exit $postgres"
    exit 1
  fi
fi

smoke_pid=""
if [ -n "${DEPLOY_SMOKE:-}" ]; then
  # The deployment guide's stack through nginx (scripts/deploy_smoke.sh), beside the job tests:
  # they run in one process and leave the other core free.
  echo "== deployment smoke test through nginx, in the background"
  mkdir -p var
  bash scripts/deploy_smoke.sh >var/deploy-smoke.log 2>&1 &
  smoke_pid=$!
fi

if [ -n "${TEST_REDIS_URL:-}" ]; then
  # Only the tests that run a background job, once more with the jobs on RQ workers over Redis;
  # in one process, since they share the one queue.
  echo "== job tests on RQ ($TEST_REDIS_URL)"
  env -u DATABASE_URL TASK_BACKEND=rq RQ_REDIS_URL="$TEST_REDIS_URL" \
    "$BIN/pytest" -n 0 --job-tests-only tests "$@"
fi

if [ -n "$smoke_pid" ]; then
  smoke=0
  wait "$smoke_pid" || smoke=$?
  echo "== deployment smoke test"
  cat var/deploy-smoke.log
  exit "$smoke"
fi
