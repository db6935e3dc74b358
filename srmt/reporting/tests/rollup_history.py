"""A small rollup history for the detection and dashboard tests: DailyRollup rows written
directly (the rollup job is not under test here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from srmt.offices.models import Office
from srmt.reporting.models import DailyRollup
from srmt.service_requests.models import ServiceRequestType

START = dt.date(2026, 1, 5)  # a Monday
DAYS = 150
EVENT = dt.date(2026, 5, 20)  # a Wednesday, day 135, no holiday near
PROFILE = [1.2, 1.1, 1.0, 1.0, 0.9, 0.3, 0.2]
# (office, channel, weekday mean)
CELLS = [
    ("NSC", "phone_tier1", 30.0),
    ("NSC", "online", 20.0),
    ("ESC", "phone_tier1", 30.0),
    ("ESC", "online", 20.0),
]

Change = Callable[[dt.date, str, str, float], float]


def no_change(day: dt.date, office: str, channel: str, mean: float) -> float:
    return mean


def spike_online_at_nsc(day: dt.date, office: str, channel: str, mean: float) -> float:
    return mean + 120 if (day, office, channel) == (EVENT, "NSC", "online") else mean


def write_history(change: Change = no_change, *, seed: int = 11, days: int = DAYS) -> None:
    rng = np.random.default_rng(seed)
    offices = {o.code: o for o in Office.objects.filter(code__in={c[0] for c in CELLS})}
    kind = ServiceRequestType.objects.get(code="general_case_inquiry")
    rows = []
    for i in range(days):
        day = START + dt.timedelta(days=i)
        for office, channel, level in CELLS:
            mean = change(day, office, channel, level * PROFILE[day.weekday()])
            size = 200.0
            opened = int(rng.negative_binomial(size, size / (size + mean)))
            rows.append(
                DailyRollup(
                    day=day,
                    office=offices[office],
                    form="I-485",
                    type=kind,
                    channel=channel,
                    language="en",
                    opened=opened,
                    closed=opened // 2,
                    open_delta=opened - opened // 2,
                )
            )
    DailyRollup.objects.bulk_create(rows)
