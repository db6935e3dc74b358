"""The causal detector for daily count series (ADR 0046).

For every series and day t, a negative-binomial log-linear baseline fitted on the days
before t only (weekday, federal holiday, catch-up day, linear trend, yearly harmonics once a
year of history exists, and a step for each level shift already found; older days weigh
less) gives the expected count and its variance (over-dispersion plus the fit's own
uncertainty). The day's count becomes an upper and a lower p-value and a standardized
residual z. Then, for all series of the day together:

- spikes and drops: the series-days whose p-value (today's, or that of a burst of the last
  2-3 days) passes both a per-day floor and Benjamini–Hochberg at false-discovery rate `q`
  across every series tested that day open an event from its likeliest onset; it lasts
  while the residual stays beyond `continue_z`, and its days are kept out of the baseline.
  An event still going after `level_shift_days` days is a level shift;
- level shifts: two-sided CUSUM on the residuals of ordinary days; on an alarm, the start is
  the likeliest change point of the run (a step of unknown size, recent changes likelier), a
  step enters the baseline there (re-baselining), and the next level shift of the series
  ends it.

A decision about day t reads nothing after t. Only the end date and the kind of an event
still open move as later days arrive.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Literal

import numpy as np
import numpy.typing as npt

from srmt.reporting.spikes import calendar
from srmt.reporting.spikes.fdr import benjamini_hochberg

Direction = Literal["up", "down"]
Kind = Literal["spike", "drop", "level_shift"]
Series = Sequence[tuple[dt.date, int]]
FloatArray = npt.NDArray[np.float64]

_NORMAL = NormalDist()


@dataclass(frozen=True)
class Config:
    q: float = 0.05  # false-discovery rate across the series of one day
    p_floor: float = 1e-5  # and no series-day alarms above this p-value
    burst_days: int = 3  # a spike may show over this many days before one day proves it
    min_excess: float = 3.0  # nor with fewer than this many requests above/below expected
    continue_z: float = 1.5  # an open event lasts until two days in a row are within this
    onset_z: float = 0.5  # a level change's first day is at least this unusual
    min_drop_mean: float = 5.0  # a day expecting fewer cannot show that a drop goes on
    onset_age_days: float = 7.0  # prior mean age of a change when it alarms (onset)
    onset_step_sd: float = 6.0  # prior size of a change, in sd of a day's noise (onset)
    onset_by_volume: bool = True  # a day's prior to start a change ~ its expected count
    onset_window: int = 14  # a change found today may have begun this many days before
    lookback_z: float = 2.0  # and a spike or drop on a day before that was this unusual
    level_shift_days: int = 7  # an event that lasts this long is a level shift
    reversal_days: int = 21  # a change this soon after a shift re-measures it, not reported
    cusum_k: float = 0.5
    min_shift: float = 0.15  # a CUSUM alarm must be at least this relative change
    cusum_h: float = 9.0
    glr_gate: float = 4.5  # a CUSUM this high also tries the GLR of a sustained step
    glr_h: float = 14.0  # log-likelihood ratio for a sustained step against the old level
    glr_window: int = 35  # the GLR reads at most this many days back
    glr_min_change: float = 0.25  # and alarms on a step of at least this relative size
    warm_up_days: int = 56  # no decisions in a series' first eight weeks
    young_days: int = 91  # and until a quarter of history, a spike or drop must pass
    young_floor: float = 1e-6  # this p-value (the baseline is rougher)
    window_days: int = 728  # the baseline is fitted on at most this many past days
    half_life_days: float = 365.0  # weight of a past day halves every this many days
    refit_every: int = 7  # refit weekly (on a fixed weekday), and after every level shift
    yearly_after_days: int = 365  # yearly harmonics once this much history is fitted
    min_calendar_examples: int = 2  # test a holiday/catch-up day only after this many seen
    calibration_days: int = 90  # residual spread is averaged over about this many days
    local_half_life_days: float = 14.0  # the local level follows the recent days' ratio
    merge_days: int = 14  # a sustained run this soon after a spike/drop the same way continues it


@dataclass
class Detection:
    series: str
    kind: Kind
    direction: Direction
    start: dt.date
    end: dt.date
    alarm: dt.date  # the day the decision was made (uses data up to this day only)
    expected: float  # spikes/drops: total over the event; level shifts: per day
    observed: float
    p_value: float
    z: float
    measured_days: int = 1  # level shifts: the days their daily means are taken over
    contributors: list[tuple[str, float]] = field(default_factory=list)
    explanation: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "series": self.series,
            "kind": self.kind,
            "direction": self.direction,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "alarm": self.alarm.isoformat(),
            "expected": round(self.expected, 1),
            "observed": round(self.observed, 1),
            "p_value": float(f"{self.p_value:.3g}"),
            "z": round(self.z, 2),
            # Spikes and drops: expected/observed are totals over the event; level shifts:
            # daily means over the first measured_days days.
            "measured_days": self.measured_days,
            "contributors": [
                {"series": name, "excess": round(excess, 1)} for name, excess in self.contributors
            ],
            "explanation": self.explanation,
        }


@dataclass
class _Model:
    columns: list[int]
    steps: list[int]
    beta: FloatArray
    cov: FloatArray
    alpha: float


@dataclass
class _Event:
    detection: Detection
    start: int
    days: list[int]
    lull: list[int] = field(default_factory=list)  # quiet days not yet ending it
    quiet: int = 0  # informative quiet days in a row


@dataclass
class _State:
    name: str
    y: FloatArray  # nan where the series has no row
    usable: npt.NDArray[np.bool_]  # days the baseline may learn from
    mu: FloatArray  # expected count made for each day, before seeing it
    zs: FloatArray  # each day's standardized residual
    var: FloatArray  # the variance of each day's count around mu (onset likelihoods)
    level: FloatArray  # the local level each day's mu was scaled by
    origin: dt.date  # the date of day index 0
    first: int
    steps: list[int] = field(default_factory=list)
    model: _Model | None = None
    refit: bool = True
    open: _Event | None = None
    shift: Detection | None = None  # the last level shift, open until the next one
    cusum_hi: float = 0.0
    cusum_lo: float = 0.0
    since: int = -1  # first day of the current CUSUM run
    fresh: int = 0  # lookbacks (bursts, onsets) stop here: residuals before were pre-step
    z: dict[int, float] = field(default_factory=dict)
    z2: float = 1.0  # running mean of squared residuals (self-calibration)
    z2_days: int = 0
    pending: list[tuple[int, float]] = field(default_factory=list)
    detections: list[Detection] = field(default_factory=list)


def detect(
    series: Mapping[str, Series],
    *,
    breakdowns: Mapping[str, Mapping[str, Series]] | None = None,
    config: Config | None = None,
) -> list[Detection]:
    """Spikes, drops and level shifts of every series, sorted by (series, start).

    `breakdowns` maps a series name to its parts (e.g. "national" -> {"channel=web": ...});
    a detection on that series names the parts that account for most of its excess.
    """
    config = config or Config()
    rows = {name: list(points) for name, points in series.items() if points}
    if not rows:
        return []
    first_day = min(day for points in rows.values() for day, _ in points)
    last_day = max(day for points in rows.values() for day, _ in points)
    days = (last_day - first_day).days + 1
    x = calendar.features(first_day, days)
    states = [_state(name, points, first_day, days) for name, points in sorted(rows.items())]
    for t in range(days):
        _decide_day(states, x, t, first_day + dt.timedelta(days=t), config)
    for state in states:
        if state.open is not None:
            state.open.detection.end = first_day + dt.timedelta(days=state.open.days[-1])
        if state.shift is not None:
            state.shift.end = last_day
    detections = [d for state in states for d in state.detections]
    for detection in detections:
        parts = (breakdowns or {}).get(detection.series)
        if parts:
            detection.contributors = _contributors(detection, parts, first_day)
        detection.explanation = _explain(detection)
    return sorted(detections, key=lambda d: (d.series, d.start, d.kind))


def _decide_day(
    states: list[_State], x: FloatArray, t: int, today: dt.date, config: Config
) -> None:
    """Score day t of every series, then decide for all of them together (BH across the
    series of the day), then feed the CUSUMs with the days that opened nothing."""
    candidates: list[tuple[_State, float, float, Direction, float]] = []
    for state in states:
        if t <= state.first or math.isnan(state.y[t]):
            continue
        if state.refit or (today.weekday() == 0 and t > state.first + 1):
            _fit(state, x, t, config)
            state.refit = False
        scored = _score(state, x, t, config)
        if scored is None:
            continue
        mu, p_up, p_down, z = scored
        state.mu[t] = mu
        state.zs[t] = z
        if state.open is not None:
            _continue_event(state, t, today, mu, z, config)
        elif t - state.first >= config.warm_up_days:
            candidates.append((state, *_burst(state, t, p_up, p_down, config)))
    rejected = benjamini_hochberg([c[1] for c in candidates], config.q)
    for (state, p, z, direction, excess), discovery in zip(candidates, rejected, strict=True):
        young = t - state.first < config.young_days
        floor = min(config.young_floor, config.p_floor) if young else config.p_floor
        if discovery and p <= floor and excess >= config.min_excess:
            _open_event(state, t, today, float(state.mu[t]), p, z, direction, config)
        else:
            _cusum(state, t, today, float(state.zs[t]), config)


def _burst(
    state: _State, t: int, p_up: float, p_down: float, config: Config
) -> tuple[float, float, Direction, float]:
    """The day's evidence, (p-value, z, direction, excess): today alone, or today with the
    ordinary days just before it (a burst of 2 to `burst_days` days, their residuals
    summed), whichever is stronger; Bonferroni over the windows tried."""
    z_today = float(state.zs[t])
    up = p_up <= p_down
    p_best = p_up if up else p_down
    best: tuple[float, Direction, float] = (
        z_today,
        "up" if up else "down",
        abs(float(state.y[t] - state.mu[t])),
    )
    if config.burst_days < 2:
        return p_best, *best
    total, excess = z_today, float(state.y[t] - state.mu[t])
    for count, d in enumerate(range(t - 1, t - config.burst_days, -1), start=2):
        if d <= max(state.first, state.fresh - 1) or not state.usable[d] or math.isnan(state.zs[d]):
            break
        total += float(state.zs[d])
        excess += float(state.y[d] - state.mu[d])
        z = total / math.sqrt(count)
        p = _NORMAL.cdf(-abs(z))
        if p < p_best and z * z_today > 0:
            p_best = p
            best = (z, "up" if z > 0 else "down", abs(excess))
    return min(1.0, p_best * config.burst_days), *best


def _state(name: str, points: list[tuple[dt.date, int]], first_day: dt.date, days: int) -> _State:
    y = np.full(days, np.nan)
    for day, count in points:
        y[(day - first_day).days] = float(count)
    observed = ~np.isnan(y)
    first = int(np.argmax(observed))
    return _State(
        name=name,
        y=y,
        usable=observed.copy(),
        mu=np.full(days, np.nan),
        zs=np.full(days, np.nan),
        var=np.full(days, np.nan),
        level=np.full(days, np.nan),
        origin=first_day,
        first=first,
    )


def _fit(state: _State, x: FloatArray, t: int, config: Config) -> None:
    lo = max(state.first, t - config.window_days)
    idx = np.nonzero(state.usable[lo:t])[0] + lo
    if len(idx) < 14:
        state.model = None
        return
    columns = list(range(calendar.HOLIDAY))
    for column in (calendar.HOLIDAY, calendar.CATCH_UP):
        if x[idx, column].sum() >= config.min_calendar_examples:
            columns.append(column)
    if len(idx) >= 28:
        columns.append(calendar.TREND)
    if t - lo >= config.yearly_after_days:
        columns.extend(calendar.YEARLY)
    steps = [s for s in state.steps if lo < s < t and (idx >= s).sum() >= 1]
    design = _design(x, idx, columns, steps)
    y = state.y[idx]
    weights = 0.5 ** ((t - idx) / config.half_life_days)
    p = design.shape[1]
    penalty = np.eye(p)
    penalty[0, 0] = 0.0
    beta = np.zeros(p)
    beta[0] = math.log(float(np.average(y, weights=weights)) + 0.5)
    alpha = 0.05
    cov: FloatArray = np.eye(p)
    for _ in range(6):
        eta = np.clip(design @ beta, -20.0, 20.0)
        mu = np.exp(eta)
        w = weights * mu / (1.0 + alpha * mu)
        info = design.T @ (design * w[:, None]) + penalty
        work = eta + (y - mu) / mu
        try:
            cov = np.asarray(np.linalg.inv(info), dtype=np.float64)
        except np.linalg.LinAlgError:
            cov = np.asarray(np.linalg.pinv(info), dtype=np.float64)
        beta = cov @ (design.T @ (w * work))
        eta = np.clip(design @ beta, -20.0, 20.0)
        mu = np.exp(eta)
        sd = np.sqrt(mu + alpha * mu * mu)
        resid = np.clip(y - mu, -4 * sd, 4 * sd)
        moment = float(np.sum(weights * (resid * resid - mu) / (mu * mu)) / np.sum(weights))
        alpha = min(1.0, max(0.0, moment * len(idx) / max(1, len(idx) - p)))
    state.model = _Model(columns=columns, steps=steps, beta=beta, cov=cov, alpha=alpha)


def _design(
    x: FloatArray, idx: npt.NDArray[np.int64], columns: list[int], steps: list[int]
) -> FloatArray:
    base = x[np.ix_(idx, np.asarray(columns, dtype=np.int64))]
    if not steps:
        return base
    step_columns = np.stack([(idx >= s).astype(float) for s in steps], axis=1)
    return np.hstack([base, step_columns])


def _score(
    state: _State, x: FloatArray, t: int, config: Config
) -> tuple[float, float, float, float] | None:
    model = state.model
    if model is None:
        return None
    if x[t, calendar.HOLIDAY] and calendar.HOLIDAY not in model.columns:
        return None
    if x[t, calendar.CATCH_UP] and calendar.CATCH_UP not in model.columns:
        return None
    row = _design(x, np.array([t]), model.columns, model.steps)[0]
    eta = float(np.clip(row @ model.beta, -20.0, 20.0))
    level, level_variance = _local_level(state, x, t, config)
    mu = math.exp(eta) * level
    uncertainty = float(row @ model.cov @ row) + level_variance
    variance = mu + model.alpha * mu * mu + mu * mu * uncertainty
    # Residuals spread wider than the model says (a misfit the baseline cannot see) widen
    # the variance: the series calibrates itself on its own recent ordinary days.
    inflation = max(1.0, state.z2) if state.z2_days >= 28 else 1.0
    variance = variance * inflation
    observed = float(state.y[t])
    p_up, p_down = _tails(observed, mu, variance)
    small = mu < 20.0
    z = _transform_z(observed, mu, variance) if small else _gamma_z(observed, mu, variance)
    state.var[t] = variance
    state.level[t] = level
    return mu, p_up, p_down, z


def _local_level(state: _State, x: FloatArray, t: int, config: Config) -> tuple[float, float]:
    """Ratio of observed to fitted counts over the recent usable days (exponentially
    weighted), and the variance of its logarithm: the baseline's level follows slow
    drifts between refits and before a year of history exists."""
    model = state.model
    assert model is not None
    lo = max(state.first, t - int(5 * config.local_half_life_days))
    idx = np.nonzero(state.usable[lo:t])[0] + lo
    if len(idx) < 7:
        return 1.0, 0.0
    design = _design(x, idx, model.columns, model.steps)
    fitted = np.exp(np.clip(design @ model.beta, -20.0, 20.0))
    weights = 0.5 ** ((t - idx) / config.local_half_life_days)
    y = state.y[idx]
    expected = float(np.sum(weights * fitted))
    if expected <= 0:
        return 1.0, 0.0
    ratio = (float(np.sum(weights * y)) + 0.5) / (expected + 0.5)
    variance = float(np.sum(weights**2 * (fitted + model.alpha * fitted**2))) / expected**2
    return ratio, variance


def _transform_z(observed: float, mu: float, variance: float) -> float:
    """Residual on the 2/3-power scale (Farrington): near normal for counts."""
    mu = max(mu, 1e-6)
    scale = (2.0 / 3.0) * mu ** (-1.0 / 3.0) * math.sqrt(variance)
    return float((observed ** (2.0 / 3.0) - mu ** (2.0 / 3.0)) / scale)


def _tails(observed: float, mu: float, variance: float) -> tuple[float, float]:
    """P(Y >= observed) and P(Y <= observed) for a negative binomial of this mean and
    variance; exact for small means, on the 2/3-power scale otherwise."""
    if mu < 20.0 and observed < 200:
        extra = max((variance - mu) / (mu * mu), 1e-9)
        size = 1.0 / extra
        p = size / (size + mu)
        pmf = p**size
        below = 0.0  # P(Y < observed)
        k = 0
        target = int(observed)
        while k < target:
            below += pmf
            pmf *= (k + size) / (k + 1) * (1 - p)
            k += 1
        at = pmf
        return max(0.0, min(1.0, 1.0 - below)), min(1.0, below + at)
    # Larger means: a gamma of the same mean and variance, by Wilson-Hilferty (keeps the
    # right skew of over-dispersed counts), with a continuity correction.
    return 1.0 - _NORMAL.cdf(_gamma_z(observed - 0.5, mu, variance)), _NORMAL.cdf(
        _gamma_z(observed + 0.5, mu, variance)
    )


def _gamma_z(value: float, mu: float, variance: float) -> float:
    shape = mu * mu / variance
    spread = 1.0 / (9.0 * shape)
    cube_root = float((max(value, 0.0) / mu) ** (1.0 / 3.0))
    return (cube_root - (1.0 - spread)) / math.sqrt(spread)


def _open_event(
    state: _State,
    t: int,
    today: dt.date,
    mu: float,
    p: float,
    z: float,
    direction: Direction,
    config: Config,
) -> None:
    observed = float(state.y[t])
    previous = state.detections[-1] if state.detections else None
    if (
        previous is not None
        and previous.kind != "level_shift"
        and previous.direction == direction
        and (today - previous.end).days <= 3
    ):
        # The same event after a one-day lull: extend it rather than alarm twice.
        start = (previous.start - (today - dt.timedelta(days=t))).days
        state.open = _Event(detection=previous, start=start, days=[t])
        previous.end = today
        previous.expected += mu
        previous.observed += observed
        state.usable[t] = False
        return
    sign = 1.0 if direction == "up" else -1.0
    days = _onset_days(state, t, sign, config)
    shift = state.shift
    if (
        shift is not None
        and shift.direction == direction
        and (today - shift.start).days <= config.reversal_days
    ):
        # The same way soon after a level shift: the step, measured on the shift's first
        # days, fell short of where the level settles. As for a sustained run
        # (`_to_level_shift`), it is re-measured, and nothing is reported.
        state.steps.append(days[0])
        state.refit = True
        state.fresh = t + 1
        _cusum_reset(state)
        return
    detection = Detection(
        series=state.name,
        kind="spike" if direction == "up" else "drop",
        direction=direction,
        start=today,
        end=today,
        alarm=today,
        expected=mu,
        observed=observed,
        p_value=p,
        z=z,
    )
    for day in days[:-1]:
        # The change began before today: the days since its likeliest onset join it.
        detection.expected += float(state.mu[day])
        detection.observed += float(state.y[day])
    detection.start -= dt.timedelta(days=t - days[0])
    state.detections.append(detection)
    state.open = _Event(detection=detection, start=days[0], days=days)
    for day in days:
        state.usable[day] = False


def _continue_event(
    state: _State, t: int, today: dt.date, mu: float, z: float, config: Config
) -> None:
    event = state.open
    assert event is not None
    detection = event.detection
    sign = 1.0 if detection.direction == "up" else -1.0
    going = sign * z > config.continue_z
    if not going and detection not in state.detections:
        # A CUSUM run (not yet reported) goes on while its days stay unusual on average.
        values = [sign * float(state.zs[d]) for d in [*event.days, *event.lull, t]]
        going = sum(values) / len(values) > config.cusum_k * 2
    state.usable[t] = False
    if not going:
        # One quiet day does not end an event; two do. A day too small to show a drop (a
        # weekend that expects a handful) says nothing either way.
        event.lull.append(t)
        if detection.direction == "up" or mu >= config.min_drop_mean:
            event.quiet += 1
        if event.quiet >= 2:
            for day in event.lull:
                state.usable[day] = True
            if detection not in state.detections:  # a tentative CUSUM run that faded
                for day in event.days:
                    state.usable[day] = True
            state.open = None
            _cusum_reset(state)
        return
    for day in event.lull:
        event.days.append(day)
        detection.expected += float(state.mu[day])
        detection.observed += float(state.y[day])
    event.lull = []
    event.quiet = 0
    event.days.append(t)
    detection.end = today
    detection.expected += mu
    detection.observed += float(state.y[t])
    if t - event.start + 1 >= config.level_shift_days:
        _to_level_shift(state, t, config)


def _to_level_shift(state: _State, t: int, config: Config) -> None:
    """Sustained: a level shift from the event's first day. Re-baseline with a step.

    A change against the previous level shift within `reversal_days` of its start is that
    shift ending (the level went back, or the step was misjudged): the earlier detection
    ends, and nothing new is reported as a level shift."""
    event = state.open
    assert event is not None
    detection = event.detection
    if detection not in state.detections:
        _reestimate_onset(state, event, t, config)
    for day in range(event.start, t + 1):
        state.usable[day] = not math.isnan(state.y[day])
    state.open = None
    state.fresh = t + 1
    previous = state.shift
    if previous is not None and (detection.start - previous.start).days <= config.reversal_days:
        if previous.direction != detection.direction:
            previous.end = detection.start - dt.timedelta(days=1)
            state.shift = None
        # Either way the step was misjudged, not a new change: re-baseline, report nothing.
        state.steps.append(event.start)
        state.refit = True
        _cusum_reset(state)
        return
    if detection not in state.detections:  # confirmed today
        detection.alarm = state.origin + dt.timedelta(days=t)
        state.detections.append(detection)
    length = len(event.days)
    detection.measured_days = length
    detection.kind = "level_shift"
    detection.expected /= length
    detection.observed /= length
    _new_shift(state, detection, event.start)


def _reestimate_onset(state: _State, event: _Event, t: int, config: Config) -> None:
    """A tentative run confirmed as a level shift today, not yet reported: its start is
    estimated again from all its days and the ordinary days before them (`_step_onset`),
    since a run opened by chance can be carried into a level shift by a change that came
    later, and the CUSUM's own start is read off residuals, not counts. It may move
    earlier or later: it is reported for the first time today, from days up to today."""
    detection = event.detection
    sign = 1.0 if detection.direction == "up" else -1.0
    lo = event.start
    while (
        lo - 1 > max(state.first, state.fresh - 1)
        and event.start - lo < config.onset_window
        and state.usable[lo - 1]
    ):
        lo -= 1
    days = [d for d in range(lo, t + 1) if not (math.isnan(state.zs[d]) or math.isnan(state.y[d]))]
    start = _step_onset(state, days, sign, config)
    span = [d for d in days if d >= start]
    event.start = start
    event.days = span
    event.lull = []
    detection.start = state.origin + dt.timedelta(days=start)
    detection.expected = float(np.sum(state.mu[span]))
    detection.observed = float(np.sum(state.y[span]))


def _step_data(state: _State, days: list[int]) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The counts of `days`, their expected counts and each day's negative binomial size
    (the dispersion of its own prediction), the expected counts taken back to the local
    level of the first day: the local level of later days has already followed part of a
    change, which would blur its step."""
    y = state.y[days]
    mu = np.maximum(state.mu[days], 1e-6)
    extra = np.maximum(state.var[days] - mu, 1e-9 * mu)
    size = np.minimum(mu * mu / extra, 1e8)
    return y, mu * state.level[days[0]] / state.level[days], size


