"""The new-information check in the respond panel (ADR 39): the htmx endpoint for every kind
of actor, what it shows (score, warning, sentences marked in words, in English and Spanish),
and the warning flow without JavaScript: a form letter is refused until the writer gives a
reason, which is kept with the response. Every refusal leaves the data as it was."""

from __future__ import annotations

import re
from typing import Any

import pytest

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.notifications.models import Notification
from srmt.quality.models import PhraseStat
from srmt.service_requests.models import Response, ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.staff.tests.conftest import client_for
from srmt.testing.factories import make_case, make_service_request, make_user

pytestmark = pytest.mark.new_information

THRESHOLD = 0.15
FORM_LETTER = (
    "Thank you for contacting us. Your case is pending. Processing times are published "
    "on our website. We will contact you when there is an update."
)
INFORMATIVE = (
    "On November 2 we sent your file to the Newark Field Office because your interview "
    "will take place there. Your interview is scheduled for December 14 at 9:30 a.m."
)
FORM_LETTER_ES = (
    "Gracias por comunicarse con nosotros. Su caso está pendiente. Nos comunicaremos con "
    "usted cuando haya novedades."
)


@pytest.fixture(autouse=True)
def _threshold(settings: Any) -> None:
    settings.SRMT_NEW_INFORMATION_THRESHOLD = THRESHOLD


def _request(language: str = "en") -> ServiceRequest:
    case = make_case(office="ESC")
    return make_service_request(
        receipt_number=case.receipt_number,
        requester=RequesterData(name="Ana Pérez", email="ana@example.com", language=language),
    )


def _written(sr: ServiceRequest) -> tuple[object, ...]:
    fresh = ServiceRequest.objects.get(pk=sr.pk)
    return (
        fresh.version,
        fresh.status,
        Response.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        PhraseStat.objects.count(),
    )


def _assess(client: Any, sr: ServiceRequest, body: str, **extra: Any) -> Any:
    return client.post(
        f"/staff/requests/{sr.reference}/respond/assess/",
        {"body": body, "kind": "initial", **extra},
        HTTP_HX_REQUEST="true",
    )


# --- who may ask: whoever may respond -------------------------------------------------------

EXPECTED = {
    "tier1": 403,
    "tier2_at_esc": 200,
    "tier2_elsewhere": 403,
    "office_staff_at_esc": 200,
    "office_staff_elsewhere": 404,
    "supervisor": 200,
    "qa_reviewer": 403,
    "analyst": 404,
    "administrator": 200,
    "case_system": 404,
}
ROLES = {
    "tier1": (Role.TIER1, ["CC-T1"]),
    "tier2_at_esc": (Role.TIER2, ["ESC"]),
    "tier2_elsewhere": (Role.TIER2, ["CC-T2"]),
    "office_staff_at_esc": (Role.OFFICE_STAFF, ["ESC"]),
    "office_staff_elsewhere": (Role.OFFICE_STAFF, ["CSC"]),
    "supervisor": (Role.SUPERVISOR, ["ESC"]),
    "qa_reviewer": (Role.QA_REVIEWER, []),
    "analyst": (Role.ANALYST, []),
    "administrator": (Role.ADMINISTRATOR, []),
    "case_system": (Role.CASE_SYSTEM, []),
}


def test_the_matrix_covers_every_role():
    assert {role for role, _offices in ROLES.values()} == set(Role)
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("actor", list(EXPECTED))
def test_the_check_answers_whoever_may_respond(reference, actor: str):
    role, offices = ROLES[actor]
    sr = _request()
    client = client_for(make_user(f"u_{actor}", role=role, offices=offices))
    before = _written(sr)

    response = _assess(client, sr, FORM_LETTER)

    assert response.status_code == EXPECTED[actor]
    assert _written(sr) == before  # nothing written, not even an audit event
    if response.status_code == 200:
        assert "respond-assessment-status" in response.content.decode()


def test_the_check_takes_only_posts(reference):
    sr = _request()
    client = client_for(make_user("olga", role=Role.OFFICE_STAFF, offices=["ESC"]))

    assert client.get(f"/staff/requests/{sr.reference}/respond/assess/").status_code == 405


def test_a_1367_case_is_checked_only_for_cleared_staff(reference):
    case = make_case(office="ESC", is_protected=True)
    sr = make_service_request(receipt_number=case.receipt_number)
    uncleared = make_user("sup1", role=Role.SUPERVISOR, offices=["ESC"])
    cleared = make_user("sup2", role=Role.SUPERVISOR, offices=["ESC"], is_1367_cleared=True)

    assert _assess(client_for(uncleared), sr, FORM_LETTER).status_code == 404
    assert _assess(client_for(cleared), sr, FORM_LETTER).status_code == 200


def test_a_closed_request_is_not_checked(reference):
    sr = _request()
    client = client_for(make_user("olga", role=Role.OFFICE_STAFF, offices=["ESC"]))
    client.post(f"/staff/requests/{sr.reference}/respond/", {"kind": "final", "body": INFORMATIVE})

    assert _assess(client, sr, INFORMATIVE).status_code == 403


