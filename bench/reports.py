"""Reports benchmark (issue 12 §6): the rollups, the public reports and the dashboards on a
large generated PostgreSQL database, against their targets and a DuckDB baseline.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/reports.py
        [--repeats N] [--parquet DIR] [--incremental-requests N] [--skip PART ...]
    (or `make bench-reports BENCH_ARGS=...`)

The database is one `srmt generate` filled (e.g. `--requests 10000000 --workers 2`). Parts,
in this order (a part whose code is not importable yet is skipped with the reason):

  rebuild      (a) `srmt.reporting.rollups.build.rebuild()`: the full rollup build, timed.
  duckdb       (d) the same aggregates computed by DuckDB over the same base tables, exported
               to Parquet (COPY ... TO STDOUT as CSV, read by pyarrow): the export and the
               DuckDB queries timed apart; the ratio full rollup / DuckDB; each measure's
               total compared with the rollup tables (when (a) ran). The SQL mirrors the
               rollups' semantics (models.py docstrings and rollups/sql.py, ADR 0048): every
               event at the office that held its request at its time, cells of day x office x
               form x type x channel x language, duration buckets in whole days.
  pages        (c) p50/p95 of `srmt.reporting.public.release.current_release(filters)` over
               filter combinations (after the refresh's warm-up, timed apart, each call's
               own release dropped from the cache: the cost of a release nobody asked for
               since the refresh), and of the staff dashboards `/staff/dashboards/` and
               `/staff/dashboards/<office>/` through the Django test client as a supervisor.
  incremental  (b) one more day of activity (--incremental-requests, default 40,000, with
               their history, from the generator with `days=1`), then `refresh()`, timed.
               It adds rows: run it last (it is), and rebuild before comparing again.

Targets: full rollup <= 1.5 x DuckDB; incremental < 10 s; page p95 < 200 ms. Results go to
var/bench/reports-<timestamp>.json; the figures are printed with their targets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmt.settings")

PARTS = ("rebuild", "duckdb", "pages", "incremental")
FULL_RATIO_TARGET = 1.5
INCREMENTAL_TARGET_S = 10.0
PAGE_P95_TARGET_MS = 200.0
OPEN_STATUSES_SQL = ""  # filled in main() from the lifecycle

# What is exported to Parquet: name -> SELECT (timestamps as UTC wall-clock, no zone).
EXPORTS = {
    "request": (
        "SELECT id, created_at AT TIME ZONE 'UTC' AS created_at,"
        " first_responded_at AT TIME ZONE 'UTC' AS first_responded_at,"
        " first_response_due_at AT TIME ZONE 'UTC' AS first_response_due_at,"
        " due_at AT TIME ZONE 'UTC' AS due_at, office_id, type_id, channel, requester_id,"
        " case_id, repeat_of_id FROM service_requests_servicerequest"
    ),
    "change": (
        "SELECT id, service_request_id, from_status, to_status, from_office_id, to_office_id,"
        " created_at AT TIME ZONE 'UTC' AS created_at FROM service_requests_statuschange"
    ),
    "response": (
        "SELECT service_request_id, kind, created_at AT TIME ZONE 'UTC' AS created_at"
        " FROM service_requests_response"
    ),
    "escalation": (
        "SELECT service_request_id, escalated_at AT TIME ZONE 'UTC' AS escalated_at"
        " FROM service_requests_escalation"
    ),
    "survey": (
        "SELECT service_request_id, sent_at AT TIME ZONE 'UTC' AS sent_at,"
        " answered_at AT TIME ZONE 'UTC' AS answered_at, rating FROM surveys_survey"
    ),
    "evaluation": (
        "SELECT i.service_request_id, v.result, v.submitted_at AT TIME ZONE 'UTC'"
        " AS submitted_at FROM qa_evaluation v JOIN qa_assignment a ON a.id = v.assignment_id"
        " JOIN qa_sampleitem i ON i.id = a.item_id"
    ),
    "person": "SELECT id, language FROM cases_person",
    "case": "SELECT id, form_type_id FROM cases_case",
    "form": "SELECT id, code FROM offices_formtype",
}
TIMESTAMPS = {
    "created_at",
    "first_responded_at",
    "first_response_due_at",
    "due_at",
    "escalated_at",
    "sent_at",
    "answered_at",
    "submitted_at",
}
MEASURES = (
    "opened",
    "repeats",
    "reopened",
    "closed",
    "redirected",
    "withdrawn",
    "merged",
    "transferred_in",
    "transferred_out",
    "escalated",
    "open_delta",
    "responses_initial",
    "responses_follow_up",
    "responses_final",
    "first_responses",
    "first_on_time",
    "final_responses",
    "final_on_time",
    "qa_evaluated",
    "qa_passed",
    "surveys_sent",
    "surveys_answered",
    "surveys_satisfied",
    "rating_total",
)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def optional(module: str, *names: str) -> tuple[Any, ...] | None:
    """The named attributes of `module`, or None (with the reason printed) when missing."""
    try:
        loaded = importlib.import_module(module)
        return tuple(getattr(loaded, name) for name in names)
    except (ImportError, AttributeError) as exc:
        print(f"  skipped: {module}.{', '.join(names)} is not importable yet ({exc})")
        return None


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


# --- (a) full rebuild ----------------------------------------------------------------------


def part_rebuild(results: dict[str, Any]) -> None:
    print("\n(a) Full rollup build: srmt.reporting.rollups.build.rebuild()")
    found = optional("srmt.reporting.rollups.build", "rebuild")
    if found is None:
        return
    (rebuild,) = found
    seconds, outcome = timed(rebuild)
    results["rebuild"] = {"seconds": round(seconds, 2), "summary": str(outcome)}
    print(f"  {seconds:.1f} s: {outcome}")


# --- (d) DuckDB over Parquet ---------------------------------------------------------------


def export_parquet(directory: Path) -> dict[str, Any]:
    """Every base table the rollups read, COPY'd out as CSV and written as Parquet."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
    from django.db import connection

    directory.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    started = time.perf_counter()
    connection.ensure_connection()
    raw = connection.connection
    for name, select in EXPORTS.items():
        csv_path = directory / f"{name}.csv"
        statement = f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER true)"
        with raw.cursor() as cursor, csv_path.open("wb") as out, cursor.copy(statement) as copy:
            for data in copy:
                out.write(data)
        header = csv_path.open(encoding="utf-8").readline().strip().split(",")
        types = {c: pa.timestamp("us") for c in header if c in TIMESTAMPS}
        table = pacsv.read_csv(csv_path, convert_options=pacsv.ConvertOptions(column_types=types))
        pq.write_table(table, directory / f"{name}.parquet")
        csv_path.unlink()
        rows[name] = table.num_rows
    return {"seconds": round(time.perf_counter() - started, 2), "rows": rows}