def _step_gain(
    y: FloatArray, mu: FloatArray, size: FloatArray, ratio: FloatArray | float
) -> FloatArray:
    """Each day's log-likelihood ratio (negative binomial, size `size`) of counts `y` around
    `mu` times `ratio` against around `mu` (arrays broadcast: one row per ratio)."""
    gain: FloatArray = y * np.log(ratio) - (y + size) * (
        np.log(mu * ratio + size) - np.log(mu + size)
    )
    return gain


def _step_onset(
    state: _State,
    days: list[int],
    sign: float,
    config: Config,
    *,
    candidates: set[int] | None = None,
) -> int:
    """The first day of a step in the counts of `days` (the last one today), by maximum
    likelihood: for each start s, the counts from s on are negative binomial around the
    expected counts times one ratio (its maximum-likelihood value), the days before around
    the expected counts; each day keeps the size (dispersion) of its own prediction. Only
    starts whose ratio goes the change's way count, and only `candidates` when given (a
    spike or drop just found: today and the days before it that were themselves unusual,
    `_onset_days`). As for sustained runs in
    `_likeliest_onset`, a start one day late is still right and one day early is not: the
    day reported is the one whose weight with the day before's is largest."""
    y, mu, size = _step_data(state, days)
    weights: dict[int, float] = {}
    # The prior on the first day is per expected request, not per calendar day: a weekend
    # or holiday that carries a fifth of a weekday's requests is a fifth as likely to be
    # where the change began, and is not preferred only for being earlier.
    share = np.log(mu / float(np.mean(mu))) if config.onset_by_volume else np.zeros(len(days))
    tail_y = tail_mu = 0.0
    for i in range(len(days) - 1, -1, -1):
        tail_y += float(y[i])
        tail_mu += float(mu[i])
        ratio = (tail_y + 0.5) / (tail_mu + 0.5)
        if sign * (ratio - 1.0) <= 0 or (candidates is not None and days[i] not in candidates):
            continue
        gain = _step_gain(y[i:], mu[i:], size[i:], ratio)
        weights[days[i]] = (
            float(np.sum(gain)) - (days[-1] - days[i]) / config.onset_age_days + float(share[i])
        )
    if not weights:
        return days[-1]
    top = max(weights.values())
    mass = {day: math.exp(w - top) for day, w in weights.items()}
    pairs = {day: m + mass.get(day - 1, 0.0) for day, m in mass.items()}
    most = max(pairs.values())
    near = [day for day, pair in pairs.items() if pair >= 0.95 * most]
    return max(near, key=lambda day: (mass[day], day))


