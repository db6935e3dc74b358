"""Routing + deadline benchmark, and one sweep over a million open requests.

    .venv/bin/python bench/routing.py [--quick]      (or `make bench-routing`)

Everything runs against a scratch PostgreSQL database srmt_bench_routing_<pid>, migrated
and seeded with `srmt seed`, dropped at the end even on failure.

1. Per request (in process, the code path of intake less its one case query):
   `service_requests.routing_facts.route_submission()` with the seeded routing rules, ZIP
   and country tables from the database, then `sla.services.deadlines_for()` (both due
   dates on the chosen office's calendar). Synthetic fact sets: every prefix, case records
   at other offices, 1367 cases, ZIP codes, customers abroad, every request type. p50/p99 in
   microseconds, next to an empty-call baseline measured in the same run.
2. Sweep: `srmt generate` over one month (about half its requests are still open); the
   closed ones are then reopened with one UPDATE so that every request is open; then
   `srmt sweep` twice (the first escalates the whole backlog, the second is the steady
   state), and the reads that replaced the stored deadline state (ADR 14): one office's
   overdue and at-risk counts and the first page of its at-risk queue.

Results go to var/bench/routing-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
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
# Real ZIP codes in states with several field offices, and a few elsewhere.
ZIP_CODES = (
    "10007", "11201", "14202", "12207", "90012", "94102", "92101", "93721", "95814",
    "92701", "95113", "77002", "75201", "78205", "79901", "78550", "33130", "33602",
    "32801", "32202", "60604", "98104", "99201", "02203", "20001", "96910", "96813",
)  # fmt: skip
COUNTRIES_ABROAD = ("MX", "IN", "PH", "DE", "KE")
END = dt.date(2026, 11, 20)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _timed(calls: list[Callable[[], object]]) -> list[float]:
    """Microseconds per call. Like timeit, with the garbage collector off while timing: a
    full collection over the process's heap (the ZIP table alone is 42k rows) would land on
    whichever call triggers it and say nothing about that call."""
    spent = []
    clock = time.perf_counter_ns
    gc.collect()
    gc.disable()
    try:
        for call in calls:
            started = clock()
            call()
            spent.append((clock() - started) / 1000)
    finally:
        gc.enable()
    return spent


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(values, 0.5), 2),
        "p99": round(percentile(values, 0.99), 2),
        "mean": round(sum(values) / len(values), 2),
    }


def bench_pure(count: int) -> dict[str, Any]:
    """Run inside a process whose DATABASE_URL is the seeded scratch database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmt.settings")
    import django

    django.setup()
    from srmt.cases.models import Case
    from srmt.offices.models import Office, offices_by_code
    from srmt.service_requests.models import active_request_types
    from srmt.service_requests.routing_facts import route_submission
    from srmt.sla.services import deadlines_for

    rng = random.Random(7)
    offices = list(Office.objects.filter(is_active=True))
    types = sorted(active_request_types())
    by_code = offices_by_code()
    cases = []
    for _n in range(count):
        receipt = f"{rng.choice(PREFIXES)}{rng.randrange(10**10):010d}"
        case = None
        if rng.random() < 0.5:
            case = Case(
                receipt_number=receipt,
                office=rng.choice(offices),
                is_protected=rng.random() < 0.02,
            )
        abroad = rng.random() < 0.03
        facts = {
            "receipt_number": receipt,
            "request_type": rng.choice(types),
            "zip_code": rng.choice(ZIP_CODES) if not abroad and rng.random() < 0.3 else "",
            "country": rng.choice(COUNTRIES_ABROAD) if abroad else "",
            "case": case,
        }
        moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            seconds=rng.randrange(365 * 86400)
        )
        cases.append((facts, moment, rng.choice(("normal", "urgent"))))

    referrals = 0

    def one(facts: dict[str, Any], moment: dt.datetime, urgency: str) -> None:
        nonlocal referrals
        decision = route_submission(at=moment, **facts).decision
        if decision.is_referral:  # no request, no deadlines
            referrals += 1
            return
        office = by_code[decision.office_code]
        deadlines_for(
            facts["request_type"],
            urgency,
            start=moment,
            time_zone=office.time_zone,
            office_id=office.pk,
        )

    def empty(*_args: Any) -> None:
        return None

    _timed([lambda c=c: one(*c) for c in cases[: min(2000, count)]])  # warm caches
    referrals = 0
    baseline = _timed([lambda c=c: empty(*c) for c in cases])
    measured = _timed([lambda c=c: one(*c) for c in cases])
    return {
        "fact_sets": count,
        "referred_abroad": referrals,
        "route_and_deadlines_us": _summary(measured),
        "empty_call_baseline_us": _summary(baseline),
    }


