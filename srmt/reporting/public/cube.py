"""The rollups of one refresh summed by week, in memory: what every public release is read
from (ADR 0049, revision of 2026-12-04).

A release covers whole weeks (Monday to Sunday, `periods.py`), so the daily rollups can be
summed by week once per refresh and every release, whatever its filters, read from those
weekly sums: two GROUP BY statements per refresh (`DailyRollup` and `DurationBucket` by week,
office, form, request type and channel, with confidential units folded into their parent
office) instead of a dozen statements over every daily row for each new filter set. A
release then sums arrays in memory (numpy), which takes milliseconds.

The cube is kept in the process (numpy arrays of 32-bit integers: about 30 MB at a million
requests, 160,000 weekly cells and 800,000 duration buckets) for the refresh
it was read at, and checked against a token in the Django cache: clearing the cache, or a
new refresh, makes the next release read the rollups again.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Sum
from django.db.models.functions import TruncWeek

from srmt.offices.models import FormType, Office
from srmt.reporting.models import DailyRollup, DurationBucket
from srmt.service_requests.models import ServiceRequestType

__all__ = ["COLUMNS", "SUMMED", "Cube", "Slice", "cube_for"]

SUMMED = (
    "opened",
    "closed",
    "escalated",
    "repeats",
    "reopened",
    "surveys_answered",
    "surveys_satisfied",
    "rating_total",
)
"""The measures a release sums (counts, and the ratings behind a mean)."""
COLUMNS = (*SUMMED, "open_delta")
OPEN_COLUMN = len(SUMMED)
DIMENSIONS = ("office", "form", "type", "channel")

CACHE_SECONDS = 24 * 3600


def _monday(value: dt.date | dt.datetime) -> int:
    day = value.date() if isinstance(value, dt.datetime) else value
    return day.toordinal()


class _Vocabulary:
    """Codes of one dimension and their positions in the arrays."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.index: dict[str, int] = {}

    def add(self, code: str) -> int:
        position = self.index.get(code)
        if position is None:
            position = self.index[code] = len(self.codes)
            self.codes.append(code)
        return position


@dataclass(frozen=True)
class Slice:
    """The weekly sums of one filter set over one period, as plain Python values."""

    by_week: dict[dt.date, dict[str, int]]
    by_office_form: dict[tuple[str, str], dict[str, int]]
    by_type: dict[str, dict[str, int]]
    by_channel: dict[str, dict[str, int]]
    open_office_form: dict[tuple[str, str], int]
    open_type: dict[str, int]
    open_channel: dict[str, int]
    open_before: int
    open_by_week: dict[dt.date, int]
    durations_by_week: dict[dt.date, dict[str, Counter[int]]]
    durations_by_type: dict[str, dict[str, Counter[int]]]