def duckdb_sql(directory: Path, open_statuses: str) -> tuple[str, str]:
    """The DailyRollup and DurationBucket rows, as DuckDB SELECTs over the Parquet files."""

    def src(name: str) -> str:
        return f"read_parquet('{directory / name}.parquet')"

    moved = (
        "c.from_office_id IS NOT NULL AND c.to_office_id IS NOT NULL "
        "AND c.from_office_id <> c.to_office_id"
    )
    # The office holding a request at a moment: the last move up to then (its to_office),
    # else the first move's origin, else the request's office (rollups/sql.py office_at).
    office_at = f"""
        held AS (SELECT service_request_id AS rid, created_at AS at, to_office_id AS office
                 FROM {src("change")} WHERE to_office_id IS NOT NULL),
        origin AS (SELECT service_request_id AS rid, arg_min(from_office_id, created_at) AS office
                   FROM {src("change")} WHERE from_office_id IS NOT NULL GROUP BY 1)"""
    placed_events = f"""
        SELECT id AS rid, created_at AS at, 1 AS opened,
               CASE WHEN repeat_of_id IS NOT NULL THEN 1 ELSE 0 END AS repeats, 1 AS open_delta
        FROM {src("request")}
        UNION ALL BY NAME
        SELECT service_request_id AS rid, created_at AS at,
               CASE WHEN kind = 'initial' THEN 1 ELSE 0 END AS responses_initial,
               CASE WHEN kind = 'follow_up' THEN 1 ELSE 0 END AS responses_follow_up,
               CASE WHEN kind = 'final' THEN 1 ELSE 0 END AS responses_final
        FROM {src("response")}
        UNION ALL BY NAME
        SELECT id AS rid, first_responded_at AS at, 1 AS first_responses,
               CASE WHEN first_responded_at <= first_response_due_at THEN 1 ELSE 0 END
                 AS first_on_time
        FROM {src("request")} WHERE first_responded_at IS NOT NULL
        UNION ALL BY NAME
        SELECT service_request_id AS rid, escalated_at AS at, 1 AS escalated
        FROM {src("escalation")}
        UNION ALL BY NAME
        SELECT service_request_id AS rid, submitted_at AS at, 1 AS qa_evaluated,
               CASE WHEN result = 'pass' THEN 1 ELSE 0 END AS qa_passed
        FROM {src("evaluation")}
        UNION ALL BY NAME
        SELECT service_request_id AS rid, sent_at AS at, 1 AS surveys_sent FROM {src("survey")}
        UNION ALL BY NAME
        SELECT service_request_id AS rid, answered_at AS at, 1 AS surveys_answered,
               CASE WHEN rating >= 4 THEN 1 ELSE 0 END AS surveys_satisfied,
               COALESCE(rating, 0) AS rating_total
        FROM {src("survey")} WHERE answered_at IS NOT NULL"""
    events = f"""
        WITH {office_at},
        placed_events AS ({placed_events}),
        placed AS (
            SELECT e.*, COALESCE(h.office, o.office, s.office_id) AS office_id
            FROM placed_events e
            ASOF LEFT JOIN held h ON e.rid = h.rid AND e.at >= h.at
            LEFT JOIN origin o ON o.rid = e.rid
            LEFT JOIN {src("request")} s ON s.id = e.rid
        ),
        moves_in AS (
            SELECT c.service_request_id AS rid, c.created_at AS at,
                   COALESCE(c.to_office_id, s.office_id) AS office_id,
                   CASE WHEN c.to_status = 'reopened' THEN 1 ELSE 0 END AS reopened,
                   CASE WHEN c.to_status = 'closed' THEN 1 ELSE 0 END AS closed,
                   CASE WHEN c.to_status = 'redirected' THEN 1 ELSE 0 END AS redirected,
                   CASE WHEN c.to_status = 'withdrawn' THEN 1 ELSE 0 END AS withdrawn,
                   CASE WHEN c.to_status = 'merged' THEN 1 ELSE 0 END AS merged,
                   CASE WHEN {moved} THEN 1 ELSE 0 END AS transferred_in,
                   CASE WHEN c.to_status IN {open_statuses} THEN 1 ELSE 0 END AS open_delta,
                   CASE WHEN c.to_status = 'closed' THEN 1 ELSE 0 END AS final_responses,
                   CASE WHEN c.to_status = 'closed' AND c.created_at <= s.due_at THEN 1 ELSE 0
                   END AS final_on_time
            FROM {src("change")} c JOIN {src("request")} s ON s.id = c.service_request_id
            WHERE c.from_status <> ''
        ),
        moves_out AS (
            SELECT c.service_request_id AS rid, c.created_at AS at,
                   COALESCE(c.from_office_id, c.to_office_id, s.office_id) AS office_id,
                   CASE WHEN {moved} THEN 1 ELSE 0 END AS transferred_out,
                   -CASE WHEN c.from_status IN {open_statuses} THEN 1 ELSE 0 END AS open_delta
            FROM {src("change")} c JOIN {src("request")} s ON s.id = c.service_request_id
            WHERE c.from_status <> ''
              AND (c.from_status IN {open_statuses} OR ({moved}))
        ),
        every AS (
            SELECT * FROM placed UNION ALL BY NAME SELECT * FROM moves_in
            UNION ALL BY NAME SELECT * FROM moves_out
        )"""
    cells = f"""
        JOIN {src("request")} q ON q.id = e.rid
        JOIN {src("person")} p ON p.id = q.requester_id
        LEFT JOIN {src("case")} k ON k.id = q.case_id
        LEFT JOIN {src("form")} f ON f.id = k.form_type_id"""
    cell = "CAST(e.at AS DATE), e.office_id, COALESCE(f.code, ''), q.type_id, q.channel, p.language"
    sums = ", ".join(f"COALESCE(SUM(e.{m}), 0) AS {m}" for m in MEASURES)
    nonzero = " OR ".join(f"COALESCE(SUM(e.{m}), 0) <> 0" for m in MEASURES)
    rollup = (
        f"{events} SELECT {cell.replace('CAST(e.at AS DATE)', 'CAST(e.at AS DATE) AS day')},"
        f" {sums} FROM every e {cells} GROUP BY {cell} HAVING {nonzero}"
    )
    whole_days = (
        "LEAST(GREATEST(CAST(floor(epoch({end})) AS BIGINT)"
        " - CAST(floor(epoch({start})) AS BIGINT), 0) // 86400, 366)"
    )
    bucket = f"""
        WITH {office_at},
        firsts AS (
            SELECT e.id AS rid, e.first_responded_at AS at,
                   COALESCE(h.office, o.office, e.office_id) AS office_id, 'first' AS measure,
                   {whole_days.format(end="e.first_responded_at", start="e.created_at")} AS days
            FROM (SELECT * FROM {src("request")} WHERE first_responded_at IS NOT NULL) e
            ASOF LEFT JOIN held h ON e.id = h.rid AND e.first_responded_at >= h.at
            LEFT JOIN origin o ON o.rid = e.id
        ),
        finals AS (
            SELECT c.service_request_id AS rid, c.created_at AS at,
                   COALESCE(c.to_office_id, s.office_id) AS office_id, 'final' AS measure,
                   {whole_days.format(end="c.created_at", start="s.created_at")} AS days
            FROM {src("change")} c JOIN {src("request")} s ON s.id = c.service_request_id
            WHERE c.to_status = 'closed'
        ),
        every AS (SELECT * FROM firsts UNION ALL SELECT * FROM finals)
        SELECT {cell.replace("CAST(e.at AS DATE)", "CAST(e.at AS DATE) AS day")},
               e.measure, e.days, COUNT(*) AS count
        FROM every e {cells} GROUP BY {cell}, e.measure, e.days"""
    return rollup, bucket


