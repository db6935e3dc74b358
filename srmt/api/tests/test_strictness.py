"""A strict API: unknown or read-only body fields and unknown query parameters are refused
with a 400 naming them, on every endpoint, and nothing changes."""

from __future__ import annotations

import re

import pytest
import yaml
from django.conf import settings as django_settings
from django.urls import resolve

from srmt.api.tests.conftest import row_counts, valid_submission
from srmt.api.tests.endpoints import (
    JSON_WRITES,
    READS,
    World,
    case_body,
    committed_schema,
    make_world,
)
from srmt.service_requests.models import ServiceRequest
from srmt.testing.factories import make_case, make_service_request

LIST = "/api/v1/service-requests/"


@pytest.fixture
def world(reference, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return make_world()


def versions() -> dict[str, int]:
    return dict(ServiceRequest.objects.values_list("reference", "version"))


def fields(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


# --- body fields --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "method", "path", "body"), JSON_WRITES, ids=lambda v: v)
def test_unknown_body_fields_are_refused_on_every_write(world, name, method, path, body):
    before, before_versions = row_counts(), versions()

    response = getattr(world.client, method)(
        world.fill(path), {**body, "bogus": 1, "created_at": "2026-01-01"}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "unknown_field")
    assert fields(response) == ["bogus", "created_at"]
    assert {e["code"] for e in response.json()["errors"]} == {"unknown_field"}
    assert (row_counts(), versions()) == (before, before_versions)


@pytest.mark.parametrize(("name", "method", "path", "body"), JSON_WRITES, ids=lambda v: v)
def test_the_same_writes_without_the_unknown_fields_succeed(world, name, method, path, body):
    response = getattr(world.client, method)(world.fill(path), body, format="json")

    assert response.status_code in {200, 201}, response.content


def test_read_only_fields_in_a_patch_are_refused_and_nothing_changes(world):
    sr = world.sr
    before, before_versions = row_counts(), versions()

    response = world.client.patch(
        f"{LIST}{sr.reference}/",
        {"status": "closed", "office": "NBC", "reference": "SR-0000-0000"},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "unknown_field")
    assert fields(response) == ["office", "reference", "status"]
    sr.refresh_from_db()
    assert (sr.status, sr.office.code) == ("received", "ESC")
    assert (row_counts(), versions()) == (before, before_versions)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (valid_submission(requester={"name": "Ana", "nickname": "A"}), "requester.nickname"),
        (
            valid_submission(
                type="expedite_request",
                expedite={"criterion": "humanitarian", "justification": "x", "urgent": True},
            ),
            "expedite.urgent",
        ),
    ],
)
def test_unknown_nested_fields_are_named_with_their_path(world, body, field):
    before = row_counts()

    response = world.client.post(LIST, body, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "unknown_field")
    assert fields(response) == [field]
    assert row_counts() == before


def test_unknown_fields_of_a_party_are_named_with_its_index(world):
    body = case_body()
    body["parties"] = [
        {"name": "Ana Pérez", "role": "petitioner"},
        {"name": "Bo", "role": "beneficiary", "ssn": "123"},
    ]
    before = row_counts()

    response = world.client.put(f"/api/v1/cases/{world.receipt}/", body, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "unknown_field")
    assert fields(response) == ["parties.1.ssn"]
    assert row_counts() == before


def test_unknown_and_invalid_fields_are_listed_together(world):
    response = world.client.post(
        f"{LIST}{world.sr.reference}/responses/",
        {"kind": "bogus", "body": "x", "cc": "y"},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "validation_error")
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {
        ("kind", "invalid_choice"),
        ("cc", "unknown_field"),
    }


# --- query parameters ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "path"), READS, ids=lambda v: v)
def test_unknown_query_parameters_are_refused_on_every_read(world, name, path):
    response = world.client.get(world.fill(path), {"bogus": "1"})

    assert (response.status_code, response.json()["code"]) == (400, "unknown_parameter")
    assert fields(response) == ["bogus"]


@pytest.mark.parametrize(("name", "method", "path", "body"), JSON_WRITES, ids=lambda v: v)
def test_unknown_query_parameters_are_refused_on_every_write(world, name, method, path, body):
    before, before_versions = row_counts(), versions()

    response = getattr(world.client, method)(world.fill(path) + "?dry_run=1", body, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "unknown_parameter")
    assert fields(response) == ["dry_run"]
    assert (row_counts(), versions()) == (before, before_versions)


def test_an_upload_with_an_unknown_query_parameter_is_refused(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from srmt.service_requests.models import Attachment

    response = world.client.post(
        f"{LIST}{world.expedite}/attachments/?virus_scan=off",
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")},
        format="multipart",
    )

    assert (response.status_code, response.json()["code"]) == (400, "unknown_parameter")
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("search=Patel", ["search"]),
        ("requester_email=", ["requester_email"]),
        ("status=received&q=x&limit=5", ["limit", "q"]),
        ("format=json", ["format"]),
    ],
)
def test_the_list_names_every_unknown_parameter(world, query, names):
    response = world.client.get(f"{LIST}?{query}")

    assert (response.status_code, response.json()["code"]) == (400, "unknown_parameter")
    assert fields(response) == names


