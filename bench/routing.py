"""Routing + deadline benchmark, and one sweep over a million open requests.

    .venv/bin/python bench/routing.py [--quick]      (or `make bench-routing`)

1. Per request (pure functions, in process): `offices.routing.route(RoutingFacts(...))`
   and the two due dates of `sla.deadlines.add_target` on the office calendar, over
   synthetic fact sets; p50/p99 in microseconds, next to an empty-call baseline measured in
   the same run.
2. Sweep (PostgreSQL): a scratch database srmt_bench_routing_<pid>, migrated and seeded;
   `srmt generate` over one month (about half its requests are still open); the closed ones
   are then reopened with one UPDATE so that every request is open; then `srmt sweep` twice
   (the first marks and escalates the whole backlog, the second is the steady state).
   The database is dropped at the end, even on failure.

Results go to var/bench/routing-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PREFIXES = ("EAC", "WAC", "LIN", "SRC", "MSC", "YSC", "IOE", "ZZZ")
TYPES = (
    "general_case_inquiry",
    "outside_normal_processing_time",
    "change_of_address",
    "expedite_request",
    "appointment_request",
    "tier2_callback",
)
OFFICES = (
    ("ESC", "America/New_York"),
    ("CSC", "America/Los_Angeles"),
    ("NSC", "America/Chicago"),
    ("TSC", "America/Chicago"),
    ("HNL", "Pacific/Honolulu"),
    ("AGA", "Pacific/Guam"),
)
END = dt.date(2026, 11, 20)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _timed(calls: list[Callable[[], object]]) -> list[float]:
    spent = []
    clock = time.perf_counter_ns
    for call in calls:
        started = clock()
        call()
        spent.append((clock() - started) / 1000)
    return spent


def bench_pure(count: int) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmt.settings")
    import django

    django.setup()
    from srmt.offices.routing import RoutingFacts, route
    from srmt.sla.choices import TargetUnit
    from srmt.sla.deadlines import CalendarSpec, Target, add_target

    rng = random.Random(7)
    targets = [
        (Target(15, TargetUnit.CALENDAR_DAYS), Target(15, TargetUnit.CALENDAR_DAYS)),
        (Target(7, TargetUnit.BUSINESS_DAYS), Target(30, TargetUnit.BUSINESS_DAYS)),
        (Target(72, TargetUnit.HOURS), Target(72, TargetUnit.HOURS)),
        (Target(16, TargetUnit.BUSINESS_HOURS), Target(40, TargetUnit.BUSINESS_HOURS)),
    ]
    calendars = {tz: CalendarSpec(time_zone=tz) for _code, tz in OFFICES}
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cases = []
    for _n in range(count):
        office, tz = rng.choice(OFFICES)
        facts = RoutingFacts(
            receipt_number=f"{rng.choice(PREFIXES)}{rng.randrange(10**10):010d}",
            case_office_code=office if rng.random() < 0.5 else "",
            request_type=rng.choice(TYPES),
        )
        moment = start + dt.timedelta(seconds=rng.randrange(365 * 86400))
        cases.append((facts, moment, rng.choice(targets), calendars[tz]))

    def one(facts: Any, moment: dt.datetime, pair: Any, calendar: CalendarSpec) -> None:
        route(facts)
        add_target(moment, pair[0], time_zone=calendar.time_zone, calendar=calendar)
        add_target(moment, pair[1], time_zone=calendar.time_zone, calendar=calendar)

    def empty(*_args: Any) -> None:
        return None

    _timed([lambda c=c: one(*c) for c in cases[: min(2000, count)]])  # warm caches
    baseline = _timed([lambda c=c: empty(*c) for c in cases])
    measured = _timed([lambda c=c: one(*c) for c in cases])
    return {
        "fact_sets": count,
        "route_and_deadlines_us": {
            "p50": round(percentile(measured, 0.5), 2),
            "p99": round(percentile(measured, 0.99), 2),
            "mean": round(sum(measured) / len(measured), 2),
        },
        "empty_call_baseline_us": {
            "p50": round(percentile(baseline, 0.5), 2),
            "p99": round(percentile(baseline, 0.99), 2),
        },
    }


class ScratchDatabase:
    def __init__(self) -> None:
        self.name = f"srmt_bench_routing_{os.getpid()}"
        self.url = f"{PG_SERVER}/{self.name}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "srmt.settings",
            "SRMT_TASKS_BACKEND": "database",
        }

    def manage(self, *argv: str) -> str:
        done = subprocess.run(
            [str(BIN / "python"), "-m", "srmt", *argv],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"srmt {' '.join(argv)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def create(self) -> None:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def sql(self, statement: str) -> int:
        with psycopg.connect(self.url, autocommit=True) as conn:
            cursor = conn.execute(statement)
            return cursor.rowcount

    def scalar(self, statement: str) -> Any:
        with psycopg.connect(self.url) as conn:
            row = conn.execute(statement).fetchone()
            return row[0] if row else None


SWEPT = re.compile(
    r"in (?P<seconds>[\d.]+) s: (?P<overdue>\d+) newly overdue, (?P<at_risk>\d+) newly at risk, "
    r"(?P<on_track>\d+) back on track; escalated (?P<escalated>.*?); (?P<notes>\d+) notif"
)


def _sweep(db: ScratchDatabase, at: str) -> dict[str, Any]:
    started = time.perf_counter()
    out = db.manage("sweep", "--at", at)
    wall = time.perf_counter() - started
    match = SWEPT.search(out)
    if match is None:
        raise RuntimeError(f"unexpected sweep output: {out}")
    return {
        "sweep_seconds": float(match["seconds"]),
        "command_wall_seconds": round(wall, 2),
        "newly_overdue": int(match["overdue"]),
        "newly_at_risk": int(match["at_risk"]),
        "back_on_track": int(match["on_track"]),
        "escalated": match["escalated"],
    }


def bench_sweep(requests: int) -> dict[str, Any]:
    db = ScratchDatabase()
    db.create()
    try:
        db.manage("migrate", "--verbosity", "0")
        db.manage("seed")
        started = time.perf_counter()
        db.manage(
            "generate", "--requests", str(requests), "--seed", "7", "--months", "1",
            "--end", END.isoformat(), "-v", "0",
        )  # fmt: skip
        generated_s = time.perf_counter() - started
        open_generated = db.scalar(
            "SELECT count(*) FROM service_requests_servicerequest WHERE status NOT IN "
            "('closed', 'redirected', 'withdrawn', 'merged')"
        )
        reopened = db.sql(
            "UPDATE service_requests_servicerequest SET status = 'in_progress', "
            "closed_at = NULL WHERE status IN ('closed', 'redirected', 'withdrawn', 'merged')"
        )
        db.sql("VACUUM ANALYZE service_requests_servicerequest")
        at = dt.datetime.combine(END, dt.time(23, 59), tzinfo=dt.UTC).isoformat()
        first = _sweep(db, at)
        second = _sweep(db, at)
        return {
            "requests": requests,
            "generate_seconds": round(generated_s, 1),
            "open_as_generated": open_generated,
            "reopened_by_update": reopened,
            "open_when_swept": db.scalar(
                "SELECT count(*) FROM service_requests_servicerequest "
                "WHERE status NOT IN ('closed', 'redirected', 'withdrawn', 'merged')"
            ),
            "first_sweep": first,
            "second_sweep": second,
            "escalation_rows": db.scalar("SELECT count(*) FROM service_requests_escalation"),
        }
    finally:
        db.drop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k fact sets, 20k requests.")
    parser.add_argument("--facts", type=int, help="Fact sets for the per-request timing.")
    parser.add_argument("--requests", type=int, help="Requests for the sweep.")
    parser.add_argument("--skip-sweep", action="store_true", help="Only the pure timing.")
    args = parser.parse_args()
    facts = args.facts or (10_000 if args.quick else 100_000)
    requests = args.requests or (20_000 if args.quick else 1_000_000)
    load = os.getloadavg()
    results: dict[str, Any] = {"load_average_at_start": [round(x, 2) for x in load]}
    results["pure"] = bench_pure(facts)
    print(json.dumps(results["pure"], indent=2), flush=True)
    if not args.skip_sweep:
        results["sweep"] = bench_sweep(requests)
        print(json.dumps(results["sweep"], indent=2), flush=True)
        results["sweep_under_60_s"] = results["sweep"]["first_sweep"]["sweep_seconds"] < 60
    out = ROOT / "var" / "bench" / f"routing-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"Results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
