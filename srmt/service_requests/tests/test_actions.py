"""Responses, notes, transitions, assignment and edits: results, history, audit and refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.core.errors import DomainError
from srmt.notifications.models import Notification
from srmt.service_requests import services
from srmt.service_requests.choices import Status
from srmt.service_requests.models import InternalNote, Response, ServiceRequest, StatusChange
from srmt.service_requests.requesters import RequesterData
from srmt.service_requests.tests.conftest import NOW, snapshot
from srmt.surveys import services as surveys
from srmt.surveys.models import Survey
from srmt.testing.factories import make_service_request, make_user

pytestmark = pytest.mark.usefixtures("clock")

LATER = NOW + dt.timedelta(hours=2)


@pytest.fixture
def sr(officer: User) -> ServiceRequest:
    """A request at ESC from a Spanish-speaking requester with an email address."""
    return make_service_request(actor=officer, receipt_number="EAC2190012345")


def _events(sr: ServiceRequest, action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.for_object("service_request", sr.reference).filter(action=action)
    )


def _refused(call: Any, sr: ServiceRequest, code: str) -> DomainError:
    before = snapshot(sr)
    with pytest.raises(DomainError) as excinfo:
        call()
    assert excinfo.value.code == code
    assert snapshot(sr) == before
    return excinfo.value


# --- responses ----------------------------------------------------------------------------


def test_an_initial_response_answers_the_request_and_emails_the_requester(
    officer: User,
    sr: ServiceRequest,
    clock: time_machine.Coordinates,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    clock.move_to(LATER)
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = services.add_response(
            sr, actor=officer, kind="initial", body=" Estamos en ello. "
        )
    # then
    sr.refresh_from_db()
    assert (sr.status, sr.version, sr.first_responded_at, sr.closed_at) == (
        "responded",
        2,
        LATER,
        None,
    )
    assert (response.kind, response.author, response.body, response.delivery_channel) == (
        "initial",
        officer,
        "Estamos en ello.",
        "email",
    )
    notification = Notification.objects.get(pk=response.notification_id)
    assert (notification.channel, notification.to_address, notification.language) == (
        "email",
        "ana@example.com",
        "es",
    )
    assert notification.related_reference == sr.reference
    assert len(callbacks) == 1
    assert notification.status == "sent"  # the immediate task backend delivered it on commit
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.com"]
    assert mail.outbox[0].subject == notification.subject
    change = StatusChange.objects.filter(service_request=sr).last()
    assert (change.from_status, change.to_status, change.actor, change.created_at) == (
        "received",
        "responded",
        officer,
        LATER,
    )
    assert change.reason == "Initial response sent"
    [event] = _events(sr, "service_request.responded")
    assert event.changes == {
        "kind": "initial",
        "response_id": response.pk,
        "channel": "email",
        "status": ["received", "responded"],
        # The new-information check as it was sent (form_letters; test_form_letters.py).
        "new_information": round(response.new_information, 3),
        "form_letter": False,
    }


def test_the_message_is_written_in_the_requesters_language(
    officer: User, sr: ServiceRequest
) -> None:
    # when
    response = services.add_response(sr, actor=officer, kind="initial", body="Estamos en ello.")
    # then
    notification = Notification.objects.get(pk=response.notification_id)
    assert notification.subject == f"Su solicitud de servicio {sr.reference}"
    assert notification.body == (
        "Hola, Ana Pérez:\n\nEstamos en ello.\n\n"
        "Le escribiremos de nuevo cuando tengamos más información.\n"
        "Número de recibo: EAC2190012345\n\n"
        "Para dar seguimiento, llame al centro de contacto al 800-375-5283 (TTY 800-767-1833) "
        f"e indique la referencia {sr.reference}.\n\n"
        "Atentamente,\nU.S. Citizenship and Immigration Services\nhttps://www.uscis.gov"
    )


def test_the_message_in_english(officer: User) -> None:
    # given
    sr = make_service_request(
        actor=officer,
        receipt_number="EAC2190012345",
        requester=RequesterData(name="Bo Li", email="bo@example.com"),
    )
    # when
    response = services.add_response(sr, actor=officer, kind="final", body="It is approved.")
    # then
    notification = Notification.objects.get(pk=response.notification_id)
    assert notification.subject == f"Your service request {sr.reference}"
    assert notification.body == (
        "Dear Bo Li,\n\nIt is approved.\n\n"
        "This is the final response to your request, which is now closed.\n\n"
        f"If you disagree with this answer, contact us again with the reference {sr.reference} "
        "and ask for a supervisor to review it.\n"
        "If you disagree with a decision on your case itself, follow the instructions in the "
        "decision notice: it says whether and how you can appeal or ask for the decision to be "
        "reopened or reconsidered.\n\n"
        "How did we do? Tell us in one question (it takes a minute):\n"
        f"{surveys.link_for(Survey.objects.get(service_request=sr))}\n"
        "The link works once, for 30 days.\n"
        "Receipt number: EAC2190012345\n\n"
        "To follow up, call the contact center at 800-375-5283 (TTY 800-767-1833) and give the "
        f"reference {sr.reference}.\n\n"
        "Sincerely,\nU.S. Citizenship and Immigration Services\nhttps://www.uscis.gov"
    )


def test_a_final_response_closes_the_request(
    officer: User, sr: ServiceRequest, clock: time_machine.Coordinates
) -> None:
    # given
    services.add_response(sr, actor=officer, kind="initial", body="Looking into it.")
    clock.move_to(LATER)
    # when
    services.add_response(sr, actor=officer, kind="final", body="It is approved.")
    # then
    sr.refresh_from_db()
    assert (sr.status, sr.closed_at, sr.first_responded_at, sr.version) == (
        "closed",
        LATER,
        NOW,
        3,
    )
    assert list(Response.objects.filter(service_request=sr).values_list("kind", flat=True)) == [
        "initial",
        "final",
    ]


def test_a_follow_up_after_the_initial_response(officer: User, sr: ServiceRequest) -> None:
    services.add_response(sr, actor=officer, kind="initial", body="Looking into it.")
    services.add_response(sr, actor=officer, kind="follow_up", body="Still looking.")
    sr.refresh_from_db()
    assert (sr.status, sr.version) == ("responded", 3)
    assert Response.objects.filter(service_request=sr).count() == 2


@pytest.mark.parametrize(
    ("_case", "first", "kind", "body", "code"),
    [
        ("follow-up before the initial response", None, "follow_up", "More.", "invalid_response"),
        ("initial twice", "initial", "initial", "Again.", "invalid_response"),
        ("unknown kind", None, "interim", "Hello.", "invalid_response"),
        ("empty body", None, "initial", "  ", "invalid_response"),
        ("body too long", None, "initial", "x" * 10_001, "invalid_response"),
        ("closed request", "final", "follow_up", "More.", "request_closed"),
    ],
)
def test_refused_responses_change_nothing(
    officer: User,
    sr: ServiceRequest,
    _case: str,
    first: str | None,
    kind: str,
    body: str,
    code: str,
) -> None:
    # given
    if first:
        services.add_response(sr, actor=officer, kind=first, body="First.")
    mail.outbox.clear()
    # when / then
    _refused(lambda: services.add_response(sr, actor=officer, kind=kind, body=body), sr, code)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("requester", "channel", "address"),
    [
        (RequesterData(name="Bo Li", phone="802-527-4000"), "phone", "+18025274000"),
        (RequesterData(name="Bo Li"), "mail", ""),
    ],
)
def test_responses_without_email_are_recorded_for_staff_to_deliver(
    officer: User, requester: RequesterData, channel: str, address: str
) -> None:
    # given
    sr = make_service_request(actor=officer, receipt_number="EAC2190012345", requester=requester)
    # when
    response = services.add_response(sr, actor=officer, kind="initial", body="We called.")
    # then
    assert response.delivery_channel == channel
    assert response.delivery_status == "recorded"
    notification = Notification.objects.get(pk=response.notification_id)
    assert (notification.channel, notification.to_address, notification.status) == (
        channel,
        address,
        "recorded",
    )
    assert notification.sent_at == NOW
    assert mail.outbox == []


# --- notes --------------------------------------------------------------------------------


def test_a_note_is_recorded_and_audited(officer: User, sr: ServiceRequest) -> None:
    # when
    note = services.add_note(sr, actor=officer, body="  Called the requester back.  ")
    # then
    assert (note.service_request_id, note.author, note.body) == (
        sr.pk,
        officer,
        "Called the requester back.",
    )
    sr.refresh_from_db()
    assert (sr.status, sr.version) == ("received", 2)
    [event] = _events(sr, "service_request.noted")
    assert event.changes == {"note_id": note.pk}


def test_an_empty_note_is_refused(officer: User, sr: ServiceRequest) -> None:
    _refused(lambda: services.add_note(sr, actor=officer, body=" "), sr, "invalid_response")
    assert InternalNote.objects.count() == 0


# --- transitions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("to", "extra"),
    [
        ("transferred", {"office_code": "CSC"}),
        ("redirected", {}),
        ("withdrawn", {}),
        ("merged", {"duplicate_of": "placeholder"}),
    ],
)
def test_some_moves_need_a_reason(
    officer: User, sr: ServiceRequest, to: str, extra: dict[str, str]
) -> None:
    if to == "merged":
        extra = {"duplicate_of": make_service_request(actor=officer).reference}
    error = _refused(
        lambda: services.transition_request(sr, actor=officer, to=to, reason="  ", **extra),
        sr,
        "reason_required",
    )
    assert error.field == "reason"


def test_reopening_needs_a_reason_and_clears_closed_at(officer: User, sr: ServiceRequest) -> None:
    # given
    services.add_response(sr, actor=officer, kind="final", body="Done.")
    _refused(
        lambda: services.transition_request(sr, actor=officer, to="reopened"),
        sr,
        "reason_required",
    )
    # when
    services.transition_request(sr, actor=officer, to="reopened", reason="Customer wrote back.")
    # then
    sr.refresh_from_db()
    assert (sr.status, sr.closed_at, sr.version) == ("reopened", None, 3)
    [event] = _events(sr, "service_request.transitioned")
    assert event.changes == {"status": ["closed", "reopened"], "reason": "Customer wrote back."}


def test_a_move_needs_no_reason_where_none_is_required(officer: User, sr: ServiceRequest) -> None:
    services.transition_request(sr, actor=officer, to="in_progress")
    sr.refresh_from_db()
    assert (sr.status, sr.version) == ("in_progress", 2)
    change = StatusChange.objects.filter(service_request=sr).last()
    assert (change.reason, change.from_office.code, change.to_office.code) == ("", "ESC", "ESC")


@pytest.mark.parametrize(
    ("to", "code"),
    [
        ("responded", "response_required"),
        ("closed", "response_required"),
        ("received", "invalid_transition"),
        ("lost", "invalid_transition"),
    ],
)
def test_targets_staff_cannot_choose(officer: User, sr: ServiceRequest, to: str, code: str) -> None:
    _refused(lambda: services.transition_request(sr, actor=officer, to=to, reason="x"), sr, code)


@pytest.mark.parametrize("office_code", ["ESC", "esc", "XYZ", ""])
def test_transfer_needs_another_active_office(
    officer: User, sr: ServiceRequest, office_code: str
) -> None:
    error = _refused(
        lambda: services.transition_request(
            sr, actor=officer, to="transferred", reason="Wrong office.", office_code=office_code
        ),
        sr,
        "invalid_transfer",
    )
    assert error.field == "office"


def test_a_transfer_moves_the_request_and_returns_it_to_the_queue(
    supervisor: User, sr: ServiceRequest
) -> None:
    # given
    assignee = make_user("esc_worker", role=Role.OFFICE_STAFF, offices=["ESC"])
    services.assign_request(sr, actor=supervisor, assignee=assignee)
    # when
    services.transition_request(
        sr, actor=supervisor, to="transferred", reason="File is in Laguna.", office_code="csc"
    )
    # then
    sr.refresh_from_db()
    assert (sr.status, sr.office.code, sr.assignee, sr.version) == ("transferred", "CSC", None, 3)
    change = StatusChange.objects.filter(service_request=sr).last()
    assert (change.from_status, change.to_status) == ("assigned", "transferred")
    assert (change.from_office.code, change.to_office.code) == ("ESC", "CSC")
    assert change.reason == "File is in Laguna."
    [event] = _events(sr, "service_request.transitioned")
    assert event.changes == {
        "status": ["assigned", "transferred"],
        "reason": "File is in Laguna.",
        "office": ["ESC", "CSC"],
        "transfer_count": 1,
    }


def test_merging_points_at_the_original(officer: User, sr: ServiceRequest) -> None:
    # given
    original = make_service_request(actor=officer, receipt_number="EAC2190012345")
    # when
    services.transition_request(
        sr, actor=officer, to="merged", reason="Same question.", duplicate_of=original.reference
    )
    # then
    sr.refresh_from_db()
    assert (sr.status, sr.duplicate_of, sr.closed_at) == ("merged", original, NOW)
    [event] = _events(sr, "service_request.transitioned")
    assert event.changes["duplicate_of"] == original.reference


def test_merging_needs_another_visible_request(officer: User, sr: ServiceRequest) -> None:
    # given a request at CSC, which ESC office staff cannot see, and one merged already
    hidden = make_service_request(actor=officer, receipt_number="WAC2190012345")
    original = make_service_request(actor=officer, receipt_number="EAC2190012345")
    merged = make_service_request(actor=officer, receipt_number="EAC2190012345")
    services.transition_request(
        merged, actor=officer, to="merged", reason="dup", duplicate_of=original.reference
    )
    # when / then
    for reference in [sr.reference, hidden.reference, "SR-0000-0000", "", merged.reference]:
        error = _refused(
            lambda ref=reference: services.transition_request(
                sr, actor=officer, to="merged", reason="dup", duplicate_of=ref
            ),
            sr,
            "invalid_duplicate",
        )
        assert error.field == "duplicate_of"


# --- assignment ---------------------------------------------------------------------------


def test_assigning_moves_a_new_request_to_assigned(supervisor: User, sr: ServiceRequest) -> None:
    # given
    worker = make_user("esc_worker", role=Role.OFFICE_STAFF, offices=["ESC"])
    # when
    services.assign_request(sr, actor=supervisor, assignee=worker)
    # then
    sr.refresh_from_db()
    assert (sr.status, sr.assignee, sr.version) == ("assigned", worker, 2)
    change = StatusChange.objects.filter(service_request=sr).last()
    assert (change.from_status, change.to_status, change.reason) == (
        "received",
        "assigned",
        "Assigned to esc_worker",
    )
    [event] = _events(sr, "service_request.assigned")
    assert event.changes == {"assignee": [None, "esc_worker"]}


def test_unassigning_keeps_the_status(supervisor: User, sr: ServiceRequest) -> None:
    worker = make_user("esc_worker", role=Role.OFFICE_STAFF, offices=["ESC"])
    services.assign_request(sr, actor=supervisor, assignee=worker)
    services.assign_request(sr, actor=supervisor, assignee=None)
    sr.refresh_from_db()
    assert (sr.status, sr.assignee, sr.version) == ("assigned", None, 3)
    assert _events(sr, "service_request.assigned")[-1].changes == {"assignee": ["esc_worker", None]}


@pytest.mark.parametrize(
    ("role", "offices"),
    [
        (Role.OFFICE_STAFF, ["CSC"]),  # another office
        (Role.TIER2, ["CC-T2"]),  # Tier 2 acts only at its own offices
        (Role.TIER1, ["ESC"]),  # cannot respond
        (Role.QA_REVIEWER, ["ESC"]),
        (Role.ANALYST, ["ESC"]),
    ],
)
def test_the_assignee_must_be_able_to_work_the_request(
    supervisor: User, sr: ServiceRequest, role: str, offices: list[str]
) -> None:
    worker = make_user("candidate", role=role, offices=offices)
    error = _refused(
        lambda: services.assign_request(sr, actor=supervisor, assignee=worker),
        sr,
        "invalid_assignee",
    )
    assert error.message == "candidate cannot work requests at ESC."


def test_an_inactive_assignee_is_refused(supervisor: User, sr: ServiceRequest) -> None:
    worker = make_user("gone", role=Role.OFFICE_STAFF, offices=["ESC"], is_active=False)
    _refused(
        lambda: services.assign_request(sr, actor=supervisor, assignee=worker),
        sr,
        "invalid_assignee",
    )


# --- edits and versions -------------------------------------------------------------------


def test_a_stale_version_is_refused(supervisor: User, sr: ServiceRequest) -> None:
    services.add_note(sr, actor=supervisor, body="Bump.")
    error = _refused(
        lambda: services.update_request(
            sr, actor=supervisor, changes={"urgency": "urgent"}, expected_version=1
        ),
        sr,
        "precondition_failed",
    )
    assert error.http_status == 412


def test_changing_urgency_recomputes_the_deadlines(officer: User) -> None:
    # given a normal Tier 2 callback (7 and 30 business days)
    sr = make_service_request(actor=officer, type="tier2_callback")
    supervisor = make_user("sup", role=Role.SUPERVISOR)
    # when
    services.update_request(sr, actor=supervisor, changes={"urgency": "urgent"}, expected_version=1)
    # then: 72 hours from creation
    sr.refresh_from_db()
    expected = dt.datetime(2026, 11, 5, 15, 0, tzinfo=dt.UTC)
    assert (sr.urgency, sr.first_response_due_at, sr.due_at, sr.version) == (
        "urgent",
        expected,
        expected,
        2,
    )
    assert sr.deadline_policy.urgency == "urgent"
    [event] = _events(sr, "service_request.updated")
    assert event.changes == {"urgency": ["normal", "urgent"]}


def test_an_edit_that_changes_nothing_writes_nothing(supervisor: User, sr: ServiceRequest) -> None:
    before = snapshot(sr)
    services.update_request(
        sr,
        actor=supervisor,
        changes={"urgency": "normal", "description": sr.description},
        expected_version=1,
    )
    assert snapshot(sr) == before


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"urgency": "panic"}, "invalid_urgency"),
        ({"description": ""}, "invalid_description"),
        ({"description": "y" * 10_001}, "invalid_description"),
    ],
)
def test_invalid_edits_are_refused(
    supervisor: User, sr: ServiceRequest, changes: dict[str, str], code: str
) -> None:
    _refused(lambda: services.update_request(sr, actor=supervisor, changes=changes), sr, code)


def test_every_write_increments_the_version(supervisor: User, sr: ServiceRequest) -> None:
    worker = make_user("esc_worker", role=Role.OFFICE_STAFF, offices=["ESC"])
    versions = []
    for action in [
        lambda: services.add_note(sr, actor=supervisor, body="n"),
        lambda: services.assign_request(sr, actor=supervisor, assignee=worker),
        lambda: services.transition_request(sr, actor=supervisor, to="in_progress"),
        lambda: services.update_request(sr, actor=supervisor, changes={"description": "New."}),
        lambda: services.add_response(sr, actor=supervisor, kind="initial", body="r"),
        lambda: services.add_response(sr, actor=supervisor, kind="final", body="f"),
    ]:
        action()
        versions.append(ServiceRequest.objects.get(pk=sr.pk).version)
    assert versions == [2, 3, 4, 5, 6, 7]
    assert ServiceRequest.objects.get(pk=sr.pk).status == Status.CLOSED


# --- request id, end to end ---------------------------------------------------------------


def test_the_request_id_of_an_http_request_reaches_its_audit_rows(
    client: Any, supervisor: User, sr: ServiceRequest
) -> None:
    # given
    client.force_login(supervisor)
    # when
    response = client.get(
        f"/api/v1/service-requests/{sr.reference}/", headers={"X-Request-ID": "trace-42"}
    )
    # then
    assert response.status_code == 200
    assert response["X-Request-ID"] == "trace-42"
    [event] = _events(sr, "service_request.viewed")
    assert (event.actor, event.request_id) == (supervisor, "trace-42")
