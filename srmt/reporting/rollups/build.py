"""Fill the daily rollups: `refresh` (incremental) and `rebuild` (full). ADR 0048.

`refresh` reads what is new in the event tables since the watermarks kept in the
`RollupState` row (the largest id rolled up of each, and the last survey answer time), turns
it into the UTC days it touches, and recomputes exactly those days from the base tables:
delete and insert per run of consecutive days, with the statements of `sql`. `rebuild`
recomputes every day with the same statements, one INSERT ... SELECT per table, no loop over
days. Both run in one transaction holding the state row locked (`select_for_update`), so two
refreshes at once serialize and the second finds nothing new.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from srmt.reporting.models import RollupState
from srmt.reporting.rollups import sql

STATE_NAME = "daily"
ANSWERED = "survey_answered_at"


@dataclass(frozen=True)
class RefreshResult:
    days: int  # UTC days recomputed
    rows: int  # DailyRollup and DurationBucket rows written
    seconds: float
    full: bool = False

    def summary(self) -> str:
        kind = "full rebuild" if self.full else "refresh"
        return (
            f"Rollup {kind}: {self.days} day(s) recomputed, {self.rows} row(s) written "
            f"in {self.seconds:.2f} s."
        )


def refresh(now: dt.datetime | None = None) -> RefreshResult:
    """Recompute the days touched by events recorded since the last refresh (the first
    refresh rebuilds everything)."""
    started = time.monotonic()
    with transaction.atomic():
        state = _lock()
        if not state.watermarks:
            return _rebuild(state, now, started)
        marks = _current_marks()
        days = touched_days(state.watermarks, marks)
        rows = 0
        for start, end in runs(days):
            rows += _recompute((_midnight(start), _midnight(end)))
        _save(state, marks, now)
    return RefreshResult(days=len(days), rows=rows, seconds=time.monotonic() - started)


def rebuild(now: dt.datetime | None = None) -> RefreshResult:
    """Recompute every day from the base tables."""
    started = time.monotonic()
    with transaction.atomic():
        return _rebuild(_lock(), now, started)


def _rebuild(state: RollupState, now: dt.datetime | None, started: float) -> RefreshResult:
    marks = _current_marks()  # read first: a row added meanwhile is seen again next time
    rows = _recompute(None)
    t = sql.tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT day FROM {t.rollup} UNION SELECT day FROM {t.bucket}) d"
        )
        days = int(cursor.fetchone()[0])
    _save(state, marks, now)
    return RefreshResult(days=days, rows=rows, seconds=time.monotonic() - started, full=True)


def _lock() -> RollupState:
    RollupState.objects.get_or_create(name=STATE_NAME)
    return RollupState.objects.select_for_update().get(name=STATE_NAME)


def _save(state: RollupState, marks: dict[str, Any], now: dt.datetime | None) -> None:
    state.watermarks = marks
    state.refreshed_at = now or timezone.now()
    state.save(update_fields=["watermarks", "refreshed_at"])


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _recompute(bounds: tuple[dt.datetime, dt.datetime] | None) -> int:
    """Delete the rows of the days in `bounds` (all days: None) and insert them again."""
    t = sql.tables()
    rows = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Compiling these wide aggregates costs more than it saves (measured: 20 s -> 16 s
            # for the full rebuild's main statement); for this transaction only.
            cursor.execute("SET LOCAL jit = off")
        for name in (t.rollup, t.bucket):
            if bounds is None:
                cursor.execute(f"DELETE FROM {name}")
            else:
                days = [connection.ops.adapt_datefield_value(m.date()) for m in bounds]
                cursor.execute(f"DELETE FROM {name} WHERE day >= %s AND day < %s", days)
        for statement, params in (
            sql.rollup_insert(connection, bounds),
            sql.bucket_insert(connection, bounds),
        ):
            cursor.execute(statement, params)
            rows += max(cursor.rowcount, 0)
    return rows


def runs(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days as [start, end) ranges: {1, 2, 3, 7} -> [(1, 4), (7, 8)]."""
    ranges: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if ranges and ranges[-1][1] == day:
            ranges[-1] = (ranges[-1][0], day + dt.timedelta(days=1))
        else:
            ranges.append((day, day + dt.timedelta(days=1)))
    return ranges