# --- what it shows ---------------------------------------------------------------------------


@pytest.fixture
def writer(reference) -> Any:
    return client_for(make_user("olga", role=Role.OFFICE_STAFF, offices=["ESC"]))


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_form_letter_shows_the_warning_each_sentence_and_the_reason_field(writer):
    sr = _request()

    content = _assess(writer, sr, FORM_LETTER).content.decode()

    text = _text(content)
    assert "Warning: this reads as a form letter." in text
    assert "New information for the customer: 0%" in text
    assert text.count("Generic, not about this case") >= 2
    assert "New for the customer" not in text
    assert 'name="override_reason"' in content
    assert "Reason for sending it anyway" in text
    # The verdict goes to the live region; the sentences replace the panel's assessment.
    assert '<div id="respond-assessment-status" hx-swap-oob="innerHTML">' in content
    assert "errorlist" not in content
    assert "usa-error-message" not in content


def test_an_informative_draft_shows_no_warning_and_no_reason_field(writer):
    sr = _request()

    content = _assess(writer, sr, INFORMATIVE).content.decode()

    text = _text(content)
    assert "Warning" not in text
    assert "New for the customer" in text
    assert 'name="override_reason"' not in content


def test_the_reason_typed_so_far_is_kept_as_the_writer_types(writer):
    sr = _request()

    content = _assess(writer, sr, FORM_LETTER, override_reason="Asked for it in writing").content

    assert "Asked for it in writing</textarea>" in content.decode()


def test_a_blank_draft_shows_nothing(writer):
    sr = _request()

    response = _assess(writer, sr, "   ")

    assert response.status_code == 200
    assert _text(response.content.decode()) == ""


def test_the_labels_are_in_spanish_for_a_spanish_reader(writer):
    sr = _request("es")

    content = writer.post(
        f"/staff/requests/{sr.reference}/respond/assess/",
        {"body": FORM_LETTER_ES},
        HTTP_ACCEPT_LANGUAGE="es",
    ).content.decode()

    text = _text(content)
    assert "Advertencia: esta respuesta parece una carta modelo." in text
    assert "Motivo para enviarla de todos modos" in text
    assert "Genérica, no trata de este caso" in text


def test_the_request_page_wires_the_check_to_the_respond_form(writer):
    sr = _request()

    content = writer.get(f"/staff/requests/{sr.reference}/").content.decode()

    form = re.search(r'<form method="post" action="/staff/requests/[^"]+/respond/"[^>]*>', content)
    assert form is not None
    assert f'hx-post="/staff/requests/{sr.reference}/respond/assess/"' in form.group(0)
    assert 'hx-trigger="input changed delay:600ms from:#respond-body"' in form.group(0)
    assert 'id="respond-body"' in content
    assert '<div id="respond-assessment-status" aria-live="polite">' in content


# --- the warning flow without JavaScript ------------------------------------------------------


def test_a_form_letter_is_refused_with_the_assessment_until_a_reason_is_given(writer):
    sr = _request()
    before = _written(sr)

    refused = writer.post(
        f"/staff/requests/{sr.reference}/respond/", {"kind": "initial", "body": FORM_LETTER}
    )

    assert refused.status_code == 200
    assert refused.context["panel"] == "respond"
    assert refused.context["response_form"].non_field_errors() == [
        "This response tells the customer nothing new: it reads as a form letter. Add what "
        "is new on their case, or give your reason for sending it anyway."
    ]
    reason_form = refused.context["assessment_form"]
    assert reason_form.assessment.form_letter is True
    assert reason_form.errors == {
        "override_reason": ["Give your reason for sending a form letter anyway."]
    }
    text = _text(refused.content.decode())
    assert "Warning: this reads as a form letter." in text
    assert "Generic, not about this case" in text
    assert _written(sr) == before

    sent = writer.post(
        f"/staff/requests/{sr.reference}/respond/",
        {"kind": "initial", "body": FORM_LETTER, "override_reason": "Asked for it in writing."},
    )

    assert sent.status_code == 302
    response = Response.objects.get(service_request=sr)
    assert (response.form_letter, response.form_letter_override_reason) == (
        True,
        "Asked for it in writing.",
    )
    event = AuditEvent.objects.filter(action="service_request.responded").get()
    assert event.changes["form_letter_override_reason"] == "Asked for it in writing."


def test_an_informative_response_is_sent_without_a_reason(writer):
    sr = _request()

    sent = writer.post(
        f"/staff/requests/{sr.reference}/respond/", {"kind": "initial", "body": INFORMATIVE}
    )

    assert sent.status_code == 302
    response = Response.objects.get(service_request=sr)
    assert (response.form_letter, response.form_letter_override_reason) == (False, "")


def test_a_reason_over_the_limit_is_refused_on_the_form(writer):
    sr = _request()
    before = _written(sr)

    refused = writer.post(
        f"/staff/requests/{sr.reference}/respond/",
        {"kind": "initial", "body": FORM_LETTER, "override_reason": "x" * 2001},
    )

    assert refused.status_code == 200
    assert list(refused.context["assessment_form"].errors) == ["override_reason"]
    assert _written(sr) == before