def part_duckdb(results: dict[str, Any], directory: Path, open_statuses: str) -> None:
    print("\n(d) The same aggregates in DuckDB over Parquet exports of the base tables")
    try:
        import duckdb
        import pyarrow  # noqa: F401 (the export needs it)
    except ImportError as exc:
        print(f"  skipped: {exc}")
        return
    exported = export_parquet(directory)
    print(f"  export to Parquet: {exported['seconds']:.1f} s, rows {exported['rows']}")
    rollup_sql, bucket_sql = duckdb_sql(directory, open_statuses)
    con = duckdb.connect()
    # DuckDB takes 80 % of the memory by default, beside PostgreSQL's: at 10 million requests
    # that was killed by the kernel. A bound and a spill directory keep it alive.
    con.execute(f"SET memory_limit = '{os.environ.get('BENCH_DUCKDB_MEMORY', '6GB')}'")
    con.execute(f"SET temp_directory = '{directory / 'duckdb.tmp'}'")
    seconds_rollup, _ = timed(lambda: con.execute(f"CREATE TABLE rollup AS {rollup_sql}"))
    seconds_bucket, _ = timed(lambda: con.execute(f"CREATE TABLE bucket AS {bucket_sql}"))
    duck_seconds = seconds_rollup + seconds_bucket
    sums = ", ".join(f"SUM({m})" for m in MEASURES)
    rollup_row = con.execute(f"SELECT COUNT(*), {sums} FROM rollup").fetchone() or ()
    bucket_row = con.execute("SELECT COUNT(*), SUM(count) FROM bucket").fetchone() or ()
    entry: dict[str, Any] = {
        "export": exported,
        "seconds": round(duck_seconds, 2),
        "seconds_rollup": round(seconds_rollup, 2),
        "seconds_buckets": round(seconds_bucket, 2),
        "rollup_rows": rollup_row[0],
        "bucket_rows": bucket_row[0],
        "totals": dict(zip(MEASURES, [int(v or 0) for v in rollup_row[1:]], strict=True)),
    }
    print(
        f"  DuckDB: {duck_seconds:.1f} s (rollup {seconds_rollup:.1f} s, buckets "
        f"{seconds_bucket:.1f} s); {rollup_row[0]:,} rollup rows, {bucket_row[0]:,} bucket rows"
    )
    rebuild = results.get("rebuild")
    if rebuild is not None:
        entry["ratio"] = round(rebuild["seconds"] / duck_seconds, 2)
        entry["differences"] = compare_with_rollups(entry, bucket_row)
        print(
            f"  full rollup / DuckDB = {entry['ratio']:.2f} "
            f"(target <= {FULL_RATIO_TARGET}): {_verdict(entry['ratio'] <= FULL_RATIO_TARGET)}"
        )
        if entry["differences"]:
            print(f"  DIFFERENT from the rollup tables: {entry['differences']}")
        else:
            print("  every measure's total and the row counts equal the rollup tables'")
    results["duckdb"] = entry
    con.close()