class ScratchDatabase:
    def __init__(self, existing: str | None = None) -> None:
        self.name = existing or f"srmt_bench_routing_{os.getpid()}"
        self.url = f"{PG_SERVER}/{self.name}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "srmt.settings",
            "SRMT_TASKS_BACKEND": "database",
        }

    def _run(self, argv: list[str]) -> str:
        done = subprocess.run(
            argv, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=3600, check=False
        )
        if done.returncode:
            raise RuntimeError(f"{' '.join(argv[1:])} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def manage(self, *argv: str) -> str:
        return self._run([str(BIN / "python"), "-m", "srmt", *argv])

    def run_here(self, *argv: str) -> Any:
        """Run this script's in-process part against the database; its JSON answer."""
        out = self._run([str(BIN / "python"), __file__, *argv])
        return json.loads(out.strip().splitlines()[-1])

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
    r"in (?P<seconds>[\d.]+) s: (?P<overdue>\d+) overdue, (?P<at_risk>\d+) at risk, "
    r"(?P<on_track>\d+) on track; escalated (?P<escalated>.*?); (?P<notes>\d+) notif"
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
        "open_overdue": int(match["overdue"]),
        "open_at_risk": int(match["at_risk"]),
        "open_on_track": int(match["on_track"]),
        "escalated": match["escalated"],
    }