def _new_shift(state: _State, detection: Detection, start: int) -> None:
    """Record a level shift: the previous one (if any) ends the day before; the baseline
    gets a step at `start` and is refitted before the next day."""
    previous = state.shift
    if previous is not None and previous is not detection and previous.end >= detection.start:
        previous.end = detection.start - dt.timedelta(days=1)
    state.shift = detection
    state.steps.append(start)
    state.refit = True
    _cusum_reset(state)


def _cusum_reset(state: _State) -> None:
    state.cusum_hi = state.cusum_lo = 0.0
    state.since = -1
    state.z.clear()


def _cusum(state: _State, t: int, today: dt.date, z: float, config: Config) -> None:
    z = max(-4.0, min(4.0, z))
    _calibrate(state, t, z, config)
    if state.since < 0:
        state.since = t
    state.z[t] = z
    state.cusum_hi = max(0.0, state.cusum_hi + z - config.cusum_k)
    state.cusum_lo = max(0.0, state.cusum_lo - z - config.cusum_k)
    if state.cusum_hi == 0.0 and state.cusum_lo == 0.0:
        _cusum_reset(state)
        return
    direction: Direction
    if state.cusum_hi > config.cusum_h or state.cusum_lo > config.cusum_h:
        direction = "up" if state.cusum_hi > config.cusum_h else "down"
        start = _change_point(state, direction, config)
    else:
        found = (
            _sustained(state, t, config)
            if max(state.cusum_hi, state.cusum_lo) >= config.glr_gate
            else None
        )
        if found is None:
            return
        direction, start = found
    span = [
        d for d in range(start, t + 1) if not math.isnan(state.y[d]) and not math.isnan(state.mu[d])
    ]
    expected = float(np.sum(state.mu[span]))
    observed = float(np.sum(state.y[span]))
    if abs(observed - expected) < config.min_shift * max(expected, 1.0):
        # Too small a change for anyone to act on: a drift the baseline will absorb.
        _cusum_reset(state)
        return
    z_mean = float(np.sum([state.z.get(d, 0.0) for d in span]) / math.sqrt(len(span)))
    detection = Detection(
        series=state.name,
        kind="spike" if direction == "up" else "drop",
        direction=direction,
        start=today - dt.timedelta(days=t - start),
        end=today,
        alarm=today,
        expected=expected,
        observed=observed,
        p_value=_NORMAL.cdf(-abs(z_mean)),
        z=z_mean,
    )
    # A sustained change opens an event like a spike or drop from its change point; it
    # becomes a level shift if it lasts (`_continue_event`). Within `merge_days` of a spike
    # or drop the same way, it is that event going on: its first days were found as a
    # spike (or drop), the level stayed, and the shift keeps the spike's start (a reported
    # start never moves) with the days between; reported as a second change it would date
    # the same shift twice, both late.
    previous = state.detections[-1] if state.detections else None
    if (
        previous is not None
        and previous.kind != "level_shift"
        and previous.direction == direction
        and (detection.start - previous.end).days <= config.merge_days
    ):
        first = t - (today - previous.start).days
        start = first
        span = [
            d
            for d in range(first, t + 1)
            if not math.isnan(state.y[d]) and not math.isnan(state.mu[d])
        ]
        previous.end = today
        previous.expected = float(np.sum(state.mu[span]))
        previous.observed = float(np.sum(state.y[span]))
        state.open = _Event(detection=previous, start=first, days=span)
    else:
        # Reported only if it lasts into a level shift: a short CUSUM run is not an event.
        state.open = _Event(detection=detection, start=start, days=span)
    for day in span:
        state.usable[day] = False
    _cusum_reset(state)
    if t - start + 1 >= config.level_shift_days:
        _to_level_shift(state, t, config)


