"""Times on staff pages: one format, the office's time zone with its label, SLA countdowns
in English and Spanish with the right plurals."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from srmt.offices.models import Office
from srmt.staff.templatetags.times import countdown, office_date, office_time, user_time

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 3, 15, 42, tzinfo=UTC)  # 10:42 in New York (EST)


def _office(time_zone: str) -> Office:
    return Office(code="X", name="X", time_zone=time_zone)


@pytest.mark.parametrize(
    ("language", "time_zone", "value", "shown"),
    [
        ("en", "America/New_York", NOW, "3 Dec 2026, 10:42 EST"),
        ("en", "America/Los_Angeles", NOW, "3 Dec 2026, 07:42 PST"),
        (
            "en",
            "America/Chicago",
            dt.datetime(2026, 7, 1, 15, 0, tzinfo=UTC),
            "1 Jul 2026, 10:00 CDT",
        ),
        ("en", "Pacific/Honolulu", NOW, "3 Dec 2026, 05:42 HST"),
        (
            "en",
            "America/New_York",
            dt.datetime(2026, 1, 1, 4, 59, tzinfo=UTC),
            "31 Dec 2025, 23:59 EST",
        ),
        ("es", "America/New_York", NOW, "3 Dic 2026, 10:42 EST"),
        ("es", "America/Mexico_City", NOW, "3 Dic 2026, 09:42 CST"),
    ],
)
def test_office_time(language, time_zone, value, shown):
    with translation.override(language):
        assert office_time(value, _office(time_zone)) == shown


def test_office_time_without_an_office_uses_the_service_zone_and_none_is_empty():
    assert office_time(NOW, None) == "3 Dec 2026, 10:42 EST"
    assert office_time(None, _office("America/New_York")) == ""


def test_office_date_reads_a_moment_in_the_office_zone():
    late = dt.datetime(2026, 12, 4, 3, 0, tzinfo=UTC)  # still the 3rd in Los Angeles
    assert office_date(late, _office("America/Los_Angeles")) == "3 Dec 2026"
    assert office_date(dt.date(2026, 3, 9)) == "9 Mar 2026"


HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("delta", "english", "spanish"),
    [
        (2 * DAY + 4 * HOUR, "due in 2 days 4 h", "vence en 2 días 4 h"),
        (DAY, "due in 1 day", "vence en 1 día"),
        (DAY + 30 * MINUTE, "due in 1 day", "vence en 1 día"),
        (5 * HOUR + 20 * MINUTE, "due in 5 h 20 min", "vence en 5 h 20 min"),
        (3 * HOUR, "due in 3 h", "vence en 3 h"),
        (45 * MINUTE, "due in 45 min", "vence en 45 min"),
        (20 * dt.timedelta(seconds=1), "due in less than a minute", "vence en menos de un minuto"),
        (dt.timedelta(0), "due in less than a minute", "vence en menos de un minuto"),
        (-3 * HOUR, "overdue by 3 h", "vencida hace 3 h"),
        (-(1 * DAY + HOUR), "overdue by 1 day 1 h", "vencida hace 1 día 1 h"),
        (-(12 * DAY), "overdue by 12 days", "vencida hace 12 días"),
    ],
)
def test_countdown(delta, english, spanish):
    with translation.override("en"):
        assert countdown(NOW + delta, NOW) == english
    with translation.override("es"):
        assert countdown(NOW + delta, NOW) == spanish


def test_countdown_counts_from_this_moment_by_default():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        assert countdown(NOW + 2 * DAY + 4 * HOUR) == "due in 2 days 4 h"
        assert countdown(None) == ""


def test_the_deadline_component_keeps_its_context_and_adds_the_countdown(reference):
    office = Office.objects.get(code="POO")
    template = Template('{% include "components/deadline.html" %}')
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        html = template.render(
            Context({"due_at": NOW - 3 * HOUR, "overdue": True, "at_risk": False, "office": office})
        )
    assert '<time datetime="2026-12-03T15:42:00+00:00"' in html or "2026-12-03T" in html
    assert "3 Dec 2026, 04:42 PST" in html
    assert "Overdue" in html
    assert "overdue by 3 h" in html


@pytest.mark.django_db
def test_user_time_uses_the_users_office(reference):
    from srmt.accounts.choices import Role
    from srmt.testing.factories import make_user

    user = make_user("pat.poo", role=Role.OFFICE_STAFF, offices=["POO"])
    assert user_time(Context({"user": user}), NOW) == "3 Dec 2026, 07:42 PST"
