"""/api/v1/templates/, a template rendered for a request, and `"template"` on a response."""

from __future__ import annotations

import pytest

from srmt.accounts.choices import Role
from srmt.api.tests.conftest import client_for, row_counts
from srmt.response_templates.models import ResponseTemplate
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.testing.factories import (
    make_case,
    make_customer,
    make_representative,
    make_service_request,
    make_user,
)

SEEDED_NATIONAL = 16  # srmt/seed/template_library.py, the NSC template aside


def esc_request(language: str = "en") -> ServiceRequest:
    case = make_case(form="I-130", office="ESC")
    return make_service_request(
        receipt_number=case.receipt_number,
        requester=RequesterData(name="Ana Pérez", email="ana@example.com", language=language),
    )


def responses_url(sr: ServiceRequest) -> str:
    return f"/api/v1/service-requests/{sr.reference}/responses/"


def template_url(sr: ServiceRequest, code: str, query: str = "") -> str:
    return f"/api/v1/service-requests/{sr.reference}/templates/{code}{query}"


def test_list_for_an_office_respondent(make_client):
    client, _user = make_client(Role.OFFICE_STAFF, offices=["ESC"])
    answer = client.get("/api/v1/templates/")
    assert answer.status_code == 200
    codes = [t["code"] for t in answer.json()]
    assert len(codes) == SEEDED_NATIONAL
    assert "nsc-card-returned" not in codes  # another office's
    first = answer.json()[0]
    assert first == {
        "code": "accommodation-final",
        "name": "Accommodation arranged",
        "office": None,
        "request_type": "accommodation_request",
        "response_kind": "final",
        "is_active": True,
        "version": 1,
        "body_en": first["body_en"],
        "body_es": first["body_es"],
        "variables": ["office_name", "action_taken", "case_details", "office_contact"],
    }


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("?office=NSC", ["nsc-card-returned"]),
        ("?request_type=expedite_request", ["expedite-denied", "expedite-granted"]),
        ("?request_type=complaint&response_kind=initial", ["complaint-acknowledgement"]),
        ("?active=false", []),
    ],
)
def test_list_filters(make_client, query, codes):
    client, _user = make_client(Role.SUPERVISOR)
    answer = client.get("/api/v1/templates/" + query)
    assert answer.status_code == 200
    assert [t["code"] for t in answer.json()] == codes


def test_list_refuses_unknown_parameters(make_client):
    client, _user = make_client(Role.SUPERVISOR)
    answer = client.get("/api/v1/templates/?language=es")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"] == "unknown_parameter"


# Every actor kind: the list (how many templates), rendering for a request at ESC.
# (templates listed, rendered status)
MATRIX = {
    "tier1": (None, 403),
    "tier2": (SEEDED_NATIONAL, 200),  # CC-T2: national templates only
    "office_staff_esc": (SEEDED_NATIONAL, 200),
    "office_staff_nsc": (SEEDED_NATIONAL + 1, 404),  # does not see the ESC request
    "supervisor": (SEEDED_NATIONAL + 1, 200),
    "qa_reviewer": (None, 403),
    "analyst": (None, 404),  # sees no request at all
    "administrator": (SEEDED_NATIONAL + 1, 200),
    "case_system": (None, 404),
    "customer": (None, None),
    "representative": (None, None),
}
ROLES = {
    "tier1": (Role.TIER1, ["CC-T1"]),
    "tier2": (Role.TIER2, ["CC-T2"]),
    "office_staff_esc": (Role.OFFICE_STAFF, ["ESC"]),
    "office_staff_nsc": (Role.OFFICE_STAFF, ["NSC"]),
    "supervisor": (Role.SUPERVISOR, []),
    "qa_reviewer": (Role.QA_REVIEWER, []),
    "analyst": (Role.ANALYST, []),
    "administrator": (Role.ADMINISTRATOR, []),
    "case_system": (Role.CASE_SYSTEM, []),
}


