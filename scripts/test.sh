#!/usr/bin/env bash
# The whole suite on SQLite, and on PostgreSQL beside it when TEST_DATABASE_URL is set (CI sets it),
# and the job tests on RQ when TEST_REDIS_URL is set (CI sets it too); the suite runs on as
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

# The deployment guide's stack (DEPLOY_SMOKE) and the job tests on RQ (TEST_REDIS_URL) start
# first, in the background: each is one process that waits on servers most of the time, and
# alongside the suites they fill the cores' idle moments instead of adding a minute after them.
mkdir -p var
smoke_pid=""
if [ -n "${DEPLOY_SMOKE:-}" ]; then
  echo "== deployment smoke test through nginx, in the background"
  bash scripts/deploy_smoke.sh >var/deploy-smoke.log 2>&1 &
  smoke_pid=$!
fi
rq_pid=""
if [ -n "${TEST_REDIS_URL:-}" ]; then
  # Only the tests that run a background job, once more with the jobs on RQ workers over Redis;
  # in one process, since they share the one queue.
  echo "== job tests on RQ ($TEST_REDIS_URL), in the background"
  env -u DATABASE_URL TASK_BACKEND=rq RQ_REDIS_URL="$TEST_REDIS_URL" \
    "$BIN/pytest" -n 0 --job-tests-only tests "$@" >var/test-rq.log 2>&1 &
  rq_pid=$!
fi

suites_failed=0
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "== test suite on SQLite"
  env -u DATABASE_URL "$BIN/pytest" -n "${PYTEST_WORKERS:-auto}" "$@" || suites_failed=1
else
  # Both databases at once: each run alone leaves the cores idle a third of the time (a
  # worker waiting for a subprocess, a browser or the other worker's last test), which the
  # other run fills. Each writes its own log, shown whole when both are done.
  echo "== test suite on SQLite and on PostgreSQL ($TEST_DATABASE_URL), side by side"
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
    suites_failed=1
  fi
fi

status=$suites_failed
if [ -n "$rq_pid" ]; then
  rq=0
  wait "$rq_pid" || rq=$?
  echo "== job tests on RQ ($TEST_REDIS_URL)"
  cat var/test-rq.log
  [ "$rq" -eq 0 ] || { echo "FAILED: job tests on RQ, exit $rq"; status=1; }
fi
if [ -n "$smoke_pid" ]; then
  smoke=0
  wait "$smoke_pid" || smoke=$?
  echo "== deployment smoke test"
  cat var/deploy-smoke.log
  [ "$smoke" -eq 0 ] || { echo "FAILED: deployment smoke test, exit $smoke"; status=1; }
fi
exit "$status"
