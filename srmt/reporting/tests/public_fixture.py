"""A small, hand-computed world of rollup rows for the public release tests (ADR 0049).

Data starts on Wednesday 2026-10-21 (that week is incomplete, left out); the refresh ran on
Wednesday 2026-11-18, so the published period is the complete weeks from Monday 2026-10-26
to Sunday 2026-11-15: week 2026-10-26 (month 2026-10), weeks 2026-11-02 and 2026-11-09
(month 2026-11). ESC-VAWA is a confidential unit of ESC: counted in ESC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from srmt.offices.models import Office
from srmt.reporting.models import DailyRollup, DurationBucket, RollupState
from srmt.service_requests.models import ServiceRequestType

REFRESHED_AT = dt.datetime(2026, 11, 18, 6, 0, tzinfo=dt.UTC)
PERIOD = (dt.date(2026, 10, 26), dt.date(2026, 11, 15))


def rollup(
    day: dt.date, office: str, form: str, type_code: str, channel: str, **counts: int
) -> None:
    DailyRollup.objects.create(
        day=day,
        office=Office.objects.get(code=office),
        form=form,
        type=ServiceRequestType.objects.get(code=type_code),
        channel=channel,
        language="en",
        **counts,
    )


def bucket(
    day: dt.date,
    office: str,
    form: str,
    type_code: str,
    channel: str,
    measure: str,
    days: int,
    count: int,
) -> None:
    DurationBucket.objects.create(
        day=day,
        office=Office.objects.get(code=office),
        form=form,
        type=ServiceRequestType.objects.get(code=type_code),
        channel=channel,
        language="en",
        measure=measure,
        days=days,
        count=count,
    )


def refreshed(**fields: Any) -> RollupState:
    return RollupState.objects.create(name="daily", refreshed_at=REFRESHED_AT, **fields)


def small_world() -> None:
    typo, expedite = "typographic_error", "expedite_request"
    # before the first complete week: only the open requests count it
    rollup(dt.date(2026, 10, 21), "NSC", "I-485", typo, "phone_tier1", opened=100, open_delta=100)
    rollup(
        dt.date(2026, 10, 27),
        "NSC",
        "I-485",
        typo,
        "phone_tier1",
        opened=40,
        closed=20,
        open_delta=20,
        escalated=12,
        repeats=15,
        surveys_answered=20,
        surveys_satisfied=15,
        rating_total=80,
    )
    rollup(
        dt.date(2026, 11, 3), "ESC", "I-130", expedite, "online", opened=30, closed=25, open_delta=5
    )
    rollup(dt.date(2026, 11, 10), "ESC-VAWA", "I-130", expedite, "online", opened=5, open_delta=5)
    # after the last complete week: not published
    rollup(dt.date(2026, 11, 16), "NSC", "I-485", typo, "phone_tier1", opened=999, open_delta=999)
    for days, count in ((3, 10), (20, 5)):
        bucket(dt.date(2026, 10, 27), "NSC", "I-485", typo, "phone_tier1", "final", days, count)
    bucket(dt.date(2026, 10, 28), "NSC", "I-485", typo, "phone_tier1", "first", 1, 5)
    refreshed()
