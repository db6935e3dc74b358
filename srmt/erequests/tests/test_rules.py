"""The eligibility rules, pure: tables and properties over all dates (ADR 0044)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srmt.erequests import rules

TODAY = dt.date(2026, 11, 2)


@pytest.mark.parametrize(
    ("received_on", "months", "eligible", "from_date"),
    [
        # 4.5 months = 136 days: the inquiry date is 2026-06-19.
        (dt.date(2026, 6, 18), Decimal("4.5"), True, None),
        (dt.date(2026, 6, 19), Decimal("4.5"), False, dt.date(2026, 11, 3)),
        (dt.date(2026, 10, 1), Decimal("4.5"), False, dt.date(2027, 2, 15)),
        # No published time: six months (182 days), inquiry date 2026-05-04.
        (dt.date(2026, 5, 3), None, True, None),
        (dt.date(2026, 5, 4), None, False, dt.date(2026, 11, 3)),
        (dt.date(2020, 1, 1), Decimal("30.0"), True, None),
    ],
)
def test_outside_processing_time_table(received_on, months, eligible, from_date):
    verdict = rules.outside_processing_time(received_on=received_on, today=TODAY, months=months)
    assert verdict.eligible is eligible
    assert verdict.from_date == from_date
    assert verdict.months == (months if months is not None else Decimal(6))


def test_inquiry_date_is_today_minus_the_published_time():
    assert rules.inquiry_date(TODAY, Decimal("4.5")) == dt.date(2026, 6, 19)
    assert rules.inquiry_date(TODAY, None) == dt.date(2026, 5, 4)


dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
month_values = st.one_of(
    st.none(), st.decimals(min_value=Decimal("0.5"), max_value=Decimal("60"), places=1)
)


@settings(deadline=None)  # a shared machine: timing is not the property
@given(received_on=dates, today=dates, months=month_values)
def test_eligible_iff_received_before_the_inquiry_date(received_on, today, months):
    verdict = rules.outside_processing_time(received_on=received_on, today=today, months=months)
    assert verdict.eligible is (received_on < rules.inquiry_date(today, months))


@settings(deadline=None)  # a shared machine: timing is not the property
@given(received_on=dates, today=dates, months=month_values)
def test_the_date_given_is_the_first_day_it_is_allowed(received_on, today, months):
    verdict = rules.outside_processing_time(received_on=received_on, today=today, months=months)
    if verdict.eligible:
        return
    assert verdict.from_date is not None
    assert verdict.from_date > today
    on = rules.outside_processing_time(
        received_on=received_on, today=verdict.from_date, months=months
    )
    before = rules.outside_processing_time(
        received_on=received_on, today=verdict.from_date - dt.timedelta(days=1), months=months
    )
    assert (on.eligible, before.eligible) == (True, False)


@pytest.mark.parametrize(
    ("mailed_on", "wait_days", "eligible", "code", "from_date"),
    [
        (None, 30, False, "not_mailed", None),
        (dt.date(2026, 10, 3), 30, True, "", None),
        (dt.date(2026, 10, 4), 30, False, "too_early", dt.date(2026, 11, 3)),
        (dt.date(2026, 11, 2), 0, True, "", None),
    ],
)
def test_not_received_table(mailed_on, wait_days, eligible, code, from_date):
    verdict = rules.not_received(mailed_on=mailed_on, today=TODAY, wait_days=wait_days)
    assert (verdict.eligible, verdict.code, verdict.from_date) == (eligible, code, from_date)


@settings(deadline=None)  # a shared machine: timing is not the property
@given(mailed_on=dates, today=dates, wait_days=st.integers(min_value=0, max_value=365))
def test_not_received_iff_the_wait_is_over(mailed_on, today, wait_days):
    verdict = rules.not_received(mailed_on=mailed_on, today=today, wait_days=wait_days)
    assert verdict.eligible is ((today - mailed_on).days >= wait_days)