class Cube:
    """Weekly sums of the rollups by office (confidential units folded), form, type and
    channel; and the duration histograms by the same cells, measure and whole days."""

    def __init__(self) -> None:
        self.token = ""
        """The cache token this cube was read under (`cube_for`)."""
        self._whole: tuple[tuple[dt.date, dt.date], Slice] | None = None
        self._whole_lock = threading.Lock()
        self.vocab = {d: _Vocabulary() for d in DIMENSIONS}
        self.measures = _Vocabulary()
        self._read_rollups()
        self._read_durations()
        self.office_names: dict[str, str] = dict(
            Office.objects.filter(code__in=self.vocab["office"].codes).values_list("code", "name")
        )
        self.type_names: dict[str, tuple[str, str]] = {
            code: (en, es)
            for code, en, es in ServiceRequestType.objects.filter(
                code__in=self.vocab["type"].codes
            ).values_list("code", "name_en", "name_es")
        }
        self.form_names: dict[str, tuple[str, str]] = {
            code: (en, es)
            for code, en, es in FormType.objects.filter(
                code__in=self.vocab["form"].codes
            ).values_list("code", "name_en", "name_es")
        }

    def _cells(self, rows: Sequence[tuple[Any, ...]]) -> np.ndarray:
        """Columns week (ordinal of the Monday), office, form, type, channel, from rows that
        start with the week, the office id, the form, the type id and the channel."""
        offices = {
            pk: parent if confidential and parent else code
            for pk, code, confidential, parent in Office.objects.values_list(
                "pk", "code", "is_confidential", "parent__code"
            )
        }
        types = dict(ServiceRequestType.objects.values_list("pk", "code"))
        columns = list(zip(*rows, strict=False)) if rows else [()] * 5
        cells = np.empty((len(rows), 5), dtype=np.int32)
        cells[:, 0] = self._encode(columns[0], lambda week: _monday(week))
        cells[:, 1] = self._encode(columns[1], lambda pk: self.vocab["office"].add(offices[pk]))
        cells[:, 2] = self._encode(columns[2], self.vocab["form"].add)
        cells[:, 3] = self._encode(columns[3], lambda pk: self.vocab["type"].add(types[pk]))
        cells[:, 4] = self._encode(columns[4], self.vocab["channel"].add)
        return cells

    @staticmethod
    def _encode(column: Sequence[Any], code: Any) -> np.ndarray:
        """``code(value)`` for each value of a column, computed once per distinct value."""
        codes = {value: code(value) for value in sorted(set(column), key=str)}
        return np.fromiter((codes[v] for v in column), dtype=np.int32, count=len(column))

    def _read_rollups(self) -> None:
        rows = list(
            DailyRollup.objects.annotate(week=TruncWeek("day"))
            .values_list("week", "office_id", "form", "type_id", "channel")
            .annotate(*(Sum(name) for name in COLUMNS))
            .order_by()
        )
        self.cells = self._cells(rows)
        self.counts = np.array([row[5:] for row in rows], dtype=np.int32).reshape(
            len(rows), len(COLUMNS)
        )

    def _read_durations(self) -> None:
        rows = list(
            DurationBucket.objects.annotate(week=TruncWeek("day"))
            .values_list("week", "office_id", "form", "type_id", "channel", "measure", "days")
            .annotate(Sum("count"))
            .order_by()
        )
        self.d_cells = self._cells(rows)
        columns = list(zip(*rows, strict=False)) if rows else [()] * 8
        self.d_measure = self._encode(columns[5], self.measures.add)
        self.d_days = np.array(columns[6], dtype=np.int16)
        self.d_count = np.array([v or 0 for v in columns[7]], dtype=np.int32)

    # --- reading a slice ---------------------------------------------------------------------

    def _mask(self, cells: np.ndarray, narrow: dict[str, str]) -> np.ndarray:
        mask = np.ones(len(cells), dtype=bool)
        for j, dimension in enumerate(DIMENSIONS):
            code = narrow.get(dimension, "")
            if code:
                position = self.vocab[dimension].index.get(code)
                if position is None:
                    return np.zeros(len(cells), dtype=bool)
                mask &= cells[:, j + 1] == position
        return mask

    @staticmethod
    def _group(
        keys: Sequence[np.ndarray], sizes: Sequence[int], values: np.ndarray
    ) -> list[tuple[tuple[int, ...], list[int]]]:
        """The keys present (tuples of positions, one per array of `keys`, each below its
        size) and the column sums of `values` for each: one `bincount` per column."""
        flat = np.zeros(len(values), dtype=np.int64)
        for column, size in zip(keys, sizes, strict=True):
            flat = flat * size + column.astype(np.int64)
        bins = int(np.prod(sizes)) if sizes else 1
        present = np.flatnonzero(np.bincount(flat, minlength=bins))
        sums = np.column_stack(
            [
                np.bincount(flat, weights=values[:, j], minlength=bins)
                for j in range(values.shape[1])
            ]
        )[present]
        totals = np.rint(sums).astype(np.int64).tolist()
        if not sizes:
            return [((), row) for row in totals]
        digits = np.unravel_index(present, tuple(sizes))
        found: list[tuple[int, ...]] = list(zip(*(d.tolist() for d in digits), strict=True))
        return list(zip(found, totals, strict=True))

    def _sizes(self, *dimensions: str) -> list[int]:
        return [max(1, len(self.vocab[d].codes)) for d in dimensions]

    def slice(self, narrow: dict[str, str], start: dt.date, end: dt.date) -> Slice:
        """The sums for the filters `narrow` (dimension -> code) over the complete weeks from
        `start` (a Monday) to `end` (a Sunday). The unfiltered slice (the largest to sum,
        and read by every release of the whole published period) is kept with the cube for
        the last period asked; callers must not change a slice."""
        if narrow:
            return self._slice(narrow, start, end)
        with self._whole_lock:
            if self._whole is None or self._whole[0] != (start, end):
                self._whole = ((start, end), self._slice({}, start, end))
            return self._whole[1]

    def _slice(self, narrow: dict[str, str], start: dt.date, end: dt.date) -> Slice:
        office, form = self.vocab["office"].codes, self.vocab["form"].codes
        types, channels = self.vocab["type"].codes, self.vocab["channel"].codes
        first, last = start.toordinal(), (end - dt.timedelta(days=6)).toordinal()
        weeks = self.cells[:, 0]
        to_end = self._mask(self.cells, narrow) & (weeks <= last)
        cells_to_end, counts_to_end = self.cells[to_end], self.counts[to_end]
        inside = cells_to_end[:, 0] >= first
        cells, counts = cells_to_end[inside], counts_to_end[inside]
        summed, opens = counts[:, : len(SUMMED)], counts[:, OPEN_COLUMN:]
        opens_to_end = counts_to_end[:, OPEN_COLUMN:]
        span = (last - first) // 7 + 1 if last >= first else 1
        week = (cells[:, 0] - first) // 7

        def monday(i: int) -> dt.date:
            return dt.date.fromordinal(first + 7 * i)

        def named(row: list[int]) -> dict[str, int]:
            return dict(zip(SUMMED, row, strict=True))

        of = self._sizes("office", "form")
        by_week = {monday(k[0]): named(v) for k, v in self._group([week], [span], summed)}
        open_by_week = {monday(k[0]): v[0] for k, v in self._group([week], [span], opens)}
        by_office_form = {
            (office[k[0]], form[k[1]]): named(v)
            for k, v in self._group([cells[:, 1], cells[:, 2]], of, summed)
        }
        by_type = {
            types[k[0]]: named(v)
            for k, v in self._group([cells[:, 3]], self._sizes("type"), summed)
        }
        by_channel = {
            channels[k[0]]: named(v)
            for k, v in self._group([cells[:, 4]], self._sizes("channel"), summed)
        }
        open_office_form = {
            (office[k[0]], form[k[1]]): v[0]
            for k, v in self._group([cells_to_end[:, 1], cells_to_end[:, 2]], of, opens_to_end)
        }
        open_type = {
            types[k[0]]: v[0]
            for k, v in self._group([cells_to_end[:, 3]], self._sizes("type"), opens_to_end)
        }
        open_channel = {
            channels[k[0]]: v[0]
            for k, v in self._group([cells_to_end[:, 4]], self._sizes("channel"), opens_to_end)
        }

        d_weeks = self.d_cells[:, 0]
        d_mask = self._mask(self.d_cells, narrow) & (d_weeks >= first) & (d_weeks <= last)
        d_week = (d_weeks[d_mask] - first) // 7
        d_type = self.d_cells[d_mask, 3]
        measure, days = self.d_measure[d_mask], self.d_days[d_mask]
        count = self.d_count[d_mask].reshape(-1, 1)
        measures = self.measures.codes
        m_size = max(1, len(measures))
        d_size = int(days.max()) + 1 if len(days) else 1
        durations_by_week: dict[dt.date, dict[str, Counter[int]]] = defaultdict(
            lambda: defaultdict(Counter)
        )
        for (w, m, d), (n,) in self._group([d_week, measure, days], [span, m_size, d_size], count):
            durations_by_week[monday(w)][measures[m]][d] += n
        durations_by_type: dict[str, dict[str, Counter[int]]] = defaultdict(
            lambda: defaultdict(Counter)
        )
        t_size = self._sizes("type")[0]
        for (t, m, d), (n,) in self._group(
            [d_type, measure, days], [t_size, m_size, d_size], count
        ):
            durations_by_type[types[t]][measures[m]][d] += n

        return Slice(
            by_week=by_week,
            by_office_form=by_office_form,
            by_type=by_type,
            by_channel=by_channel,
            open_office_form=open_office_form,
            open_type=open_type,
            open_channel=open_channel,
            open_before=int(counts_to_end[~inside, OPEN_COLUMN].sum()),
            open_by_week=open_by_week,
            durations_by_week=durations_by_week,
            durations_by_type=durations_by_type,
        )


_lock = threading.Lock()
_held: dict[str, tuple[str, Cube]] = {}


def cube_for(refreshed: str) -> Cube:
    """The cube of the refresh named `refreshed` (its time): from this process when the
    Django cache still holds the token it was read under, else read from the rollups."""
    token_key = f"srmt:release:cube-token:{refreshed}"
    token = cache.get(token_key)
    with _lock:
        held = _held.get("cube")
        if token is not None and held is not None and held[0] == token:
            return held[1]
    cube = Cube()
    fresh = uuid.uuid4().hex
    cache.add(token_key, fresh, CACHE_SECONDS)
    token = cache.get(token_key) or fresh
    cube.token = token
    with _lock:
        _held["cube"] = (token, cube)
    return cube
