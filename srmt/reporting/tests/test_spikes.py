"""The spike detector (ADR 0046): table-driven cases, causality, explanations, FDR."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srmt.reporting.spikes import Config, detect
from srmt.reporting.spikes.calendar import is_catch_up, is_holiday
from srmt.reporting.spikes.detector import _likeliest_onset, _onset_days, _state, _step_onset
from srmt.reporting.spikes.fdr import benjamini_hochberg
from srmt.reporting.spikes.synthetic import generate

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


NEXT = EVENT + dt.timedelta(days=1)
LATER = EVENT + dt.timedelta(days=10)


def two_day_burst(day, mean):
    return mean + 70 if day in (EVENT, NEXT) else mean


def one_day_of_the_burst(day, mean):
    return mean + 70 if day == EVENT else mean


def shift_then_more(day, mean):
    """A level shift, and ten days later a further rise the same way (the step measured
    on its first days falls short of where the level settles)."""
    if day >= LATER:
        return mean * 1.6 * 1.5
    return mean * 1.6 if day >= EVENT else mean


def spike_then_level(day, mean):
    """A rise whose first day is found as a spike, back to the old level for three days
    (the spike ends), and up to stay from the fifth day."""
    if day == EVENT:
        return mean * 2.5
    if EVENT < day <= EVENT + dt.timedelta(days=3):
        return mean
    return mean * 1.4 if day > EVENT else mean


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
    # Neither day alone is unusual enough; the two together are a spike from the first.
    ("a two-day burst", weekly(change=two_day_burst), [("spike", "up", EVENT, NEXT)]),
    ("one day of that burst alone", weekly(change=one_day_of_the_burst), []),
    # A further change the same way within `reversal_days` re-measures the shift: one
    # detection (the residuals from before its step do not make a second one either, nor
    # does the further rise, found as a spike: it re-measures the shift too). The shift is
    # found as a spike on its second day and dated by the step of the counts (its first
    # day was 2.1 sd high).
    (
        "a level shift that rises again ten days later",
        weekly(change=shift_then_more),
        [("level_shift", "up", EVENT, START + dt.timedelta(days=319))],
    ),
    # The sustained rise found after the spike is that event going on (`merge_days`): one
    # level shift from the spike's start, not a spike and a second, later level shift.
    (
        "a spike that turns into a level shift after a lull",
        weekly(change=spike_then_level),
        [("level_shift", "up", EVENT, START + dt.timedelta(days=319))],
    ),
]


@pytest.mark.parametrize(("points", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_detections(points, expected):
    found = detect({"national": points})
    assert [(d.kind, d.direction, d.start, d.end) for d in found] == expected


def _days_from(points: list[tuple[dt.date, int]], first: int, skip: range = range(0)):
    return [p for p in points if (p[0] - START).days >= first and (p[0] - START).days not in skip]


LAST = START + dt.timedelta(days=319)
# Series as an analyst's file may hold them (`srmt spikes --csv`): days without a row, a
# series that starts months after the others, counts in the millions, nothing but zeros,
# a single day. No row is a missing day (not a zero); each series' history starts at its
# own first row.
SHAPES = [
    (
        "a month without rows before a spike",
        {"a": _days_from(weekly(change=spike), 0, skip=range(200, 230))},
        [("a", "spike", "up", EVENT, EVENT)],
    ),
    (
        "a series starting 100 days after another",
        {"quiet": weekly(seed=3), "late": _days_from(weekly(change=spike), 100)},
        [("late", "spike", "up", EVENT, EVENT)],
    ),
    (
        "a million a day, then 80% more",
        {"a": weekly(level=1e6, change=level_shift)},
        [("a", "level_shift", "up", EVENT, LAST)],
    ),
    ("nothing but zeros", {"a": [(START + dt.timedelta(days=i), 0) for i in range(320)]}, []),
    ("one day", {"a": [(START, 5)]}, []),
    ("no rows", {"a": []}, []),
]


@pytest.mark.parametrize(
    ("series", "expected"), [c[1:] for c in SHAPES], ids=[c[0] for c in SHAPES]
)
def test_series_of_any_shape(series, expected):
    found = detect(series)
    assert [(d.series, d.kind, d.direction, d.start, d.end) for d in found] == expected


def spike_on(day: dt.date) -> Callable[[dt.date, float], float]:
    return lambda d, mean: mean + 150 if d == day else mean


DAY_40 = START + dt.timedelta(days=40)  # a Saturday: 0.3 of the weekly level
DAY_80 = START + dt.timedelta(days=80)  # a Thursday; the spike's p-value 7.1e-12


@pytest.mark.parametrize(
    ("day", "config", "expected"),
    [
        # within the first eight weeks no day is decided (`warm_up_days`)
        (DAY_40, Config(), []),
        # from then on, until a quarter of history (`young_days`), a spike or drop must pass
        # the stricter floor of that period (`young_floor`), then the usual one
        (DAY_80, Config(), [("spike", "up", DAY_80, DAY_80)]),
        (DAY_80, Config(young_floor=1e-12), []),
        (EVENT, Config(young_floor=1e-12), [("spike", "up", EVENT, EVENT)]),
        (DAY_80, Config(warm_up_days=91), []),
    ],
    ids=[
        "in the warm-up",
        "young",
        "young, above its floor",
        "after the young period",
        "old warm-up",
    ],
)
def test_the_first_weeks_of_a_series(day, config, expected):
    found = detect({"a": weekly(change=spike_on(day))}, config=config)
    assert [(d.kind, d.direction, d.start, d.end) for d in found] == expected


ABSORBED = dt.date(2025, 3, 12)  # a Wednesday, in the second year (yearly terms fitted)


def absorbed(factor: float) -> Callable[[dt.date, float], float]:
    return lambda day, mean: mean * factor if day >= ABSORBED else mean


# Level shifts of 2-3 sd a weekday on small series, whose local level follows the counts
# within two weeks: their CUSUM stalls below its threshold and never alarms; the GLR
# against the level before the run (`_sustained`) finds them, and the step of the counts
# dates them on their first day.
SUSTAINED = [
    ("+80% on 4 a day", weekly(480, level=4, seed=6, change=absorbed(1.8))),
    ("+40% on 20 a day", weekly(480, level=20, seed=8, change=absorbed(1.4))),
]


@pytest.mark.parametrize("points", [c[1] for c in SUSTAINED], ids=[c[0] for c in SUSTAINED])
def test_a_shift_the_local_level_absorbs(points: list[tuple[dt.date, int]]) -> None:
    found = detect({"office": points})
    last = START + dt.timedelta(days=479)
    assert [(d.kind, d.direction, d.start, d.end) for d in found] == [
        ("level_shift", "up", ABSORBED, last)
    ]
    assert detect({"office": points}, config=Config(glr_h=math.inf)) == []


def test_a_spike_is_explained_with_what_stands_out_inside_it():
    # A lone day must reach p <= Config.p_floor (1e-5): +110 on about 100 a day does.
    web = weekly(level=70, seed=1, change=lambda day, mean: mean + 110 if day == EVENT else mean)
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


# Signed standardized residuals of consecutive days, the last one today.
ONSETS = [
    ("a clean step", [0.1, -0.2, 0.3, -0.1, 3.0, 3.2, 2.8, 3.1], 4),
    ("one unusual day today", [0.2, -0.5, 0.1, 6.0], 3),
    # A run the CUSUM opened on a chance day carries on into a later change.
    ("a chance day, then a step", [1.2, 0.1, -0.3, 0.2, 0.1, 3.0, 3.5, 2.9], 5),
    # A run that does not pin its first day down: the day after the likeliest one, which
    # is right if the change began on either.
    ("an even run", [0.0, 2.0, 2.0, 2.0, 2.0, 2.0], 2),
    ("a run of mildly high days", [0.3, 1.8, 2.1, 3.2, 4.7], 2),
]


@pytest.mark.parametrize(("values", "start"), [c[1:] for c in ONSETS], ids=[c[0] for c in ONSETS])
def test_the_onset_of_a_cusum_run(values, start):
    days = list(range(100, 100 + len(values)))
    assert _likeliest_onset(days, values, Config()) == 100 + start


STEPS = [
    # (case, counts, expected count per day, local level per day, direction, first day)
    ("a clean step up", [100, 98, 103, 99, 150, 155, 148, 152], 100.0, None, 1.0, 4),
    ("a step down", [100, 104, 97, 101, 60, 55, 62, 58], 100.0, None, -1.0, 4),
    ("a small series", [3, 2, 4, 3, 2, 9, 8, 10, 7], 3.0, None, 1.0, 5),
    # The local level had followed part of the change (the expected counts of later days
    # rose with it): taken back to the first day's level, the step keeps its first day.
    (
        "a step the local level followed",
        [100, 99, 101, 150, 152, 149, 151],
        100.0,
        [1.0, 1.0, 1.0, 1.0, 1.15, 1.25, 1.35],
        1.0,
        3,
    ),
    # A chance-high first day does not pull the step earlier when the days after it are
    # ordinary.
    ("a chance day, then a step", [100, 125, 99, 100, 150, 152, 149], 100.0, None, 1.0, 4),
    # The step may begin before the day the CUSUM run started: the window is what counts.
    ("the first day of the window", [150, 152, 149, 151, 148], 100.0, None, 1.0, 0),
]


@pytest.mark.parametrize(
    ("counts", "mean", "levels", "sign", "start"),
    [c[1:] for c in STEPS],
    ids=[c[0] for c in STEPS],
)
def test_the_first_day_of_a_step_by_likelihood(counts, mean, levels, sign, start):
    days = len(counts)
    state = _state(
        "s", [(START + dt.timedelta(days=i), c) for i, c in enumerate(counts)], START, days
    )
    levels = levels or [1.0] * days
    state.level[:] = levels
    state.mu[:] = [mean * level for level in levels]
    state.var[:] = state.mu + 0.01 * state.mu**2
    assert _step_onset(state, list(range(days)), sign, Config()) == start


# A week of expected counts, Monday first: weekdays of 100, a Saturday of 20, a Sunday of 10.
WEEK = [100.0] * 5 + [20.0, 10.0]
# Two ordinary weeks, then a step of +60% from the third Monday (day 14); the weekend just
# before it was a little high (28 and 14, 1.5 and 1.2 sd: what the step would have made).
WEEKEND_BEFORE = [101, 99, 100, 102, 98, 20, 10, 100, 99, 101, 100, 98, 28, 14]
MONDAY_STEP = [*WEEKEND_BEFORE, 160, 158, 161, 159]
VOLUME = [
    # (case, counts, onset_by_volume, first day)
    # Per expected request, a Sunday carrying a tenth of a weekday's requests is a tenth as
    # likely to be where the change began: the step starts on the Monday.
    ("by volume", MONDAY_STEP, True, 14),
    # Per calendar day, the high Sunday fits the step as well as the Monday and is earlier.
    ("by calendar day", MONDAY_STEP, False, 13),
    # A weekend that itself stepped (+60% on both days) is still its start.
    ("a step from Saturday", [*WEEKEND_BEFORE[:12], 32, 17, 160, 158, 161, 159], True, 12),
]


@pytest.mark.parametrize(
    ("counts", "by_volume", "start"), [c[1:] for c in VOLUME], ids=[c[0] for c in VOLUME]
)
def test_the_first_day_of_a_step_is_weighed_by_its_expected_requests(
    counts: list[int], by_volume: bool, start: int
) -> None:
    days = len(counts)
    state = _state(
        "s", [(START + dt.timedelta(days=i), c) for i, c in enumerate(counts)], START, days
    )
    state.level[:] = 1.0
    state.mu[:] = (WEEK * 3)[:days]
    state.var[:] = state.mu + 0.01 * state.mu**2
    config = Config(onset_by_volume=by_volume)
    assert _step_onset(state, list(range(days)), 1.0, config) == start


FOUND = [
    # (case, counts around an expected 100 a day, the last one the day found, first day)
    # A shift found on its third day: its first day was 2.1 sd high, the second low by
    # chance; the step of the counts starts on the first.
    ("a shift whose second day was low", [100, 101, 99, 100, 130, 115, 165], 4),
    # A chance-high day followed by ordinary days is not the start of today's spike.
    ("a spike after a chance-high day", [100, 99, 130, 98, 101, 100, 170], 6),
    ("a spike after ordinary days", [100, 100, 101, 99, 100, 102, 180], 6),
    # A day 1.8 sd high is not beyond `lookback_z`: it cannot be the start.
    ("a shift whose first day was mild", [100, 101, 99, 100, 125, 150, 160], 5),
]


@pytest.mark.parametrize(("counts", "start"), [c[1:] for c in FOUND], ids=[c[0] for c in FOUND])
def test_the_first_day_of_a_spike_or_drop_just_found(counts, start):
    days = len(counts)
    state = _state(
        "s", [(START + dt.timedelta(days=i), c) for i, c in enumerate(counts)], START, days
    )
    state.level[:] = 1.0
    state.mu[:] = 100.0
    state.var[:] = 200.0  # dispersion 0.01: sd 14.1 a day
    state.zs[:] = (state.y - state.mu) / np.sqrt(state.var)
    found = _onset_days(state, days - 1, 1.0, Config())
    assert found == list(range(start, days))


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_the_benchmark_keeps_its_labelled_events_apart(seed):
    """Each labelled event starts on a weekday at least 30 days from the start of any other
    event of its series (a level shift's return included)."""
    data = generate(seed, series=25, days=500)
    starts: dict[str, list[dt.date]] = {}
    for event in data.events:
        assert event.start.weekday() < 5
        starts.setdefault(event.series, []).append(event.start)
    for days in starts.values():
        days.sort()
        assert all((b - a).days >= 30 for a, b in itertools.pairwise(days))


@pytest.mark.parametrize("seed", [3, 4])
def test_the_benchmark_truth_agrees_with_its_labels(seed):
    """The truth the benchmark's ceiling reads (`Dataset.truth`): every labelled event
    changes the multiplier on its first day the labelled way, a spike or drop only for its
    own days, and the multiplier is 1 before the first event of a series."""
    data = generate(seed, series=25, days=500)
    origin = min(day for points in data.series.values() for day, _ in points)
    assert sorted(data.truth) == sorted(data.series)
    firsts: dict[str, int] = {}
    for event in data.events:
        truth = data.truth[event.series]
        first, last = (event.start - origin).days, (event.end - origin).days
        firsts[event.series] = min(firsts.get(event.series, first), first)
        step = truth.multiplier[first] / truth.multiplier[first - 1]
        if event.kind == "spike":
            assert step > 1.0
        elif event.kind == "drop":
            assert step < 1.0
        else:
            assert step != 1.0
        if event.kind != "level_shift":
            assert truth.multiplier[last + 1] == truth.multiplier[first - 1]
    for name, first in firsts.items():
        assert np.all(data.truth[name].multiplier[:first] == 1.0)


@pytest.mark.parametrize("seed", [3, 4, 5, 302])
def test_the_benchmark_labels_every_change_of_level(seed):
    """Every day on which the drawn level changes, outside a spike's or drop's own days and
    the day after them, is the first day of a labelled event: a temporary level shift's
    return included (before, a return in the last 30 days was left unlabelled)."""
    data = generate(seed, series=40, days=500)
    origin = min(day for points in data.series.values() for day, _ in points)
    for name, truth in data.truth.items():
        events = [e for e in data.events if e.series == name]
        starts = {(e.start - origin).days for e in events}
        brief = {
            day
            for e in events
            if e.kind != "level_shift"
            for day in range((e.start - origin).days, (e.end - origin).days + 2)
        }
        changes = {
            day
            for day in range(1, len(truth.multiplier))
            if truth.multiplier[day] != truth.multiplier[day - 1]
        }
        assert changes - brief == starts - brief, name
