"""The daily digest of detections (ADR 0051): once a day to the supervisors of each office
a new or ongoing detection touches, in their language, through the staff email path;
nothing for an office without detections; a confidential unit's only to cleared staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from srmt.accounts.choices import Role
from srmt.notifications.choices import Audience, MessageKind
from srmt.notifications.models import Notification
from srmt.offices.models import Office
from srmt.reporting.detections.digest import send_digests
from srmt.reporting.models import Detection, DigestSent, SeriesLevel
from srmt.testing.factories import make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 10)
NOW = dt.datetime(2026, 6, 10, 6, 0, tzinfo=dt.UTC)


def _detection(series: str, level: str, *, office: str | None, end: dt.date, **extra: Any) -> None:
    Detection.objects.create(
        series=series,
        level=level,
        office=Office.objects.get(code=office) if office else None,
        kind="spike",
        direction="up",
        start=end,
        end=end,
        expected=10.0,
        observed=40,
        p_value=1e-8,
        explanation_en=f"{series} in English.",
        explanation_es=f"{series} en español.",
        detected_at=extra.pop("detected_at", NOW),
        updated_at=NOW,
        **extra,
    )


@pytest.fixture
def world(reference):
    yesterday = TODAY - dt.timedelta(days=1)
    nsc_part = [{"dimension": "office", "value": "NSC", "observed": 30, "expected": 5.0}]
    _detection("national", SeriesLevel.NATIONAL, office=None, end=yesterday, contributors=nsc_part)
    _detection("office=ESC|type=x", SeriesLevel.OFFICE_TYPE, office="ESC", end=yesterday)
    _detection("office=ESC-VAWA|type=x", SeriesLevel.OFFICE_TYPE, office="ESC-VAWA", end=yesterday)
    # Over for a week and detected long ago: in no digest.
    _detection(
        "office=CSC|type=x",
        SeriesLevel.OFFICE_TYPE,
        office="CSC",
        end=TODAY - dt.timedelta(days=8),
        detected_at=NOW - dt.timedelta(days=8),
    )
    people = {
        "esc": make_user(
            "esc", role=Role.SUPERVISOR, offices=["ESC"], email="esc@example.gov", language="es"
        ),
        "nsc": make_user("nsc", role=Role.SUPERVISOR, offices=["NSC"], email="nsc@example.gov"),
        "csc": make_user("csc", role=Role.SUPERVISOR, offices=["CSC"], email="csc@example.gov"),
        "unit": make_user(
            "unit",
            role=Role.SUPERVISOR,
            offices=["ESC-VAWA"],
            email="unit@example.gov",
            is_1367_cleared=True,
        ),
        "unit_uncleared": make_user(
            "unit2", role=Role.SUPERVISOR, offices=["ESC-VAWA"], email="unit2@example.gov"
        ),
    }
    make_user(
        "gone", role=Role.SUPERVISOR, offices=["ESC"], email="gone@example.gov", is_active=False
    )
    make_user("staff", role=Role.OFFICE_STAFF, offices=["ESC"], email="staff@example.gov")
    make_user("nomail", role=Role.SUPERVISOR, offices=["ESC"])
    make_user("national", role=Role.SUPERVISOR, email="national@example.gov")
    return people


def test_sent_once_a_day_to_the_supervisors_of_the_offices_touched(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SRMT_STAFF_BASE_URL = "https://srmt.example.gov"
    with django_capture_on_commit_callbacks(execute=True):
        result = send_digests(TODAY)
    assert result.as_dict() == {"offices": 3, "sent": 3, "already_sent": 0}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "esc@example.gov",
        "nsc@example.gov",
        "unit@example.gov",
    ]
    by_address = {m.to[0]: m for m in mail.outbox}
    nsc = by_address["nsc@example.gov"]
    assert nsc.subject == "1 unusual number of requests at NSC"
    assert nsc.body == (
        "The daily check of the numbers of requests opened found this at NSC Nebraska Service "
        "Center:\n\n- national in English.\n\nThe office's dashboard: "
        "https://srmt.example.gov/staff/dashboards/NSC/\n\nYou receive this email because you "
        "supervise NSC."
    )
    esc = by_address["esc@example.gov"]  # in Spanish, the recipient's language
    assert esc.subject == "1 número inusual de solicitudes en ESC"
    assert "- office=ESC|type=x en español." in esc.body
    rows = Notification.objects.filter(kind=MessageKind.DETECTION_DIGEST)
    assert rows.count() == 3
    assert set(rows.values_list("audience", flat=True)) == {Audience.STAFF}
    unit = rows.get(to_address="unit@example.gov")
    assert unit.is_confidential is True
    assert DigestSent.objects.count() == 3

    # The same day again: nothing leaves, nothing is written.
    with django_capture_on_commit_callbacks(execute=True):
        again = send_digests(TODAY)
    assert again.as_dict() == {"offices": 3, "sent": 0, "already_sent": 3}
    assert len(mail.outbox) == 3
    assert (rows.count(), DigestSent.objects.count()) == (3, 3)


def test_nothing_for_offices_without_detections(reference, django_capture_on_commit_callbacks):
    make_user("esc", role=Role.SUPERVISOR, offices=["ESC"], email="esc@example.gov")
    with django_capture_on_commit_callbacks(execute=True):
        result = send_digests(TODAY)
    assert result.as_dict() == {"offices": 0, "sent": 0, "already_sent": 0}
    assert mail.outbox == []
    assert DigestSent.objects.count() == 0


def test_the_next_day_sends_again_while_the_event_goes_on(world):
    send_digests(TODAY)
    Detection.objects.filter(end=TODAY - dt.timedelta(days=1)).update(end=TODAY)
    result = send_digests(TODAY + dt.timedelta(days=1))
    assert result.sent == 3
    assert DigestSent.objects.count() == 6
    assert timezone.is_aware(DigestSent.objects.first().sent_at)
