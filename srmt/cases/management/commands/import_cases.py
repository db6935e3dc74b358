"""`srmt import-cases FILE.csv`: case records from the agency's case systems."""

from __future__ import annotations

import sys
from argparse import RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from srmt.accounts.models import User
from srmt.cases.choices import PartyRole
from srmt.cases.importing import (
    OPTIONAL_COLUMNS,
    PARTY_FIELDS,
    REQUIRED_COLUMNS,
    ImportFileError,
    InvalidRows,
    import_cases,
    read_rows,
    validate_rows,
)
from srmt.cases.services import CaseData, require_case_writer
from srmt.core.errors import DomainError

HELP = f"""Import case records from a CSV file (UTF-8, a BOM is fine), creating or updating
each case by its receipt number through the case service (every change is audited).

Required columns: {", ".join(REQUIRED_COLUMNS)}.
Optional columns: {", ".join(OPTIONAL_COLUMNS)}.
  received_on, status_updated_on: dates as YYYY-MM-DD.
  is_protected: true/false, yes/no or 1/0; marks 8 U.S.C. 1367 cases. Empty keeps the
    case's protection as it is (a new case is not protected); false on a protected case
    needs protection_reason (why protection is removed; audited).
Optional party columns, ROLE_FIELD for ROLE in {", ".join(PartyRole.values)}
and FIELD in {", ".join(PARTY_FIELDS)}, e.g. applicant_name, applicant_email,
applicant_phone, applicant_language (en or es), attorney_g28 (true for a G-28 on file).
A party is added when any of its columns is filled; its name is then required. Parties
given replace the case's parties; a row without parties leaves them as they are.
With --actor, that user must be allowed to write case records (the case-system role, or
an administrator) and be cleared for 8 U.S.C. 1367 cases.

Every row is checked first. If any row is bad, the command lists every problem (row
number = line in the file, header is row 1; column; message), imports nothing and exits
with status 1. Otherwise all rows are imported in one transaction."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, then roll back."
        )
        parser.add_argument("--actor", default="", help="Username recorded in the audit log.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["actor"])
        path: Path = options["file"]
        try:
            with path.open("rb") as stream:
                rows = read_rows(stream)
            cases = validate_rows(rows)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        except ImportFileError as exc:
            raise CommandError(f"{path}: {exc} Nothing was imported.") from None
        except InvalidRows as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            rows_with_errors = len({e.row for e in exc.errors})
            raise CommandError(
                f"{rows_with_errors} of {len(rows)} rows have problems "
                f"({len(exc.errors)} in all). Nothing was imported."
            ) from None
        self._import(cases, actor=actor, dry_run=options["dry_run"], quiet=not options["verbosity"])

    def _import(
        self, cases: list[tuple[int, CaseData]], *, actor: User | None, dry_run: bool, quiet: bool
    ) -> None:
        with tqdm(total=len(cases), unit="case", file=sys.stderr, disable=quiet) as bar:
            try:
                report = import_cases(cases, actor=actor, dry_run=dry_run, progress=bar.update)
            except DomainError as exc:
                raise CommandError(f"{exc.message} Nothing was imported.") from None
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {report.rows} cases: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged." + (" Dry run: nothing was saved." if dry_run else "")
        )

    def _actor(self, username: str) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username}.")
        try:
            require_case_writer(user)
        except DomainError as exc:
            raise CommandError(f"{username}: {exc.message} Nothing was imported.") from None
        return user