def bench_reads(at: dt.datetime, repeats: int = 20) -> dict[str, Any]:
    """The reads that replaced the stored state, on the office with most open requests: its
    overdue and at-risk counts (the queue's tags) and the first page of its at-risk queue.
    Run inside a process whose DATABASE_URL is the swept database; milliseconds."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmt.settings")
    import django

    django.setup()
    from django.db.models import Count

    from srmt.service_requests.deadline_states import count_states
    from srmt.service_requests.models import ServiceRequest
    from srmt.sla.choices import DeadlineState

    busiest = (
        ServiceRequest.objects.open()
        .values("office_id", "office__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None
    office_requests = ServiceRequest.objects.filter(office_id=busiest["office_id"])

    def counts() -> object:
        return count_states(office_requests, at=at)

    def at_risk_page() -> object:
        qs = office_requests.in_deadline_state(DeadlineState.AT_RISK, at=at).for_lists()
        return list(qs.order_by("due_at", "id")[:25])

    results: dict[str, Any] = {
        "office": busiest["office__code"],
        "open_requests": busiest["n"],
        "states": counts(),
    }
    for name, call in (("state_counts_ms", counts), ("at_risk_first_page_ms", at_risk_page)):
        call()  # warm
        spent = [t / 1000 for t in _timed([call] * repeats)]
        results[name] = _summary(spent)
    return results


def _bare_copy(db: ScratchDatabase, at: dt.datetime) -> dict[str, Any]:
    """The floor for the first sweep, in the same run: copy the same rows (open requests
    received 15 days or more before `at`) into a new table without indexes, with no
    ladder, no conflict check and no digest."""
    cutoff = (at - dt.timedelta(days=15)).isoformat()
    started = time.perf_counter()
    rows = db.sql(
        "CREATE TABLE bench_bare_copy AS SELECT id, office_id, now() AS at "
        "FROM service_requests_servicerequest WHERE status NOT IN "
        "('closed', 'redirected', 'withdrawn', 'merged', 'awaiting_customer') "
        f"AND created_at + make_interval(secs => paused_seconds) <= '{cutoff}'"
    )
    seconds = time.perf_counter() - started
    db.sql("DROP TABLE bench_bare_copy")
    return {"rows": rows, "seconds": round(seconds, 2)}


def bench_sweep(db: ScratchDatabase, requests: int, *, generate: bool) -> dict[str, Any]:
    results: dict[str, Any] = {"requests": requests}
    if generate:
        started = time.perf_counter()
        db.manage(
            "generate", "--requests", str(requests), "--seed", "7", "--months", "1",
            "--end", END.isoformat(), "-v", "0",
        )  # fmt: skip
        results["generate_seconds"] = round(time.perf_counter() - started, 1)
        results["open_as_generated"] = db.scalar(
            "SELECT count(*) FROM service_requests_servicerequest WHERE status NOT IN "
            "('closed', 'redirected', 'withdrawn', 'merged')"
        )
        results["reopened_by_update"] = db.sql(
            "UPDATE service_requests_servicerequest SET status = 'in_progress', "
            "closed_at = NULL WHERE status IN ('closed', 'redirected', 'withdrawn', 'merged')"
        )
    else:  # an existing data set: undo earlier runs' escalations so the backlog is whole
        results["escalations_removed"] = db.sql("DELETE FROM service_requests_escalation")
    db.sql("VACUUM ANALYZE service_requests_servicerequest")
    db.sql("VACUUM ANALYZE service_requests_escalation")
    at = dt.datetime.combine(END, dt.time(23, 59), tzinfo=dt.UTC)
    results["open_when_swept"] = db.scalar(
        "SELECT count(*) FROM service_requests_servicerequest "
        "WHERE status NOT IN ('closed', 'redirected', 'withdrawn', 'merged')"
    )
    results["first_sweep"] = _sweep(db, at.isoformat())
    results["second_sweep"] = _sweep(db, at.isoformat())
    results["escalation_rows"] = db.scalar("SELECT count(*) FROM service_requests_escalation")
    results["baseline_bare_copy"] = _bare_copy(db, at)
    results["reads"] = db.run_here("--reads-at", at.isoformat())
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k fact sets, 20k requests.")
    parser.add_argument("--facts", type=int, help="Fact sets for the per-request timing.")
    parser.add_argument("--requests", type=int, help="Requests for the sweep.")
    parser.add_argument("--skip-sweep", action="store_true", help="Only the per-request timing.")
    parser.add_argument(
        "--existing",
        metavar="DATABASE",
        help="Sweep this already generated and migrated database instead of a scratch one "
        "(its escalations are deleted first; it is not dropped).",
    )
    # Internal: the in-process parts, run in a child whose DATABASE_URL is the scratch DB.
    parser.add_argument("--pure-only", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--reads-at", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pure_only:
        print(json.dumps(bench_pure(args.pure_only)))
        return 0
    if args.reads_at:
        print(json.dumps(bench_reads(dt.datetime.fromisoformat(args.reads_at))))
        return 0
    facts = args.facts or (10_000 if args.quick else 100_000)
    requests = args.requests or (20_000 if args.quick else 1_000_000)
    load = os.getloadavg()
    results: dict[str, Any] = {"load_average_at_start": [round(x, 2) for x in load]}
    db = ScratchDatabase(args.existing)
    try:
        if not args.existing:
            db.create()
            db.manage("migrate", "--verbosity", "0")
            db.manage("seed")
        results["pure"] = db.run_here("--pure-only", str(facts))
        print(json.dumps(results["pure"], indent=2), flush=True)
        if not args.skip_sweep:
            results["sweep"] = bench_sweep(db, requests, generate=not args.existing)
            print(json.dumps(results["sweep"], indent=2), flush=True)
            results["sweep_under_60_s"] = results["sweep"]["first_sweep"]["sweep_seconds"] < 60
    finally:
        if not args.existing:
            db.drop()
    out = ROOT / "var" / "bench" / f"routing-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"Results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
