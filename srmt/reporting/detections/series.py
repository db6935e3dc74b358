"""The daily series of opened requests the detection run tests, read from the rollups.

A series is a level (`SeriesLevel`) and the values of its dimensions. Its name is stable:
"national", "channel=online", "office=NSC|type=expedite_request", "form=I-485|type=...",
"office=NSC|form=I-485|type=...". Requests without a case (form "") are left out of the
levels split by form.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max, Min, Sum

from srmt.reporting.models import DailyRollup, SeriesLevel

# The dimensions of each level, in the order they appear in a series name.
DIMENSIONS: dict[SeriesLevel, tuple[str, ...]] = {
    SeriesLevel.NATIONAL: (),
    SeriesLevel.CHANNEL: ("channel",),
    SeriesLevel.OFFICE_TYPE: ("office", "type"),
    SeriesLevel.FORM_TYPE: ("form", "type"),
    SeriesLevel.OFFICE_FORM_TYPE: ("office", "form", "type"),
}
# The rollup column each dimension is read from.
COLUMNS = {"office": "office__code", "type": "type__code", "form": "form", "channel": "channel"}
# Always tested, whatever their volume ("alert on the aggregate first").
AGGREGATE_LEVELS = (SeriesLevel.NATIONAL, SeriesLevel.CHANNEL)
FINE_LEVELS = (SeriesLevel.OFFICE_TYPE, SeriesLevel.FORM_TYPE, SeriesLevel.OFFICE_FORM_TYPE)


@dataclass(frozen=True)
class SeriesKey:
    level: SeriesLevel
    values: tuple[tuple[str, str], ...]  # (dimension, value) in DIMENSIONS order

    @property
    def name(self) -> str:
        if not self.values:
            return "national"
        return "|".join(f"{dimension}={value}" for dimension, value in self.values)

    def value(self, dimension: str) -> str:
        return dict(self.values).get(dimension, "")

    def rollup_filter(self) -> dict[str, str]:
        """Keyword filters on DailyRollup selecting the cells of this series."""
        return {COLUMNS[dimension]: value for dimension, value in self.values}


def parse_name(level: SeriesLevel, name: str) -> SeriesKey:
    """The key of a series from its level and stable name."""
    if name == "national":
        return SeriesKey(level, ())
    pairs = [part.split("=", 1) for part in name.split("|")]
    return SeriesKey(level, tuple((d, v) for d, v in pairs))


@dataclass(frozen=True)
class History:
    first: dt.date
    last: dt.date
    series: dict[SeriesKey, list[tuple[dt.date, int]]]  # zero-filled, first..last

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def read_level(
    level: SeriesLevel, *, first: dt.date, last: dt.date, min_recent_mean: float, recent_days: int
) -> History:
    """Every series of `level` with rollup rows between `first` and `last`, zero-filled
    over those days; a series of a fine level is kept only if it averaged at least
    `min_recent_mean` opened requests a day over its last `recent_days` days (one GROUP BY)."""
    dimensions = DIMENSIONS[level]
    columns = [COLUMNS[d] for d in dimensions]
    rows = DailyRollup.objects.filter(day__range=(first, last))
    if "form" in dimensions:
        rows = rows.exclude(form="")
    counts: dict[SeriesKey, dict[dt.date, int]] = defaultdict(dict)
    grouped = rows.values("day", *columns).annotate(n=Sum("opened")).order_by()
    for row in grouped.iterator(chunk_size=10_000):
        key = SeriesKey(
            level, tuple((d, str(row[c])) for d, c in zip(dimensions, columns, strict=True))
        )
        counts[key][row["day"]] = int(row["n"] or 0)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    recent_from = last - dt.timedelta(days=recent_days - 1)
    series: dict[SeriesKey, list[tuple[dt.date, int]]] = {}
    for key, by_day in counts.items():
        if level not in AGGREGATE_LEVELS:
            recent = sum(n for day, n in by_day.items() if day >= recent_from)
            if recent < min_recent_mean * recent_days:
                continue
        series[key] = [(day, by_day.get(day, 0)) for day in days]
    return History(first=first, last=last, series=series)


def rollup_span() -> tuple[dt.date, dt.date] | None:
    """The first and last day the rollups hold, if any."""
    bounds = DailyRollup.objects.order_by().aggregate(first=Min("day"), last=Max("day"))
    if bounds["first"] is None:
        return None
    return bounds["first"], bounds["last"]