# --- Watermarks ---------------------------------------------------------------------------


def _current_marks() -> dict[str, Any]:
    t = sql.tables()
    marks: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for source in sql.sources(t):
            cursor.execute(f"SELECT MAX(id) FROM {source.table}")
            marks[source.key] = int(cursor.fetchone()[0] or 0)
        cursor.execute(f"SELECT MAX(answered_at) FROM {t.survey}")
        answered = _as_datetime(cursor.fetchone()[0])
    marks[ANSWERED] = answered.isoformat() if answered is not None else ""
    return marks


def _as_datetime(value: object) -> dt.datetime | None:
    """A timestamp as the driver returns it (a datetime; on SQLite's MAX(), text)."""
    if value is None or value == "":
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def touched_days(old: dict[str, Any], new: dict[str, Any]) -> set[dt.date]:
    """The UTC days whose rollups the rows added between two sets of watermarks change."""
    t = sql.tables()
    d = sql.dialect_of(connection)
    days: set[object] = set()
    with connection.cursor() as cursor:

        def read(statement: str, params: list[Any]) -> None:
            cursor.execute(statement, params)
            days.update(row[0] for row in cursor.fetchall())

        for source in sql.sources(t):
            low, high = int(old.get(source.key, 0)), int(new[source.key])
            if high <= low:
                continue
            for moment in source.moments:
                read(
                    f"SELECT DISTINCT {d.day(moment)} FROM {source.table} "
                    f"WHERE id > %s AND id <= %s AND {moment} IS NOT NULL",
                    [low, high],
                )
        low, high = int(old.get("response", 0)), int(new["response"])
        if high > low:  # the first response a new response made
            read(
                f"SELECT DISTINCT {d.day('s.first_responded_at')} FROM {t.response} r "
                f"JOIN {t.request} s ON s.id = r.service_request_id "
                "WHERE r.id > %s AND r.id <= %s AND s.first_responded_at IS NOT NULL",
                [low, high],
            )
        low, high = int(old.get("status_change", 0)), int(new["status_change"])
        if high > low:
            _moved_requests(read, t, d, low, high)
        since = _as_datetime(old.get(ANSWERED) or None)
        until = _as_datetime(new[ANSWERED] or None)
        if until is not None and (since is None or until > since):
            params = [connection.ops.adapt_datetimefield_value(until)]
            condition = "answered_at <= %s"
            if since is not None:
                condition += " AND answered_at > %s"
                params.append(connection.ops.adapt_datetimefield_value(since))
            read(
                f"SELECT DISTINCT {d.day('answered_at')} FROM {t.survey} WHERE {condition}",
                params,
            )
    return {_as_date(day) for day in days if day is not None}


def _moved_requests(read: Any, t: sql.Tables, d: sql.Dialect, low: int, high: int) -> None:
    """Days a new move can change besides its own: a move may re-place the request's later
    events at another office (a back-dated transfer), and may move its due dates (the
    on-time counts of its first response and closures)."""
    moved = (
        f"(SELECT service_request_id AS rid, MIN(created_at) AS since FROM {t.change} "
        "WHERE id > %s AND id <= %s GROUP BY service_request_id) g"
    )
    for source, request, moment in sql.later_events(t):
        read(
            f"SELECT DISTINCT {d.day(moment)} FROM {source} JOIN {moved} ON g.rid = {request} "
            f"WHERE {moment} >= g.since",
            [low, high],
        )
    read(
        f"SELECT DISTINCT {d.day('x.created_at')} FROM {t.change} x JOIN {moved} "
        "ON g.rid = x.service_request_id WHERE x.to_status = 'closed'",
        [low, high],
    )
    read(
        f"SELECT DISTINCT {d.day('x.first_responded_at')} FROM {t.request} x JOIN {moved} "
        "ON g.rid = x.id WHERE x.first_responded_at IS NOT NULL",
        [low, high],
    )


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
