"""Every outcome metric on the hand-computed world of fixture.py (docs/metrics.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from srmt.outcomes import metrics
from srmt.outcomes.metrics import Durations, GroupBy, Period, Ratio
from srmt.outcomes.sql import percentile_cont
from srmt.outcomes.tests import fixture
from srmt.outcomes.tests.fixture import AS_OF, DAY

MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference):
    return fixture.build()


def _outcomes(group_by=GroupBy.OFFICE, period=MARCH, fold=True):
    return metrics.outcomes(period=period, group_by=group_by, as_of=AS_OF, fold_confidential=fold)


# metric -> (value read from a row, the hand-computed total)
TOTALS = [
    ("requests", lambda r: r.requests, 5),  # A B C E F (G merged, H and D outside March)
    ("first-contact resolution", lambda r: r.first_contact_resolution, Ratio(1, 3)),  # A of A B C
    ("repeats within 30 days", lambda r: r.repeats[30], Ratio(1, 3)),  # C (E 10 days later)
    ("repeats within 60 days", lambda r: r.repeats[60], Ratio(2, 3)),  # and B (D 46 days later)
    ("repeats within 90 days", lambda r: r.repeats[90], Ratio(2, 3)),
    ("reopened", lambda r: r.reopened, Ratio(1, 3)),  # C
    ("form letters overridden", lambda r: r.form_letters_overridden, Ratio(1, 2)),  # B's two
    (
        "time to first response",
        lambda r: r.first_response_time,
        # 1, 2 and 18 days: median 2; p80 at rank 1.6 = 2 + 0.6 * 16 days
        Durations(3, 2 * DAY, pytest.approx(2 * DAY + 0.6 * 16 * DAY)),
    ),
    (
        "time to final response",
        lambda r: r.final_response_time,
        # 1, 8 and 18 days (C's first closure): median 8; p80 = 8 + 0.6 * 10 days
        Durations(3, 8 * DAY, pytest.approx(8 * DAY + 0.6 * 10 * DAY)),
    ),
    # A and B on time; C late; E overdue without a response; F not due yet
    ("first response on time", lambda r: r.first_response_on_time, Ratio(2, 4)),
    ("final response on time", lambda r: r.final_response_on_time, Ratio(2, 4)),
    ("surveys answered", lambda r: r.surveys_answered, Ratio(2, 3)),  # A and C of A B C
    ("satisfied", lambda r: r.satisfied, Ratio(1, 2)),  # A's 5, not C's 2
    ("mean rating", lambda r: r.mean_rating, 3.5),
]


@pytest.mark.parametrize(("metric", "read", "expected"), TOTALS, ids=[t[0] for t in TOTALS])
def test_each_metric_on_the_hand_computed_world(world, metric, read, expected):
    assert read(_outcomes().total) == expected


def test_the_rates_are_the_ratios():
    assert (Ratio(1, 3).rate, Ratio(0, 0).rate, Ratio(2, 4).rate) == (1 / 3, None, 0.5)


def test_a_confidential_unit_folds_into_its_parent_for_the_uncleared(world):
    folded = {row.key: row.requests for row in _outcomes(fold=True).rows}
    cleared = {row.key: row.requests for row in _outcomes(fold=False).rows}
    assert folded == {"ESC": 4, "NSC": 1}
    assert cleared == {"ESC": 3, "ESC-VAWA": 1, "NSC": 1}


def test_rows_by_office_carry_their_own_metrics(world):
    rows = {row.key: row for row in _outcomes().rows}
    esc, nsc = rows["ESC"], rows["NSC"]
    assert (esc.first_contact_resolution, esc.reopened, esc.repeats[60]) == (
        Ratio(1, 3),
        Ratio(1, 3),
        Ratio(2, 3),
    )
    assert (esc.first_response_on_time, esc.final_response_on_time) == (Ratio(2, 3), Ratio(2, 3))
    assert (nsc.first_response_on_time, nsc.final_response_on_time) == (Ratio(0, 1), Ratio(0, 1))
    assert (nsc.surveys_answered, nsc.mean_rating) == (Ratio(0, 0), None)
    assert nsc.first_response_time == Durations(0, None, None)


@pytest.mark.parametrize(
    ("group_by", "expected"),
    [
        (GroupBy.TYPE, {"general_case_inquiry": 4, "notice_not_received": 1}),
        (GroupBy.CHANNEL, {"phone_tier1": 3, "online": 2}),
        (GroupBy.LANGUAGE, {"en": 3, "es": 2}),
        (GroupBy.MONTH, {"2026-03": 5}),
    ],
)
def test_grouping(world, group_by, expected):
    assert {row.key: row.requests for row in _outcomes(group_by).rows} == expected


def test_months_of_a_longer_period(world):
    spring = Period(dt.date(2026, 2, 1), dt.date(2026, 4, 30))
    rows = _outcomes(GroupBy.MONTH, spring).rows
    assert [(r.key, r.requests) for r in rows] == [("2026-02", 1), ("2026-03", 5), ("2026-04", 1)]


def test_labels_in_both_languages(world):
    rows = {row.key: row for row in _outcomes(GroupBy.TYPE).rows}
    label = rows["notice_not_received"]
    assert (label.label("en"), label.label("es")) == (
        "Notice, card or document not received",
        "Aviso, tarjeta o documento no recibido",
    )


def test_a_repeat_window_not_over_yet_is_left_out(world):
    # As of 2026-04-25, A (closed 03-03) and B (03-10) are 53 and 46 days past their final
    # response, C (03-20) 36: all in the 30-day denominator, none in the 60-day one.
    early = metrics.outcomes(
        period=MARCH,
        group_by=GroupBy.OFFICE,
        as_of=dt.datetime(2026, 4, 25, tzinfo=dt.UTC),
        fold_confidential=True,
    )
    assert (early.total.repeats[30], early.total.repeats[60]) == (Ratio(1, 3), Ratio(0, 0))


def test_an_empty_period():
    empty = _outcomes(period=Period(dt.date(2030, 1, 1), dt.date(2030, 1, 31)))
    assert (empty.rows, empty.total.requests, empty.total.reopened) == ([], 0, Ratio(0, 0))


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [([], 0.5, None), ([4.0], 0.8, 4.0), ([1, 2, 3, 4], 0.5, 2.5), ([3, 1, 2], 0.0, 1)],
)
def test_percentile_cont_in_python(values, fraction, expected):
    assert percentile_cont(values, fraction) == expected


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 1), "invalid_period"),
        (dt.date(2023, 1, 1), dt.date(2026, 1, 5), "invalid_period"),
        (dt.date(2023, 1, 1), dt.date(2026, 1, 4), None),  # 1,100 days
        (dt.date(2026, 3, 1), dt.date(2026, 3, 1), None),
    ],
)
def test_a_period_is_checked(start, end, code):
    if code is None:
        assert metrics.Period.checked(start, end) == Period(start, end)
    else:
        with pytest.raises(metrics.InvalidPeriod) as refused:
            metrics.Period.checked(start, end)
        assert refused.value.code == code


@pytest.mark.parametrize(
    ("today", "start"),
    [(dt.date(2026, 12, 4), dt.date(2026, 1, 1)), (dt.date(2026, 3, 31), dt.date(2025, 4, 1))],
)
def test_the_default_period_is_twelve_months(today, start):
    assert Period.default(today) == Period(start, today)
