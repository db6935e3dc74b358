"""The escalation ladder: 15 days to the office holding the case, 21 more to HQ-SCOPS."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from srmt.accounts.choices import Role
from srmt.notifications.models import Notification
from srmt.offices.models import Office
from srmt.service_requests.escalations import (
    LadderMisconfigured,
    escalate_due,
    load_default_ladder,
    steps_in_force,
)
from srmt.service_requests.models import Escalation, EscalationStep, ServiceRequest
from srmt.service_requests.sweep import run_sweep
from srmt.testing.factories import make_service_request, make_user

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2026, 10, 1, 14, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
SECOND = dt.timedelta(seconds=1)


def _request(*, status: str = "received", paused_seconds: int = 0, **kwargs: str) -> ServiceRequest:
    sr = make_service_request(**kwargs)
    ServiceRequest.objects.filter(pk=sr.pk).update(
        created_at=RECEIVED,
        due_at=RECEIVED + 15 * DAY,
        status=status,
        paused_seconds=paused_seconds,
    )
    return sr


def _escalations() -> list[tuple[str, int, str, dt.datetime]]:
    return [
        (e.service_request.reference, e.level, e.office.code, e.escalated_at)
        for e in Escalation.objects.select_related("service_request", "office").order_by(
            "service_request__reference", "level"
        )
    ]


@pytest.fixture(autouse=True)
def ladder(reference: None) -> None:
    # Migration 0002 seeds the ladder; a transactional test's flush may have removed it.
    load_default_ladder()


def test_the_published_ladder_is_seeded_once(reference: None) -> None:
    assert load_default_ladder() == 0
    steps = steps_in_force(dt.date(2026, 11, 1))
    assert [(s.order, s.days_after_previous, s.target, s.office_id) for s in steps] == [
        (1, 15, "case_office", None),
        (2, 21, "headquarters", None),
    ]


@pytest.mark.parametrize(
    ("_case", "at", "expected"),
    [
        ("one second before 15 days", RECEIVED + 15 * DAY - SECOND, []),
        ("15 days: the office holding the case", RECEIVED + 15 * DAY, [(1, "ESC")]),
        ("one second before 15 + 21 days", RECEIVED + 36 * DAY - SECOND, [(1, "ESC")]),
        ("36 days: both rungs at once", RECEIVED + 36 * DAY, [(1, "ESC"), (2, "HQ-SCOPS")]),
    ],
)
def test_a_request_climbs_the_ladder(
    reference: None, _case: str, at: dt.datetime, expected: list[tuple[int, str]]
) -> None:
    # given
    sr = _request()
    # when
    report = escalate_due(at)
    # then
    assert _escalations() == [(sr.reference, level, code, at) for level, code in expected]
    assert report.total == len(expected)
    sr.refresh_from_db()
    assert sr.escalation_level == len(expected)


def test_the_office_holding_the_case_wins_over_the_request_office(reference: None) -> None:
    # given a case transferred to the Nebraska Service Center after the request was routed
    sr = _request()
    case = sr.case
    case.office = Office.objects.get(code="NSC")
    case.save(update_fields=["office"])
    # when
    escalate_due(RECEIVED + 15 * DAY)
    # then
    assert _escalations() == [(sr.reference, 1, "NSC", RECEIVED + 15 * DAY)]


@pytest.mark.parametrize(
    ("_case", "status", "paused_seconds", "at", "expected_levels"),
    [
        ("paused a day: not yet at 15 days", "in_progress", 86400, RECEIVED + 15 * DAY, 0),
        ("paused a day: at 16 days", "in_progress", 86400, RECEIVED + 16 * DAY, 1),
        ("awaiting the customer now", "awaiting_customer", 0, RECEIVED + 40 * DAY, 0),
        ("closed", "closed", 0, RECEIVED + 40 * DAY, 0),
        ("withdrawn", "withdrawn", 0, RECEIVED + 40 * DAY, 0),
        ("answered but still open", "responded", 0, RECEIVED + 15 * DAY, 1),
    ],
)
def test_only_running_clocks_escalate(
    reference: None,
    _case: str,
    status: str,
    paused_seconds: int,
    at: dt.datetime,
    expected_levels: int,
) -> None:
    sr = _request(status=status, paused_seconds=paused_seconds)
    escalate_due(at)
    assert Escalation.objects.filter(service_request=sr).count() == expected_levels
    sr.refresh_from_db()
    assert sr.escalation_level == expected_levels


def test_a_second_sweep_escalates_nobody_again(reference: None) -> None:
    # given
    sr = _request()
    first = escalate_due(RECEIVED + 20 * DAY)
    # when
    second = escalate_due(RECEIVED + 21 * DAY)
    # then
    assert (first.by_level, second.by_level) == ({1: 1, 2: 0}, {1: 0, 2: 0})
    assert _escalations() == [(sr.reference, 1, "ESC", RECEIVED + 20 * DAY)]


def test_supervisors_of_the_target_office_get_one_digest(reference: None) -> None:
    # given supervisors: at ESC, without offices, at NSC, at ESC without email; an officer
    make_user("sup_esc", role=Role.SUPERVISOR, offices=["ESC"], email="esc@example.gov")
    make_user("sup_all", role=Role.SUPERVISOR, email="all@example.gov", language="es")
    make_user("sup_nsc", role=Role.SUPERVISOR, offices=["NSC"], email="nsc@example.gov")
    make_user("sup_mute", role=Role.SUPERVISOR, offices=["ESC"], email="")
    make_user("officer", role=Role.OFFICE_STAFF, offices=["ESC"], email="off@example.gov")
    requests = [_request(), _request()]
    # when
    report = run_sweep(at=RECEIVED + 16 * DAY)
    # then
    assert report.escalations.notifications == 2
    sent = {n.to_address: n for n in Notification.objects.filter(audience="staff")}
    assert sorted(sent) == ["all@example.gov", "esc@example.gov"]
    references = sorted(sr.reference for sr in requests)
    english = sent["esc@example.gov"]
    assert english.subject == "2 service requests escalated to ESC"
    assert english.body.splitlines()[2:] == [
        f"{ref}  http://127.0.0.1:8000/staff/requests/{ref}/" for ref in references
    ]
    assert english.related_reference == ""
    spanish = sent["all@example.gov"]
    assert (spanish.language, spanish.subject) == (
        "es",
        "2 solicitudes de servicio escaladas a ESC",
    )


def test_a_ladder_step_to_a_missing_headquarters_office_is_refused(reference: None) -> None:
    # given HQ-SCOPS is gone from the office table (a misconfiguration)
    sr = _request()
    Office.objects.filter(code="HQ-SCOPS").update(code="HQ-OLD")
    # when / then: nothing is escalated, not even the first rung
    with pytest.raises(LadderMisconfigured, match=r"Office HQ-SCOPS does not exist\."):
        run_sweep(at=RECEIVED + 40 * DAY)
    assert Escalation.objects.count() == 0
    sr.refresh_from_db()
    assert sr.escalation_level == 0


def test_a_newer_ladder_replaces_the_old_one_from_its_date(reference: None) -> None:
    # given a ladder from 2026-10-10 with 10 days to a fixed office
    EscalationStep.objects.create(
        order=1,
        name="Contact center review",
        days_after_previous=10,
        target="fixed_office",
        office=Office.objects.get(code="CSC"),
        effective_from=dt.date(2026, 10, 10),
    )
    sr = _request()
    # when
    escalate_due(RECEIVED + 10 * DAY)
    # then
    assert _escalations() == [(sr.reference, 1, "CSC", RECEIVED + 10 * DAY)]


def test_the_api_shows_the_state_and_the_escalations_and_filters_on_them(
    reference: None,
) -> None:
    from rest_framework.test import APIClient

    # given one request swept to level 2 and one fresh request, seen by a supervisor
    supervisor = make_user("sup", role=Role.SUPERVISOR, offices=["ESC"], is_1367_cleared=True)
    late = _request()
    fresh = make_service_request()
    run_sweep(at=RECEIVED + 36 * DAY)
    client = APIClient()
    client.force_authenticate(supervisor)
    # when
    detail = client.get(f"/api/v1/service-requests/{late.reference}/").json()
    escalated = client.get("/api/v1/service-requests/?escalation_level_min=2").json()
    overdue = client.get("/api/v1/service-requests/?deadline_state=overdue").json()
    refused = client.get("/api/v1/service-requests/?deadline_state=late")
    # then
    at = RECEIVED + 36 * DAY
    assert detail["deadline_state"] == "overdue"
    assert dt.datetime.fromisoformat(detail["at_risk_at"]) == RECEIVED + 12 * DAY  # 80 % of 15
    for row in detail["escalations"]:
        assert dt.datetime.fromisoformat(row.pop("escalated_at")) == at
    assert (detail["escalation_level"], detail["paused_at"]) == (2, None)
    assert detail["escalations"] == [
        {
            "level": 1,
            "step": "Office holding the case",
            "office": {"code": "ESC", "name": Office.objects.get(code="ESC").name},
        },
        {
            "level": 2,
            "step": "Headquarters (HQ-SCOPS)",
            "office": {"code": "HQ-SCOPS", "name": Office.objects.get(code="HQ-SCOPS").name},
        },
    ]
    assert [r["reference"] for r in escalated["results"]] == [late.reference]
    assert [r["reference"] for r in overdue["results"]] == [late.reference]
    assert fresh.reference not in {r["reference"] for r in overdue["results"]}
    assert refused.status_code == 400


def test_the_staff_queue_tags_escalated_requests_and_filters_on_them(reference: None) -> None:
    from django.test import Client

    # given one escalated request and one fresh one at ESC
    staff = make_user("olga", role=Role.OFFICE_STAFF, offices=["ESC"])
    late = _request()
    fresh = make_service_request()
    run_sweep(at=RECEIVED + 16 * DAY)
    client = Client()
    client.force_login(staff)
    # when
    everything = client.get("/staff/queues/ESC/")
    escalated = client.get("/staff/queues/ESC/?escalated=on")
    # then
    assert {sr.reference for sr, *_flags in everything.context["rows"]} == {
        late.reference,
        fresh.reference,
    }
    assert [sr.reference for sr, *_flags in escalated.context["rows"]] == [late.reference]
    assert escalated.content.decode().count("Escalated (1)") == 1


def test_the_headquarters_queue_lists_the_requests_escalated_to_it(reference: None) -> None:
    from django.test import Client

    # given one request escalated to both rungs, held at ESC, and a national supervisor
    supervisor = make_user("sup_hq", role=Role.SUPERVISOR, offices=["HQ-SCOPS"])
    late = _request()
    make_service_request()
    run_sweep(at=RECEIVED + 36 * DAY)
    client = Client()
    client.force_login(supervisor)
    # when
    everything = client.get("/staff/queues/HQ-SCOPS/")
    escalated = client.get("/staff/queues/HQ-SCOPS/?escalated=on")
    esc_escalated = client.get("/staff/queues/ESC/?escalated=on")
    # then HQ holds nothing, but its escalated view lists the request, saying who holds it
    assert list(everything.context["rows"]) == []
    assert [sr.reference for sr, *_flags in escalated.context["rows"]] == [late.reference]
    assert escalated.content.decode().count("Held by ESC") == 1
    assert [sr.reference for sr, *_flags in esc_escalated.context["rows"]] == [late.reference]
    assert esc_escalated.content.decode().count("Held by") == 0


@pytest.mark.parametrize(
    ("language", "heading", "caption", "rungs"),
    [
        ("en", "Escalations", "No answer within the escalation period: escalated 2 times.",
         ["The office holding the case", "The headquarters unit (HQ-SCOPS)"]),
        ("es", "Escalamientos", "Sin respuesta dentro del plazo de escalamiento: escalada 2 "
         "veces.", ["La oficina que tiene el caso", "La unidad de la sede central (HQ-SCOPS)"]),
    ],
)  # fmt: skip
def test_the_detail_page_lists_the_escalations(
    reference: None, language: str, heading: str, caption: str, rungs: list[str]
) -> None:
    from django.test import Client

    # given a request escalated to both rungs
    staff = make_user("olga", role=Role.OFFICE_STAFF, offices=["ESC"])
    late = _request()
    fresh = make_service_request()
    run_sweep(at=RECEIVED + 36 * DAY)
    client = Client(headers={"accept-language": language})
    client.force_login(staff)
    # when
    page = client.get(f"/staff/requests/{late.reference}/")
    fresh_page = client.get(f"/staff/requests/{fresh.reference}/")
    # then
    html = page.content.decode()
    assert [e.level for e in page.context["escalations"]] == [1, 2]
    assert f'<h2 id="escalations-heading">{heading}</h2>' in html
    assert caption in html
    assert all(f"<td>{rung}</td>" in html for rung in rungs)
    assert fresh_page.context["escalations"] == []
    assert 'id="escalations-heading"' not in fresh_page.content.decode()


@pytest.mark.parametrize(
    ("count", "language", "subject", "intro"),
    [
        (
            1,
            "en",
            "1 service request escalated to ESC",
            "This service request had no answer within the escalation period and was "
            "escalated to ESC Vermont Service Center:",
        ),
        (
            2,
            "en",
            "2 service requests escalated to ESC",
            "These service requests had no answer within the escalation period and were "
            "escalated to ESC Vermont Service Center:",
        ),
        (
            1,
            "es",
            "1 solicitud de servicio escalada a ESC",
            "Esta solicitud de servicio no recibió respuesta dentro del plazo de escalamiento "
            "y se escaló a ESC Vermont Service Center:",
        ),
        (
            2,
            "es",
            "2 solicitudes de servicio escaladas a ESC",
            "Estas solicitudes de servicio no recibieron respuesta dentro del plazo de "
            "escalamiento y se escalaron a ESC Vermont Service Center:",
        ),
    ],
)
def test_a_digest_names_each_request_with_a_link_and_the_right_plural(
    reference: None, settings: Any, count: int, language: str, subject: str, intro: str
) -> None:
    settings.SRMT_STAFF_BASE_URL = "https://srmt.agency.example"
    make_user("sup_esc", role=Role.SUPERVISOR, offices=["ESC"], email="esc@example.gov",
              language=language)  # fmt: skip
    references = sorted(_request().reference for _ in range(count))
    run_sweep(at=RECEIVED + 16 * DAY)
    digest = Notification.objects.get(audience="staff")
    assert (digest.subject, digest.language) == (subject, language)
    assert digest.body.splitlines() == [
        intro,
        "",
        *(f"{ref}  https://srmt.agency.example/staff/requests/{ref}/" for ref in references),
    ]
    assert digest.related_reference == (references[0] if count == 1 else "")


def test_a_digest_reaches_the_supervisors_of_the_requests_office_too(reference: None) -> None:
    # given a request held by NSC on a case held by ESC: level 1 goes to ESC
    make_user("sup_esc", role=Role.SUPERVISOR, offices=["ESC"], email="esc@example.gov")
    make_user("sup_nsc", role=Role.SUPERVISOR, offices=["NSC"], email="nsc@example.gov")
    make_user("sup_csc", role=Role.SUPERVISOR, offices=["CSC"], email="csc@example.gov")
    held_by_nsc = _request()
    held_by_esc = _request()
    ServiceRequest.objects.filter(pk=held_by_nsc.pk).update(office=Office.objects.get(code="NSC"))
    # when
    run_sweep(at=RECEIVED + 16 * DAY)
    # then ESC's supervisor hears of both, NSC's of its own request only, CSC's of nothing
    bodies = {
        n.to_address: [line.split()[0] for line in n.body.splitlines()[2:]]
        for n in Notification.objects.filter(audience="staff")
    }
    assert bodies == {
        "esc@example.gov": sorted([held_by_nsc.reference, held_by_esc.reference]),
        "nsc@example.gov": [held_by_nsc.reference],
    }
