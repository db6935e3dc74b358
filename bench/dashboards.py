"""Dashboards benchmark (issue 12 §5/§6, ADR 0051): the managers' dashboards alone, on a large
generated PostgreSQL database, without the public releases of bench/reports.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/dashboards.py
        [--repeats N] [--office CODE]
    (or `make bench-dashboards BENCH_ARGS=...`)

Prints, with the load average: the time of each SQL query of one national and one office
dashboard (what to EXPLAIN when a page is slow), then p50/p95 of `/staff/dashboards/` and
`/staff/dashboards/<office>/` through the Django test client as a supervisor (the same
measure as bench/reports.py part `pages`), and the time of one refresh of the open-stock
snapshot the dashboards read (when the code has one). Nothing is asserted: figures only.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmt.settings")


def profile_queries(office_code: str) -> None:
    from django.db import connection
    from django.utils import timezone

    from srmt.accounts.models import User
    from srmt.offices.models import Office
    from srmt.reporting import dashboards

    user = User.objects.get(username="bench_supervisor")
    timings: list[tuple[float, str]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(((time.perf_counter() - started) * 1000, " ".join(sql.split())))

    for office in (None, Office.objects.get(code=office_code)):
        dashboards.dashboard(user, office, now=timezone.now())  # warm-up
        timings.clear()
        started = time.perf_counter()
        with connection.execute_wrapper(wrapper):
            dashboards.dashboard(user, office, now=timezone.now())
        total = (time.perf_counter() - started) * 1000
        print(f"  dashboard({office.code if office else 'national'}): {total:.1f} ms")
        for ms, sql in timings:
            print(f"    {ms:7.1f} ms  {sql[:150]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--office", default="NSC")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from srmt.service_requests.models import ServiceRequest

    if connection.vendor != "postgresql":
        sys.exit("bench/dashboards.py needs PostgreSQL (DATABASE_URL).")
    reports = importlib.import_module("reports")
    load = os.getloadavg()
    print(
        f"{ServiceRequest.objects.count():,} requests in {connection.settings_dict['NAME']}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    refresh = getattr(
        importlib.import_module("srmt.reporting.dashboards"), "refresh_snapshot", None
    )
    if refresh is not None:
        started = time.perf_counter()
        refresh()
        print(f"  open-stock snapshot refresh: {(time.perf_counter() - started) * 1000:.0f} ms")
    reports.time_dashboards(args.repeats)  # creates the bench supervisor on first use
    print("\nQueries of one dashboard:")
    profile_queries(args.office)
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