def test_the_list_takes_its_filters_and_paging_parameters(world):
    response = world.client.get(
        LIST, {"status": "received", "office": "ESC", "page_size": "1", "overdue": "false"}
    )
    assert response.status_code == 200, response.content
    following = world.client.get(response.json()["next"])
    assert following.status_code == 200


def test_a_catalogue_is_not_paginated_so_page_size_is_unknown_there(world):
    response = world.client.get("/api/v1/offices/", {"page_size": "5"})

    assert (response.status_code, response.json()["code"]) == (400, "unknown_parameter")


@pytest.mark.parametrize(("name", "path"), READS, ids=lambda v: v)
def test_head_answers_as_get_and_refuses_unknown_parameters(world, name, path):
    get = world.client.get(world.fill(path))
    head = world.client.head(world.fill(path))
    unknown = world.client.head(world.fill(path), {"bogus": "1"})

    assert get.status_code == head.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert unknown.status_code == 400  # without its body, as any answer to HEAD


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (LIST, {"status": "received", "office": "ESC", "page_size": "1"}),
        ("/api/v1/offices/", {"kind": "field_office", "active": "true"}),
        ("/api/v1/expedite-criteria/", {"on": "2026-06-01"}),
    ],
)
def test_head_takes_the_parameters_of_get(world, path, query):
    # HEAD is GET without the body (RFC 9110, 9.3.2): it was refused with 400.
    get = world.client.get(path, query)
    head = world.client.head(path, query)

    assert get.status_code == head.status_code == 200


@pytest.mark.parametrize("method", ["trace", "delete", "put"])
def test_a_method_a_view_does_not_take_is_405_whatever_its_query(world, method):
    response = world.client.generic(method.upper(), "/api/v1/offices/?kind=field_office&x=1")

    assert (response.status_code, response.json()["code"]) == (405, "method_not_allowed")


def test_a_parameter_given_twice_is_refused(world):
    response = world.client.get(f"{LIST}?status=received&status=closed")

    assert (response.status_code, response.json()["code"]) == (400, "repeated_parameter")
    assert fields(response) == ["status"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("office=NOPE", "office"),
        ("type=NOPE", "type"),
        ("channel=pigeon", "channel"),
        ("deadline_state=late", "deadline_state"),
    ],
)
def test_unknown_codes_in_list_filters_are_400_invalid_choice(world, query, field):
    response = world.client.get(f"{LIST}?{query}")

    assert (response.status_code, response.json()["code"]) == (400, "invalid_choice")
    assert fields(response) == [field]


def test_office_and_type_filters_take_known_codes_in_any_case(world):
    nsc = make_service_request(receipt_number=make_case(office="NSC").receipt_number)

    by_office = world.client.get(LIST, {"office": "nsc"})
    by_type = world.client.get(LIST, {"type": "expedite_request"})

    assert [r["reference"] for r in by_office.json()["results"]] == [nsc.reference]
    assert [r["reference"] for r in by_type.json()["results"]] == [world.expedite]


def test_an_unknown_office_kind_is_400_invalid_choice(world):
    response = world.client.get("/api/v1/offices/", {"kind": "castle"})

    assert (response.status_code, response.json()["code"]) == (400, "invalid_choice")
    assert fields(response) == ["kind"]


def test_every_operation_documents_the_400_of_an_unknown_parameter():
    operations = [
        (method, path, operation)
        for path, methods in committed_schema()["paths"].items()
        for method, operation in methods.items()
    ]

    # 24, QA's 9 (ADR 36), review's 4 (ADR 35), outcomes' 1 (ADR 37), templates' 2 (ADR 33),
    # the assessment of a draft (ADR 39), issuing an access code (ADR 43), and the Case Status
    # API's two operations outside /api/v1/ (ADR 41)
    assert len(operations) == 44
    # The Case Status API answers as the agency's does (ADR 41): it takes no query parameters,
    # so an unknown one is ignored there, not refused.
    assert [
        (m, p)
        for m, p, operation in operations
        if "400" not in operation["responses"] and p.startswith("/api/")
    ] == []


def test_every_operation_documents_exactly_the_query_parameters_it_takes():
    schema = yaml.safe_load((django_settings.BASE_DIR / "openapi.yaml").read_text("utf-8"))
    compared = 0
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/"):
            # The Case Status API (ADR 41) takes no query parameters, as the agency's.
            assert [o.get("parameters", []) for o in operations.values()] == [
                [p for p in o.get("parameters", []) if p["in"] != "query"]
                for o in operations.values()
            ], path
            continue
        view_class = resolve(re.sub(r"\{\w+\}", "1", path)).func.cls
        for method, operation in operations.items():
            documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            taken = view_class().query_parameters(method.upper())
            assert documented == taken, (method, path)
            compared += 1
    assert compared == 42