def _sustained(state: _State, t: int, config: Config) -> tuple[Direction, int] | None:
    """A sustained step the CUSUM cannot see: a generalized likelihood ratio (GLR) against
    the baseline as it stood before the run, or None.

    The CUSUM reads residuals against a baseline that follows the counts (the local level,
    half-life two weeks, and the weekly refit): a shift of 2-3 sd is half absorbed within
    two weeks and its CUSUM can stall below the threshold for good (small series, whose
    local level moves with each count, most of all). Here the counts of the current CUSUM
    run and the week before it (at most `glr_window` days, back to the last
    re-baselining, ordinary days only) are scored against their expected counts taken back
    to the local level of the window's first day (as `_step_onset` does), negative binomial
    with each day's own dispersion; for each start at least `level_shift_days` before
    today, the log-likelihood ratio of one step (its maximum-likelihood ratio) against
    none. The best start alarms when its ratio reaches `glr_h` and the step is at least
    `glr_min_change` (a smaller change over a few weeks is what seasons and slow drifts
    do). Only once the baseline has its yearly terms: before, the local level is what
    carries the season, and a frozen one drifts off it."""
    model = state.model
    if model is None or calendar.YEARLY[0] not in model.columns:
        return None
    lo = max(state.first + 1, state.fresh, state.since - 7, t - config.glr_window + 1)
    days = [
        d
        for d in range(lo, t + 1)
        if state.usable[d]
        and not (math.isnan(state.y[d]) or math.isnan(state.mu[d]) or math.isnan(state.level[d]))
    ]
    if len(days) < config.level_shift_days:
        return None
    # Starts that leave at least `level_shift_days` to today: shorter runs are the spike
    # test's.
    last = int(np.searchsorted(np.asarray(days), t - config.level_shift_days + 1, side="right"))
    if last < 1:
        return None
    y, mu, size = _step_data(state, days)
    ratio = (np.cumsum(y[::-1])[::-1][:last] + 0.5) / (np.cumsum(mu[::-1])[::-1][:last] + 0.5)
    gain = _step_gain(y[None, :], mu[None, :], size[None, :], ratio[:, None])
    after = np.arange(len(days))[None, :] >= np.arange(last)[:, None]
    total = np.where(after, gain, 0.0).sum(axis=1)
    total = np.where(np.abs(ratio - 1.0) >= config.glr_min_change, total, -np.inf)
    best = int(np.argmax(total))
    if total[best] < config.glr_h:
        return None
    return ("up" if ratio[best] > 1.0 else "down"), days[best]


