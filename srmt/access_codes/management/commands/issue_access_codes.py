"""`srmt issue-access-codes FILE.csv`: online access codes in bulk (ADR 43)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from srmt.access_codes import batch
from srmt.accounts.actors import SYSTEM, Actor
from srmt.accounts.models import User
from srmt.cases.services import require_case_writer
from srmt.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Issue online access codes from a CSV file (columns: receipt_number, role; optional "
        "external_id, delivery = letter, email or none). Each row is issued on its own: a bad "
        "row writes nothing and is reported. Progress goes to stderr; the report (row, "
        "receipt_number, status, error, code) to --report or stdout. Exits 1 when any row "
        "was refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--report", type=Path, help="Write the report CSV here.")
        parser.add_argument(
            "--actor", help="Username of a case-system account to record (default: system)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor: Actor = SYSTEM
        if options["actor"]:
            user = User.objects.filter(username=options["actor"]).first()
            if user is None:
                raise CommandError(f"No user {options['actor']!r}.")
            try:
                require_case_writer(user)
            except DomainError as error:
                raise CommandError(error.message) from None
            actor = user
        try:
            with options["file"].open("rb") as stream:
                rows = batch.read(stream)
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from None
        except batch.BatchFileError as error:
            raise CommandError(str(error)) from None
        total = len(rows)

        def progress(result: batch.RowResult) -> None:
            done = result.row - 1
            self.stderr.write(f"[{done}/{total}] row {result.row}: {result.status}")

        results = list(batch.issue_rows(rows, actor=actor, progress=progress))
        if options["report"]:
            with options["report"].open("w", encoding="utf-8", newline="") as out:
                batch.write_report(results, out)
        else:
            report = io.StringIO()
            batch.write_report(results, report)
            self.stdout.write(report.getvalue(), ending="")
        refused = sum(r.status == "refused" for r in results)
        self.stderr.write(f"{total - refused} issued, {refused} refused.")
        if refused:
            sys.exit(1)
