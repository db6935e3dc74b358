"""`srmt rollup`: refresh the daily rollups (incremental), or rebuild them (`--full`)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from srmt.reporting.rollups import build
from srmt.reporting.rollups.tasks import refresh_and_publish, start_periodic_rollup


class Command(BaseCommand):
    help = (
        "Refresh the daily rollups from what changed since the last refresh, or rebuild them "
        "all (--full); prints the days recomputed, the rows written and the time taken. "
        "--schedule starts the periodic refresh task on the configured task backend (srmt "
        "worker does this at start); --every repeats in the foreground, for a backend that "
        "cannot defer tasks, and like the task builds the public releases and the "
        "dashboards' snapshot after each refresh."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="Rebuild every day.")
        parser.add_argument(
            "--schedule", action="store_true", help="Start the periodic refresh task, then exit."
        )
        parser.add_argument(
            "--every",
            type=int,
            nargs="?",
            const=settings.SRMT_ROLLUP_SECONDS,
            default=0,
            metavar="N",
            help="Repeat every N seconds (without N: SRMT_ROLLUP_SECONDS, "
            f"{settings.SRMT_ROLLUP_SECONDS}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            planned = start_periodic_rollup()
            self.stdout.write(
                f"Periodic rollup refresh planned at {planned.isoformat()}."
                if planned
                else "Periodic rollup refresh already scheduled (or the backend cannot defer "
                "tasks)."
            )
            return
        full = options["full"]
        if options["every"] <= 0:
            self.stdout.write((build.rebuild() if full else build.refresh()).summary())
            return
        while True:
            # The periodic task's steps, in the foreground: the public releases into the
            # cache and the dashboards' snapshot after each refresh.
            result, _summary = refresh_and_publish(full=full)
            self.stdout.write(result.summary())
            full = False
            time.sleep(options["every"])
