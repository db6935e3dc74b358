"""`srmt detect`: the daily detection run and digest once, or start its daily chain."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from srmt.reporting.detections.tasks import run_once, start_daily_detections


class Command(BaseCommand):
    help = (
        "Test the daily series of opened requests in the rollups for spikes, drops and level "
        "shifts (ADR 0046, 0051), write the detections and email the day's digests to the "
        "offices' supervisors; print the counts as JSON. --schedule starts the daily task "
        "instead (at SRMT_DETECTIONS_HOUR UTC; srmt worker does this at start)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", default="", help="Run as on this day (ISO date): read the days before it."
        )
        parser.add_argument(
            "--schedule", action="store_true", help="Start the daily task, then exit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            planned = start_daily_detections()
            self.stdout.write(
                f"Daily detections planned at {planned.isoformat()}."
                if planned
                else "Daily detections already scheduled (or the backend cannot defer tasks)."
            )
            return
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today is not an ISO date: {options['today']}") from exc
        self.stdout.write(json.dumps(run_once(today), indent=2))
