"""POST /api/v1/service-requests/{reference}/responses/assess and the new-information check
on POST .../responses/ (ADR 39): the assessment's exact shape in both languages, access as
for sending a response for every kind of actor, nothing written, and a form letter refused
with 409 form_letter_warning unless the writer gives a reason."""

from __future__ import annotations

from typing import Any

import pytest

from srmt.accounts.choices import Role
from srmt.api.tests.conftest import client_for, row_counts
from srmt.api.tests.endpoints import documented_statuses
from srmt.quality.models import PhraseStat
from srmt.service_requests import services
from srmt.service_requests.models import Response, ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.testing.factories import (
    make_case,
    make_customer,
    make_representative,
    make_service_request,
    make_user,
)

pytestmark = pytest.mark.new_information

THRESHOLD = 0.15
WHYS = {"template", "prior_response", "customer_request", "case_record", "common_phrase"}
WHYS |= {"generic"}
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


def _request(language: str = "en", *, protected: bool = False) -> ServiceRequest:
    case = make_case(office="ESC", is_protected=protected)
    return make_service_request(
        receipt_number=case.receipt_number,
        requester=RequesterData(name="Ana Pérez", email="ana@example.com", language=language),
    )


ASSESS = "/api/v1/service-requests/{sr}/responses/assess"
RESPONSES = "/api/v1/service-requests/{sr}/responses/"


def _assess_url(sr: ServiceRequest) -> str:
    return f"/api/v1/service-requests/{sr.reference}/responses/assess"


def _responses_url(sr: ServiceRequest) -> str:
    return f"/api/v1/service-requests/{sr.reference}/responses/"


def _written() -> tuple[object, ...]:
    return (row_counts(), PhraseStat.objects.count())


def _check_shape(body: dict[str, Any]) -> None:
    assert list(body) == ["new_information", "form_letter", "threshold", "sentences"]
    assert 0 <= body["new_information"] <= 1
    assert isinstance(body["form_letter"], bool)
    assert body["threshold"] == THRESHOLD
    for sentence in body["sentences"]:
        assert list(sentence) == ["text", "new", "why"]
        assert isinstance(sentence["new"], bool)
        assert (sentence["why"] is None) == sentence["new"]
        assert sentence["why"] is None or sentence["why"] in WHYS


@pytest.fixture
def staff(reference: None):
    user = make_user("esc_staff", role=Role.OFFICE_STAFF, offices=["ESC"])
    return client_for(user)


@pytest.mark.parametrize(
    ("language", "body", "form_letter"),
    [
        ("en", FORM_LETTER, True),
        ("en", INFORMATIVE, False),
        ("es", FORM_LETTER_ES, True),
        ("es", INFORMATIVE_ES, False),
    ],
)
def test_the_assessment_has_exactly_the_documented_shape_in_both_languages(
    staff, language: str, body: str, form_letter: bool
):
    sr = _request(language)
    before = _written()

    response = staff.post(_assess_url(sr), {"body": body}, format="json")

    assert response.status_code == 200, response.content
    data = response.json()
    _check_shape(data)
    assert data["form_letter"] is form_letter
    assert (data["new_information"] < THRESHOLD) is form_letter
    assert len(data["sentences"]) >= 2
    assert "".join(s["text"] for s in data["sentences"]).replace(" ", "") == body.replace(" ", "")
    if form_letter:
        assert not any(s["new"] for s in data["sentences"])
    else:
        assert any(s["new"] for s in data["sentences"])
    assert _written() == before  # nothing written, not even an audit event


def test_the_earlier_response_makes_its_news_old(staff):
    sr = _request()
    staff.post(_responses_url(sr), {"kind": "initial", "body": INFORMATIVE}, format="json")

    data = staff.post(_assess_url(sr), {"body": INFORMATIVE}, format="json").json()

    assert data["form_letter"] is True
    assert {s["why"] for s in data["sentences"]} == {"prior_response"}


def test_a_template_code_is_taken_and_an_unknown_one_changes_nothing(staff):
    sr = _request()

    with_template = staff.post(
        _assess_url(sr), {"body": INFORMATIVE, "template": "no-such-template"}, format="json"
    )
    without = staff.post(_assess_url(sr), {"body": INFORMATIVE}, format="json")

    assert with_template.status_code == 200
    assert with_template.json() == without.json()


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({}, "body", "required"),
        ({"body": ""}, "body", "blank"),
        ({"body": "x" * 10_001}, "body", "too_long"),
        ({"body": INFORMATIVE, "kind": "initial"}, "kind", "unknown_field"),
        ({"body": INFORMATIVE, "override_reason": "x"}, "override_reason", "unknown_field"),
        ({"body": INFORMATIVE, "template": "x" * 65}, "template", "too_long"),
    ],
)
def test_strict_input(staff, data: dict[str, Any], field: str, code: str):
    sr = _request()
    before = _written()

    response = staff.post(_assess_url(sr), data, format="json")

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert _written() == before


def test_a_closed_request_is_not_assessed(staff):
    sr = _request()
    staff.post(_responses_url(sr), {"kind": "final", "body": INFORMATIVE}, format="json")
    before = _written()

    response = staff.post(_assess_url(sr), {"body": INFORMATIVE}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "request_closed")
    assert _written() == before