def compare_with_rollups(entry: dict[str, Any], bucket_row: tuple[Any, ...]) -> dict[str, Any]:
    from django.db import connection

    sums = ", ".join(f"COALESCE(SUM({m}), 0)" for m in MEASURES)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), {sums} FROM reporting_dailyrollup")
        row = cursor.fetchone()
        cursor.execute("SELECT COUNT(*), COALESCE(SUM(count), 0) FROM reporting_durationbucket")
        buckets = cursor.fetchone()
    ours = {"rollup_rows": entry["rollup_rows"], **entry["totals"]}
    ours.update(bucket_rows=bucket_row[0], bucket_count=int(bucket_row[1] or 0))
    theirs = {"rollup_rows": row[0], **dict(zip(MEASURES, row[1:], strict=True))}
    theirs.update(bucket_rows=buckets[0], bucket_count=buckets[1])
    return {k: {"duckdb": ours[k], "rollup": theirs[k]} for k in ours if ours[k] != theirs[k]}


# --- (c) pages ------------------------------------------------------------------------------


def part_pages(results: dict[str, Any], repeats: int) -> None:
    print("\n(c) Public report queries and dashboards")
    pages: dict[str, Any] = {}
    found = optional("srmt.reporting.public.release", "current_release", "Filters")
    if found is not None:
        pages["current_release"] = time_releases(*found, repeats=repeats)
    pages.update(time_dashboards(repeats))
    results["pages"] = pages


