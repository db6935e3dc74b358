"""Outcome metrics benchmark: `srmt.outcomes.metrics.outcomes()` on a large database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/outcomes.py
        [--repeats N] [--months M]

The database is one `srmt generate --requests N --months 12` filled (COPY on PostgreSQL).
For each grouping, the whole table (the groups and the total: two statements) over the last
--months months, as a reader without 8 U.S.C. 1367 clearance (confidential units folded):
p50 and max in ms over --repeats runs after one warm-up, and the table's size. Prints a
Markdown table; nothing is written to the database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmt.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from srmt.outcomes import metrics
    from srmt.service_requests.models import ServiceRequest

    now = timezone.now()
    months = now.year * 12 + now.month - 1 - (args.months - 1)
    period = metrics.Period(timezone.datetime(months // 12, months % 12 + 1, 1).date(), now.date())
    total = ServiceRequest.objects.count()
    print(f"{connection.vendor}, {total:,} requests; period {period.start} to {period.end}")
    print("| group by | rows | requests in the period | p50 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for group_by in metrics.GroupBy:
        timings = []
        for run in range(args.repeats + 1):
            started = time.perf_counter()
            found = metrics.outcomes(
                period=period, group_by=group_by, as_of=now, fold_confidential=True
            )
            if run:  # the first run warms the caches
                timings.append((time.perf_counter() - started) * 1000)
        print(
            f"| {group_by.value} | {len(found.rows)} | {found.total.requests:,} "
            f"| {statistics.median(timings):.0f} | {max(timings):.0f} |"
        )


if __name__ == "__main__":
    main()
