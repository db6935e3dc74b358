"""The published release: the public report tables, read from the rollups, suppressed and
audited (issue 12 §2–3, ADR 0047 and 0049).

`current_release(filters)` is what the public pages and the open-data files publish. It
reads `DailyRollup`, `DurationBucket` and `RollupState` with SUM aggregates (a handful of
GROUP BY statements whatever the number of requests), over complete weeks only (Monday to
Sunday, `periods.py`), with confidential units folded into their parent office. Every count
it publishes goes through one suppression release (`srmt.reporting.suppression`): the same
counts by office, by form, by office and form, by type, by channel, by month and by week,
linked by their totals, so that no suppressed cell can be worked out from any table of the
release. Rates show the marker of their numerator or denominator when either is suppressed
(a rate and a published count would give the hidden one away); medians, percentiles and
rates from fewer than 11 requests are `D`.

Every release passes the suppression audit (ADR 47: the tightest bounds an attacker can
derive for each hidden cell, by linear programming) before it is returned; one that fails is
not published.

When nothing is published yet (no refresh, or no complete week of rollups), the release has
every table with no rows, and `period_start` is after `period_end` (`is_published` is
false). A filter whose period holds no complete published week gives the same, and so does a
release whose audit fails.

The result is cached per filter set in the Django cache, keyed on `RollupState.refreshed_at`
and the threshold: a refresh publishes a new release.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.utils import translation

from srmt.reporting.models import DailyRollup, Measure, RollupState
from srmt.reporting.suppression import (
    DEFAULT_THRESHOLD,
    AuditReport,
    CellKey,
    Policy,
    Publication,
    Status,
    audit,
    cell_key,
    suppress,
    suppress_statistic,
)
from srmt.reporting.suppression import Release as SuppressionRelease
from srmt.service_requests.choices import Channel

from . import periods
from .columns import TABLES, TableSpec
from .cube import SUMMED, Cube, cube_for
from .release_types import Release, Table, Value

__all__ = [
    "CACHE_SECONDS",
    "TARGET_DAYS",
    "Filters",
    "build_release",
    "build_with_publication",
    "current_release",
    "is_published",
    "master_publication",
    "published_period",
    "single_filters",
    "suppression_threshold",
    "warm_published",
]

logger = logging.getLogger(__name__)

TARGET_DAYS = 15
"""The final-response target of the timeliness tables (issue 12: the 15-day target)."""
CACHE_SECONDS = 24 * 3600
STATE_NAME = "daily"

FULL_MEASURES = ("opened", "closed")
"""Counts published by office, form, office and form, type, channel, month and week."""
PART_MEASURES = ("escalated", "repeats", "reopened", "surveys_answered", "surveys_satisfied")
"""Counts published (or behind a published share) by type and by month only."""
OPEN = "open_end"


def suppression_threshold() -> int:
    """Counts from 1 to this are `D` (settings.SRMT_SUPPRESSION_THRESHOLD, default 10)."""
    return int(getattr(settings, "SRMT_SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD))


@dataclass(frozen=True)
class Filters:
    """What a reader narrowed the release to. Dates are rounded out to whole weeks and
    clipped to the published period; codes are the office (a confidential unit's parent
    stands for it), form, request type and channel codes. Empty means all."""

    start: dt.date | None = None
    end: dt.date | None = None
    office: str = ""
    form: str = ""
    type: str = ""
    channel: str = ""

    @property
    def narrows(self) -> bool:
        return bool(self.office or self.form or self.type or self.channel)

    def cache_part(self) -> str:
        text = "|".join(
            [
                self.start.isoformat() if self.start else "",
                self.end.isoformat() if self.end else "",
                self.office,
                self.form,
                self.type,
                self.channel,
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def is_published(release: Release) -> bool:
    """Whether the release covers at least one complete week."""
    return release.period_start <= release.period_end


def published_period(state: RollupState | None = None) -> tuple[dt.date, dt.date] | None:
    """The first Monday and the last Sunday of the complete weeks the rollups cover, up to
    the day before `published_through` (or before the day of the last refresh); None when
    nothing is published."""
    if state is None:
        state = RollupState.objects.filter(name=STATE_NAME).first()
    if state is None or state.refreshed_at is None:
        return None
    limit = state.published_through or state.refreshed_at.astimezone(dt.UTC).date()
    first = DailyRollup.objects.aggregate(first=Min("day"))["first"]
    if first is None:
        return None
    start = periods.first_complete_week(first)
    end = periods.last_complete_week(limit)
    return (start, end) if start <= end else None


def current_release(filters: Filters | None = None) -> Release:
    """The published figures for `filters` (all of them when None), from the cache when the
    rollups have not been refreshed since."""
    filters = filters or Filters()
    state = RollupState.objects.filter(name=STATE_NAME).first()
    key = _cache_key(state, filters.cache_part())
    cached = cache.get(key)
    if isinstance(cached, Release):
        return cached
    release, publication = build_with_publication(filters, state)
    cache.set(key, release, CACHE_SECONDS)
    if filters == Filters() and publication is not None:
        cache.set(_cache_key(state, "master"), publication, CACHE_SECONDS)
    return release


def warm_published() -> bool:
    """Build the unfiltered release into the cache, and the release of every single filter
    value it lists (each office, form, type and channel over the whole period), so that no
    reader after a refresh waits for those (the rollup task calls this after a refresh that
    wrote rows; with the shared cache of production, every web process reads them). True
    when something is published."""
    published = is_published(current_release(Filters()))
    if published:
        for filters in single_filters():
            current_release(filters)
    return published


def single_filters() -> list[Filters]:
    """One filter set per office, form, type and channel the unfiltered release lists."""
    state = RollupState.objects.filter(name=STATE_NAME).first()
    master = master_publication(state) if state is not None else None
    listed = _categories(master) if master is not None else {}
    # a blank code (requests without a form) cannot be chosen as a filter
    return [
        *(Filters(office=value) for value in sorted(listed.get("office", ())) if value),
        *(Filters(form=value) for value in sorted(listed.get("form", ())) if value),
        *(Filters(type=value) for value in sorted(listed.get("type", ())) if value),
        *(Filters(channel=value) for value in sorted(listed.get("channel", ())) if value),
    ]


def build_release(filters: Filters, state: RollupState | None) -> Release:
    """The release computed afresh (no cache)."""
    published, _ = build_with_publication(filters, state)
    return published


def build_with_publication(
    filters: Filters, state: RollupState | None
) -> tuple[Release, Publication | None]:
    """The release and the suppression publication behind it (for a filtered release: with
    the master's cells, as the two are audited together); None when nothing is published.
    Every release is audited (ADR 47) before it is returned: one that fails is not published
    at all (logged, and empty like a release with nothing to publish)."""
    period = published_period(state) if state else None
    if period is not None:
        start, end = _clip(period, filters)
        narrowed = filters.narrows or (start, end) != period
        master = master_publication(state) if narrowed and start <= end else None
        if start <= end and (master is not None or not narrowed):
            built = _build(filters, state, period, (start, end), master)
            if built is not None:
                return built
    today = dt.datetime.now(dt.UTC).date()
    empty = tuple(_table(spec, []) for spec in TABLES)
    return (
        Release(periods.first_complete_week(today), periods.last_complete_week(today), None, empty),
        None,
    )


def _build(
    filters: Filters,
    state: RollupState | None,
    published: tuple[dt.date, dt.date],
    period: tuple[dt.date, dt.date],
    master: Publication | None,
) -> tuple[Release, Publication] | None:
    cube = cube_for(_refreshed(state))
    data = _read(cube, filters, *period)
    # the unfiltered release's suppression *is* the master publication: when this refresh's
    # master is held (built and audited, by this process or another), reuse it
    ready = _known_master(state, cube.token) if master is None else None
    try:
        builder = _Builder(
            data, Policy(threshold=suppression_threshold()), published, filters, master, ready
        )
    except ValueError:  # two values for one cell: never publish a doubtful table
        logger.exception("public release not published, its cells disagree")
        return None
    report = None if builder.reused else builder.report or audit(builder.publication)
    if report is not None and not report.passed:
        logger.error(
            "public release not published, its audit failed: %s",
            report.summary().replace("\n", " / "),
        )
        return None
    if report is not None:
        builder.publication.bounds = {b.key: b.interval for b in report.bounds}
    refreshed_at = state.refreshed_at if state else None
    return Release(*period, refreshed_at, builder.tables()), builder.publication


def _known_master(state: RollupState | None, token: str) -> Publication | None:
    """The master publication of this refresh when it was already built (and audited: a
    publication is cached only when its audit passed), without building it."""
    key = _cache_key(state, "master")
    held = _masters.get(f"{token}:{key}")
    if held is not None:
        return held
    cached = cache.get(key)
    return cached if isinstance(cached, Publication) else None


def master_publication(state: RollupState | None) -> Publication | None:
    """The suppression of the unfiltered release (cached like the releases): every filtered
    release is checked against it. Also kept in the process beside the refresh's cube, for
    as long as the cube is (`cube.cube_for`)."""
    key = _cache_key(state, "master")
    held_key = f"{cube_for(_refreshed(state)).token}:{key}"
    held = _masters.get(held_key)
    if held is not None:
        return held
    cached = cache.get(key)
    if isinstance(cached, Publication):
        publication = cached
    else:
        _, built = build_with_publication(Filters(), state)
        if built is None:
            return None
        publication = built
        cache.set(key, publication, CACHE_SECONDS)
    _masters.clear()
    _masters[held_key] = publication
    return publication


_masters: dict[str, Publication] = {}
"""The master publication of the cube held in this process (one entry at most)."""


def _refreshed(state: RollupState | None) -> str:
    return state.refreshed_at.isoformat() if state and state.refreshed_at else "never"


def _cache_key(state: RollupState | None, part: str) -> str:
    return f"srmt:release:v2:{_refreshed(state)}:{suppression_threshold()}:{part}"


def _clip(period: tuple[dt.date, dt.date], filters: Filters) -> tuple[dt.date, dt.date]:
    start, end = period
    if filters.start is not None:
        start = max(start, periods.week_start(filters.start))
    if filters.end is not None:
        end = min(end, periods.week_end(filters.end))
    return start, end


# --- Reading the rollups -------------------------------------------------------------------


@dataclass
class _Data:
    start: dt.date
    end: dt.date
    mondays: list[dt.date]
    by_week: dict[dt.date, dict[str, int]]
    by_office_form: dict[tuple[str, str], dict[str, int]]
    by_type: dict[str, dict[str, int]]
    by_channel: dict[str, dict[str, int]]
    open_office_form: dict[tuple[str, str], int]
    open_type: dict[str, int]
    open_channel: dict[str, int]
    open_before: int
    open_by_week: dict[dt.date, int]
    """Opened minus closed in each week of the period (by its Monday)."""
    durations_by_week: dict[dt.date, dict[str, Counter[int]]]
    durations_by_type: dict[str, dict[str, Counter[int]]]
    offices: dict[str, str] = field(default_factory=dict)
    types: dict[str, tuple[str, str]] = field(default_factory=dict)
    forms: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def months(self) -> dict[str, list[dt.date]]:
        months: dict[str, list[dt.date]] = {}
        for monday in self.mondays:
            months.setdefault(periods.month_of_week(monday), []).append(monday)
        return months


def _narrowing(filters: Filters) -> dict[str, str]:
    return {
        name: value
        for name, value in (
            ("office", filters.office),
            ("form", filters.form),
            ("type", filters.type),
            ("channel", filters.channel),
        )
        if value
    }


def _read(cube: Cube, filters: Filters, start: dt.date, end: dt.date) -> _Data:
    """The figures of `filters` over the complete weeks from `start` to `end`, summed from
    the refresh's weekly cube (`cube.py`); an office filter names the office a confidential
    unit is folded into."""
    part = cube.slice(_narrowing(filters), start, end)
    mondays = list(periods.weeks(start, end))
    data = _Data(
        start=start,
        end=end,
        mondays=mondays,
        by_week={m: part.by_week.get(m, dict.fromkeys(SUMMED, 0)) for m in mondays},
        by_office_form=part.by_office_form,
        by_type=part.by_type,
        by_channel=part.by_channel,
        open_office_form=part.open_office_form,
        open_type=part.open_type,
        open_channel=part.open_channel,
        open_before=part.open_before,
        open_by_week=part.open_by_week,
        durations_by_week=part.durations_by_week,
        durations_by_type=part.durations_by_type,
    )
    data.offices = cube.office_names
    data.types = cube.type_names
    data.forms = cube.form_names
    return data


# --- Suppression and the tables ------------------------------------------------------------


def _percentile(histogram: Counter[int], share: float) -> int | None:
    """Nearest rank on whole days: the smallest d such that at least `share` of the
    requests took d days or fewer."""
    n = sum(histogram.values())
    if n == 0:
        return None
    rank = max(1, math.ceil(share * n))
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen >= rank:
            return days
    return max(histogram)  # pragma: no cover (the ranks add up to n)


def _channel_names(code: str) -> tuple[str, str]:
    if code not in Channel.values:
        return code, code
    label = Channel(code).label
    with translation.override("en"):
        en = str(label)
    with translation.override("es"):
        es = str(label)
    return en, es


class _Builder:
    """The tables of one release. Its cells are named as in the unfiltered release (the
    "master"): a filter's categories are part of every key (office=ESC in a release filtered
    to ESC), and a period other than the published one adds its span to every cell it
    changes (totals, and months it covers in part; a week or a whole month is the same cell
    whatever the period). So a cell shown on two pages is one cell, and a filtered release is
    audited together with the master it would be read with."""

    def __init__(
        self,
        data: _Data,
        policy: Policy,
        published: tuple[dt.date, dt.date],
        filters: Filters,
        master: Publication | None,
        ready: Publication | None = None,
    ) -> None:
        """`ready`: the audited suppression of this very release (the unfiltered one), to use
        instead of suppressing again; ignored unless it holds exactly this release's cells
        and values."""
        self.data = data
        self.policy = policy
        self.months = data.months
        master_months: dict[str, list[dt.date]] = {}
        for monday in periods.weeks(*published):
            master_months.setdefault(periods.month_of_week(monday), []).append(monday)
        self.fixed = {
            name: value
            for name, value in (
                ("office", filters.office),
                ("form", filters.form),
                ("type", filters.type),
                ("channel", filters.channel),
            )
            if value
        }
        whole = (data.start, data.end) == published
        self.span = {} if whole else {"span": f"{data.start.isoformat()}..{data.end.isoformat()}"}
        self.partial_months = {
            month for month, mondays in self.months.items() if mondays != master_months[month]
        }
        last = list(self.months)[-1]
        if data.end == published[1]:
            self.open_anchor: dict[str, str] = {}
        elif self.months[last][-1] == master_months[last][-1]:
            self.open_anchor = {"month": last}
        else:
            self.open_anchor = {"through": data.end.isoformat()}
        # a filtered release lists every row the master lists (within the filter): a row
        # left out would say its count is 0, which the master may hide
        listed = _categories(master) if master is not None else {}
        self.offices = self._listed(
            "office",
            listed,
            {o for o, _ in data.open_office_form} | {o for o, _ in data.by_office_form},
        )
        self.forms = self._listed(
            "form",
            listed,
            {f for _, f in data.open_office_form} | {f for _, f in data.by_office_form},
        )
        self.types = self._listed(
            "type", listed, set(data.by_type) | set(data.open_type) | set(data.durations_by_type)
        )
        self.channels = self._listed(
            "channel", listed, set(data.by_channel) | set(data.open_channel)
        )
        self.open_months = self._open_by_month()
        self.open_known = all(
            v >= 0
            for values in (
                data.open_office_form,
                data.open_type,
                data.open_channel,
                self.open_months,
            )
            for v in values.values()
        )
        self.release = self._suppression_release()
        self.report: AuditReport | None = None
        """The audit of `publication` when it was run here (the caller runs it otherwise)."""
        self.reused = False
        """Whether `publication` is `ready`, audited when it was built."""
        if (
            ready is not None
            and master is None
            and ready.release.values == self.release.values
            and ready.release.constraints == self.release.constraints
        ):
            self.publication = ready
            self.reused = True
            self.status = ready.status
            return
        shared = (
            {k: s for k, s in master.status.items() if k in self.release.values} if master else {}
        )
        own = suppress(
            self.release,
            policy,
            keep=[k for k, s in shared.items() if s is Status.PUBLISHED],
            hidden=[k for k, s in shared.items() if s is not Status.PUBLISHED],
        )
        # a filtered release is read with the master: audited together (the caller); when
        # its own suppression is not enough against the master's figures, both releases
        # are suppressed at once and the filtered cells hide what either suppression hides
        self.publication = own
        if master is not None:
            self.publication = _combined(own, master)
            self.report = audit(self.publication, known=master)
            if not self.report.passed:
                joint = suppress(self.publication.release, policy)
                self.publication = _harden(_combined(own, master, joint), set(master.status))
                self.report = None
        self.status = self.publication.status

    def _listed(self, dimension: str, listed: Mapping[str, set[str]], own: set[str]) -> list[str]:
        if dimension in self.fixed:  # listed if the master lists it or it has figures
            value = self.fixed[dimension]
            return [value] if value in own | listed.get(dimension, set()) else []
        return sorted(own | listed.get(dimension, set()))

    def key(self, measure: str, **dims: str) -> CellKey:
        spec = {"measure": measure, **self.fixed}
        if measure == OPEN:
            # open requests at the end of a month do not depend on where the period starts
            spec.update(dims if "month" in dims else {**self.open_anchor, **dims})
            return cell_key(spec)
        spec.update(dims)
        if "week" not in dims and dims.get("month", "") in {"", *self.partial_months}:
            spec.update(self.span)
        return cell_key(spec)

    # the release of every published count and its links
    def _month_value(self, measure: str, month: str) -> int:
        return sum(self.data.by_week[m][measure] for m in self.months[month])

    def _suppression_release(self) -> SuppressionRelease:
        d = self.data
        release = SuppressionRelease()
        office_form = {"office": self.offices, "form": self.forms}
        types = {"type": self.types}
        channels = {"channel": self.channels}
        for measure in FULL_MEASURES:
            fixed = {"measure": measure, **self.fixed, **self.span}
            release.add_cube(
                ["office", "form"],
                {k: v[measure] for k, v in d.by_office_form.items()},
                categories=office_form,
                fixed=fixed,
            )
            release.add_cube(
                ["type"], {(k,): v[measure] for k, v in d.by_type.items()}, types, fixed
            )
            release.add_cube(
                ["channel"], {(k,): v[measure] for k, v in d.by_channel.items()}, channels, fixed
            )
            for month, mondays in self.months.items():
                weeks = [self.key(measure, month=month, week=m.isoformat()) for m in mondays]
                for week, monday in zip(weeks, mondays, strict=True):
                    release.set_value(week, d.by_week[monday][measure])
                release.set_value(self.key(measure, month=month), self._month_value(measure, month))
                release.add_constraint(self.key(measure, month=month), weeks)
            release.add_constraint(
                self.key(measure), [self.key(measure, month=month) for month in self.months]
            )
        for measure in PART_MEASURES:
            fixed = {"measure": measure, **self.fixed, **self.span}
            release.add_cube(
                ["type"], {(k,): v[measure] for k, v in d.by_type.items()}, types, fixed
            )
            months = [self.key(measure, month=month) for month in self.months]
            for key, month in zip(months, self.months, strict=True):
                release.set_value(key, self._month_value(measure, month))
            release.add_constraint(self.key(measure), months)
        if self.open_known:
            fixed = {"measure": OPEN, **self.fixed, **self.open_anchor}
            release.add_cube(
                ["office", "form"],
                {(o, f): v for (o, f), v in d.open_office_form.items()},
                office_form,
                fixed,
            )
            release.add_cube(["type"], {(k,): v for k, v in d.open_type.items()}, types, fixed)
            release.add_cube(
                ["channel"], {(k,): v for k, v in d.open_channel.items()}, channels, fixed
            )
            for month, value in self.open_months.items():
                release.set_value(self._open_key(month), value)
        return release

    def _open_by_month(self) -> dict[str, int]:
        running = self.data.open_before
        result: dict[str, int] = {}
        for month, mondays in self.months.items():
            running += sum(self.data.open_by_week.get(monday, 0) for monday in mondays)
            result[month] = running
        return result

    def _open_key(self, month: str) -> CellKey:
        """The open requests at the end of the last month are the period's total."""
        last = list(self.months)[-1]
        return self.key(OPEN) if month == last else self.key(OPEN, month=month)

    # what a cell shows
    def count(self, key: CellKey) -> Value:
        if key not in self.release.values:
            return None
        status = self.status[key]
        return self.release.values[key] if status is Status.PUBLISHED else status.marker

    def open_count(self, key: CellKey) -> Value:
        return self.count(key) if self.open_known else None

    def rate(self, numerator: CellKey, denominator: CellKey) -> Value:
        den = self.release.values[denominator]
        num = self.release.values[numerator]
        statistic = suppress_statistic(num / den if den else None, den)
        if statistic.value is None:
            return None if statistic.marker != Status.PRIMARY.marker else statistic.marker
        statuses = {self.status[numerator], self.status[denominator]}
        if Status.PRIMARY in statuses:
            return Status.PRIMARY.marker
        if Status.COMPLEMENTARY in statuses:
            return Status.COMPLEMENTARY.marker
        return round(statistic.value, 4)

    def mean_rating(self, answered: CellKey, rating_total: int) -> Value:
        n = self.release.values[answered]
        statistic = suppress_statistic(rating_total / n if n else None, n)
        if statistic.value is None:
            return None if statistic.marker != Status.PRIMARY.marker else statistic.marker
        return round(statistic.value, 2)

    @staticmethod
    def durations(histograms: Mapping[str, Counter[int]]) -> dict[str, Value]:
        result: dict[str, Value] = {}
        for measure, prefix in (
            (Measure.FIRST_RESPONSE, "first"),
            (Measure.FINAL_RESPONSE, "final"),
        ):
            histogram = histograms.get(measure.value, Counter())
            n = sum(histogram.values())
            for name, share in (("median", 0.5), ("p80", 0.8)):
                value = _percentile(histogram, share)
                statistic = suppress_statistic(value, n)
                result[f"{prefix}_response_{name}_days"] = (
                    int(value)
                    if statistic.value is not None and value is not None
                    else None
                    if statistic.marker != Status.PRIMARY.marker
                    else statistic.marker
                )
            if prefix == "final":
                # within 15 days: fewer than 15 whole days (the bucket of 15 holds 15 days and more)
                within = sum(c for days, c in histogram.items() if days < TARGET_DAYS)
                statistic = suppress_statistic(within / n if n else None, n)
                result["final_within_15_days"] = (
                    round(statistic.value, 4)
                    if statistic.value is not None
                    else None
                    if statistic.marker != Status.PRIMARY.marker
                    else statistic.marker
                )
        return result

    # the rows of each table
    def tables(self) -> tuple[Table, ...]:
        rows = self._rows()
        return tuple(_table(spec, rows[spec.slug]) for spec in TABLES)

    def _volume(self, dims: dict[str, str], open_key: CellKey | None) -> dict[str, Value]:
        return {
            "requests_opened": self.count(self.key("opened", **dims)),
            "requests_closed": self.count(self.key("closed", **dims)),
            "open_at_end": self.open_count(open_key or self.key(OPEN, **dims)),
        }

    def _by_group(
        self,
        dims: dict[str, str],
        totals: Mapping[str, int],
        histograms: Mapping[str, Counter[int]],
    ) -> dict[str, dict[str, Value]]:
        opened, closed = self.key("opened", **dims), self.key("closed", **dims)
        answered = self.key("surveys_answered", **dims)
        return {
            "timeliness": self.durations(histograms),
            "escalations": {
                "requests_opened": self.count(opened),
                "escalated": self.count(self.key("escalated", **dims)),
                "escalation_rate": self.rate(self.key("escalated", **dims), opened),
            },
            "repeats": {
                "requests_opened": self.count(opened),
                "repeat_requests": self.count(self.key("repeats", **dims)),
                "repeat_rate": self.rate(self.key("repeats", **dims), opened),
                "requests_closed": self.count(closed),
                "reopened": self.count(self.key("reopened", **dims)),
                "reopen_rate": self.rate(self.key("reopened", **dims), closed),
            },
            "satisfaction": {
                "surveys_answered": self.count(answered),
                "satisfied_share": self.rate(self.key("surveys_satisfied", **dims), answered),
                "mean_rating": self.mean_rating(answered, totals["rating_total"]),
            },
        }

    def _rows(self) -> dict[str, list[dict[str, Value]]]:
        rows: dict[str, list[dict[str, Value]]] = defaultdict(list)
        self._month_rows(rows)
        self._type_rows(rows)
        self._place_rows(rows)
        return rows

    def _month_rows(self, rows: dict[str, list[dict[str, Value]]]) -> None:
        d = self.data
        for month, mondays in self.months.items():
            head: dict[str, Value] = {"month": month, "weeks": len(mondays)}
            rows["volume-by-month"].append(
                {**head, **self._volume({"month": month}, self._open_key(month))}
            )
            totals = {"rating_total": sum(d.by_week[m]["rating_total"] for m in mondays)}
            histograms: dict[str, Counter[int]] = defaultdict(Counter)
            for monday in mondays:
                for measure, histogram in d.durations_by_week.get(monday, {}).items():
                    histograms[measure].update(histogram)
            for topic, values in self._by_group({"month": month}, totals, histograms).items():
                rows[f"{topic}-by-month"].append({**head, **values})
            for monday in mondays:
                week = {"month": month, "week": monday.isoformat()}
                rows["volume-by-week"].append(
                    {
                        "week": monday.isoformat(),
                        "month": month,
                        "requests_opened": self.count(self.key("opened", **week)),
                        "requests_closed": self.count(self.key("closed", **week)),
                    }
                )

    def _type_rows(self, rows: dict[str, list[dict[str, Value]]]) -> None:
        d = self.data
        for code in self.types:
            en, es = d.types.get(code, (code, code))
            head = {"type": code, "type_name_en": en, "type_name_es": es}
            rows["volume-by-type"].append({**head, **self._volume({"type": code}, None)})
            totals = d.by_type.get(code, dict.fromkeys(SUMMED, 0))
            for topic, values in self._by_group(
                {"type": code}, totals, d.durations_by_type.get(code, {})
            ).items():
                rows[f"{topic}-by-type"].append({**head, **values})

    def _place_rows(self, rows: dict[str, list[dict[str, Value]]]) -> None:
        d = self.data
        for code in self.channels:
            en, es = _channel_names(code)
            rows["volume-by-channel"].append(
                {
                    "channel": code,
                    "channel_name_en": en,
                    "channel_name_es": es,
                    **self._volume({"channel": code}, None),
                }
            )
        for form in self.forms:
            en, es = d.forms.get(form, (form, form))
            rows["volume-by-form"].append(
                {
                    "form": form,
                    "form_name_en": en,
                    "form_name_es": es,
                    **self._volume({"form": form}, None),
                }
            )
        for office in self.offices:
            name = d.offices.get(office, office)
            rows["volume-by-office"].append(
                {"office": office, "office_name": name, **self._volume({"office": office}, None)}
            )
            for form in self.forms:
                rows["volume-by-office-and-form"].append(
                    {
                        "office": office,
                        "office_name": name,
                        "form": form,
                        **self._volume({"office": office, "form": form}, None),
                    }
                )


