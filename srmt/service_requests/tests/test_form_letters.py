"""The new-information check where a response is sent (form_letters, ADR 39): every response
is assessed and keeps its score; a form letter needs the writer's reason, and without one
nothing is written; the reason is kept on the response and in the audit event."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.core.errors import DomainError
from srmt.quality.models import PhraseStat
from srmt.quality.types import Why
from srmt.service_requests import expedites, form_letters, services
from srmt.service_requests.errors import FormLetterWarning, InvalidResponse
from srmt.service_requests.models import Response, ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.service_requests.tests.conftest import snapshot
from srmt.service_requests.tests.test_expedites import submit_expedite
from srmt.testing.factories import make_service_request, make_user

pytestmark = [pytest.mark.usefixtures("clock"), pytest.mark.new_information]

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
    "Gracias por comunicarse con nosotros. Su caso está pendiente. Los tiempos de "
    "procesamiento se publican en nuestro sitio web. Nos comunicaremos con usted cuando "
    "haya novedades."
)
INFORMATIVE_ES = (
    "El 2 de noviembre enviamos su expediente a la oficina de Newark porque su entrevista "
    "será allí. Su entrevista está programada para el 14 de diciembre a las 9:30 a.m."
)


@pytest.fixture(autouse=True)
def _threshold(settings: Any) -> None:
    settings.SRMT_NEW_INFORMATION_THRESHOLD = THRESHOLD


@pytest.fixture
def sr(officer: User) -> ServiceRequest:
    """A request at ESC from an English-speaking requester with an email address."""
    return make_service_request(
        actor=officer,
        receipt_number="EAC2190012345",
        requester=RequesterData(name="Ana Pérez", email="ana@example.com", language="en"),
    )


def _events(sr: ServiceRequest) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.for_object("service_request", sr.reference).filter(
            action="service_request.responded"
        )
    )


def _written(sr: ServiceRequest) -> tuple[object, ...]:
    return (snapshot(sr), PhraseStat.objects.count(), len(mail.outbox))


def _refused(call: Any, sr: ServiceRequest, code: str) -> DomainError:
    before = _written(sr)
    with pytest.raises(DomainError) as excinfo:
        call()
    assert excinfo.value.code == code
    assert _written(sr) == before
    return excinfo.value


def test_an_informative_response_is_sent_with_its_score(officer: User, sr: ServiceRequest):
    expected = form_letters.assess_draft(sr, actor=officer, body=INFORMATIVE)

    response = services.add_response(sr, actor=officer, kind="initial", body=INFORMATIVE)

    response.refresh_from_db()
    assert response.new_information == expected.new_information
    assert response.new_information >= THRESHOLD
    assert (response.form_letter, response.form_letter_override_reason) == (False, "")
    [event] = _events(sr)
    assert event.changes == {
        "kind": "initial",
        "response_id": response.pk,
        "channel": "email",
        "status": ["received", "responded"],
        "new_information": round(expected.new_information, 3),
        "form_letter": False,
    }


def test_a_form_letter_without_a_reason_is_refused_and_nothing_is_written(
    officer: User, sr: ServiceRequest
):
    error = _refused(
        lambda: services.add_response(sr, actor=officer, kind="initial", body=FORM_LETTER),
        sr,
        "form_letter_warning",
    )

    assert isinstance(error, FormLetterWarning)
    assert isinstance(error, InvalidResponse)
    assert (error.field, error.http_status) == ("override_reason", 409)
    assessment = error.extra["assessment"]
    assert assessment.form_letter is True
    assert assessment.new_information < THRESHOLD
    assert assessment.threshold == THRESHOLD
    assert all(not s.new for s in assessment.sentences)
    assert error.extensions["assessment"]["form_letter"] is True
    assert error.extensions["assessment"]["threshold"] == THRESHOLD


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_blank_reason_is_no_reason(officer: User, sr: ServiceRequest, reason: str):
    _refused(
        lambda: services.add_response(
            sr, actor=officer, kind="final", body=FORM_LETTER, override_reason=reason
        ),
        sr,
        "form_letter_warning",
    )


def test_a_form_letter_with_a_reason_is_sent_and_the_reason_kept_and_audited(
    officer: User, sr: ServiceRequest
):
    reason = "  The customer asked for a written confirmation that the case is pending.  "

    response = services.add_response(
        sr, actor=officer, kind="initial", body=FORM_LETTER, override_reason=reason
    )

    response.refresh_from_db()
    assert (response.form_letter, response.new_information) == (True, 0.0)
    assert response.form_letter_override_reason == reason.strip()
    assert response.notification_id is not None  # handed to the delivery gate
    assert PhraseStat.objects.count() > 0  # its sentences counted (assessment.record_sent)
    [event] = _events(sr)
    assert event.changes == {
        "kind": "initial",
        "response_id": response.pk,
        "channel": "email",
        "status": ["received", "responded"],
        "new_information": round(response.new_information, 3),
        "form_letter": True,
        "form_letter_override_reason": reason.strip(),
    }


def test_a_reason_for_a_response_that_is_not_a_form_letter_is_not_kept(
    officer: User, sr: ServiceRequest
):
    response = services.add_response(
        sr, actor=officer, kind="initial", body=INFORMATIVE, override_reason="Just in case."
    )

    response.refresh_from_db()
    assert (response.form_letter, response.form_letter_override_reason) == (False, "")
    [event] = _events(sr)
    assert "form_letter_override_reason" not in event.changes


def test_a_reason_longer_than_the_field_is_refused(officer: User, sr: ServiceRequest):
    error = _refused(
        lambda: services.add_response(
            sr, actor=officer, kind="initial", body=FORM_LETTER, override_reason="x" * 2001
        ),
        sr,
        "invalid_response",
    )
    assert error.field == "override_reason"


def test_news_already_sent_is_a_form_letter_the_second_time(officer: User, sr: ServiceRequest):
    services.add_response(sr, actor=officer, kind="initial", body=INFORMATIVE)

    _refused(
        lambda: services.add_response(sr, actor=officer, kind="final", body=INFORMATIVE),
        sr,
        "form_letter_warning",
    )
    assessment = form_letters.assess_draft(
        ServiceRequest.objects.get(pk=sr.pk), actor=officer, body=INFORMATIVE
    )
    assert {s.why for s in assessment.sentences} == {Why.PRIOR_RESPONSE}


@pytest.mark.parametrize(("body", "form_letter"), [(FORM_LETTER_ES, True), (INFORMATIVE_ES, False)])
def test_a_spanish_request_is_assessed_in_spanish(officer: User, body: str, form_letter: bool):
    sr = make_service_request(actor=officer, receipt_number="EAC2190012345")  # requester: es

    assessment = form_letters.assess_draft(sr, actor=officer, body=body)

    assert assessment.form_letter is form_letter


def test_responses_sent_before_the_check_show_no_score(officer: User, sr: ServiceRequest):
    response = services.add_response(sr, actor=officer, kind="initial", body=INFORMATIVE)
    Response.objects.filter(pk=response.pk).update(new_information=None, form_letter=None)
    response.refresh_from_db()

    assert form_letters.stored_score(response) is None


# --- assessing a draft ----------------------------------------------------------------------


def test_assessing_a_draft_writes_nothing(officer: User, sr: ServiceRequest):
    services.add_response(sr, actor=officer, kind="initial", body=INFORMATIVE)
    before = _written(sr)

    assessment = form_letters.assess_draft(sr, actor=officer, body=FORM_LETTER)

    assert assessment.form_letter is True
    assert _written(sr) == before


@pytest.mark.parametrize(
    ("role", "offices", "code"),
    [
        (Role.OFFICE_STAFF, ["ESC"], None),
        (Role.SUPERVISOR, ["ESC"], None),
        (Role.TIER2, ["ESC"], None),
        (Role.TIER2, ["CC-T2"], "permission_denied"),  # sees it, acts only at its offices
        (Role.ADMINISTRATOR, [], None),
        (Role.OFFICE_STAFF, ["CSC"], "permission_denied"),  # not their office
        (Role.TIER1, ["CC-T1"], "permission_denied"),
        (Role.QA_REVIEWER, [], "permission_denied"),
        (Role.ANALYST, [], "permission_denied"),
        (Role.CASE_SYSTEM, [], "permission_denied"),
    ],
)
def test_who_may_assess_a_draft(sr: ServiceRequest, role: str, offices: list[str], code: str):
    user = make_user(f"u_{role}_{'_'.join(offices)}", role=role, offices=offices)
    before = _written(sr)
    if code is None:
        assert form_letters.assess_draft(sr, actor=user, body=INFORMATIVE).form_letter is False
    else:
        with pytest.raises(DomainError) as excinfo:
            form_letters.assess_draft(sr, actor=user, body=INFORMATIVE)
        assert excinfo.value.code == code
    assert _written(sr) == before


def test_a_closed_request_is_not_assessed(officer: User, sr: ServiceRequest):
    services.add_response(sr, actor=officer, kind="final", body=INFORMATIVE)

    with pytest.raises(DomainError) as excinfo:
        form_letters.assess_draft(
            ServiceRequest.objects.get(pk=sr.pk), actor=officer, body=INFORMATIVE
        )
    assert excinfo.value.code == "request_closed"


@pytest.mark.parametrize("body", ["", "   ", "x" * 10_001])
def test_a_blank_or_too_long_draft_is_refused(officer: User, sr: ServiceRequest, body: str):
    with pytest.raises(DomainError) as excinfo:
        form_letters.assess_draft(sr, actor=officer, body=body)
    assert (excinfo.value.code, excinfo.value.field) == ("invalid_response", "body")


# --- responses the system writes ------------------------------------------------------------


@pytest.mark.parametrize(("approved", "reason"), [(True, ""), (False, "No evidence of the loss.")])
def test_an_expedite_decision_is_news_and_passes_the_check(
    officer: User, approved: bool, reason: str
):
    # A decision on an expedite and why is news (issue 10, §2): never held up as a form letter.
    tier1 = make_user("tier1", role=Role.TIER1)
    sr = submit_expedite(tier1)

    expedites.decide_expedite(sr, actor=officer, approved=approved, reason=reason)

    response = Response.objects.get(service_request=sr)
    assert response.form_letter is False
    assert response.new_information is not None
    assert response.new_information >= THRESHOLD