# --- who may assess: as for sending a response --------------------------------------------

# actor -> (status of assess, status of POST responses) on a request at ESC.
ACTORS: dict[str, tuple[int, int]] = {
    "tier1": (403, 403),
    "tier2_at_esc": (200, 201),
    "tier2_elsewhere": (403, 403),
    "office_staff_at_esc": (200, 201),
    "office_staff_elsewhere": (404, 404),
    "supervisor": (200, 201),
    "qa_reviewer": (403, 403),
    "analyst": (404, 404),  # sees no requests
    "administrator": (200, 201),
    "case_system": (404, 404),  # sees no requests
    "customer": (403, 403),
    "representative": (403, 403),
    "anonymous": (401, 401),
}


STAFF = {
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
OUTSIDE = ("customer", "representative", "anonymous")


def _actor(name: str, sr: ServiceRequest) -> Any:
    if name in STAFF:
        role, offices = STAFF[name]
        return client_for(make_user(f"u_{name}", role=role, offices=offices))
    if name == "customer":
        return client_for(make_customer("u_customer"))
    if name == "representative":
        return client_for(make_representative("u_rep", cases=[sr.case]))
    return client_for(None)


def test_the_matrix_covers_every_role_and_kind_of_actor():
    assert {role for role, _offices in STAFF.values()} == set(Role)
    assert set(ACTORS) == set(STAFF) | set(OUTSIDE)


@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_may_assess_is_who_may_respond(reference, actor: str):
    sr = _request()
    client = _actor(actor, sr)
    before = _written()

    assessed = client.post(_assess_url(sr), {"body": INFORMATIVE}, format="json")

    assert _written() == before
    sent = client.post(_responses_url(sr), {"kind": "initial", "body": INFORMATIVE}, format="json")
    assert (assessed.status_code, sent.status_code) == ACTORS[actor]
    if assessed.status_code == 200:
        _check_shape(assessed.json())
    else:
        assert assessed["Content-Type"] == "application/problem+json"
    assert str(assessed.status_code) in documented_statuses(
        "post", "/api/v1/service-requests/{sr}/responses/assess"
    )


@pytest.mark.parametrize(("cleared", "status"), [(False, 404), (True, 200)])
def test_a_1367_case_is_assessed_only_for_cleared_staff(reference, cleared: bool, status: int):
    sr = _request(protected=True)
    user = make_user("sup", role=Role.SUPERVISOR, offices=["ESC"], is_1367_cleared=cleared)
    before = _written()

    response = client_for(user).post(_assess_url(sr), {"body": INFORMATIVE}, format="json")

    assert response.status_code == status
    assert _written() == before


# --- sending: the warning and its override -------------------------------------------------


def test_a_form_letter_without_a_reason_is_409_with_the_assessment_and_nothing_written(staff):
    sr = _request()
    before = _written()

    response = staff.post(
        _responses_url(sr), {"kind": "initial", "body": FORM_LETTER}, format="json"
    )

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "form_letter_warning"
    assert problem["errors"] == [
        {"field": "override_reason", "code": "form_letter_warning", "detail": problem["detail"]}
    ]
    _check_shape(problem["assessment"])
    assert problem["assessment"]["form_letter"] is True
    assessed = staff.post(_assess_url(sr), {"body": FORM_LETTER}, format="json").json()
    assert problem["assessment"] == assessed
    assert _written() == before
    assert "409" in documented_statuses("post", RESPONSES)


def test_a_form_letter_with_a_reason_is_sent_and_shows_its_score_and_reason(staff):
    sr = _request()
    reason = "The customer asked for a written confirmation that the case is pending."

    response = staff.post(
        _responses_url(sr),
        {"kind": "initial", "body": FORM_LETTER, "override_reason": reason},
        format="json",
    )

    assert response.status_code == 201, response.content
    data = response.json()
    stored = Response.objects.get(service_request=sr)
    assert data["new_information"] == {
        "score": round(stored.new_information, 3),
        "form_letter": True,
    }
    assert data["form_letter_override_reason"] == reason
    listed = staff.get(_responses_url(sr)).json()
    assert [r["new_information"] for r in listed] == [data["new_information"]]
    assert [r["form_letter_override_reason"] for r in listed] == [reason]


def test_an_informative_response_shows_its_score_and_no_reason(staff):
    sr = _request()

    data = staff.post(
        _responses_url(sr), {"kind": "initial", "body": INFORMATIVE}, format="json"
    ).json()

    assert data["new_information"]["form_letter"] is False
    assert data["new_information"]["score"] >= THRESHOLD
    assert data["form_letter_override_reason"] == ""


def test_a_response_sent_before_the_check_shows_null(staff, reference):
    sr = _request()
    officer = make_user("officer", role=Role.OFFICE_STAFF, offices=["ESC"])
    sent = services.add_response(sr, actor=officer, kind="initial", body=INFORMATIVE)
    Response.objects.filter(pk=sent.pk).update(new_information=None, form_letter=None)

    [listed] = staff.get(_responses_url(sr)).json()
    detail = staff.get(f"/api/v1/service-requests/{sr.reference}/").json()

    assert (listed["new_information"], listed["form_letter_override_reason"]) == (None, "")
    assert detail["responses"][0]["new_information"] is None
