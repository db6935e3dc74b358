"""The home page per role, the notifications page, the header's indicator and the
notification settings (docs/adr/0031)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.service_requests import escalations, services
from srmt.staff.tests.conftest import client_for
from srmt.staff.tests.demo import build_demo, set_deadline
from srmt.testing.factories import make_case, make_service_request, make_user
from srmt.workspace.models import NotificationPreference, StaffNotification


def _section(response, key: str) -> list[str]:
    sections = {s.key: s for s in response.context["home"].sections}
    return [sr.reference for sr in sections[key].rows]


def _count(response, key: str) -> int:
    return next(s.count for s in response.context["home"].sections if s.key == key)


@pytest.fixture
def demo(tier1, esc_staff):
    return build_demo(intake=tier1, worker=esc_staff)


def test_my_work_lists_my_requests_with_overdue_then_at_risk_first(esc_staff, tier1, demo):
    # given three more requests assigned to Olga: overdue, at risk, and one due later
    def mine(created: float, due: float):
        sr = make_service_request(
            actor=tier1, receipt_number=make_case(office="ESC").receipt_number
        )
        services.assign_request(sr, actor=esc_staff, assignee=esc_staff)
        set_deadline(sr, created_days_ago=created, due_in_days=due)
        return sr

    later = mine(1, 20)
    late = mine(40, -1)
    risky = mine(9, 1)
    # when
    response = client_for(esc_staff).get("/staff/")
    # then
    assert _section(response, "assigned") == [
        late.reference,
        risky.reference,
        *sorted(
            [demo.worked.reference, later.reference],
            key=lambda r: demo.worked.due_at if r == demo.worked.reference else later.due_at,
        ),
    ]
    assert _section(response, "due-soon") == [late.reference, risky.reference]
    assert _count(response, "assigned") == 4
    content = response.content.decode()
    assert (
        '<a class="usa-link" href="#due-soon"><span class="srmt-counts__number">2</span>' in content
    )


def test_returned_to_me_lists_what_was_handed_back(esc_staff, supervisor, tier1):
    sr = make_service_request(actor=tier1, receipt_number=make_case(office="ESC").receipt_number)
    services.assign_request(sr, actor=esc_staff, assignee=esc_staff)
    services.assign_request(sr, actor=supervisor, assignee=supervisor)
    client = client_for(esc_staff)
    assert _section(client.get("/staff/"), "returned") == []
    services.assign_request(sr, actor=supervisor, assignee=esc_staff)
    assert _section(client.get("/staff/"), "returned") == [sr.reference]


def test_recently_changed_by_others_leaves_out_my_own_changes(esc_staff, tier1):
    quiet = make_service_request(actor=tier1, receipt_number=make_case(office="ESC").receipt_number)
    noted = make_service_request(actor=tier1, receipt_number=make_case(office="ESC").receipt_number)
    for sr in (quiet, noted):
        services.assign_request(sr, actor=esc_staff, assignee=esc_staff)
    services.add_note(quiet, actor=esc_staff, body="My own note.")
    services.add_note(noted, actor=tier1, body="The caller rang again.")
    assert _section(client_for(esc_staff).get("/staff/"), "changed") == [noted.reference]


def test_recently_changed_counts_the_last_seven_days_only(esc_staff, tier1):
    sr = make_service_request(actor=tier1, receipt_number=make_case(office="ESC").receipt_number)
    services.assign_request(sr, actor=esc_staff, assignee=esc_staff)
    services.add_note(sr, actor=tier1, body="The caller rang again.")
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert _section(client_for(esc_staff).get("/staff/"), "changed") == []


def test_supervisors_see_escalated_requests_highest_level_first_without_a_filter(
    reference, supervisor, tier1
):
    first = make_service_request(actor=tier1, receipt_number=make_case(office="ESC").receipt_number)
    escalations.load_default_ladder()
    escalations.escalate_due(timezone.now() + dt.timedelta(days=36))  # level 2
    second = make_service_request(
        actor=tier1, receipt_number=make_case(office="ESC").receipt_number
    )
    escalations.escalate_due(timezone.now() + dt.timedelta(days=16))  # level 1
    elsewhere = make_service_request(
        actor=tier1, receipt_number=make_case(office="CSC").receipt_number
    )
    escalations.escalate_due(timezone.now() + dt.timedelta(days=16))
    response = client_for(supervisor).get("/staff/")
    assert _section(response, "escalated") == [first.reference, second.reference]
    national = make_user("nat", role=Role.SUPERVISOR)
    everywhere = _section(client_for(national).get("/staff/"), "escalated")
    assert everywhere[0] == first.reference
    assert sorted(everywhere[1:]) == sorted([second.reference, elsewhere.reference])
    content = response.content.decode()
    assert '<th scope="col">Escalation level</th>' in content


def test_supervisors_review_queue_lists_flagged_requests(supervisor, tier1, settings):
    settings.SRMT_TRANSFER_FLAG_AFTER = 1
    sr = make_service_request(actor=tier1, receipt_number=make_case(office="ESC").receipt_number)
    services.transition_request(
        sr, actor=supervisor, to="transferred", reason="CSC.", office_code="CSC"
    )
    services.transition_request(
        sr, actor=supervisor, to="transferred", reason="Back.", office_code="ESC"
    )
    assert _section(client_for(supervisor).get("/staff/"), "review") == [sr.reference]


def test_office_staff_see_their_offices_queue(esc_staff, demo):
    response = client_for(esc_staff).get("/staff/")
    assert _count(response, "office-ESC") == 4
    content = response.content.decode()
    assert "Queue of Vermont Service Center" in content
    assert 'href="/staff/queues/ESC/">Open the whole queue</a>' in content


def test_tier1_sees_what_they_recorded(tier1, demo):
    response = client_for(tier1).get("/staff/")
    assert sorted(_section(response, "recorded")) == sorted(
        sr.reference for sr in (demo.worked, demo.overdue, demo.at_risk, demo.fresh)
    )


def test_the_home_page_is_audited_as_a_list_naming_protected_requests_alone(reference):
    vawa = make_user("vera", role=Role.OFFICE_STAFF, offices=["ESC-VAWA"], is_1367_cleared=True)
    admin = make_user("admin1", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    protected = make_service_request(
        actor=admin, receipt_number=make_case(office="ESC", is_protected=True).receipt_number
    )
    services.assign_request(protected, actor=admin, assignee=vawa)
    client_for(vawa).get("/staff/")
    listed = AuditEvent.objects.filter(action="service_request.listed", actor=vawa)
    assert list(listed.values_list("object_id", "changes")) == [(protected.reference, {})]


def test_a_protected_request_never_shows_on_an_uncleared_home_page(reference, supervisor):
    admin = make_user("admin1", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    protected = make_service_request(
        actor=admin, receipt_number=make_case(office="ESC", is_protected=True).receipt_number
    )
    escalations.load_default_ladder()
    escalations.escalate_due(timezone.now() + dt.timedelta(days=36))
    uncleared = make_user("sup2", role=Role.SUPERVISOR, offices=["ESC"])
    response = client_for(uncleared).get("/staff/")
    assert protected.reference not in response.content.decode()
    assert _count(response, "escalated") == 0


# --- notifications ----------------------------------------------------------------------


@pytest.fixture
def assigned_twice(esc_staff, supervisor, tier1):
    made = []
    for _ in range(2):
        sr = make_service_request(
            actor=tier1, receipt_number=make_case(office="ESC").receipt_number
        )
        services.assign_request(sr, actor=supervisor, assignee=esc_staff)
        made.append(sr)
    return made


def test_the_header_shows_the_unread_count(esc_staff, assigned_twice):
    content = client_for(esc_staff).get("/staff/notifications/").content.decode()
    assert (
        '<span class="usa-tag srmt-tag--count">2<span class="usa-sr-only"> unread</span></span>'
        in content
    )
    for sr in assigned_twice:
        assert f'href="/staff/requests/{sr.reference}/">{sr.reference}</a>' in content
    assert content.count("sam.supervisor assigned a request to you:") == 2


def test_mark_one_read_then_all(esc_staff, assigned_twice):
    client = client_for(esc_staff)
    first = StaffNotification.objects.order_by("pk").first()
    response = client.post("/staff/notifications/read/", {"id": str(first.pk)})
    assert response["Location"] == "/staff/notifications/"
    assert StaffNotification.objects.filter(read_at__isnull=True).count() == 1
    client.post("/staff/notifications/read/", {"all": "1"})
    assert StaffNotification.objects.filter(read_at__isnull=True).count() == 0
    content = client.get("/staff/notifications/").content.decode()
    assert "srmt-tag--count" not in content
    assert AuditEvent.objects.filter(action="staff_notifications.read").count() == 2


def test_marking_someone_elses_notification_changes_nothing(esc_staff, supervisor, assigned_twice):
    theirs = StaffNotification.objects.first()
    client = client_for(supervisor)
    events = AuditEvent.objects.count()
    client.post("/staff/notifications/read/", {"id": str(theirs.pk)})
    client.post("/staff/notifications/read/", {"all": "1"})
    assert StaffNotification.objects.filter(read_at__isnull=True).count() == 2
    assert AuditEvent.objects.count() == events


def test_notifications_of_requests_no_longer_visible_are_not_shown(reference):
    vawa = make_user("vera", role=Role.OFFICE_STAFF, offices=["ESC-VAWA"], is_1367_cleared=True)
    admin = make_user("admin1", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    protected = make_service_request(
        actor=admin, receipt_number=make_case(office="ESC", is_protected=True).receipt_number
    )
    services.assign_request(protected, actor=admin, assignee=vawa)
    assert StaffNotification.objects.filter(recipient=vawa).count() == 1
    vawa.is_1367_cleared = False  # clearance withdrawn
    vawa.save()
    content = client_for(vawa).get("/staff/notifications/").content.decode()
    assert protected.reference not in content
    assert "srmt-tag--count" not in content
    assert "You have no notifications." in content


def test_notification_settings_turn_email_on_and_off(esc_staff):
    client = client_for(esc_staff)
    page = client.get("/staff/notifications/settings/")
    assert page.context["form"].initial == {"email": False}
    response = client.post("/staff/notifications/settings/", {"email": "on"})
    assert response["Location"] == "/staff/notifications/settings/"
    assert NotificationPreference.objects.get(user=esc_staff).email is True
    client.post("/staff/notifications/settings/", {})
    assert NotificationPreference.objects.get(user=esc_staff).email is False
    changes = (
        AuditEvent.objects.filter(action="staff_notification_preference.changed")
        .order_by("id")
        .values_list("changes", flat=True)
    )
    assert list(changes) == [{"email": [False, True]}, {"email": [True, False]}]


@pytest.mark.parametrize("fixture", ["esc_staff", "supervisor"])
def test_the_home_page_query_count_does_not_grow_with_rows(request, tier1, fixture):
    user = request.getfixturevalue(fixture)
    client = client_for(user)

    def assigned_and_noted() -> None:
        sr = make_service_request(
            actor=tier1, receipt_number=make_case(office="ESC").receipt_number
        )
        services.assign_request(sr, actor=user, assignee=user)
        services.add_note(sr, actor=tier1, body="Called again.")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/staff/").status_code == 200
        return len(captured)

    assigned_and_noted()
    client.get("/staff/")  # the session is read once
    one = queries()
    for _ in range(5):
        assigned_and_noted()
    assert queries() == one
