"""Daily rollups benchmark (ADR 0048): full rebuild, incremental refresh, reads.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/rollups.py
        [--days N]

The database is one `srmt generate --requests N --months 12`. Measures, on that database:
the full rebuild (`rebuild`: on PostgreSQL one statement filling both tables, ADR 0048
revision 2); a refresh with nothing new; the recompute of the last day and of the last N days
(what a refresh does for the rare days whose counted events new rows changed in place: a
back-dated transfer, new due dates); and reads (the national open stock at the end of the
last day; a year's time to final response from the histograms). The additive refresh after a
day of new requests is part (b) of bench/reports.py. Writes the rollup tables and the
RollupState row; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmt.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Max

    from srmt.reporting.models import DailyRollup, DurationBucket
    from srmt.reporting.rollups import build, read
    from srmt.service_requests.models import ServiceRequest, StatusChange

    requests = ServiceRequest.objects.count()
    changes = StatusChange.objects.count()
    print(f"{connection.vendor}, {requests:,} requests, {changes:,} status changes")
    print("| step | days | rows written | seconds |")
    print("|---|---:|---:|---:|")

    def row(step: str, result: build.RefreshResult) -> None:
        print(f"| {step} | {result.days:,} | {result.rows:,} | {result.seconds:.2f} |")

    row("full rebuild", build.rebuild())
    row("refresh, nothing new", build.refresh())
    last = DailyRollup.objects.aggregate(d=Max("day"))["d"]
    for days in (1, args.days):
        start = last - dt.timedelta(days=days - 1)
        begun = time.monotonic()
        with transaction.atomic():
            written = build._recompute(
                (build._midnight(start), build._midnight(last + dt.timedelta(days=1)))
            )
        row(
            f"recompute the last {days} day(s)",
            build.RefreshResult(days, written, time.monotonic() - begun),
        )
    rollups, buckets = DailyRollup.objects.count(), DurationBucket.objects.count()
    print(f"\nRollup rows: {rollups:,}; buckets: {buckets:,}")
    begun = time.monotonic()
    stock = read.open_at_end(last)
    elapsed = (time.monotonic() - begun) * 1000
    from srmt.service_requests.lifecycle import OPEN_STATUSES

    really = ServiceRequest.objects.filter(status__in=OPEN_STATUSES).count()
    print(f"Open at the end of {last}: {stock:,} ({elapsed:.0f} ms); open requests now: {really:,}")
    begun = time.monotonic()
    stats = read.duration_stats(read.histogram("final", last - dt.timedelta(days=364), last))
    print(
        f"Time to final response over the last 365 days: {stats} "
        f"({(time.monotonic() - begun) * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
