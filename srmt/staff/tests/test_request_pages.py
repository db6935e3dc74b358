"""The request detail page and the actions on it: respond, note, status, assign."""

from __future__ import annotations

import pytest
from django.views.defaults import server_error

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.service_requests import policies, services
from srmt.service_requests.models import InternalNote, Response, ServiceRequest
from srmt.staff.tests.conftest import client_for
from srmt.staff.tests.demo import build_demo
from srmt.testing.factories import make_case, make_service_request, make_user


@pytest.fixture
def demo(tier1, esc_staff):
    return build_demo(intake=tier1, worker=esc_staff)


def _snapshot(sr: ServiceRequest) -> tuple:
    sr.refresh_from_db()
    return (
        sr.status,
        sr.version,
        sr.office_id,
        sr.assignee_id,
        Response.objects.filter(service_request=sr).count(),
        InternalNote.objects.filter(service_request=sr).count(),
        sr.status_changes.count(),
    )


def test_detail_shows_summary_case_requester_timeline_and_audit(esc_staff, demo):
    response = client_for(esc_staff).get(f"/staff/requests/{demo.worked.reference}/")
    assert response.status_code == 200
    content = response.content.decode()
    for text in (
        "Case outside normal processing time",
        "EAC2190054321",
        "I-130",
        "Case Was Received",
        "Ana Pérez",
        "ana@example.com",
        "The customer filed in March and has heard nothing since.",
        "We are reviewing your case now.",
        "Sent to the customer by Email. Delivery: Queued.",  # sent after commit
        "Caller was polite; prefers email.",
        "Staff only. Never sent to the customer.",
        "Status: Assigned → In progress",
        "Request recorded",
        "Act on this request",
        'id="panel-respond"',
    ):
        assert text in content, text
    kinds = [entry.kind for entry in response.context["timeline"]]
    assert kinds == ["status", "status", "status", "note", "response", "status"]


def test_detail_records_a_view(esc_staff, demo):
    client_for(esc_staff).get(f"/staff/requests/{demo.worked.reference}/")
    event = AuditEvent.objects.filter(action="service_request.viewed").get()
    assert (event.actor, event.object_id) == (esc_staff, demo.worked.reference)


def test_detail_marks_protected_cases(reference, tier1):
    cleared = make_user(role=Role.SUPERVISOR, is_1367_cleared=True)
    case = make_case(office="ESC", is_protected=True)
    sr = make_service_request(actor=cleared, receipt_number=case.receipt_number)
    content = client_for(cleared).get(f"/staff/requests/{sr.reference}/").content.decode()
    assert "Protected case: 8 U.S.C. 1367" in content
    assert client_for(tier1).get(f"/staff/requests/{sr.reference}/").status_code == 404


@pytest.mark.parametrize("fixture", ["csc_staff", "analyst"])
def test_detail_is_404_for_users_who_may_not_see_it(request, demo, fixture):
    client = client_for(request.getfixturevalue(fixture))
    for path in ("", "respond/"):
        response = client.get(f"/staff/requests/{demo.worked.reference}/{path}")
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()
    assert not AuditEvent.objects.filter(action="service_request.viewed").exists()


def test_tier1_sees_only_the_note_form(tier1, demo):
    response = client_for(tier1).get(f"/staff/requests/{demo.worked.reference}/respond/")
    assert response.status_code == 200
    assert set(response.context.keys()) >= {"note_form"}
    for name in ("response_form", "transition_form", "assign_form"):
        assert name not in response.context


def test_tier1_cannot_respond_and_nothing_changes(tier1, demo):
    before = _snapshot(demo.worked)
    response = client_for(tier1).post(
        f"/staff/requests/{demo.worked.reference}/respond/", {"kind": "final", "body": "Closed."}
    )
    assert response.status_code == 403
    assert "You cannot do that" in response.content.decode()
    assert _snapshot(demo.worked) == before


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("status/", {"to": "withdrawn", "reason": "Asked to"}),
        ("assign/", {"assignee": ""}),
    ],
)
def test_tier1_cannot_change_status_or_assignee(tier1, demo, path, data):
    before = _snapshot(demo.worked)
    response = client_for(tier1).post(f"/staff/requests/{demo.worked.reference}/{path}", data)
    assert response.status_code == 403
    assert _snapshot(demo.worked) == before


def test_qa_reviewer_has_no_actions(reference, demo):
    reviewer = make_user(role=Role.QA_REVIEWER)
    client = client_for(reviewer)
    assert client.get(f"/staff/requests/{demo.worked.reference}/").status_code == 200
    assert client.get(f"/staff/requests/{demo.worked.reference}/respond/").status_code == 403
    before = _snapshot(demo.worked)
    response = client.post(f"/staff/requests/{demo.worked.reference}/note/", {"body": "Hi"})
    assert response.status_code == 403
    assert _snapshot(demo.worked) == before


def test_final_response_closes_the_request(esc_staff, demo):
    response = client_for(esc_staff).post(
        f"/staff/requests/{demo.worked.reference}/respond/",
        {"kind": "final", "body": "Your case was approved."},
        follow=True,
    )
    assert response.redirect_chain == [(f"/staff/requests/{demo.worked.reference}/", 302)]
    assert "Final response sent. The request is closed." in response.content.decode()
    demo.worked.refresh_from_db()
    assert demo.worked.status == "closed"
    assert demo.worked.responses.last().body == "Your case was approved."


