"""Labelled synthetic daily counts for `make bench-spikes` and the tests (ADR 0046).

Each series: a level (3 to 600 a day), a weekday profile with quiet weekends, federal
holidays (most work stops) and the catch-up day after them, yearly seasonality, a slow
trend, negative-binomial noise. Decoys that are not events: the holidays and catch-up days,
gradual ramps (+/-15-40 % over 60-120 days), single days at the 1-in-100 to 1-in-500 edge
of their own distribution. Labelled events on weekdays that are neither holidays nor
catch-up days, sized in standard deviations of the day's noise so that every size class
appears on small and large series: spikes (5-12 sd) and drops (5-10 sd, on series of 15 a
day or more) of 1-4 days, level shifts (2.5-5 sd and at least 25 %; permanent, or lasting
60-200 days and then back: the return is a labelled level shift too).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from srmt.reporting.spikes import calendar

Kind = str


@dataclass(frozen=True)
class Event:
    series: str
    kind: Kind  # "spike" | "drop" | "level_shift"
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Truth:
    """What drew a series: the expected counts without the labelled events (decoys in),
    the events' multipliers, and the negative-binomial dispersion (variance mu + alpha mu^2).
    For the benchmark's ceiling only: the detector never sees it."""

    baseline: npt.NDArray[np.float64]
    multiplier: npt.NDArray[np.float64]
    alpha: float


@dataclass(frozen=True)
class Dataset:
    series: dict[str, list[tuple[dt.date, int]]]
    events: list[Event]
    truth: dict[str, Truth] = field(default_factory=dict)


@dataclass(frozen=True)
class _Days:
    dates: list[dt.date]
    weekday: npt.NDArray[np.int64]
    holiday: npt.NDArray[np.bool_]
    catch_up: npt.NDArray[np.bool_]
    doy: npt.NDArray[np.int64]
    t: npt.NDArray[np.int64]


def generate(
    seed: int, *, series: int = 300, days: int = 900, start: dt.date = dt.date(2024, 1, 1)
) -> Dataset:
    rng = np.random.default_rng(seed)
    x = calendar.features(start, days)
    dates = [start + dt.timedelta(days=i) for i in range(days)]
    cal = _Days(
        dates=dates,
        weekday=np.array([d.weekday() for d in dates]),
        holiday=x[:, calendar.HOLIDAY] > 0,
        catch_up=x[:, calendar.CATCH_UP] > 0,
        doy=np.array([d.timetuple().tm_yday for d in dates]),
        t=np.arange(days),
    )
    out: dict[str, list[tuple[dt.date, int]]] = {}
    events: list[Event] = []
    truth: dict[str, Truth] = {}
    for s in range(series):
        name = f"s{s:03d}"
        mean, alpha = _baseline(rng, cal)
        multiplier, busy = _events(rng, cal, name, mean, alpha, events)
        truth[name] = Truth(baseline=mean, multiplier=multiplier, alpha=alpha)
        mean = mean * multiplier
        size_param = 1.0 / alpha
        counts = rng.negative_binomial(size_param, size_param / (size_param + mean))
        # Decoy: single days at the 1-in-100 to 1-in-500 edge of the day's own distribution.
        for day in rng.integers(0, days, size=3):
            if not busy[day]:
                tail = rng.uniform(0.002, 0.01)
                p = size_param / (size_param + mean[day])
                draws = rng.negative_binomial(size_param, p, 4000)
                counts[day] = int(np.quantile(draws, tail if rng.random() < 0.5 else 1 - tail))
        out[name] = [(dates[i], int(counts[i])) for i in range(days)]
    return Dataset(series=out, events=events, truth=truth)


def _baseline(rng: np.random.Generator, cal: _Days) -> tuple[npt.NDArray[np.float64], float]:
    """Expected counts without events (weekdays, holidays, catch-up, season, trend, a
    gradual ramp on some series), and the series' dispersion."""
    level = math.exp(rng.uniform(math.log(3), math.log(600)))
    profile = np.array(
        [
            rng.uniform(1.05, 1.3),
            rng.uniform(0.95, 1.15),
            1.0,
            rng.uniform(0.9, 1.05),
            rng.uniform(0.75, 0.95),
            rng.uniform(0.1, 0.5),
            rng.uniform(0.05, 0.35),
        ]
    )
    mean = level * profile[cal.weekday]
    mean = np.where(cal.holiday, mean * rng.uniform(0.05, 0.4), mean)
    mean = np.where(cal.catch_up, mean * rng.uniform(1.3, 1.9), mean)
    amplitude, phase = rng.uniform(0.0, 0.25), rng.uniform(0, 2 * math.pi)
    mean = mean * (1 + amplitude * np.sin(2 * math.pi * cal.doy / 365.25 + phase))
    mean = mean * np.exp(rng.uniform(-0.3, 0.3) * cal.t / 365.25)
    alpha = float(rng.uniform(0.005, 0.08))
    if rng.random() < 0.3:  # decoy: a gradual ramp
        days = len(cal.t)
        ramp_start = int(rng.integers(100, days - 150))
        ramp_len = int(rng.integers(60, 121))
        change = rng.choice([-1, 1]) * rng.uniform(0.15, 0.4)
        mean = mean * (1 + np.clip((cal.t - ramp_start) / ramp_len, 0, 1) * change)
    return mean, alpha


