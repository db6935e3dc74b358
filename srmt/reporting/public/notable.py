"""Notable changes for the public reports (issue 12 §4, ADR 0046 and 0049): the spike
detector's findings that can be published.

Only national and per-channel series (and per-type ones, should the detector store them)
are shown, only inside the published period (complete weeks), and only when both the
observed and the expected counts pass suppression (at least the threshold + 1). The public
sentence is built here from those two figures, the dates and the channel, not from the
stored explanation, which may name small counts (the contributors inside an excess).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from srmt.reporting.models import Detection, SeriesLevel

from .release import suppression_threshold
from .release_types import Release

PUBLIC_LEVELS = (SeriesLevel.NATIONAL.value, SeriesLevel.CHANNEL.value, "type")
LIMIT = 5


@dataclass(frozen=True)
class NotableChange:
    level: str
    channel: str
    type_code: str
    kind: str  # spike | drop | level_shift
    higher: bool
    start: dt.date
    end: dt.date
    observed: int
    expected: int


def notable_changes(release: Release, limit: int = LIMIT) -> list[NotableChange]:
    """The newest publishable detections of the release's period, newest first."""
    minimum = suppression_threshold() + 1
    rows = (
        Detection.objects.filter(
            level__in=PUBLIC_LEVELS,
            observed__gte=minimum,
            expected__gte=minimum,
            start__gte=release.period_start,
            end__lte=release.period_end,
        )
        .select_related("type")
        .order_by("-start", "series")[:limit]
    )
    return [
        NotableChange(
            level=row.level,
            channel=row.channel,
            type_code=row.type.code if row.type else "",
            kind=row.kind,
            higher=row.direction == "up",
            start=row.start,
            end=row.end,
            observed=row.observed,
            expected=round(row.expected),
        )
        for row in rows
    ]
