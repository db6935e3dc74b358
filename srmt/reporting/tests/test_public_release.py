"""The published release (ADR 0049): exact figures from hand-made rollup rows, complete weeks,
confidential units folded, filters, suppression audited, the empty state and the cache."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from srmt.reporting.models import DailyRollup, Detection, DurationBucket, RollupState
from srmt.reporting.public import periods
from srmt.reporting.public.columns import TABLES
from srmt.reporting.public.notable import notable_changes
from srmt.reporting.public.release import (
    Filters,
    build_with_publication,
    current_release,
    is_published,
    published_period,
)
from srmt.reporting.public.release_types import Release
from srmt.reporting.suppression import Publication, cell_key, require_audit
from srmt.reporting.tests.public_fixture import (
    PERIOD,
    REFRESHED_AT,
    bucket,
    refreshed,
    rollup,
    small_world,
)

pytestmark = pytest.mark.django_db

TYPO = {"type": "typographic_error", "type_name_en": "Typographic error"}
EXPEDITE = {"type": "expedite_request", "type_name_en": "Expedite request"}
# Columns that are counts of requests or events (a duration in days may be small).
COUNTS = {
    "requests_opened",
    "requests_closed",
    "open_at_end",
    "escalated",
    "repeat_requests",
    "reopened",
    "surveys_answered",
}


def rows(release: Release, slug: str, *columns: str) -> list[tuple[Any, ...]]:
    return [tuple(row[c] for c in columns) for row in release.table(slug).rows]


def small_counts(release: Release) -> list[tuple[str, str, Any]]:
    """Every published count from 1 to 10 (there must be none)."""
    return [
        (table.slug, name, value)
        for table in release.tables
        for row in table.rows
        for name, value in row.items()
        if name in COUNTS and isinstance(value, int) and 1 <= value <= 10
    ]


@pytest.mark.parametrize(
    ("day", "monday", "sunday", "month"),
    [
        (dt.date(2026, 10, 26), dt.date(2026, 10, 26), dt.date(2026, 11, 1), "2026-10"),
        (dt.date(2026, 11, 1), dt.date(2026, 10, 26), dt.date(2026, 11, 1), "2026-10"),
        (dt.date(2026, 12, 30), dt.date(2026, 12, 28), dt.date(2027, 1, 3), "2026-12"),
        (dt.date(2026, 12, 31), dt.date(2026, 12, 28), dt.date(2027, 1, 3), "2026-12"),
        (dt.date(2027, 1, 1), dt.date(2026, 12, 28), dt.date(2027, 1, 3), "2026-12"),
        (dt.date(2027, 1, 4), dt.date(2027, 1, 4), dt.date(2027, 1, 10), "2027-01"),
    ],
)
def test_weeks_run_monday_to_sunday_and_belong_to_their_thursdays_month(
    day: dt.date, monday: dt.date, sunday: dt.date, month: str
) -> None:
    assert (periods.week_start(day), periods.week_end(day)) == (monday, sunday)
    assert periods.month_of_week(periods.week_start(day)) == month


@pytest.mark.parametrize(
    ("first", "before", "expected"),
    [
        # data from a Wednesday: its week is left out; refreshed on a Wednesday
        (
            dt.date(2026, 10, 21),
            dt.date(2026, 11, 18),
            (dt.date(2026, 10, 26), dt.date(2026, 11, 15)),
        ),
        # data from a Monday: its week counts; refreshed on a Monday: the Sunday before
        (
            dt.date(2026, 10, 26),
            dt.date(2026, 11, 16),
            (dt.date(2026, 10, 26), dt.date(2026, 11, 15)),
        ),
        # refreshed on a Sunday: that Sunday is not over
        (
            dt.date(2026, 10, 26),
            dt.date(2026, 11, 15),
            (dt.date(2026, 10, 26), dt.date(2026, 11, 8)),
        ),
        # not one complete week
        (dt.date(2026, 11, 11), dt.date(2026, 11, 18), None),
    ],
)
def test_the_published_period_is_complete_weeks_only(reference, first, before, expected) -> None:
    rollup(first, "NSC", "I-485", "typographic_error", "online", opened=12)
    state = RollupState.objects.create(
        name="daily", refreshed_at=dt.datetime.combine(before, dt.time(3), tzinfo=dt.UTC)
    )
    assert published_period(state) == expected
    # published_through, when set, is the day after the last day published
    state.published_through = dt.date(2026, 11, 9)
    assert published_period(state) == (
        None if expected is None else (expected[0], dt.date(2026, 11, 8))
    )


def test_the_release_publishes_exact_figures_from_the_rollups(reference) -> None:
    # given the hand-computed world (public_fixture.small_world)
    small_world()
    # when
    release, publication = build_with_publication(Filters(), RollupState.objects.get())
    # then: complete weeks only, the refresh's time
    assert (release.period_start, release.period_end) == PERIOD
    assert release.refreshed_at == REFRESHED_AT
    assert [t.slug for t in release.tables] == [spec.slug for spec in TABLES]
    # volume: the week of Nov 9 holds 5 (D), so its month's other week is H; the open
    # requests at ESC are 10 (D), hidden by the total (H); the partial week and the day
    # after the period count only in the open requests
    assert rows(
        release,
        "volume-by-month",
        "month",
        "weeks",
        "requests_opened",
        "requests_closed",
        "open_at_end",
    ) == [
        ("2026-10", 1, 40, 20, 120),
        ("2026-11", 2, 35, 25, "H"),
    ]
    assert rows(
        release, "volume-by-week", "week", "month", "requests_opened", "requests_closed"
    ) == [
        ("2026-10-26", "2026-10", 40, 20),
        ("2026-11-02", "2026-11", "H", 25),
        ("2026-11-09", "2026-11", "D", 0),
    ]
    # ESC-VAWA, a confidential unit, is counted in ESC
    assert rows(
        release,
        "volume-by-office",
        "office",
        "office_name",
        "requests_opened",
        "requests_closed",
        "open_at_end",
    ) == [
        ("ESC", "Vermont Service Center", 35, 25, "D"),
        ("NSC", "Nebraska Service Center", 40, 20, 120),
    ]
    assert rows(
        release, "volume-by-office-and-form", "office", "form", "requests_opened", "open_at_end"
    ) == [
        ("ESC", "I-130", 35, "D"),
        ("ESC", "I-485", 0, 0),
        ("NSC", "I-130", 0, 0),
        ("NSC", "I-485", 40, 120),
    ]
    assert rows(release, "volume-by-form", "form", "requests_opened", "open_at_end") == [
        ("I-130", 35, "D"),
        ("I-485", 40, 120),
    ]
    assert rows(release, "volume-by-type", "type", "type_name_es", "requests_opened") == [
        ("expedite_request", "Solicitud de trámite acelerado", 35),
        ("typographic_error", "Error tipográfico", 40),
    ]
    assert rows(
        release,
        "volume-by-channel",
        "channel",
        "channel_name_en",
        "channel_name_es",
        "requests_opened",
        "open_at_end",
    ) == [
        ("online", "Online e-Request", "e-Request en línea", 35, "D"),
        ("phone_tier1", "Phone, Tier 1", "Teléfono, Nivel 1", 40, 120),
    ]
    # timeliness: 15 final responses (10 in 3 days, 5 in 20): median 3, p80 20, 10/15
    # within 15 days; 5 first responses are too few (D); no responses in November (None)
    timeliness = (
        "first_response_median_days",
        "first_response_p80_days",
        "final_response_median_days",
        "final_response_p80_days",
        "final_within_15_days",
    )
    assert rows(release, "timeliness-by-month", "month", *timeliness) == [
        ("2026-10", "D", "D", 3, 20, 0.6667),
        ("2026-11", None, None, None, None, None),
    ]
    assert rows(release, "timeliness-by-type", "type", *timeliness) == [
        ("expedite_request", None, None, None, None, None),
        ("typographic_error", "D", "D", 3, 20, 0.6667),
    ]
    assert rows(
        release, "escalations-by-month", "month", "requests_opened", "escalated", "escalation_rate"
    ) == [("2026-10", 40, 12, 0.3), ("2026-11", 35, 0, 0.0)]
    assert rows(release, "escalations-by-type", "type", "escalated", "escalation_rate") == [
        ("expedite_request", 0, 0.0),
        ("typographic_error", 12, 0.3),
    ]
    assert rows(
        release,
        "repeats-by-month",
        "month",
        "repeat_requests",
        "repeat_rate",
        "requests_closed",
        "reopened",
        "reopen_rate",
    ) == [
        ("2026-10", 15, 0.375, 20, 0, 0.0),
        ("2026-11", 0, 0.0, 25, 0, 0.0),
    ]
    assert rows(
        release,
        "satisfaction-by-month",
        "month",
        "surveys_answered",
        "satisfied_share",
        "mean_rating",
    ) == [
        ("2026-10", 20, 0.75, 4.0),
        ("2026-11", 0, None, None),
    ]
    assert rows(
        release,
        "satisfaction-by-type",
        "type",
        "surveys_answered",
        "satisfied_share",
        "mean_rating",
    ) == [
        ("expedite_request", 0, None, None),
        ("typographic_error", 20, 0.75, 4.0),
    ]
    # and the suppression passes the audit, with no small count anywhere
    assert publication is not None
    report = require_audit(publication)
    assert (report.passed, len(report.bounds)) == (
        True,
        publication.primary_count + publication.complementary_count,
    )
    assert small_counts(release) == []
    # every row has every column of its table, no more
    for table in release.tables:
        names = [c.name for c in table.columns]
        assert all(list(row) == names for row in table.rows), table.slug


def test_rates_take_the_marker_of_a_hidden_count(reference) -> None:
    # given 30 requests opened each week, 3 escalations in one week (D) and 12 in the other
    small_world()
    RollupState.objects.all().delete()
    for day, escalated in ((dt.date(2026, 11, 23), 3), (dt.date(2026, 11, 30), 12)):
        rollup(
            day,
            "NSC",
            "I-130",
            "expedite_request",
            "online",
            opened=30,
            escalated=escalated,
            open_delta=30,
        )
    refreshed(published_through=dt.date(2026, 12, 7))
    # when
    release = current_release(Filters(start=dt.date(2026, 11, 23)))
    # then: the week of Nov 23 is November's (3 escalations: D), the week of Nov 30 is
    # December's (12, hidden H: the total of 15 is published by type); each month's rate
    # is hidden with its count
    assert (release.period_start, release.period_end) == (
        dt.date(2026, 11, 23),
        dt.date(2026, 12, 6),
    )
    assert rows(
        release,
        "escalations-by-month",
        "month",
        "weeks",
        "requests_opened",
        "escalated",
        "escalation_rate",
    ) == [
        ("2026-11", 1, 30, "D", "D"),
        ("2026-12", 1, 30, "H", "H"),
    ]
    assert rows(release, "escalations-by-type", "type", "escalated", "escalation_rate") == [
        ("expedite_request", 15, 0.25),
        ("typographic_error", 0, None),
    ]


def test_filters_narrow_every_table_and_fold_confidential_units(reference) -> None:
    small_world()
    # when only ESC is chosen (ESC-VAWA's requests are ESC's)
    release = current_release(Filters(office="ESC"))
    # then
    assert rows(release, "volume-by-office", "office", "requests_opened") == [("ESC", 35)]
    assert rows(release, "volume-by-week", "week", "requests_opened") == [
        ("2026-10-26", 0),
        ("2026-11-02", "H"),
        ("2026-11-09", "D"),
    ]
    # every type the unfiltered release lists is listed (a row left out would say 0)
    assert rows(release, "volume-by-type", "type", "requests_opened") == [
        ("expedite_request", 35),
        ("typographic_error", 0),
    ]
    # a confidential unit cannot be chosen on its own: nothing is published for it
    assert rows(current_release(Filters(office="ESC-VAWA")), "volume-by-office", "office") == []
    # type, form and channel
    assert rows(
        current_release(Filters(type="typographic_error", channel="phone_tier1", form="I-485")),
        "volume-by-month",
        "month",
        "requests_opened",
    ) == [("2026-10", 40), ("2026-11", 0)]
    # the period: rounded out to whole weeks, clipped to what is published
    narrowed = current_release(Filters(start=dt.date(2026, 11, 4), end=dt.date(2027, 1, 1)))
    assert (narrowed.period_start, narrowed.period_end) == (
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 15),
    )
    assert rows(narrowed, "volume-by-month", "month", "weeks", "requests_opened") == [
        ("2026-11", 2, 35)
    ]


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(office="NSC"),
        Filters(channel="online"),
        Filters(start=dt.date(2026, 11, 2)),
        Filters(office="ESC", type="expedite_request"),
    ],
)
def test_every_filtered_release_passes_the_audit(reference, filters: Filters) -> None:
    small_world()
    release, publication = build_with_publication(filters, RollupState.objects.get())
    assert publication is not None
    assert require_audit(publication).passed is True
    assert small_counts(release) == []


@pytest.mark.parametrize("state", ["none", "never refreshed", "no rollups", "no complete week"])
def test_nothing_published_gives_empty_tables(reference, state: str) -> None:
    if state == "never refreshed":
        RollupState.objects.create(name="daily")
        rollup(dt.date(2026, 10, 26), "NSC", "I-485", "typographic_error", "online", opened=50)
    elif state == "no rollups":
        refreshed()
    elif state == "no complete week":
        refreshed()
        rollup(dt.date(2026, 11, 17), "NSC", "I-485", "typographic_error", "online", opened=50)
    release = current_release()
    assert is_published(release) is False
    assert release.period_start > release.period_end
    assert [(t.slug, t.rows) for t in release.tables] == [(s.slug, ()) for s in TABLES]


def test_a_period_outside_the_published_weeks_is_empty(reference) -> None:
    small_world()
    outside = current_release(Filters(start=dt.date(2027, 1, 4)))
    assert is_published(outside) is False
    assert [t.rows for t in outside.tables] == [()] * len(TABLES)


def test_a_release_that_fails_its_audit_is_not_published(reference, monkeypatch, caplog) -> None:
    # given an audit that finds a hidden cell too narrow
    small_world()
    from srmt.reporting.public import release as module
    from srmt.reporting.suppression import AuditReport

    def failing(publication: Any) -> AuditReport:
        return AuditReport(10.0, 10, "test", (), (), (cell_key({"measure": "opened"}),))

    monkeypatch.setattr(module, "audit", failing)
    # when
    release, publication = build_with_publication(Filters(), RollupState.objects.get())
    # then nothing is published, and the failure is logged
    assert (is_published(release), publication) == (False, None)
    assert [t.rows for t in release.tables] == [()] * len(TABLES)
    assert [r.getMessage() for r in caplog.records] == [
        "public release not published, its audit failed: FAIL: 0 suppressed cells, "
        "protection 10, test /   published small count: measure=opened"
    ]


def test_the_threshold_comes_from_the_settings(reference, settings) -> None:
    small_world()
    settings.SRMT_SUPPRESSION_THRESHOLD = 3
    release, publication = build_with_publication(Filters(), RollupState.objects.get())
    # 5 and 10 are published under a threshold of 3
    assert rows(release, "volume-by-week", "requests_opened") == [(40,), (30,), (5,)]
    assert rows(release, "volume-by-office", "open_at_end") == [(10,), (120,)]
    assert publication is not None
    assert publication.primary_count == 0


def test_the_release_is_cached_until_the_next_refresh(reference, django_assert_num_queries) -> None:
    small_world()
    first = current_release()
    # cached: one query (the refresh state)
    with django_assert_num_queries(1):
        assert current_release() == first
    # new rows are not seen until the rollups are refreshed
    rollup(dt.date(2026, 11, 11), "NSC", "I-485", "typographic_error", "phone_tier1", opened=20)
    assert current_release() == first
    RollupState.objects.update(refreshed_at=REFRESHED_AT + dt.timedelta(hours=1))
    assert rows(current_release(), "volume-by-office", "office", "requests_opened") == [
        ("ESC", 35),
        ("NSC", 60),
    ]
    cache.clear()


def _detection(series: str, level: str, **fields: Any) -> Detection:
    values: dict[str, Any] = {
        "kind": "spike",
        "direction": "up",
        "start": dt.date(2026, 11, 3),
        "end": dt.date(2026, 11, 4),
        "expected": 40.4,
        "observed": 90,
        "p_value": 0.0001,
        "explanation_en": "stored explanation",
        "explanation_es": "explicación guardada",
        "detected_at": REFRESHED_AT,
        "updated_at": REFRESHED_AT,
        **fields,
    }
    return Detection.objects.create(series=series, level=level, **values)


def test_notable_changes_are_public_only_when_both_counts_pass_suppression(reference) -> None:
    small_world()
    _detection("national", "national")
    _detection(
        "channel=online",
        "channel",
        channel="online",
        direction="down",
        kind="drop",
        observed=11,
        expected=25.0,
        start=dt.date(2026, 11, 10),
        end=dt.date(2026, 11, 10),
    )
    # left out: an office-level series, a small observed or expected count, outside the
    # published weeks
    _detection("office=NSC|type=typographic_error", "office_type")
    _detection("channel=mail", "channel", channel="mail", observed=10)
    _detection("channel=fax", "channel", channel="fax", expected=10.6)
    _detection(
        "channel=email",
        "channel",
        channel="email",
        start=dt.date(2026, 11, 16),
        end=dt.date(2026, 11, 16),
    )
    changes = notable_changes(current_release())
    assert [(c.level, c.channel, c.kind, c.higher, c.observed, c.expected) for c in changes] == [
        ("channel", "online", "drop", False, 11, 25),
        ("national", "", "spike", True, 90, 40),
    ]


def test_a_filtered_release_hides_what_the_unfiltered_one_hides(reference) -> None:
    # given office × form counts with one small cell (NSC × I-485: 3)
    refreshed()
    for office, form, opened in (
        ("NSC", "I-485", 3),
        ("NSC", "I-130", 50),
        ("ESC", "I-485", 40),
        ("ESC", "I-130", 60),
    ):
        rollup(dt.date(2026, 10, 27), office, form, "typographic_error", "online", opened=opened)
    state = RollupState.objects.get()
    master, master_publication = build_with_publication(Filters(), state)
    # when the reader narrows to NSC, or to the form I-485
    for filters, slug, key in (
        (Filters(office="NSC"), "volume-by-form", "form"),
        (Filters(form="I-485"), "volume-by-office", "office"),
    ):
        release, publication = build_with_publication(filters, state)
        # then each of its cells that the unfiltered release also shows is hidden if
        # the unfiltered release hides it, and the two pass the audit together
        shown = {
            (row["office"], row["form"]): row["requests_opened"]
            for row in master.table("volume-by-office-and-form").rows
        }
        for row in release.table(slug).rows:
            office = filters.office or str(row[key])
            form = filters.form or str(row[key])
            if isinstance(shown[(office, form)], str):
                assert isinstance(row["requests_opened"], str), (filters, row)
        assert publication is not None
        assert master_publication is not None
        assert set(master_publication.release.values) <= set(publication.release.values)
        assert require_audit(publication).passed is True
        assert small_counts(release) == []


CELLS = st.tuples(
    st.integers(min_value=0, max_value=20),  # days after Monday 2026-10-26
    st.sampled_from(["NSC", "ESC", "ESC-VAWA", "LOS"]),
    st.sampled_from(["I-485", "I-130", ""]),
    st.sampled_from(["typographic_error", "expedite_request"]),
    st.sampled_from(["online", "phone_tier1"]),
)


@examples(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        CELLS,
        st.tuples(st.integers(0, 15), st.integers(0, 15), st.integers(0, 4)),
        min_size=1,
        max_size=25,
    ),
    st.sampled_from([Filters(), Filters(office="ESC"), Filters(start=dt.date(2026, 11, 2))]),
)
@pytest.mark.usefixtures("reference")
def test_any_rollups_give_an_audited_release_without_small_counts(
    cells: dict[tuple[int, str, str, str, str], tuple[int, int, int]], filters: Filters
) -> None:
    cache.clear()  # the master release is cached on the refresh time, the same every example
    DailyRollup.objects.all().delete()
    RollupState.objects.all().delete()
    # the data starts on a Monday: every example publishes three complete weeks
    rollup(dt.date(2026, 10, 26), "NSC", "I-90", "typographic_error", "online", opened=20)
    for (offset, office, form, type_code, channel), (opened, closed, escalated) in cells.items():
        rollup(
            dt.date(2026, 10, 26) + dt.timedelta(days=offset),
            office,
            form,
            type_code,
            channel,
            opened=opened,
            closed=closed,
            escalated=escalated,
            open_delta=opened - closed + 15,
        )
    refreshed()
    release, publication = build_with_publication(filters, RollupState.objects.get())
    if not is_published(release):
        import logging

        logging.getLogger("dbg").error("DBG %r %r", cells, filters)
    assert is_published(release) is True
    assert publication is not None
    assert require_audit(publication).passed is True
    assert small_counts(release) == []


@pytest.mark.parametrize(
    ("days", "within"),
    [(0, 1.0), (14, 1.0), (15, 0.0), (16, 0.0), (366, 0.0)],
)
def test_within_15_days_means_fewer_than_15_whole_days(reference, days: int, within: float) -> None:
    # given 20 closures in the published period, all taking `days` whole days
    cache.clear()
    typo = "typographic_error"
    rollup(dt.date(2026, 10, 26), "NSC", "I-485", typo, "phone_tier1", opened=20, closed=20)
    bucket(dt.date(2026, 10, 26), "NSC", "I-485", typo, "phone_tier1", "final", days, 20)
    refreshed()
    # when
    release = current_release(Filters())
    # then the bucket of 15 whole days is past the target
    assert [
        (r["month"], r["final_within_15_days"]) for r in release.table("timeliness-by-month").rows
    ] == [("2026-10", within), ("2026-11", None)]


def _expected_slice(narrow: dict[str, str], start: dt.date, end: dt.date) -> dict[str, Any]:
    """The sums a slice must give, computed row by row from the database."""
    from collections import Counter, defaultdict

    def key(row: Any) -> dict[str, str]:
        office = row.office
        folded = office.is_confidential and office.parent is not None
        return {
            "office": office.parent.code if folded else office.code,
            "form": row.form,
            "type": row.type.code,
            "channel": row.channel,
        }

    names = ("opened", "closed", "escalated", "repeats", "reopened", "surveys_answered")
    out: dict[str, Any] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    out["open_before"] = 0
    for row in DailyRollup.objects.select_related("office__parent", "type"):
        cell = key(row)
        if any(cell[d] != v for d, v in narrow.items()) or row.day > end:
            continue
        if row.day < start:
            out["open_before"] += row.open_delta
            continue
        monday = periods.week_start(row.day)
        for name in names:
            out["by_week"][monday][name] += getattr(row, name)
            out["by_office_form"][(cell["office"], cell["form"])][name] += getattr(row, name)
            out["by_type"][cell["type"]][name] += getattr(row, name)
        out["open_by_week"][monday]["n"] += row.open_delta
    for row in DailyRollup.objects.select_related("office__parent", "type"):
        cell = key(row)
        if all(cell[d] == v for d, v in narrow.items()) and row.day <= end:
            out["open_channel"][cell["channel"]]["n"] += row.open_delta
    durations: dict[Any, Counter[int]] = defaultdict(Counter)
    for b in DurationBucket.objects.select_related("office__parent", "type"):
        cell = key(b)
        if all(cell[d] == v for d, v in narrow.items()) and start <= b.day <= end:
            durations[(periods.week_start(b.day), b.measure)][b.days] += b.count
            durations[(cell["type"], b.measure)][b.days] += b.count
    out["durations"] = dict(durations)
    return {k: v if not isinstance(v, defaultdict) else _plain(v) for k, v in out.items()}


def _plain(value: Any) -> Any:
    return {k: _plain(v) for k, v in value.items()} if isinstance(value, dict) else value


def test_the_weekly_cube_gives_the_sums_of_the_daily_rollups(reference) -> None:
    # given rollup rows and duration buckets on random days from a Wednesday (a partial week
    # before the period) to past its end, in offices with a confidential unit (ESC-VAWA)
    import random

    from srmt.reporting.public.cube import Cube
    from srmt.reporting.tests.public_fixture import bucket

    rng = random.Random(1012)
    combos = set()
    for _ in range(60):
        combos.add(
            (
                dt.date(2026, 10, 21) + dt.timedelta(days=rng.randrange(32)),
                rng.choice(["NSC", "ESC", "ESC-VAWA"]),
                rng.choice(["I-485", "I-90"]),
                rng.choice(["typographic_error", "expedite_request"]),
                rng.choice(["online", "phone_tier1"]),
            )
        )
    for day, office, form, type_code, channel in sorted(combos):
        drawn = {n: rng.randrange(30) for n in ("opened", "closed", "escalated", "repeats")}
        rollup(day, office, form, type_code, channel, **drawn, open_delta=rng.randrange(-5, 20))
        bucket(
            day, office, form, type_code, channel, "first", rng.randrange(20), 1 + rng.randrange(9)
        )
        bucket(
            day, office, form, type_code, channel, "final", rng.randrange(40), 1 + rng.randrange(9)
        )
    assert DurationBucket.objects.count() == 2 * len(combos)
    # when the cube is read once
    cube = Cube()
    names = ("opened", "closed", "escalated", "repeats", "reopened", "surveys_answered")

    def counts(sums: dict[Any, dict[str, int]]) -> dict[Any, dict[str, int]]:
        return {k: {n: v[n] for n in names} for k, v in sums.items()}

    for narrow in (
        {},
        {"office": "ESC"},
        {"office": "NSC", "channel": "online"},
        {"form": "N-400"},
    ):
        for start, end in (PERIOD, (dt.date(2026, 11, 2), dt.date(2026, 11, 8))):
            part = cube.slice(narrow, start, end)
            expected = _expected_slice(narrow, start, end)
            # then every sum is the database's, row by row
            assert counts(part.by_week) == expected.get("by_week", {})
            assert counts(part.by_office_form) == expected.get("by_office_form", {})
            assert counts(part.by_type) == expected.get("by_type", {})
            assert part.open_before == expected["open_before"]
            assert part.open_by_week == {
                k: v["n"] for k, v in expected.get("open_by_week", {}).items()
            }
            assert part.open_channel == {
                k: v["n"] for k, v in expected.get("open_channel", {}).items()
            }
            durations = {
                (week, measure): histogram
                for week, measures in part.durations_by_week.items()
                for measure, histogram in measures.items()
            } | {
                (type_code, measure): histogram
                for type_code, measures in part.durations_by_type.items()
                for measure, histogram in measures.items()
            }
            assert durations == expected["durations"]


def test_the_cube_is_read_again_after_a_refresh_or_a_cleared_cache(reference) -> None:
    from srmt.reporting.public.cube import cube_for

    small_world()
    # given the cube of a refresh
    first = cube_for("2026-11-18T06:00:00+00:00")
    # then it is kept while the cache holds its token
    assert cube_for("2026-11-18T06:00:00+00:00") is first
    # a new refresh reads the rollups again
    second = cube_for("2026-11-18T07:00:00+00:00")
    assert second is not first
    # and so does a cleared cache
    cache.clear()
    assert cube_for("2026-11-18T07:00:00+00:00") is not second


# small_world lists offices ESC and NSC (ESC-VAWA is folded into ESC), forms I-130 and
# I-485, two types and two channels
SINGLE_FILTERS = [
    ("ESC", "", "", ""),
    ("NSC", "", "", ""),
    ("", "I-130", "", ""),
    ("", "I-485", "", ""),
    ("", "", "expedite_request", ""),
    ("", "", "typographic_error", ""),
    ("", "", "", "online"),
    ("", "", "", "phone_tier1"),
]


def test_a_refresh_builds_every_single_filter_release_into_the_cache(
    reference, django_assert_num_queries
) -> None:
    from srmt.reporting.public.release import build_release, single_filters, warm_published

    small_world()
    # when the refresh warms the releases
    assert warm_published() is True
    # then one release per office, form, type and channel the unfiltered release lists
    assert [(f.office, f.form, f.type, f.channel) for f in single_filters()] == SINGLE_FILTERS
    state = RollupState.objects.get()
    for filters in single_filters():
        # each served from the cache (one query: the refresh state), as built afresh
        with django_assert_num_queries(1):
            cached = current_release(filters)
        assert cached == build_release(filters, state)


def test_the_unfiltered_release_is_rebuilt_from_the_held_master_without_suppressing_again(
    reference, monkeypatch
) -> None:
    from srmt.reporting.public import release as module

    small_world()
    # given the refresh's releases built (the master publication held beside the cube)
    assert module.warm_published() is True
    state = RollupState.objects.get()
    first = current_release(Filters())
    # when the unfiltered release drops out of the cache and is asked for again, with
    # suppression and the audit unavailable
    cache.delete(module._cache_key(state, Filters().cache_part()))

    def unavailable(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("suppressed or audited again")

    monkeypatch.setattr(module, "suppress", unavailable)
    monkeypatch.setattr(module, "audit", unavailable)
    again = current_release(Filters())
    # then it is the same release, from the master's audited suppression
    assert again == first
    assert is_published(again) is True
    monkeypatch.undo()
    first_values = dict(cache.get(module._cache_key(state, "master")).release.values)
    # and a master of other figures is not reused: with new rollups under the same refresh
    # time and the cube read again, the cached master no longer matches the release's
    # cells, so the release is suppressed afresh
    rollup(dt.date(2026, 11, 11), "NSC", "I-485", "typographic_error", "phone_tier1", opened=20)
    cache.delete(f"srmt:release:cube-token:{module._refreshed(state)}")
    assert isinstance(cache.get(module._cache_key(state, "master")), Publication)
    rebuilt, publication = build_with_publication(Filters(), state)
    assert publication is not None
    assert publication.release.values != first_values
    assert rows(rebuilt, "volume-by-office", "office", "requests_opened") == [
        ("ESC", 35),
        ("NSC", 60),
    ]
