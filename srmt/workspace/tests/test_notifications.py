"""Notifications to staff of assignments, returns and escalations (docs/adr/0031): written
by the services in their own transactions, by email only for whoever asked, and never about
an 8 U.S.C. 1367 case to anyone not cleared."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.notifications.models import Notification
from srmt.service_requests import escalations, services
from srmt.service_requests.models import ServiceRequest
from srmt.testing.factories import make_case, make_service_request, make_user
from srmt.workspace import services as workspace
from srmt.workspace.models import StaffNotification
from srmt.workspace.services import RequestFacts


def _rows() -> list[tuple[str, str, str, int | None, str]]:
    return list(
        StaffNotification.objects.order_by("recipient__username", "reference", "level").values_list(
            "recipient__username", "kind", "reference", "level", "office_code"
        )
    )


def _alerts() -> list[tuple[str, str, str, bool]]:
    return list(
        Notification.objects.filter(kind="assignment_alert")
        .order_by("pk")
        .values_list("to_address", "subject", "related_reference", "is_confidential")
    )


@pytest.fixture
def people(reference: None) -> dict[str, User]:
    return {
        "boss": make_user("boss", role=Role.SUPERVISOR, offices=["ESC"], email="boss@srmt.example"),
        "olga": make_user(
            "olga", role=Role.OFFICE_STAFF, offices=["ESC"], email="olga@srmt.example"
        ),
        "pedro": make_user(
            "pedro",
            role=Role.OFFICE_STAFF,
            offices=["ESC"],
            email="pedro@srmt.example",
            language="es",
        ),
    }


@pytest.fixture
def request_at_esc(people: dict[str, User]) -> ServiceRequest:
    return make_service_request(receipt_number=make_case(office="ESC").receipt_number)


def test_assigning_to_someone_else_notifies_them_once(people, request_at_esc) -> None:
    services.assign_request(request_at_esc, actor=people["boss"], assignee=people["olga"])
    assert _rows() == [("olga", "assigned", request_at_esc.reference, None, "")]
    assert StaffNotification.objects.get().actor == people["boss"]


def test_assigning_to_oneself_or_again_to_the_same_person_notifies_nobody(
    people, request_at_esc
) -> None:
    services.assign_request(request_at_esc, actor=people["olga"], assignee=people["olga"])
    services.assign_request(request_at_esc, actor=people["boss"], assignee=people["olga"])
    assert _rows() == []


def test_unassigning_notifies_nobody(people, request_at_esc) -> None:
    services.assign_request(request_at_esc, actor=people["olga"], assignee=people["olga"])
    services.assign_request(request_at_esc, actor=people["boss"], assignee=None)
    assert _rows() == []


def test_reassigning_to_someone_who_held_it_before_returns_it_to_them(
    people, request_at_esc
) -> None:
    services.assign_request(request_at_esc, actor=people["olga"], assignee=people["olga"])
    services.assign_request(request_at_esc, actor=people["boss"], assignee=people["pedro"])
    services.assign_request(request_at_esc, actor=people["pedro"], assignee=people["olga"])
    assert _rows() == [
        ("olga", "returned", request_at_esc.reference, None, ""),
        ("pedro", "assigned", request_at_esc.reference, None, ""),
    ]


def test_a_transfer_back_returns_the_request_to_whoever_held_it_there(
    people, request_at_esc
) -> None:
    services.assign_request(request_at_esc, actor=people["olga"], assignee=people["olga"])
    services.transition_request(
        request_at_esc,
        actor=people["boss"],
        to="transferred",
        reason="Wrong office.",
        office_code="CSC",
    )
    assert _rows() == []  # Olga cannot work it at CSC: nobody is told
    services.transition_request(
        request_at_esc,
        actor=people["boss"],
        to="transferred",
        reason="It was ours.",
        office_code="ESC",
    )
    assert _rows() == [("olga", "returned", request_at_esc.reference, None, "")]


@pytest.mark.parametrize(
    ("email_on", "alerts"),
    [
        (False, []),
        (
            True,
            [
                (
                    "pedro@srmt.example",
                    "La solicitud de servicio {ref} se le asignó a usted",
                    "{ref}",
                    False,
                )
            ],
        ),
    ],
)
def test_email_only_for_who_asked_for_it_in_their_language(
    people, request_at_esc, email_on, alerts
) -> None:
    workspace.set_email_preference(people["pedro"], email=email_on)
    services.assign_request(request_at_esc, actor=people["boss"], assignee=people["pedro"])
    ref = request_at_esc.reference
    assert _alerts() == [
        tuple(v.format(ref=ref) if isinstance(v, str) else v for v in a) for a in alerts
    ]
    assert len(_rows()) == 1  # in the page either way


def test_the_assignment_email_links_to_the_request(people, request_at_esc) -> None:
    workspace.set_email_preference(people["olga"], email=True)
    services.assign_request(request_at_esc, actor=people["boss"], assignee=people["olga"])
    body = Notification.objects.get(kind="assignment_alert").body
    assert f"/staff/requests/{request_at_esc.reference}/" in body
    assert body.startswith(f"boss assigned service request {request_at_esc.reference} to you.")


def test_escalation_notifies_the_supervisors_of_the_office_and_national_ones(
    people, request_at_esc
) -> None:
    national = make_user("nadia", role=Role.SUPERVISOR)
    make_user("carl", role=Role.SUPERVISOR, offices=["CSC"])  # another office: not told
    make_user("olivia", role=Role.OFFICE_STAFF, offices=["ESC"])  # not a supervisor
    escalations.load_default_ladder()
    escalations.escalate_due(timezone.now() + dt.timedelta(days=16))
    ref = request_at_esc.reference
    assert _rows() == [("boss", "escalated", ref, 1, "ESC"), ("nadia", "escalated", ref, 1, "ESC")]
    assert StaffNotification.objects.filter(recipient=national).get().actor is None


def test_escalation_of_a_protected_request_notifies_cleared_supervisors_only(
    reference: None,
) -> None:
    cleared = make_user("clara", role=Role.SUPERVISOR, is_1367_cleared=True)
    make_user("ulises", role=Role.SUPERVISOR)
    creator = make_user("creator", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    protected = make_service_request(
        actor=creator,
        receipt_number=make_case(office="ESC", is_protected=True).receipt_number,
    )
    escalations.load_default_ladder()
    escalations.escalate_due(timezone.now() + dt.timedelta(days=40))
    assert _rows() == [
        ("clara", "escalated", protected.reference, 1, "ESC"),  # the office holding the case
        ("clara", "escalated", protected.reference, 2, "HQ-SCOPS"),
    ]
    assert set(StaffNotification.objects.values_list("is_confidential", flat=True)) == {True}
    assert cleared.is_1367_cleared


def test_the_workspace_refuses_to_tell_an_uncleared_user_of_a_protected_case(
    reference: None,
) -> None:
    uncleared = make_user("u1", role=Role.OFFICE_STAFF, offices=["ESC"], email="u@srmt.example")
    actor = make_user("a1", role=Role.SUPERVISOR, is_1367_cleared=True)
    workspace.set_email_preference(uncleared, email=True)
    facts = RequestFacts(
        reference="SR-PRTC-0001", url="/staff/requests/SR-PRTC-0001/", is_confidential=True
    )
    assert workspace.request_returned(facts, actor=actor, recipient=uncleared) is None
    assert workspace.requests_escalated([(facts, 1, "ESC")], recipients=[uncleared]) == 0
    assert (_rows(), _alerts()) == ([], [])


def test_assignment_of_a_protected_request_to_cleared_staff_is_marked_confidential(
    reference: None,
) -> None:
    boss = make_user("vboss", role=Role.SUPERVISOR, is_1367_cleared=True)
    vawa = make_user(
        "vera",
        role=Role.OFFICE_STAFF,
        offices=["ESC-VAWA"],
        is_1367_cleared=True,
        email="vera@srmt.example",
    )
    workspace.set_email_preference(vawa, email=True)
    protected = make_service_request(
        actor=boss, receipt_number=make_case(office="ESC", is_protected=True).receipt_number
    )
    services.assign_request(protected, actor=boss, assignee=vawa)
    assert _rows() == [("vera", "assigned", protected.reference, None, "")]
    assert _alerts() == [
        (
            "vera@srmt.example",
            f"Service request {protected.reference} was assigned to you",
            protected.reference,
            True,
        )
    ]


def test_mark_read_touches_only_the_users_own_unread_notifications(people, request_at_esc) -> None:
    services.assign_request(request_at_esc, actor=people["boss"], assignee=people["olga"])
    other = make_service_request(receipt_number=make_case(office="ESC").receipt_number)
    services.assign_request(other, actor=people["boss"], assignee=people["pedro"])
    olgas = StaffNotification.objects.get(recipient=people["olga"])
    pedros = StaffNotification.objects.get(recipient=people["pedro"])
    assert workspace.mark_read(people["olga"], [olgas.pk, pedros.pk]) == 1
    assert workspace.mark_read(people["olga"], [olgas.pk]) == 0
    olgas.refresh_from_db()
    pedros.refresh_from_db()
    assert (olgas.is_read, pedros.is_read) == (True, False)
