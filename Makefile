# SRMT developer commands. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL_BASE ?= postgres://postgres@127.0.0.1:5432
PG_TEST_DB ?= srmt
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

.PHONY: install
install: $(STAMP) ## Create .venv and install the locked dependencies

.PHONY: lock
lock: ## Re-lock dependencies from pyproject.toml (needs network)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

.PHONY: run
run: $(STAMP) ## Migrate the embedded database, load demo data, serve http://127.0.0.1:8000
	DEBUG=true $(BIN)/srmt migrate --no-input -v0
	DEBUG=true $(BIN)/srmt demo
	DEBUG=true bash scripts/serve-dev.sh

.PHONY: browsers
browsers: ## Install Debian's chromium for the accessibility tests (where missing)
	@if [ ! -x /usr/bin/chromium ]; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "chromium is missing: install Debian's 'chromium' package (browser tests will be skipped)"; fi; \
	fi

.PHONY: test
test: $(STAMP) browsers ## The whole suite: PostgreSQL when reachable, and SQLite
	@bash scripts/test.sh

.PHONY: test-sqlite
test-sqlite: $(STAMP) ## The suite on SQLite only
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/pytest -q $(PYTEST_ARGS)

.PHONY: test-postgres
test-postgres: $(STAMP) ## The suite on PostgreSQL only (127.0.0.1:5432)
	DATABASE_URL=$(PG_URL_BASE)/$(PG_TEST_DB) $(BIN)/pytest -q --create-db $(PYTEST_ARGS)

.PHONY: fuzz-api
fuzz-api: $(STAMP) ## Schemathesis over openapi.yaml alone, on SQLite (also part of make test/ci)
	DATABASE_URL=sqlite:///$(CURDIR)/var/fuzz.sqlite3 $(BIN)/pytest -q -m schemathesis $(PYTEST_ARGS)

.PHONY: lint
lint: $(STAMP) ## ruff lint + format check, import contracts, no import cycles or private cross-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_import_cycles.py srmt

.PHONY: fmt
fmt: $(STAMP) ## Format and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: typecheck
typecheck: $(STAMP) ## mypy with the Django and DRF stubs (the domain strictly: pyproject.toml)
	$(BIN)/mypy

.PHONY: checks
checks: $(STAMP) ## Django system checks, migrations drift, OpenAPI drift
	$(BIN)/srmt check --fail-level WARNING
	$(BIN)/srmt makemigrations --check --dry-run
	$(BIN)/srmt spectacular --file var/openapi.generated.yaml --validate --fail-on-warn
	@diff -u openapi.yaml var/openapi.generated.yaml || (echo "openapi.yaml is out of date: run 'make schema'"; exit 1)

.PHONY: schema
schema: $(STAMP) ## Regenerate openapi.yaml
	$(BIN)/srmt spectacular --file openapi.yaml --validate --fail-on-warn

.PHONY: messages
messages: $(STAMP) ## Extract and compile the Spanish translations
	cd srmt && ../$(BIN)/django-admin makemessages -l es --no-obsolete --no-location
	cd srmt && ../$(BIN)/django-admin compilemessages

.PHONY: reference
reference: $(STAMP) ## Rebuild srmt/seed/data from ../shared/data
	$(BIN)/python scripts/extract_reference.py

.PHONY: ci
ci: $(STAMP) browsers lint typecheck checks ## What CI runs: linters, types, drift checks, the suite on both databases with coverage
	@COVERAGE=1 bash scripts/test.sh

.PHONY: bench-intake
bench-intake: $(STAMP) ## Intake benchmark: HTTP API on gunicorn + PostgreSQL vs a psycopg ceiling
	$(BIN)/python bench/intake.py

.PHONY: bench-search
bench-search: $(STAMP) ## Search box on 1M SRs in PostgreSQL: p50/p95 per kind of search, vs no search indexes
	$(BIN)/python bench/search.py $(BENCH_ARGS)

.PHONY: bench-outcomes
bench-outcomes: $(STAMP) ## Outcome metrics over 12 months of a generated database (DATABASE_URL): ms per grouping
	$(BIN)/python bench/outcomes.py $(BENCH_ARGS)

.PHONY: bench-routing
bench-routing: $(STAMP) ## Routing + deadlines per SR (µs), and one sweep over 1M open SRs on PostgreSQL
	$(BIN)/python bench/routing.py $(BENCH_ARGS)

.PHONY: bench-suppression
bench-suppression: $(STAMP) ## Small-cell suppression on generated releases: complementary/primary ratio, runtime, audit
	$(BIN)/python bench/suppression.py $(BENCH_ARGS)

.PHONY: bench-quality
bench-quality: $(STAMP) ## New-information check: precision/recall per language; p50/p99 with 500 templates, 1M responses (PostgreSQL)
	$(BIN)/python bench/quality.py $(BENCH_ARGS)

.PHONY: bench-spikes
bench-spikes: $(STAMP) ## Spike/drop/level-shift detection on labelled synthetic series: precision, recall, false alarms
	$(BIN)/python bench/spikes.py $(BENCH_ARGS)

.PHONY: bench-rollups
bench-rollups: $(STAMP) ## Daily rollups on a generated database (DATABASE_URL): full rebuild, one-day refresh, reads
	$(BIN)/python bench/rollups.py $(BENCH_ARGS)
.PHONY: bench-reports
bench-reports: $(STAMP) ## Rollup rebuild vs DuckDB, incremental refresh, release and dashboard p95 on a generated database (DATABASE_URL)
	$(BIN)/python bench/reports.py $(BENCH_ARGS)
.PHONY: bench-dashboards
bench-dashboards: $(STAMP) ## Managers' dashboards alone on a generated database (DATABASE_URL): p95 per page, ms per query, snapshot refresh
	$(BIN)/python bench/dashboards.py $(BENCH_ARGS)

.PHONY: probe-schema
probe-schema: $(STAMP) ## Schemathesis CLI vs gunicorn + PostgreSQL, production settings (fails on a 5xx)
	$(BIN)/python bench/probe_schema.py $(PROBE_ARGS)

.PHONY: probe-outbox
probe-outbox: $(STAMP) ## kill -9 gunicorn during 300 API responses: no customer email lost or doubled
	$(BIN)/python bench/probe_crash_outbox.py $(PROBE_ARGS)

.PHONY: clean
clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
