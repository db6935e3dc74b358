"""The read API over the rollups (ADR 0048): figures from histogram counts, open stock."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srmt.reporting.models import DailyRollup, DurationBucket
from srmt.reporting.rollups import read
from srmt.reporting.rollups.build import runs
from srmt.reporting.rollups.read import DurationStats, duration_stats


@pytest.mark.parametrize(
    ("buckets", "expected"),
    [
        ({}, DurationStats(0, None, None, None)),
        ({3: 0}, DurationStats(0, None, None, None)),
        ({0: 1}, DurationStats(1, 0, 0, 1.0)),
        ({2: 1, 4: 1}, DurationStats(2, 2, 4, 1.0)),  # even count: the lower middle
        ({1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, DurationStats(5, 3, 4, 1.0)),  # 0.8 x 5 = rank 4
        ({1: 4, 20: 1}, DurationStats(5, 1, 1, 0.8)),
        ({14: 1, 15: 1}, DurationStats(2, 14, 15, 0.5)),  # 15 whole days is not within 15
        ({366: 3}, DurationStats(3, 366, 366, 0.0)),  # the last bucket: 366 or more
        ([(5, 2), (5, 1), (9, 1)], DurationStats(4, 5, 9, 1.0)),  # pairs, repeated days summed
    ],
)
def test_duration_stats(buckets: object, expected: DurationStats) -> None:
    assert duration_stats(buckets) == expected  # type: ignore[arg-type]


def test_duration_stats_unpacks_and_takes_a_target() -> None:
    count, median, p80, share = duration_stats({1: 1, 10: 1, 30: 2}, within_days=30)
    assert (count, median, p80, share) == (4, 10, 30, 0.5)


@pytest.mark.parametrize("buckets", [{-1: 1}, {1: -1}])
def test_duration_stats_refuses_negative_values(buckets: dict[int, int]) -> None:
    with pytest.raises(ValueError, match="0 or more"):
        duration_stats(buckets)


@given(st.lists(st.integers(min_value=0, max_value=366), min_size=1, max_size=60))
def test_duration_stats_match_the_nearest_rank_of_the_raw_durations(days: list[int]) -> None:
    histogram: dict[int, int] = {}
    for d in days:
        histogram[d] = histogram.get(d, 0) + 1
    ordered = sorted(days)
    n = len(ordered)
    stats = duration_stats(histogram)
    assert stats.count == n
    assert stats.median_days == ordered[(n + 1) // 2 - 1]
    assert stats.p80_days == ordered[-(-4 * n // 5) - 1]
    assert stats.share_within == sum(1 for d in days if d < 15) / n


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([], []),
        ([3], [(3, 4)]),
        ([1, 2, 3, 7, 2], [(1, 4), (7, 8)]),
    ],
)
def test_runs_of_consecutive_days(days: list[int], expected: list[tuple[int, int]]) -> None:
    base = dt.date(2026, 3, 1)

    def d(n: int) -> dt.date:
        return base + dt.timedelta(days=n - 1)

    assert runs(d(n) for n in days) == [(d(a), d(b)) for a, b in expected]


@pytest.mark.django_db
def test_open_at_end_and_histogram_sum_the_rows(reference: None) -> None:
    from srmt.offices.models import Office
    from srmt.service_requests.models import ServiceRequestType

    esc, csc = Office.objects.get(code="ESC"), Office.objects.get(code="CSC")
    kind = ServiceRequestType.objects.get(code="general_case_inquiry")
    cell = {"form": "I-130", "type": kind, "channel": "phone_tier1", "language": "es"}
    d1, d2, d3 = dt.date(2026, 3, 1), dt.date(2026, 3, 2), dt.date(2026, 3, 3)
    DailyRollup.objects.create(day=d1, office=esc, opened=3, open_delta=3, **cell)
    DailyRollup.objects.create(day=d2, office=esc, closed=1, open_delta=-1, **cell)
    DailyRollup.objects.create(day=d2, office=csc, opened=1, open_delta=1, **cell)
    DailyRollup.objects.create(day=d3, office=esc, closed=2, open_delta=-2, **cell)
    for day, days, count in [(d1, 1, 2), (d2, 1, 1), (d2, 4, 1), (d3, 9, 5)]:
        DurationBucket.objects.create(
            day=day, office=esc, measure="final", days=days, count=count, **cell
        )
    assert [read.open_at_end(d) for d in (d1, d2, d3)] == [3, 3, 1]
    assert read.open_at_end(d2, office=esc) == 2
    assert read.open_at_end(d2, office__code="CSC", language="en") == 0
    assert read.open_at_end(dt.date(2026, 2, 28)) == 0
    assert read.histogram("final", d1, d2) == {1: 3, 4: 1}
    assert read.histogram("first", d1, d3) == {}
    # 1, 1, 1, 4, 9, 9, 9, 9, 9: the 5th and the 8th values
    assert duration_stats(read.histogram("final", d1, d3, office=esc)) == DurationStats(
        9, 9, 9, 1.0
    )