def _filter_sets(filters_cls: Any) -> list[tuple[str, Any]]:
    from srmt.offices.models import Office
    from srmt.service_requests.models import ServiceRequest

    busiest = (
        ServiceRequest.objects.values_list("office__code", flat=True).order_by("office_id").first()
    ) or ""
    office = busiest or (Office.objects.values_list("code", flat=True).first() or "")
    return [
        ("all", filters_cls()),
        (f"office={office}", filters_cls(office=office)),
        ("type=expedite_request", filters_cls(type="expedite_request")),
        ("channel=phone_tier1", filters_cls(channel="phone_tier1")),
        ("form=I-485", filters_cls(form="I-485")),
        (
            f"office={office}, type=general_case_inquiry",
            filters_cls(office=office, type="general_case_inquiry"),
        ),
    ]


def time_releases(current_release: Any, filters_cls: Any, *, repeats: int) -> dict[str, Any]:
    """The releases as a reader meets them after a refresh: the refresh's warm-up
    (`warm_published`: the weekly cube, the unfiltered release and every single-filter one)
    timed once from an empty cache, then each filter set's own release dropped from the
    cache before each call, so every call computes a release nobody asked for since the
    refresh (single filters included, which the warm-up had built: the worst case)."""
    from django.core.cache import cache

    release = importlib.import_module("srmt.reporting.public.release")
    from srmt.reporting.models import RollupState

    cache.clear()
    warm_seconds, _published = timed(release.warm_published)
    print(f"  warm_published after a refresh (empty cache): {warm_seconds:.1f} s")
    state = RollupState.objects.filter(name=release.STATE_NAME).first()
    timings: list[float] = []
    by_filter: dict[str, float] = {}
    for label, filters in _filter_sets(filters_cls):
        runs = []
        for _run in range(repeats):
            cache.delete(release._cache_key(state, filters.cache_part()))
            seconds, _release = timed(lambda f=filters: current_release(f))
            runs.append(seconds * 1000)
        timings.extend(runs)
        by_filter[label] = round(statistics.median(runs), 1)
        print(f"  current_release({label}): p50 {by_filter[label]:.1f} ms")
    summary = _summary("current_release (not cached, after the refresh)", timings, by_filter)
    summary["warm_published_s"] = round(warm_seconds, 1)
    return summary


