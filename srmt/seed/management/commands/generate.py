"""`srmt generate`: reproducible synthetic data at scale, for benchmarks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from srmt.seed.bulk import METHODS, generate


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--end must be a date like 2026-11-01, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Generate synthetic cases, people and service requests with their history (status "
        "changes, responses, escalations, surveys, repeats, expedite details) for "
        "benchmarks. The same --seed, --requests and --end give the same data (references "
        "included) in a fresh database. COPY on PostgreSQL, bulk_create on SQLite, all in one "
        "transaction; with --workers N (PostgreSQL) N processes load chunks of 100,000 "
        "requests, each chunk in a transaction of its own. A large load on PostgreSQL drops "
        "the tables' indexes and foreign keys and makes them again at the end. Rows are not "
        "audited one by one: one data.generated audit event records the seed and the counts. "
        "Run `srmt seed` first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, required=True, help="How many requests.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--batch", type=int, default=5000, help="Requests per batch.")
        parser.add_argument("--months", type=int, default=12, help="Spread over N months.")
        parser.add_argument("--end", type=_date, help="Last day of the data (default today).")
        parser.add_argument("--method", choices=METHODS, default="auto", help="Write path.")
        parser.add_argument(
            "--days", type=int, help="Spread over N days instead (e.g. 1: one more day)."
        )
        parser.add_argument(
            "--workers", type=int, default=1, help="Processes loading chunks (PostgreSQL)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count, batch, months = options["requests"], options["batch"], options["months"]
        days = options["days"]
        if min(count, batch, months, options["workers"], 1 if days is None else days) < 1:
            raise CommandError(
                "--requests, --batch, --months, --days and --workers must be at least 1."
            )
        day = options["end"] or timezone.now().date()
        end = dt.datetime.combine(day, dt.time(23, 59), tzinfo=dt.UTC)
        with tqdm(total=count, unit="SR", disable=options["verbosity"] == 0) as bar:
            try:
                report = generate(
                    seed=options["seed"],
                    requests=count,
                    end=end,
                    months=months,
                    batch_size=batch,
                    method=options["method"],
                    progress=bar,
                    workers=options["workers"],
                    days=days,
                )
            except (ValueError, LookupError) as exc:
                raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in report.counts.items())
        self.stdout.write(
            f"Generated {counts} with seed {report.seed} ({report.method}) "
            f"in {report.seconds:.1f} s ({count / report.seconds:,.0f} SR/s)."
        )
        if report.phases:
            phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.phases.items())
            self.stdout.write(f"Phases: {phases}.")