def _categories(publication: Publication) -> dict[str, set[str]]:
    """The offices, forms, types and channels a release lists."""
    listed: dict[str, set[str]] = defaultdict(set)
    for key in publication.release.values:
        for dimension, value in key:
            if dimension in ("office", "form", "type", "channel"):
                listed[dimension].add(value)
    return listed


def _harden(publication: Publication, fixed: set[CellKey]) -> Publication:
    """Settle the filtered release's own cells (never a `fixed` one, the master's) while the
    audit still finds a hidden cell too narrow. A hidden cell that the published figures
    already pin to its value (a period of exactly one month: its total is that month's) is
    public anyway: shown, unless it is a small count. Otherwise hide more: first the cells
    that share a sum with a narrow one, then every cell of its measure. The caller audits
    the result."""
    stages = ["linked", "measure"]
    for _ in range(6):
        report = audit(publication)
        if report.passed:
            break
        values, policy = publication.release.values, publication.policy
        narrow = {bounds.key for bounds in report.too_narrow}
        pinned = {
            b.key
            for b in report.too_narrow
            if b.key not in fixed
            and b.interval.upper - b.interval.lower < 0.5
            and not policy.is_primary(values[b.key])
        }
        if pinned:
            status = {**publication.status, **dict.fromkeys(pinned, Status.PUBLISHED)}
            publication = Publication(publication.release, policy, status)
            continue
        if not stages:
            break
        if stages.pop(0) == "linked":
            extra = {
                key
                for c in publication.release.constraints
                if narrow & {c.total, *c.parts}
                for key in (c.total, *c.parts)
            }
        else:
            measures = {dict(key).get("measure") for key in narrow}
            extra = {k for k in values if dict(k).get("measure") in measures}
        extra = {k for k in extra - fixed if publication.status[k] is Status.PUBLISHED}
        status = {**publication.status, **dict.fromkeys(extra, Status.COMPLEMENTARY)}
        publication = Publication(publication.release, policy, status)
    return publication