def _calibrate(state: _State, t: int, z: float, config: Config) -> None:
    """Track the spread of the residuals of ordinary days (two weeks late, so that days
    later found inside an event are left out)."""
    raw = z * math.sqrt(max(1.0, state.z2)) if state.z2_days >= 28 else z
    state.pending.append((t, min(16.0, raw * raw)))
    weight = 1.0 / config.calibration_days
    while state.pending and state.pending[0][0] <= t - 14:
        day, square = state.pending.pop(0)
        if state.usable[day]:
            state.z2 = (1 - weight) * state.z2 + weight * square
            state.z2_days += 1


def _change_point(state: _State, direction: Direction, config: Config) -> int:
    sign = 1.0 if direction == "up" else -1.0
    days = sorted(state.z)
    return _likeliest_onset(days, [sign * state.z[d] for d in days], config)


def _onset_days(state: _State, t: int, sign: float, config: Config) -> list[int]:
    """The days of a change found on day t, from its likeliest onset: the ordinary days
    just before it (back to the last event, at most `onset_window` days) that were
    themselves beyond `lookback_z` may be its start. The start is the step of the counts
    (`_step_onset`: the days before it around their expected counts, the days from it on
    around one ratio of them), reported as for a confirmed run: the day whose weight with
    the day before's is largest. A level shift is often found as a spike or drop on its
    second or third day (its first days looked ordinary, or a day after it was low by
    chance), and this start is the one it keeps (a reported start never moves)."""
    days: list[int] = []
    d = t - 1
    while d > state.first and d >= state.fresh and t - d <= config.onset_window and state.usable[d]:
        if not math.isnan(state.zs[d]):
            days.append(d)
        d -= 1
    days.reverse()
    candidates = {d for d in days if sign * float(state.zs[d]) >= config.lookback_z} | {t}
    days.append(t)
    start = _step_onset(state, days, sign, config, candidates=candidates)
    return [d for d in days if d >= start]


