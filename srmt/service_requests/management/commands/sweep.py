"""`srmt sweep`: escalate unanswered requests, wake due notifications and count deadline
states, once or in a loop."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from srmt.service_requests.sweep import SweepReport, run_sweep
from srmt.service_requests.tasks import start_periodic_sweep


class Command(BaseCommand):
    help = (
        "Escalate unanswered service requests, deliver the notifications no task delivered, "
        "and count the open requests on track, at risk and overdue. "
        "--every repeats every SRMT_SWEEP_SECONDS (or N) seconds, for a task backend that "
        "cannot defer tasks; --schedule starts the self-scheduling sweep task on the "
        "configured task backend (srmt worker does this at start)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            nargs="?",
            const=settings.SRMT_SWEEP_SECONDS,
            default=0,
            metavar="N",
            help="Repeat every N seconds (without N: SRMT_SWEEP_SECONDS, "
            f"{settings.SRMT_SWEEP_SECONDS}).",
        )
        parser.add_argument(
            "--schedule", action="store_true", help="Start the periodic sweep task, then exit."
        )
        parser.add_argument("--at", default="", help="Sweep as of this ISO 8601 moment.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            planned = start_periodic_sweep()
            self.stdout.write(
                f"Periodic sweep planned at {planned.isoformat()}."
                if planned
                else "Periodic sweep already scheduled (or the backend cannot defer tasks)."
            )
            return
        at = _parse_at(options["at"])
        while True:
            self._report(run_sweep(at=at))
            if options["every"] <= 0:
                return
            time.sleep(options["every"])

    def _report(self, report: SweepReport) -> None:
        levels = ", ".join(f"level {k}: {v}" for k, v in report.escalations.by_level.items())
        self.stdout.write(
            f"Swept at {report.at.isoformat()} in {report.seconds:.2f} s: "
            f"{report.overdue} overdue, {report.at_risk} at risk, "
            f"{report.on_track} on track; escalated {levels or 'none'}; "
            f"{report.escalations.notifications} notifications; "
            f"{report.notifications_recovered} stalled notifications taken back; "
            f"{report.notifications_woken} due notifications woken; "
            f"{report.idempotency_purged} expired idempotency records purged; "
            f"{report.moved_to_confidential_unit} requests on newly protected cases moved to "
            "the VAWA/T/U unit."
        )


def _parse_at(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--at is not an ISO 8601 moment: {value}") from exc
    if at.tzinfo is None:
        raise CommandError("--at needs a time zone offset, e.g. 2026-11-02T15:00:00+00:00")
    return at
