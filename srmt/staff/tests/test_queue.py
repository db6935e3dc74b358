"""Home, work queues and statistics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.service_requests import escalations, services
from srmt.service_requests.models import ServiceRequest
from srmt.staff.tests.conftest import client_for
from srmt.staff.tests.demo import build_demo
from srmt.testing.factories import make_case, make_service_request, make_user


def _references(response) -> list[str]:
    return [sr.reference for sr, _overdue, _at_risk in response.context["rows"]]


@pytest.fixture
def demo(tier1, esc_staff):
    return build_demo(intake=tier1, worker=esc_staff)


MY_WORK = ["assigned", "due-soon", "returned", "changed"]


@pytest.mark.parametrize(
    ("role", "offices", "sections"),
    [
        (Role.OFFICE_STAFF, ["ESC"], [*MY_WORK, "office-ESC"]),
        (Role.TIER1, ["CC-T1"], ["recorded"]),
        (Role.TIER2, ["CC-T2"], MY_WORK),
        (Role.SUPERVISOR, ["ESC"], ["escalated", "review", *MY_WORK]),
        (Role.ADMINISTRATOR, [], ["escalated", "review", *MY_WORK]),
        (Role.QA_REVIEWER, [], ["recorded"]),
    ],
)
def test_home_shows_each_role_its_own_page(reference, role, offices, sections):
    user = make_user(role=role, offices=offices)
    response = client_for(user).get("/staff/")
    assert response.status_code == 200
    assert [s.key for s in response.context["home"].sections] == sections


@pytest.mark.parametrize(
    ("role", "status", "location"),
    [(Role.ANALYST, 302, "/staff/statistics/"), (Role.CASE_SYSTEM, 403, None)],
)
def test_home_of_roles_that_see_no_requests(reference, role, status, location):
    response = client_for(make_user(role=role)).get("/staff/")
    assert response.status_code == status
    assert response.get("Location") == location


@pytest.mark.parametrize(
    ("role", "offices", "target"),
    [
        (Role.OFFICE_STAFF, ["ESC"], "/staff/queues/ESC/"),
        (Role.TIER1, ["CC-T1"], "/staff/queues/CC-T1/"),
        (Role.QA_REVIEWER, [], "/staff/queues/AAO/"),  # no office of their own: the first office
    ],
)
def test_the_queues_link_opens_each_role_s_first_queue(reference, role, offices, target):
    response = client_for(make_user(role=role, offices=offices)).get("/staff/queues/")
    assert (response.status_code, response["Location"]) == (302, target)


def test_queue_lists_open_requests_by_due_date_with_overdue_and_at_risk_in_words(esc_staff, demo):
    response = client_for(esc_staff).get("/staff/queues/ESC/")
    assert response.status_code == 200
    assert _references(response) == [
        demo.overdue.reference,
        demo.at_risk.reference,
        *sorted(
            [demo.worked.reference, demo.fresh.reference],
            key=lambda r: ServiceRequest.objects.get(reference=r).due_at,
        ),
    ]
    content = response.content.decode()
    assert content.count('<span class="usa-tag srmt-tag--overdue">Overdue</span>') == 1
    assert content.count('<span class="usa-tag srmt-tag--at-risk">At risk</span>') == 1
    assert "4 service requests match." in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("overdue=on", ["overdue"]),
        ("at_risk=on", ["at_risk"]),
        ("assigned=me", ["worked"]),
        ("type=expedite_request", ["at_risk"]),
        ("status=responded", ["worked"]),
        ("assigned=unassigned&sort=-created", ["fresh", "at_risk", "overdue"]),
        ("channel=email", []),
    ],
)
def test_queue_filters(esc_staff, demo, query, expected):
    response = client_for(esc_staff).get(f"/staff/queues/ESC/?{query}")
    assert _references(response) == [getattr(demo, name).reference for name in expected]


def test_queue_status_all_includes_closed_requests(esc_staff, demo):
    services.add_response(demo.fresh, actor=esc_staff, kind="final", body="Done.")
    client = client_for(esc_staff)
    assert demo.fresh.reference not in _references(client.get("/staff/queues/ESC/"))
    assert demo.fresh.reference in _references(client.get("/staff/queues/ESC/?status=all"))


def test_queue_records_one_audit_event_per_page_with_the_references_shown(esc_staff, demo):
    client_for(esc_staff).get("/staff/queues/ESC/?overdue=on")
    event = AuditEvent.objects.get(action="service_request.listed")
    assert event.actor == esc_staff
    assert event.changes == {"ids": [demo.overdue.reference]}


def test_queue_is_paginated_by_25(reference, tier1, esc_staff):
    case = make_case(office="ESC")
    made = [
        make_service_request(actor=tier1, receipt_number=case.receipt_number) for _ in range(27)
    ]
    client = client_for(esc_staff)
    first = client.get("/staff/queues/ESC/")
    second = client.get("/staff/queues/ESC/?page=2")
    assert len(_references(first)) == 25
    assert len(_references(second)) == 2
    assert set(_references(first) + _references(second)) == {sr.reference for sr in made}
    assert 'href="?page=2"' in first.content.decode()
    assert 'aria-current="page">2</a>' in second.content.decode()


def _queue_queries(client, django_assert_num_queries) -> None:
    # session, user, the user's offices, offices, types, count, rows, audit insert; the
    # user's saved views, the staff and offices of the bulk form, the header's unread count
    with django_assert_num_queries(12):
        assert client.get("/staff/queues/ESC/?status=all&sort=created").status_code == 200


def test_queue_query_count_does_not_grow_with_rows(
    reference, tier1, esc_staff, django_assert_num_queries
):
    client = client_for(esc_staff)
    case = make_case(office="ESC")
    make_service_request(actor=tier1, receipt_number=case.receipt_number)
    _queue_queries(client, django_assert_num_queries)
    for _ in range(10):
        sr = make_service_request(actor=tier1, receipt_number=case.receipt_number)
        services.assign_request(sr, actor=esc_staff, assignee=esc_staff)
    _queue_queries(client, django_assert_num_queries)


def test_office_staff_cannot_open_another_office_queue(csc_staff, demo):
    client = client_for(csc_staff)
    assert client.get("/staff/queues/ESC/").status_code == 404
    assert client.get("/staff/queues/?office=ESC").status_code == 404
    assert not AuditEvent.objects.filter(action="service_request.listed").exists()


def test_office_selector_goes_to_the_chosen_queue(supervisor):
    response = client_for(supervisor).get("/staff/queues/?office=CSC")
    assert response.status_code == 302
    assert response["Location"] == "/staff/queues/CSC/"


def test_statistics_for_analysts_show_counts_only(analyst, demo):
    response = client_for(analyst).get("/staff/statistics/")
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.total == 4
    assert stats.open_overdue == 1
    assert ("Received", 3) in stats.by_status
    assert ("Responded", 1) in stats.by_status
    assert stats.by_office == [("ESC", "Vermont Service Center", 4)]
    assert stats.by_type == [
        ("General case inquiry", 2),
        ("Expedite request", 1),
        ("Case outside normal processing time", 1),
    ]
    content = response.content.decode()
    for sr in (demo.worked, demo.overdue, demo.at_risk, demo.fresh):
        assert sr.reference not in content
    assert "Ana Pérez" not in content


@pytest.mark.parametrize("fixture", ["esc_staff", "tier1"])
def test_statistics_refused_to_roles_without_aggregates(request, fixture):
    user = request.getfixturevalue(fixture)
    response = client_for(user).get("/staff/statistics/")
    assert response.status_code == 403
    assert "You cannot do that" in response.content.decode()


def test_analyst_has_no_queue(analyst, demo):
    assert client_for(analyst).get("/staff/queues/ESC/").status_code == 404


def test_office_staff_at_headquarters_see_what_is_escalated_there_and_only_see_it(reference):
    # given a request held by ESC and one on a 1367 case held by the VAWA/T/U unit, both
    # climbed to the ladder's level 2 (HQ-SCOPS), and office staff at HQ-SCOPS (ADR 23)
    creator = make_user("creator", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    late = make_service_request(
        actor=creator, receipt_number=make_case(office="ESC").receipt_number
    )
    protected = make_service_request(
        actor=creator, receipt_number=make_case(office="ESC", is_protected=True).receipt_number
    )
    escalations.load_default_ladder()
    escalations.escalate_due(timezone.now() + dt.timedelta(days=36))
    hq_staff = make_user("hana.hq", role=Role.OFFICE_STAFF, offices=["HQ-SCOPS"])
    cleared = make_user(
        "carla.hq", role=Role.OFFICE_STAFF, offices=["HQ-SCOPS"], is_1367_cleared=True
    )
    client = client_for(hq_staff)
    # when
    held = client.get("/staff/queues/HQ-SCOPS/")
    escalated = client.get("/staff/queues/HQ-SCOPS/?escalated=on")
    cleared_escalated = client_for(cleared).get("/staff/queues/HQ-SCOPS/?escalated=on")
    page = client.get(f"/staff/requests/{late.reference}/")
    actions = client.get(f"/staff/requests/{late.reference}/respond/")
    protected_page = client.get(f"/staff/requests/{protected.reference}/")
    # then HQ-SCOPS holds nothing; its escalated view lists what it may see, and who holds it
    assert list(held.context["rows"]) == []
    assert _references(escalated) == [late.reference]
    assert escalated.content.decode().count("Held by ESC") == 1
    assert sorted(_references(cleared_escalated)) == sorted([late.reference, protected.reference])
    assert protected_page.status_code == 404  # 8 U.S.C. 1367 on top
    # and they see the request, but the office holding it works it: no action is offered
    assert page.status_code == 200
    assert page.context["actions"].any is False
    assert actions.status_code == 403


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("note", {"body": "HQ looked at it."}),
        ("respond", {"kind": "initial", "body": "We are on it."}),
        ("status", {"to": "in_progress"}),
        ("assign", {"assignee": ""}),
    ],
)
def test_office_staff_at_headquarters_cannot_act_on_what_is_escalated_there(reference, path, data):
    # given a request held by ESC, escalated to HQ-SCOPS
    late = make_service_request(receipt_number=make_case(office="ESC").receipt_number)
    escalations.load_default_ladder()
    escalations.escalate_due(timezone.now() + dt.timedelta(days=36))
    hq_staff = make_user("hana.hq", role=Role.OFFICE_STAFF, offices=["HQ-SCOPS"])
    client = client_for(hq_staff)
    client.get(f"/staff/requests/{late.reference}/")  # signed in and looked at it (audited)
    before = _state(late)
    # when
    response = client.post(f"/staff/requests/{late.reference}/{path}/", data)
    # then
    assert response.status_code == 403
    assert _state(late) == before


def _state(sr: ServiceRequest) -> dict[str, object]:
    fresh = ServiceRequest.objects.get(pk=sr.pk)
    return {
        "version": fresh.version,
        "status": fresh.status,
        "assignee": fresh.assignee_id,
        "notes": fresh.notes.count(),
        "responses": fresh.responses.count(),
        "audit_events": AuditEvent.objects.count(),
    }