def test_response_errors_are_shown_and_nothing_changes(esc_staff, demo):
    before = _snapshot(demo.worked)
    response = client_for(esc_staff).post(
        f"/staff/requests/{demo.worked.reference}/respond/", {"kind": "initial", "body": ""}
    )
    assert response.status_code == 200
    form = response.context["response_form"]
    assert form.errors == {
        "kind": ["Select a valid choice. initial is not one of the available choices."],
        "body": ["This field is required."],
    }
    content = response.content.decode()
    assert 'class="usa-error-message" id="respond-body_error"' in content
    assert '<details class="srmt-action" id="panel-respond" data-shortcut="r" open>' in content
    assert _snapshot(demo.worked) == before


def test_note_by_tier1(tier1, demo):
    response = client_for(tier1).post(
        f"/staff/requests/{demo.worked.reference}/note/", {"body": "Called back, no answer."}
    )
    assert response.status_code == 302
    assert demo.worked.notes.last().body == "Called back, no answer."


def test_transfer_moves_the_request_and_sends_staff_back_to_their_queue(esc_staff, demo):
    response = client_for(esc_staff).post(
        f"/staff/requests/{demo.fresh.reference}/status/",
        {"to": "transferred", "reason": "File is at CSC", "office": "CSC"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    demo.fresh.refresh_from_db()
    assert (demo.fresh.status, demo.fresh.office.code) == ("transferred", "CSC")


def test_transition_needs_a_reason_and_nothing_changes(esc_staff, demo):
    before = _snapshot(demo.fresh)
    response = client_for(esc_staff).post(
        f"/staff/requests/{demo.fresh.reference}/status/", {"to": "withdrawn", "reason": ""}
    )
    assert response.status_code == 200
    assert response.context["transition_form"].errors == {
        "reason": ["Give a reason for this change."]
    }
    assert _snapshot(demo.fresh) == before


def test_transition_offers_only_the_allowed_targets(esc_staff, demo):
    response = client_for(esc_staff).get(f"/staff/requests/{demo.worked.reference}/respond/")
    choices = [value for value, _label in response.context["transition_form"]["to"].field.choices]
    assert choices == [
        "in_progress",
        "awaiting_customer",
        "awaiting_office",
        "transferred",
        "withdrawn",
    ]
    before = _snapshot(demo.worked)
    refused = client_for(esc_staff).post(
        f"/staff/requests/{demo.worked.reference}/status/", {"to": "closed", "reason": "x"}
    )
    assert refused.status_code == 200
    assert list(refused.context["transition_form"].errors) == ["to"]
    assert _snapshot(demo.worked) == before


def test_merge_into_another_request(esc_staff, demo):
    response = client_for(esc_staff).post(
        f"/staff/requests/{demo.fresh.reference}/status/",
        {"to": "merged", "reason": "Same question", "duplicate_of": demo.worked.reference},
    )
    assert response.status_code == 302
    demo.fresh.refresh_from_db()
    assert (demo.fresh.status, demo.fresh.duplicate_of) == ("merged", demo.worked)


def test_assign_to_me_and_back_to_the_queue(esc_staff, demo):
    client = client_for(esc_staff)
    response = client.post(
        f"/staff/requests/{demo.fresh.reference}/assign/", {"assignee": esc_staff.pk}, follow=True
    )
    assert "Assigned to Olga Ramos." in response.content.decode()
    demo.fresh.refresh_from_db()
    assert (demo.fresh.assignee, demo.fresh.status) == (esc_staff, "assigned")
    client.post(f"/staff/requests/{demo.fresh.reference}/assign/", {"assignee": ""})
    demo.fresh.refresh_from_db()
    assert demo.fresh.assignee is None


def test_assign_refuses_staff_of_another_office(esc_staff, csc_staff, demo):
    before = _snapshot(demo.fresh)
    response = client_for(esc_staff).post(
        f"/staff/requests/{demo.fresh.reference}/assign/", {"assignee": csc_staff.pk}
    )
    assert response.status_code == 200
    assert list(response.context["assign_form"].errors) == ["assignee"]
    assert _snapshot(demo.fresh) == before


def _detail_queries(client, reference, django_assert_num_queries) -> None:
    # session, user, request, the user's offices, view audit insert, responses, notes,
    # status changes, the case's office, audit events (with their actors); the action area:
    # the offices to transfer to, the staff to assign, the files of evidence, the templates
    # offered for the request (ADR 33); the header's unread notifications (ADR 31); a
    # response in supervisory review (ADR 35); the unread secure messages (ADR 45)
    with django_assert_num_queries(18):
        assert client.get(f"/staff/requests/{reference}/").status_code == 200


def test_detail_query_count_does_not_grow_with_history(
    esc_staff, tier1, demo, django_assert_num_queries
):
    client = client_for(esc_staff)
    _detail_queries(client, demo.worked.reference, django_assert_num_queries)
    for number in range(5):
        services.add_note(demo.worked, actor=tier1, body=f"Note {number}")
        services.add_response(demo.worked, actor=esc_staff, kind="follow_up", body="More.")
    _detail_queries(client, demo.worked.reference, django_assert_num_queries)


def test_a_refusal_from_the_service_is_a_403_page(esc_staff, demo, monkeypatch):
    def refuse(*args, **kwargs):
        raise policies.PermissionDenied("Your role does not allow you to do that.")

    monkeypatch.setattr(services, "add_note", refuse)
    before = _snapshot(demo.worked)
    response = client_for(esc_staff).post(
        f"/staff/requests/{demo.worked.reference}/note/", {"body": "Hello"}
    )
    assert response.status_code == 403
    assert "Your role does not allow you to do that." in response.content.decode()
    assert _snapshot(demo.worked) == before


def test_server_error_page_renders_without_a_request_context(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content
    assert "/static/vendor/uswds/3.14.0/css/uswds.min.css" in content