def _combined(
    own: Publication, master: Publication, joint: Publication | None = None
) -> Publication:
    """What a reader of the filtered page and of the unfiltered one sees together: a cell of
    the master shows what the master shows (it is public there anyway); a cell of the
    filtered release only is hidden as its own suppression hides it (or as `joint`, a
    suppression of both releases at once, hides it, when given)."""
    values = dict(master.release.values)
    conflicts = [k for k, v in own.release.values.items() if values.setdefault(k, v) != v]
    if conflicts:  # the same cell with two values: the keys are wrong, publish nothing
        raise ValueError(f"two values for the cell {conflicts[0]}")
    seen = set(master.release.constraints)
    constraints = master.release.constraints + [c for c in own.release.constraints if c not in seen]
    release = SuppressionRelease(values=values, constraints=constraints)
    status = dict(master.status)
    for key, mine in own.status.items():
        if key in master.status:
            continue
        both = {mine, joint.status[key] if joint else mine}
        status[key] = (
            Status.PRIMARY
            if Status.PRIMARY in both
            else Status.COMPLEMENTARY
            if Status.COMPLEMENTARY in both
            else Status.PUBLISHED
        )
    return Publication(release, own.policy, status)


def _table(spec: TableSpec, rows: Iterable[dict[str, Value]]) -> Table:
    names = [c.name for c in spec.columns]
    return Table(
        spec.slug,
        spec.title_en,
        spec.title_es,
        spec.description_en,
        spec.description_es,
        spec.columns,
        tuple({name: row.get(name) for name in names} for row in rows),
    )