@pytest.mark.parametrize("kind", list(MATRIX))
def test_matrix(reference, kind):
    if kind == "customer":
        user = make_customer("api_tpl_customer")
    elif kind == "representative":
        user = make_representative("api_tpl_rep")
    else:
        role, offices = ROLES[kind]
        user = make_user(f"api_tpl_{kind}", role=role, offices=offices)
    client = client_for(user)
    sr = esc_request()
    listed, rendered = MATRIX[kind]
    answer = client.get("/api/v1/templates/")
    if listed is None:
        assert answer.status_code == 403
    else:
        assert answer.status_code == 200
        assert len(answer.json()) == listed
    answer = client.get(template_url(sr, "acknowledgement"))
    assert answer.status_code == (rendered or 403)


def test_rendered_in_the_requests_language(make_client):
    client, _user = make_client(Role.OFFICE_STAFF, offices=["ESC"])
    sr = esc_request("es")
    answer = client.get(template_url(sr, "acknowledgement", "?kind=initial"))
    assert answer.status_code == 200
    due = answer.json()["body"].rsplit("el ", 1)[1]
    assert answer.json() == {
        "code": "acknowledgement",
        "version": 1,
        "language": "es",
        "body": f"Recibimos su solicitud {sr.reference} y la oficina Vermont Service Center "
        f"está trabajando en ella. {{{{ action_taken }}}} Le responderemos por completo a más "
        f"tardar el {due}",
        "missing": ["action_taken"],
        "to_write": ["action_taken"],
    }


@pytest.mark.parametrize(
    ("code", "query"),
    [
        ("nsc-card-returned", ""),  # another office's
        ("expedite-denied", ""),  # another request type
        ("acknowledgement", "?kind=final"),  # for initial responses only
        ("nothing-like-it", ""),
    ],
)
def test_rendered_404_when_not_offered(make_client, code, query):
    client, _user = make_client(Role.OFFICE_STAFF, offices=["ESC"])
    answer = client.get(template_url(esc_request(), code, query))
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_respond_from_a_template(make_client):
    client, _user = make_client(Role.OFFICE_STAFF, offices=["ESC"])
    sr = esc_request()
    body = client.get(template_url(sr, "acknowledgement")).json()["body"]
    body = body.replace("{{ action_taken }}", "We asked the officer on 30 October.")
    answer = client.post(
        responses_url(sr),
        {"kind": "initial", "body": body, "template": "acknowledgement"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["template"] == {"code": "acknowledgement", "version": 1}
    listed = client.get(responses_url(sr)).json()
    assert [r["template"] for r in listed] == [{"code": "acknowledgement", "version": 1}]


def test_a_response_without_a_template_shows_null(make_client):
    client, _user = make_client(Role.OFFICE_STAFF, offices=["ESC"])
    answer = client.post(
        responses_url(esc_request()), {"kind": "initial", "body": "Hello."}, format="json"
    )
    assert answer.status_code == 201
    assert answer.json()["template"] is None


@pytest.mark.parametrize(
    ("body", "template", "code", "extra"),
    [
        (
            "We wrote. {{ action_taken }} and {{ due_date }}",
            "acknowledgement",
            "unfilled_variable",
            {"variables": ["action_taken", "due_date"]},
        ),
        ("We wrote.", "nsc-card-returned", "unknown_template", {}),
        ("We wrote.", "no-such-template", "unknown_template", {}),
    ],
)
def test_respond_refusals_write_nothing(make_client, body, template, code, extra):
    client, _user = make_client(Role.OFFICE_STAFF, offices=["ESC"])
    sr = esc_request()
    before = row_counts()
    answer = client.post(
        responses_url(sr), {"kind": "initial", "body": body, "template": template}, format="json"
    )
    assert answer.status_code == 400
    problem = answer.json()
    assert problem["code"] == code
    assert problem["errors"][0]["field"] == ("body" if code == "unfilled_variable" else "template")
    for key, value in extra.items():
        assert problem[key] == value
    assert row_counts() == before
    assert ResponseTemplate.objects.count() == SEEDED_NATIONAL + 1