def _likeliest_onset(days: list[int], values: list[float], config: Config) -> int:
    """The reported first day of a CUSUM run's change, from its standardized residuals
    (signed in the change's direction, the last one today).

    Each candidate start s has the weight of a step in the mean from s on (today, and the
    days at least `onset_z` unusual): the marginal
    likelihood of the n residuals from s (summing to S > 0) under a step of unknown size,
    normal with sd `onset_step_sd` (a long mild run is not preferred over a short strong
    one for its length alone); the prior on s falls off with its age (mean
    `onset_age_days`): what alarms today most likely changed lately, and a long run
    gathers chance residuals before the change (drift, a lucky week).
    For a sustained run, where the data rarely pin the day down, one day late is
    still the right start to a reader ("the first day or the next") and one day early is
    not: the day reported is the one whose weight, with the day before's, is largest,
    and among days as good as that (within 5%) the likeliest one."""
    weights: dict[int, float] = {}
    prior = config.onset_step_sd**2
    total = 0.0
    for count, (day, value) in enumerate(zip(reversed(days), reversed(values), strict=True), 1):
        total += value
        if total > 0 and (value >= config.onset_z or day == days[-1]):
            spread = 1.0 + count * prior
            weights[day] = (
                total * total * prior / (2.0 * spread)
                - 0.5 * math.log(spread)
                - (days[-1] - day) / config.onset_age_days
            )
    if not weights:
        return days[-1]
    top = max(weights.values())
    mass = {day: math.exp(w - top) for day, w in weights.items()}
    pairs = {day: m + mass.get(day - 1, 0.0) for day, m in mass.items()}
    most = max(pairs.values())
    # Among the days whose pair is as good (within 5%), the likeliest day itself, the
    # latest on a tie: a clear change is reported on its own first day.
    near = [day for day, pair in pairs.items() if pair >= 0.95 * most]
    return max(near, key=lambda day: (mass[day], day))


