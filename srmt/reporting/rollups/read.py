"""A small read API over the rollups (ADR 0048), for the reports, downloads and dashboards.

Every figure is a SUM over DailyRollup or DurationBucket rows; filters are the cell's fields
(`office`, `office_id`, `form`, `type`, `type_id`, `channel`, `language`, and their lookups
such as `office__in`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Sum

from srmt.reporting.models import DailyRollup, DurationBucket

DEFAULT_WITHIN_DAYS = 15


def open_at_end(day: dt.date, **filters: Any) -> int:
    """The requests open at the end of `day` (UTC) in the cells the filters keep: the running
    sum of `open_delta` up to that day."""
    total = DailyRollup.objects.filter(day__lte=day, **filters).aggregate(n=Sum("open_delta"))
    return int(total["n"] or 0)


def histogram(measure: str, start: dt.date, end: dt.date, **filters: Any) -> dict[int, int]:
    """Whole days -> count, for `measure` ("first" or "final") over the days start..end
    (both included) in the cells the filters keep."""
    rows = (
        DurationBucket.objects.filter(measure=measure, day__gte=start, day__lte=end, **filters)
        .values("days")
        .annotate(n=Sum("count"))
        .order_by("days")
    )
    return {int(row["days"]): int(row["n"]) for row in rows}


@dataclass(frozen=True)
class DurationStats:
    count: int
    median_days: int | None  # None: no durations
    p80_days: int | None
    share_within: float | None  # of the count, those under `within_days` whole days

    def __iter__(self) -> Iterator[int | float | None]:
        """Unpacks as (count, median_days, p80_days, share_within)."""
        return iter((self.count, self.median_days, self.p80_days, self.share_within))


def duration_stats(
    buckets: Mapping[int, int] | Iterable[tuple[int, int]],
    *,
    within_days: int = DEFAULT_WITHIN_DAYS,
) -> DurationStats:
    """Count, median, 80th percentile and share within `within_days` of a histogram of whole
    days (days -> count; the last bucket, 366, holds every longer one).

    Percentiles are nearest-rank: the smallest number of whole days d such that at least
    q × count durations took d whole days or fewer (so the median of an even count is the
    lower middle value). "Within N days" is fewer than N whole days: under N × 24 hours.
    A pure function."""
    pairs = buckets.items() if isinstance(buckets, Mapping) else buckets
    counts: dict[int, int] = {}
    for days, count in pairs:
        if days < 0 or count < 0:
            raise ValueError("days and counts must be 0 or more")
        counts[days] = counts.get(days, 0) + count
    total = sum(counts.values())
    if total == 0:
        return DurationStats(0, None, None, None)
    within = sum(count for days, count in counts.items() if days < within_days)
    return DurationStats(
        count=total,
        median_days=_nearest_rank(counts, total, Fraction(1, 2)),
        p80_days=_nearest_rank(counts, total, Fraction(4, 5)),
        share_within=within / total,
    )


def _nearest_rank(counts: Mapping[int, int], total: int, quantile: Fraction) -> int:
    rank = max(1, -(-total * quantile.numerator // quantile.denominator))  # ceil, exact
    seen = 0
    for days in sorted(counts):
        seen += counts[days]
        if seen >= rank:
            return days
    raise AssertionError("unreachable: the ranks end at the total")  # pragma: no cover