def time_dashboards(repeats: int) -> dict[str, Any]:
    from django.test import Client
    from django.test.utils import override_settings

    from srmt.accounts.choices import Role
    from srmt.accounts.models import User
    from srmt.offices.models import Office

    urls = optional("srmt.staff.views.dashboards", "national", "office")
    if urls is None:
        return {}
    user, _created = User.objects.get_or_create(
        username="bench_supervisor",
        defaults={"role": Role.SUPERVISOR, "first_name": "Bench", "last_name": "Supervisor"},
    )
    office = Office.objects.filter(code="NSC").first() or Office.objects.first()
    if office is None:
        print("  skipped: no office")
        return {}
    user.offices.add(office)
    out: dict[str, Any] = {}
    from django.conf import settings

    # Pages render without collected static files (no manifest), as in the tests.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False, STORAGES=storages
    ):
        client = Client()
        client.force_login(user)
        for label, url in (
            ("national dashboard", "/staff/dashboards/"),
            (f"office dashboard ({office.code})", f"/staff/dashboards/{office.code}/"),
        ):
            first = client.get(url)  # warm-up; also the status check
            if first.status_code != 200:
                print(f"  {url}: HTTP {first.status_code}, not timed")
                out[label] = {"status": first.status_code}
                continue
            runs = [timed(lambda u=url: client.get(u))[0] * 1000 for _run in range(repeats)]
            out[label] = _summary(f"{url}", runs, {})
    return out


def _summary(label: str, timings: list[float], detail: dict[str, float]) -> dict[str, Any]:
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    print(
        f"  {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(timings)} calls "
        f"(target p95 < {PAGE_P95_TARGET_MS:.0f} ms): {_verdict(p95 < PAGE_P95_TARGET_MS)}"
    )
    return {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "calls": len(timings), **detail}


# --- (b) incremental refresh ----------------------------------------------------------------


def part_incremental(results: dict[str, Any], requests: int, seed: int) -> None:
    print(f"\n(b) Incremental refresh after one more day ({requests:,} requests)")
    found = optional("srmt.reporting.rollups.build", "refresh")
    if found is None:
        return
    (refresh,) = found
    from django.db.models import Max

    from srmt.reporting.models import RollupState
    from srmt.seed.bulk import generate
    from srmt.service_requests.models import ServiceRequest

    if not RollupState.objects.exclude(watermarks={}).exists():
        print("  skipped: the rollups were never built (run the rebuild part first)")
        return
    last = ServiceRequest.objects.aggregate(last=Max("created_at"))["last"]
    day = (last or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).date() + dt.timedelta(days=1)
    end = dt.datetime.combine(day, dt.time(23, 59), tzinfo=dt.UTC)
    # a seed of its own for each day: a second run on the same database draws new nonces
    # (the surveys' are unique), not the first run's again
    made = generate(
        seed=seed + day.toordinal(), requests=requests, end=end, days=1, rebuild_indexes=False
    )
    print(f"  generated {dict(made.counts)} on {day} in {made.seconds:.1f} s")
    seconds, outcome = timed(lambda: refresh(now=end))
    results["incremental"] = {
        "day": day.isoformat(),
        "generated": dict(made.counts),
        "seconds": round(seconds, 2),
        "summary": str(outcome),
    }
    print(
        f"  refresh(): {seconds:.2f} s: {outcome} (target < {INCREMENTAL_TARGET_S:.0f} s): "
        f"{_verdict(seconds < INCREMENTAL_TARGET_S)}"
    )


def _verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--parquet", type=Path, default=ROOT / "var" / "bench" / "parquet")
    parser.add_argument("--incremental-requests", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=1012)
    parser.add_argument("--skip", nargs="*", choices=PARTS, default=[])
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from srmt.service_requests.lifecycle import OPEN_STATUSES
    from srmt.service_requests.models import ServiceRequest

    if connection.vendor != "postgresql":
        sys.exit("bench/reports.py needs PostgreSQL (DATABASE_URL).")
    open_statuses = "(" + ", ".join(f"'{s}'" for s in sorted(OPEN_STATUSES)) + ")"
    load = os.getloadavg()
    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "requests": ServiceRequest.objects.count(),
        "load_average": [round(v, 2) for v in load],
    }
    print(
        f"{results['requests']:,} requests in {connection.settings_dict['NAME']}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    if "rebuild" not in args.skip:
        part_rebuild(results)
    if "duckdb" not in args.skip:
        part_duckdb(results, args.parquet, open_statuses)
    if "pages" not in args.skip:
        part_pages(results, args.repeats)
    if "incremental" not in args.skip:
        part_incremental(results, args.incremental_requests, args.seed)
    results["load_average_end"] = [round(v, 2) for v in os.getloadavg()]
    out = ROOT / "var" / "bench" / f"reports-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    print(f"\nResults: {out}")


if __name__ == "__main__":
    main()