def _contributors(
    detection: Detection, parts: Mapping[str, Series], first_day: dt.date
) -> list[tuple[str, float]]:
    """Each part's excess over its own usual share, during the event; the parts that
    account for most of the detection's excess, largest first."""
    window_start = detection.start - dt.timedelta(days=28)
    totals: dict[str, tuple[float, float]] = {}
    for name, points in parts.items():
        before = float(sum(c for d, c in points if window_start <= d < detection.start))
        during = float(sum(c for d, c in points if detection.start <= d <= detection.end))
        totals[name] = (before, during)
    all_before = sum(b for b, _ in totals.values())
    length = (detection.end - detection.start).days + 1
    expected_total = detection.expected * (length if detection.kind == "level_shift" else 1)
    sign = 1.0 if detection.direction == "up" else -1.0
    excess: list[tuple[str, float]] = []
    for name, (before, during) in totals.items():
        share = before / all_before if all_before else 1.0 / len(totals)
        excess.append((name, during - share * expected_total))
    excess.sort(key=lambda item: -sign * item[1])
    total_excess = sum(e for _, e in excess if sign * e > 0)
    chosen: list[tuple[str, float]] = []
    running = 0.0
    for name, value in excess:
        if sign * value <= 0 or (chosen and running >= 0.8 * total_excess):
            break
        chosen.append((name, value))
        running += value
    return chosen[:3]


