#!/usr/bin/env bash
# Runs the whole suite on PostgreSQL (when reachable) and on SQLite.
# In CI (CI=true) an unreachable PostgreSQL is a failure, not a skip.
# pytest exit code 5 (no tests collected) is a failure too.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL_BASE=${PG_URL_BASE:-postgres://postgres@127.0.0.1:5432}
# A fresh database name per run, so parallel runs and stale test databases never collide.
PG_DB="srmt_$$_$(date +%s)"
mkdir -p var
status=0

# The slowest tests are printed on every run, so a slow newcomer is seen where it lands.
DURATIONS="--durations=15 --durations-min=0.5"
# `make ci` (COVERAGE=1) measures line coverage of srmt/ (migrations and tests excluded:
# pyproject.toml) on the SQLite run, with a floor; the PostgreSQL run, and `make test`, run
# the same tests without the tracer's cost.
COVERAGE_ARGS=""
if [ "${COVERAGE:-0}" = "1" ]; then
  COVERAGE_ARGS="--cov=srmt --cov-report=term:skip-covered --cov-fail-under=${COVERAGE_FLOOR:-90}"
fi

# run_suite LABEL DATABASE_URL [pytest arguments...]
run_suite() {
  local label=$1 url=$2; shift 2
  echo "== Test suite on $label =="
  # shellcheck disable=SC2086 # PYTEST_ARGS and DURATIONS are lists of words
  DATABASE_URL="$url" $BIN/pytest -q $DURATIONS "$@" ${PYTEST_ARGS:-}
  local rc=$?
  if [ $rc -eq 5 ]; then echo "!! no tests were collected on $label"; return 1; fi
  return $rc
}

drop_pg_test_databases() {
  $BIN/python - "$PG_URL_BASE" "test_$PG_DB" <<'PY' 2>/dev/null || true
import sys, psycopg
base, name = sys.argv[1], sys.argv[2]
with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
    for suffix in ("", "_gw0", "_gw1", "_gw2", "_gw3"):
        conn.execute(f'DROP DATABASE IF EXISTS "{name}{suffix}"')
PY
}

postgres_suite() {
  # PostgreSQL waits on the server as much as on Python: two workers (pytest-xdist, one test
  # database each, whole files per worker; ADR 22). Schemathesis' operations share one test
  # id, which xdist runs once: they run in a serial pass of their own. The workers keep their
  # databases (--reuse-db; the name is new for every run), so the serial pass takes the first
  # worker's instead of creating and migrating one more.
  local rc=0
  run_suite "PostgreSQL" "$PG_URL_BASE/$PG_DB" -n "${PG_WORKERS:-2}" --dist loadfile --reuse-db -m "not schemathesis" || rc=1
  run_suite "PostgreSQL (schemathesis)" "$PG_URL_BASE/${PG_DB}_gw0" --reuse-db -m schemathesis || rc=1
  drop_pg_test_databases
  return $rc
}

sqlite_suite() {
  local rc=0
  # shellcheck disable=SC2086 # COVERAGE_ARGS is a list of words
  run_suite "SQLite" "sqlite:///$PWD/var/test-$$.sqlite3" $COVERAGE_ARGS || rc=1
  rm -f var/test-$$.sqlite3*
  return $rc
}

# Both databases run at once (each alone leaves a core idle much of the time); each run's
# output is kept in var/ and printed whole when both are done.
PG_LOG="var/test-postgresql-$$.log"
SQLITE_LOG="var/test-sqlite-$$.log"
pg_pid=""
if $BIN/python -c "import psycopg,sys; psycopg.connect('$PG_URL_BASE/postgres', connect_timeout=3).close()" 2>/dev/null; then
  postgres_suite >"$PG_LOG" 2>&1 &
  pg_pid=$!
  # Interrupted (Ctrl-C) or failed: the PostgreSQL run in the background stops too.
  trap 'kill "$pg_pid" 2>/dev/null' INT TERM
else
  if [ "${CI:-}" = "true" ]; then
    echo "!! PostgreSQL at ${PG_URL_BASE} is unreachable; in CI that is a failure."
    status=1
  else
    echo "-- PostgreSQL at ${PG_URL_BASE} is unreachable: the PostgreSQL run was SKIPPED."
  fi
fi
sqlite_suite >"$SQLITE_LOG" 2>&1 || status=1
if [ -n "$pg_pid" ]; then
  wait "$pg_pid" || status=1
  cat "$PG_LOG"
fi
cat "$SQLITE_LOG"
rm -f "$PG_LOG" "$SQLITE_LOG"
exit $status
