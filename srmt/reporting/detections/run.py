"""The daily detection run (ADR 0051): the opened-requests series of every level, read
from the rollups, through the product detector (ADR 0046), into `Detection` rows.

Two families, each one call of `detect` (so Benjamini–Hochberg runs across the series of a
family day by day):

- the aggregate: the national series and one per channel, always tested;
- the drill-down: office × type, form × type and office × form × type, every series with
  at least `SRMT_DETECTIONS_MIN_DAILY` opened requests a day on average over its last
  eight weeks; a series here is reported only when BH across all of them passes.

The detector is causal: appending days never moves an earlier alarm. Each run re-reads the
last `SRMT_DETECTIONS_HISTORY_DAYS` days and writes the detections whose event reaches the
last week: new ones are created, open ones get their new end, totals and kind (upsert on
series, start and direction). Older events are left as they were written.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from srmt.offices.models import Office
from srmt.reporting.detections import explain
from srmt.reporting.detections.series import (
    AGGREGATE_LEVELS,
    FINE_LEVELS,
    SeriesKey,
    read_level,
    rollup_span,
)
from srmt.reporting.models import Detection
from srmt.reporting.spikes import Config, detect
from srmt.reporting.spikes import Detection as Found
from srmt.service_requests.models import ServiceRequestType

RECENT_DAYS = 56  # the volume rule looks at the last eight weeks
WRITE_DAYS = 7  # events reaching the last week are written; older ones are left alone


@dataclass
class RunResult:
    last_day: dt.date | None = None  # the last (complete) day read
    series_tested: dict[str, int] = field(default_factory=dict)  # per level
    found: int = 0  # detections whose event reaches the last week
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "series_tested": dict(self.series_tested),
            "found": self.found,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "seconds": round(self.seconds, 3),
        }


def run_detections(today: dt.date | None = None, *, config: Config | None = None) -> RunResult:
    """Test the series of the days before `today` (default: today, UTC) and upsert the
    detections found. Idempotent: a second run on the same rollups changes nothing."""
    started = time.monotonic()
    today = today or timezone.now().date()
    result = RunResult()
    span = rollup_span()
    if span is None:
        result.seconds = time.monotonic() - started
        return result
    last = min(span[1], today - dt.timedelta(days=1))
    first = max(span[0], last - dt.timedelta(days=settings.SRMT_DETECTIONS_HISTORY_DAYS - 1))
    result.last_day = last
    if last < first:
        result.seconds = time.monotonic() - started
        return result
    found: list[tuple[SeriesKey, Found]] = []
    for family in (AGGREGATE_LEVELS, FINE_LEVELS):
        keys: dict[str, SeriesKey] = {}
        series = {}
        for level in family:
            history = read_level(
                level,
                first=first,
                last=last,
                min_recent_mean=settings.SRMT_DETECTIONS_MIN_DAILY,
                recent_days=RECENT_DAYS,
            )
            result.series_tested[level.value] = len(history.series)
            for key, points in history.series.items():
                keys[key.name] = key
                series[key.name] = points
        for detection in detect(series, config=config):
            if detection.end >= last - dt.timedelta(days=WRITE_DAYS - 1):
                found.append((keys[detection.series], detection))
    result.found = len(found)
    now = timezone.now()
    offices = {o.code: o for o in Office.objects.all()}
    types = {t.code: t for t in ServiceRequestType.objects.all()}
    for key, detection in found:
        outcome = _upsert(key, detection, last=last, now=now, offices=offices, types=types)
        setattr(result, outcome, getattr(result, outcome) + 1)
    result.seconds = time.monotonic() - started
    return result


def _totals(detection: Found) -> tuple[dt.date, float]:
    """The last day and expected total the breakdown compares: the whole event for a spike
    or drop, the measured first days for a level shift."""
    if detection.kind == "level_shift":
        days = max(1, detection.measured_days)
        end = min(detection.end, detection.start + dt.timedelta(days=days - 1))
        return end, detection.expected * days
    return detection.end, detection.expected


def _facts(key: SeriesKey, detection: Found, *, last: dt.date) -> explain.Facts:
    """What the explanation says of one detection, its breakdown and statuses read."""
    measure_end, expected_total = _totals(detection)
    return explain.Facts(
        key=key,
        kind=detection.kind,
        direction=detection.direction,
        start=detection.start,
        end=detection.end,
        ongoing=detection.end == last,
        observed=detection.observed,
        expected=detection.expected,
        measured_days=detection.measured_days,
        p_value=detection.p_value,
        contributors=explain.contributors(
            key,
            start=detection.start,
            end=measure_end,
            expected_total=expected_total,
            direction=detection.direction,
        ),
        statuses=explain.statuses(key, start=detection.start, end=detection.end),
    )


def _upsert(
    key: SeriesKey,
    detection: Found,
    *,
    last: dt.date,
    now: dt.datetime,
    offices: dict[str, Office],
    types: dict[str, ServiceRequestType],
) -> str:
    """Create or update the row of one detection; "created", "updated" or "unchanged"."""
    facts = _facts(key, detection, last=last)
    values: dict[str, object] = {
        "level": key.level.value,
        "office": offices.get(key.value("office")),
        "form": key.value("form"),
        "type": types.get(key.value("type")),
        "channel": key.value("channel"),
        "kind": detection.kind,
        "end": detection.end,
        "expected": round(detection.expected, 3),
        "observed": round(detection.observed),
        "p_value": float(f"{detection.p_value:.6g}"),
        "contributors": facts.contributors,
        "explanation_en": explain.explain(facts, "en"),
        "explanation_es": explain.explain(facts, "es"),
    }
    unique = {"series": key.name, "start": detection.start, "direction": detection.direction}
    try:
        return _write(unique, values, now=now)
    except IntegrityError:  # another run created the row a moment ago: update that one
        return _write(unique, values, now=now)


def _write(unique: dict[str, object], values: dict[str, object], *, now: dt.datetime) -> str:
    with transaction.atomic():
        row = Detection.objects.select_for_update().filter(**unique).first()
        if row is None:
            Detection.objects.create(**unique, **values, detected_at=now, updated_at=now)
            return "created"
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        if not changed:
            return "unchanged"
        for name in changed:
            setattr(row, name, values[name])
        row.updated_at = now
        row.save(update_fields=[*changed, "updated_at"])
        return "updated"