def _explain(detection: Detection) -> str:
    length = (detection.end - detection.start).days + 1
    start, end = detection.start.isoformat(), detection.end.isoformat()
    since = f"from {start} to {end} ({length} days)" if length > 1 else f"on {start}"
    change = detection.observed / detection.expected - 1 if detection.expected > 0 else 0.0
    if detection.kind == "level_shift":
        text = (
            f"{detection.series}: level {detection.direction} {abs(change):.0%} {since}: "
            f"{detection.observed:.1f} a day on average over its first "
            f"{detection.measured_days} days against {detection.expected:.1f} expected from "
            "the earlier baseline"
        )
    else:
        up = detection.direction == "up"
        text = (
            f"{detection.series}: {detection.observed:.0f} "
            f"{'received' if length == 1 else 'in total'} {since}, "
            f"{abs(detection.observed - detection.expected):.0f} {'more' if up else 'fewer'} "
            f"than the {detection.expected:.1f} expected "
            f"({abs(change):.0%} {'above' if up else 'below'})"
        )
    text += (
        f"; this unusual by chance with probability p = {detection.p_value:.2g} "
        f"(z = {detection.z:.1f}), after allowing for weekday, holidays, season and trend"
    )
    if detection.contributors:
        parts = ", ".join(f"{name} ({value:+.0f})" for name, value in detection.contributors)
        text += f". Most of the change is in: {parts}"
    return text + "."
