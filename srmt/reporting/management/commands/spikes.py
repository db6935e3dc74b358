"""`srmt spikes --csv FILE`: spikes, drops and level shifts in daily counts, as JSON."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from srmt.reporting.spikes import detect


class InputError(Exception):
    pass


COLUMNS = ("date", "series", "count")
# a whole number, 0 or more, as a spreadsheet or a data frame may write it ("12", "12.0")
WHOLE = re.compile(r"[0-9]+(?:\.0*)?")


def read_series(path: str) -> dict[str, list[tuple[dt.date, int]]]:
    """Rows `date,series,count` (a header naming the three, in any order, other columns
    ignored; ISO dates; whole counts, 0 or more; one row per series and day) -> series name ->
    [(day, count)], sorted by day."""
    series: dict[str, dict[dt.date, int]] = {}
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    with handle:
        reader = csv.reader(handle)
        try:
            places = _places(next(reader, None))
            for number, row in enumerate(reader, start=2):
                if not row or all(not cell.strip() for cell in row):
                    continue
                day, name, count = _parse(number, row, places)
                days = series.setdefault(name, {})
                if day in days:
                    raise InputError(f"line {number}: a second row for {name!r} on {day}")
                days[day] = count
        except csv.Error as exc:
            raise InputError(f"line {reader.line_num}: {exc}") from exc
        except UnicodeDecodeError:
            raise InputError("the file is not UTF-8 text") from None
    return {name: sorted(days.items()) for name, days in series.items()}


def _places(header: list[str] | None) -> tuple[int, int, int, int]:
    """The header's width and where it has date, series and count."""
    names = [h.strip().lower() for h in header or []]
    if any(names.count(column) != 1 for column in COLUMNS):
        raise InputError("the first line must be the header date,series,count")
    date, series, count = (names.index(column) for column in COLUMNS)
    return len(names), date, series, count


def _parse(
    number: int, row: list[str], places: tuple[int, int, int, int]
) -> tuple[dt.date, str, int]:
    width, *at = places
    if len(row) != width:
        raise InputError(f"line {number}: expected {width} columns, found {len(row)}")
    raw_day, name, raw_count = (row[i].strip() for i in at)
    try:
        day = dt.date.fromisoformat(raw_day)
    except ValueError:
        raise InputError(f"line {number}: {raw_day!r} is not an ISO date (YYYY-MM-DD)") from None
    if not name:
        raise InputError(f"line {number}: the series name is empty")
    if WHOLE.fullmatch(raw_count) is None:
        raise InputError(f"line {number}: count {raw_count!r} is not a whole number, 0 or more")
    return day, name, int(raw_count.split(".")[0])


class Command(BaseCommand):
    help = (
        "Read daily counts (CSV with a header naming date, series and count, in any order; "
        "other columns are ignored; one row per series and day) and print "
        "the spikes, drops and level shifts found, as a JSON array sorted by series and "
        "start. The detector is the product's (srmt.reporting.spikes, ADR 0046). Bad input "
        "exits with status 2 and a message on stderr."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", required=True, dest="path", help="CSV file, or - for stdin.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"]
        try:
            series = read_series("/dev/stdin" if path == "-" else path)
        except InputError as exc:
            sys.stderr.write(f"srmt spikes: {exc}\n")
            sys.exit(2)
        detections = detect(series)
        self.stdout.write(json.dumps([d.as_dict() for d in detections], indent=2))
