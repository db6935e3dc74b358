"""The spike detector (ADR 0046): table-driven cases, causality, explanations, FDR."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srmt.reporting.spikes import detect
from srmt.reporting.spikes.calendar import is_catch_up, is_holiday
from srmt.reporting.spikes.fdr import benjamini_hochberg

START = dt.date(2024, 1, 1)
EVENT = dt.date(2024, 9, 11)  # a Wednesday, no holiday near


def weekly(
    days: int = 320,
    *,
    level: float = 100.0,
    seed: int = 7,
    holiday_factor: float = 1.0,
    catch_up_factor: float = 1.0,
    change=None,
) -> list[tuple[dt.date, int]]:
    """A weekday pattern with quiet weekends and negative-binomial noise (dispersion 0.01);
    `change(day, mean) -> mean` injects an event."""
    rng = np.random.default_rng(seed)
    profile = [1.2, 1.1, 1.0, 1.0, 0.9, 0.3, 0.2]
    points = []
    for i in range(days):
        day = START + dt.timedelta(days=i)
        mean = level * profile[day.weekday()]
        if is_holiday(day):
            mean *= holiday_factor
        if is_catch_up(day):
            mean *= catch_up_factor
        if change is not None:
            mean = change(day, mean)
        size = 100.0
        points.append((day, int(rng.negative_binomial(size, size / (size + mean)))))
    return points


def spike(day, mean):
    return mean + 150 if day == EVENT else mean


def drop(day, mean):
    return mean * 0.15 if day == EVENT else mean


def level_shift(day, mean):
    return mean * 1.8 if day >= EVENT else mean


CASES = [
    ("clean weekly series", weekly(), []),
    ("holiday dips", weekly(holiday_factor=0.15), []),
    ("holiday dips and catch-up surges", weekly(holiday_factor=0.15, catch_up_factor=1.7), []),
    ("a spike", weekly(change=spike), [("spike", "up", EVENT, EVENT)]),
    ("a drop", weekly(change=drop), [("drop", "down", EVENT, EVENT)]),
    (
        "a level shift",
        weekly(change=level_shift),
        [("level_shift", "up", EVENT, START + dt.timedelta(days=319))],
    ),
]


@pytest.mark.parametrize(("points", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_detections(points, expected):
    found = detect({"national": points})
    assert [(d.kind, d.direction, d.start, d.end) for d in found] == expected


def test_a_spike_is_explained_with_what_stands_out_inside_it():
    web = weekly(level=70, seed=1, change=lambda day, mean: mean + 90 if day == EVENT else mean)
    mail = weekly(level=30, seed=2)
    national = [(day, a + b) for (day, a), (_, b) in zip(web, mail, strict=True)]
    (found,) = detect({"national": national}, breakdowns={"national": {"web": web, "mail": mail}})
    observed = dict(national)[EVENT]
    assert (found.kind, found.start, found.observed) == ("spike", EVENT, observed)
    assert [name for name, _ in found.contributors] == ["web"]
    assert found.explanation.startswith(f"national: {observed} received on 2024-09-11, ")
    assert f"than the {found.expected:.1f} expected" in found.explanation
    assert f"p = {found.p_value:.2g} (z = {found.z:.1f})" in found.explanation
    assert found.explanation.endswith(
        f"Most of the change is in: web ({found.contributors[0][1]:+.0f})."
    )


def test_a_level_shift_says_since_when_and_by_how_much():
    (found,) = detect({"office A": weekly(change=level_shift)})
    assert found.explanation.startswith("office A: level up ")
    assert "from 2024-09-11 to 2024-11-15 (66 days): " in found.explanation
    assert f"on average over its first {found.measured_days} days against" in found.explanation
    assert found.measured_days == 7
    assert 1.4 < found.observed / found.expected < 1.8


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 1000),
    cut=st.integers(60, 218),
    event_day=st.integers(70, 210),
    kind=st.sampled_from(["spike", "drop", "level"]),
)
def test_appending_future_days_never_changes_past_decisions(seed, cut, event_day, kind):
    when = START + dt.timedelta(days=event_day)
    changes = {
        "spike": lambda day, mean: mean * 2.5 if day == when else mean,
        "drop": lambda day, mean: mean * 0.1 if day == when else mean,
        "level": lambda day, mean: mean * 1.5 if day >= when else mean,
    }
    points = weekly(220, seed=seed, change=changes[kind])
    other = weekly(220, level=40, seed=seed + 1)
    until = START + dt.timedelta(days=cut)

    def decisions(found):
        return sorted((d.series, d.start, d.direction, d.alarm) for d in found if d.alarm <= until)

    full = detect({"a": points, "b": other})
    past = detect({"a": points[: cut + 1], "b": other[: cut + 1]})
    assert decisions(past) == decisions(full)


def test_benjamini_hochberg_steps_up():
    # m = 5, q = 0.05: thresholds 0.01, 0.02, 0.03, 0.04, 0.05; the largest rank under its
    # threshold is 3 (0.029 <= 0.03), so ranks 1-3 are rejected, 0.02 included.
    assert benjamini_hochberg([0.029, 0.5, 0.001, 0.02, 0.045], 0.05) == [
        True,
        False,
        True,
        True,
        False,
    ]
    assert benjamini_hochberg([], 0.05) == []


def test_many_quiet_series_raise_no_alarm_together():
    series = {f"office {i}": weekly(200, level=20 + 10 * i, seed=100 + i) for i in range(12)}
    assert detect(series) == []


@pytest.mark.parametrize(
    ("day", "holiday", "catch_up"),
    [
        (dt.date(2024, 7, 4), True, False),  # Thursday holiday
        (dt.date(2024, 7, 5), False, True),  # the Friday after
        (dt.date(2024, 9, 2), True, False),  # Labor Day, a Monday
        (dt.date(2024, 9, 3), False, True),  # the Tuesday after
        (dt.date(2026, 7, 3), True, False),  # July 4 on a Saturday, observed Friday
        (dt.date(2026, 7, 6), False, True),  # catch-up on the Monday
        (dt.date(2024, 9, 4), False, False),
    ],
)
def test_holidays_and_catch_up_days(day, holiday, catch_up):
    assert (is_holiday(day), is_catch_up(day)) == (holiday, catch_up)
