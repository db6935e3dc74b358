"""Consistent answers: stable codes that name the field, readable collections, one datetime
representation, and a schema that says what it means."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import yaml
from django.conf import settings as django_settings

from srmt.accounts.choices import Role
from srmt.api.tests.conftest import row_counts, valid_submission
from srmt.api.tests.endpoints import World, make_world
from srmt.audit.models import AuditEvent
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest
from srmt.testing.factories import make_case, make_service_request

LIST = "/api/v1/service-requests/"


@pytest.fixture
def world(reference, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return make_world()


def errors(response) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


# --- codes --------------------------------------------------------------------------------


def test_a_bad_urgency_at_intake_is_invalid_urgency(world):
    before = row_counts()

    response = world.client.post(LIST, valid_submission(urgency="panic"), format="json")

    assert (response.status_code, response.json()["code"]) == (400, "invalid_urgency")
    assert errors(response) == [("urgency", "invalid_urgency")]
    assert row_counts() == before


def test_a_bad_urgency_in_an_edit_is_invalid_urgency(world):
    before = row_counts()

    response = world.client.patch(
        f"{LIST}{world.sr.reference}/", {"urgency": "panic"}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "invalid_urgency")
    assert errors(response) == [("urgency", "invalid_urgency")]
    assert row_counts() == before


def test_the_service_refuses_a_bad_urgency_with_the_same_code(world):
    from srmt.service_requests.errors import InvalidUrgency

    with pytest.raises(InvalidUrgency) as refused:
        services.update_request(world.sr, actor=world.user, changes={"urgency": "panic"})

    assert (refused.value.code, refused.value.field) == ("invalid_urgency", "urgency")


def expedite(receipt: str, **details: Any) -> dict[str, Any]:
    body = valid_submission(type="expedite_request", receipt_number=receipt)
    if details:
        body["expedite"] = details
    return body


@pytest.mark.parametrize(
    ("details", "form", "expected"),
    [
        ({}, "I-130", ("expedite.criterion", "expedite_details_required")),
        (
            {"criterion": "nope", "justification": "Urgent."},
            "I-130",
            ("expedite.criterion", "invalid_expedite"),
        ),
        (
            {"criterion": "severe_financial_loss", "justification": "Urgent."},
            "I-765",
            ("expedite.criterion", "expedite_not_available"),
        ),
    ],
)
def test_expedite_refusals_name_the_field_as_it_is_in_the_body(world, details, form, expected):
    case = make_case(form=form)
    before = row_counts()

    response = world.client.post(LIST, expedite(case.receipt_number, **details), format="json")

    assert response.status_code == 400
    assert errors(response) == [expected]
    assert row_counts() == before


# --- responses and notes are readable collections -----------------------------------------


@pytest.mark.parametrize("collection", ["responses", "notes"])
def test_responses_and_notes_can_be_listed_oldest_first(world, collection):
    sr = world.sr
    services.add_note(sr, actor=world.user, body="First.")
    services.add_response(sr, actor=world.user, kind="initial", body="We are on it.")
    services.add_note(sr, actor=world.user, body="Second.")
    before = AuditEvent.objects.filter(action="service_request.viewed").count()

    response = world.client.get(f"{LIST}{sr.reference}/{collection}/")

    assert response.status_code == 200
    if collection == "notes":
        assert [(n["body"], n["author"]) for n in response.json()] == [
            ("First.", world.user.username),
            ("Second.", world.user.username),
        ]
    else:
        assert [(r["kind"], r["body"]) for r in response.json()] == [("initial", "We are on it.")]
    viewed = AuditEvent.objects.filter(action="service_request.viewed")
    assert viewed.count() == before + 1
    assert (viewed.latest("id").actor, viewed.latest("id").object_id) == (
        world.user,
        sr.reference,
    )


@pytest.mark.parametrize("collection", ["responses", "notes"])
def test_responses_and_notes_of_an_invisible_request_are_404_and_not_audited(
    make_client, collection
):
    client, _user = make_client(Role.OFFICE_STAFF, offices=["NSC"])
    sr = make_service_request()  # at ESC
    before = row_counts()

    response = client.get(f"{LIST}{sr.reference}/{collection}/")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert row_counts() == before


@pytest.mark.parametrize("collection", ["responses", "notes"])
def test_listing_responses_and_notes_takes_a_fixed_number_of_queries(
    world, collection, django_assert_num_queries
):
    for n, kind in enumerate(["initial", "follow_up", "follow_up"]):
        services.add_note(world.sr, actor=world.user, body=f"Note {n}.")
        services.add_response(world.sr, actor=world.user, kind=kind, body=f"Reply {n}.")

    with django_assert_num_queries(3):  # the request, its audit row, the collection
        response = world.client.get(f"{LIST}{world.sr.reference}/{collection}/")

    assert len(response.json()) == 3


# --- one datetime representation ----------------------------------------------------------

ISO_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def datetimes(value: Any) -> list[str]:
    """Every string in a JSON document that is a datetime."""
    if isinstance(value, dict):
        return [d for v in value.values() for d in datetimes(v)]
    if isinstance(value, list):
        return [d for v in value for d in datetimes(v)]
    return [value] if isinstance(value, str) and ISO_DATETIME.match(value) else []


def test_every_datetime_in_every_answer_is_utc_with_z(world, make_client):
    sr = world.sr
    services.add_note(sr, actor=world.user, body="Note.")
    services.add_response(sr, actor=world.user, kind="initial", body="Reply.")
    services.transition_request(sr, actor=world.user, to="awaiting_customer", reason="Asked")
    client = world.client
    expedite = world.expedite
    client.post(f"{LIST}{expedite}/expedite/decision/", {"approved": True}, format="json")
    abroad = valid_submission(
        requester={"name": "Ana", "email": "ana@example.com", "country": "MX"}
    )
    repeat_case = make_case()
    make_service_request(receipt_number=repeat_case.receipt_number)
    answers = [
        client.get(LIST),
        client.get(f"{LIST}{sr.reference}/"),
        client.get(f"{LIST}{sr.reference}/responses/"),
        client.get(f"{LIST}{sr.reference}/notes/"),
        client.get(f"{LIST}{expedite}/expedite/"),
        client.get(f"{LIST}{expedite}/attachments/"),
        client.get(f"/api/v1/cases/{world.receipt}/"),
        client.post(LIST, abroad, format="json"),
        client.post(
            LIST,
            valid_submission(receipt_number=repeat_case.receipt_number, repeat_check="ask"),
            format="json",
        ),
    ]

    shown = [d for answer in answers for d in datetimes(answer.json())]
    assert [a.status_code for a in answers] == [200] * 7 + [200, 409]
    assert len(shown) > 30
    assert [d for d in shown if not d.endswith("Z")] == []
    assert {"at_risk_at", "created_at"} <= set(client.get(LIST).json()["results"][0])


def test_created_at_and_at_risk_at_use_the_same_representation(world):
    row = world.client.get(f"{LIST}{world.sr.reference}/").json()

    created = dt.datetime.fromisoformat(row["created_at"])
    at_risk = dt.datetime.fromisoformat(row["at_risk_at"])
    assert created.utcoffset() == at_risk.utcoffset() == dt.timedelta(0)
    assert row["created_at"] == ServiceRequest.objects.get(pk=world.sr.pk).created_at.astimezone(
        dt.UTC
    ).isoformat().replace("+00:00", "Z")


# --- the schema says what it means ---------------------------------------------------------


def schema() -> dict[str, Any]:
    path = django_settings.BASE_DIR / "openapi.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("component", ["Case", "CaseSummary", "CaseInputRequest"])
def test_is_protected_says_what_it_protects(component):
    field = schema()["components"]["schemas"][component]["properties"]["is_protected"]

    assert "8 U.S.C. 1367" in field["description"]
    assert "clearance" in field["description"]


def test_responses_and_notes_are_listed_in_the_schema():
    paths = schema()["paths"]

    for collection in ("responses", "notes"):
        operation = paths[f"/api/v1/service-requests/{{reference}}/{collection}/"]["get"]
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["type"] == "array"
        assert "404" in operation["responses"]