def _events(
    rng: np.random.Generator,
    cal: _Days,
    name: str,
    mean: npt.NDArray[np.float64],
    alpha: float,
    events: list[Event],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """One to three labelled events on a weekday that is neither a holiday nor a catch-up
    day, away from each other; their multipliers and the days they keep busy.

    The events are placed first, then applied in date order, each sized against the
    series' level on its first day with the earlier events in it: a spike inside a lasting
    drop is sized against the lowered level, as the day's noise then is."""
    days = len(cal.t)
    multiplier = np.ones(days)
    busy = np.zeros(days, dtype=bool)
    busy[:150] = True
    placed = _place(rng, cal, busy)
    for first, kind, length in sorted(placed):
        base = mean[first] * multiplier[first]
        sd = math.sqrt(base + alpha * base * base)
        if kind == "level_shift":
            _level_shift(rng, cal, name, first, length, sd / base, multiplier, events)
            continue
        if kind == "spike":
            multiplier[first : first + length] *= 1 + rng.uniform(5, 12) * sd / base
        else:
            size = min(0.95, rng.uniform(5, 10) * sd / base)
            if base < 15:  # a drop from a handful a day cannot be told from chance
                continue
            multiplier[first : first + length] *= 1 - size
        events.append(Event(name, kind, cal.dates[first], cal.dates[first + length - 1]))
    return multiplier, busy


def _place(
    rng: np.random.Generator, cal: _Days, busy: npt.NDArray[np.bool_]
) -> list[tuple[int, str, int]]:
    """Where one to three events go: (first day, kind, length in days), marking the days
    they keep busy (a level shift's whole span and its return)."""
    days = len(cal.t)
    placed: list[tuple[int, str, int]] = []
    for _ in range(int(rng.integers(1, 4))):
        kind = str(rng.choice(["spike", "drop", "level_shift"], p=[0.45, 0.25, 0.3]))
        first = _free_day(rng, cal, busy)
        if first is None:
            continue
        if kind == "level_shift":
            length = days - first if rng.random() < 0.6 else int(rng.integers(60, 201))
            while first + length < days and cal.weekday[first + length] >= 5:
                length += 1
            back = first + length
            if back < days and (back >= days - 30 or busy[back - 30 : back + 40].any()):
                # its return would fall on an event placed earlier, or in the last 30 days,
                # too late to be labelled and judged: the shift lasts to the end instead
                length = days - first
            elif back < days:
                busy[back - 7 : min(days, back + 60)] = True
            last = min(days, first + length) - 1
        else:
            length = int(rng.integers(1, 5))
            last = first + length - 1
        busy[first - 7 : min(days, last + 60)] = True
        placed.append((first, kind, length))
    return placed


def _free_day(rng: np.random.Generator, cal: _Days, busy: npt.NDArray[np.bool_]) -> int | None:
    days = len(cal.t)
    for _attempt in range(20):
        first = int(rng.integers(150, days - 30))
        if not (
            cal.holiday[first]
            or cal.catch_up[first]
            or cal.weekday[first] >= 5
            or busy[first - 30 : first + 40].any()
        ):
            return first
    return None


def _level_shift(
    rng: np.random.Generator,
    cal: _Days,
    name: str,
    first: int,
    length: int,
    relative_sd: float,
    multiplier: npt.NDArray[np.float64],
    events: list[Event],
) -> None:
    """A level shift from `first` for `length` days: permanent (to the last day), or back
    after 60-200 days (the return is a labelled level shift too)."""
    days = len(cal.t)
    up = rng.random() < 0.6
    size = max(rng.uniform(2.5, 5) * relative_sd, 0.25)
    factor = 1 + size if up else max(0.1, 1 - size)
    multiplier[first : first + length] *= factor
    last = min(days, first + length) - 1
    events.append(Event(name, "level_shift", cal.dates[first], cal.dates[last]))
    if first + length < days - 30:
        back = first + length
        events.append(Event(name, "level_shift", cal.dates[back], cal.dates[days - 1]))
