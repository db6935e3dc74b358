"""What a published release is (issue 12): tables of figures with their columns, for the
public pages (`srmt.portal`) and the open-data files alike. A suppressed value is the string
"D" (disclosure standards not met) or "H" (withheld so that a "D" cannot be deduced)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["string", "integer", "number", "date"]
Value = str | int | float | None


@dataclass(frozen=True)
class Column:
    name: str  # machine name, snake_case
    title_en: str
    title_es: str
    type: ColumnType
    description_en: str
    description_es: str


@dataclass(frozen=True)
class Table:
    slug: str  # stable and URL-safe, e.g. "volume-by-month"
    title_en: str
    title_es: str
    description_en: str
    description_es: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Value], ...]


@dataclass(frozen=True)
class Release:
    period_start: dt.date  # the first day of the first complete week published
    period_end: dt.date  # the last day of the last complete week published
    refreshed_at: dt.datetime | None
    tables: tuple[Table, ...]

    def table(self, slug: str) -> Table:
        for table in self.tables:
            if table.slug == slug:
                return table
        raise LookupError(slug)
