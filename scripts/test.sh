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
# Line coverage of srmt/ (migrations and tests excluded: pyproject.toml) is measured on the
# SQLite run, with a floor; the PostgreSQL run runs the same tests without the tracer.
COVERAGE="--cov=srmt --cov-report=term:skip-covered --cov-fail-under=${COVERAGE_FLOOR:-90}"

run_suite() {
  local label=$1 extra=$2; shift 2
  echo "== Test suite on $label =="
  env "$@" $BIN/pytest -q $DURATIONS $extra ${PYTEST_ARGS:-}
  local rc=$?
  if [ $rc -eq 5 ]; then echo "!! no tests were collected on $label"; return 1; fi
  return $rc
}

if $BIN/python -c "import psycopg,sys; psycopg.connect('$PG_URL_BASE/postgres', connect_timeout=3).close()" 2>/dev/null; then
  run_suite "PostgreSQL" "" DATABASE_URL="$PG_URL_BASE/$PG_DB" || status=1
  $BIN/python -c "import psycopg; c=psycopg.connect('$PG_URL_BASE/postgres', autocommit=True); c.execute('DROP DATABASE IF EXISTS \"test_$PG_DB\"')" 2>/dev/null || true
else
  if [ "${CI:-}" = "true" ]; then
    echo "!! PostgreSQL at ${PG_URL_BASE} is unreachable; in CI that is a failure."
    status=1
  else
    echo "-- PostgreSQL at ${PG_URL_BASE} is unreachable: the PostgreSQL run was SKIPPED."
  fi
fi
run_suite "SQLite" "$COVERAGE" DATABASE_URL="sqlite:///$PWD/var/test-$$.sqlite3" || status=1
rm -f var/test-$$.sqlite3*
exit $status
