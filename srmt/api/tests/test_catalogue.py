"""Offices, forms and request types: open to every authenticated member of staff."""

from __future__ import annotations

import pytest

from srmt.accounts.choices import Role
from srmt.api.tests.conftest import client_for
from srmt.offices.models import FormType, Office
from srmt.service_requests.models import ServiceRequestType


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    "path", ["/api/v1/offices/", "/api/v1/forms/", "/api/v1/service-request-types/"]
)
def test_every_role_reads_the_catalogues(make_client, role, path):
    client, _user = make_client(role)

    response = client.get(path)

    assert response.status_code == 200
    assert isinstance(response.json(), list)


@pytest.mark.parametrize(
    "path", ["/api/v1/offices/", "/api/v1/forms/", "/api/v1/service-request-types/"]
)
def test_catalogues_need_authentication(reference, path):
    response = client_for(None).get(path)

    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_offices_list_every_office_with_its_fields(tier2):
    client, _user = tier2

    body = client.get("/api/v1/offices/").json()

    assert [row["code"] for row in body] == list(
        Office.objects.order_by("code").values_list("code", flat=True)
    )
    esc = next(row for row in body if row["code"] == "ESC")
    office = Office.objects.get(code="ESC")
    assert esc == {
        "code": "ESC",
        "name": office.name,
        "kind": "service_center",
        "time_zone": office.time_zone,
        "parent": None,
        "is_active": True,
    }


def test_offices_filter_by_kind_and_activity(tier2):
    client, _user = tier2
    Office.objects.filter(code="NSC").update(is_active=False)

    centers = client.get("/api/v1/offices/?kind=service_center").json()
    inactive = client.get("/api/v1/offices/?active=false").json()
    active_centers = client.get("/api/v1/offices/?kind=service_center&active=true").json()

    expected = set(Office.objects.filter(kind="service_center").values_list("code", flat=True))
    assert {row["code"] for row in centers} == expected
    assert [row["code"] for row in inactive] == ["NSC"]
    assert {row["code"] for row in active_centers} == expected - {"NSC"}


def test_an_invalid_office_filter_is_400(tier2):
    client, _user = tier2

    response = client.get("/api/v1/offices/?active=perhaps")

    assert (response.status_code, response.json()["code"]) == (400, "invalid")


def test_forms_show_names_and_premium_eligibility(tier2):
    client, _user = tier2

    body = client.get("/api/v1/forms/").json()

    assert len(body) == FormType.objects.count()
    i129 = next(row for row in body if row["code"] == "I-129")
    assert i129["name_en"] == "Petition for a Nonimmigrant Worker"
    assert i129["name_es"] == "Petición de Trabajador No Inmigrante"
    assert i129["is_premium_processing_eligible"] is True


def test_types_show_their_flags(tier2):
    client, _user = tier2

    body = client.get("/api/v1/service-request-types/").json()

    assert [row["code"] for row in body] == list(
        ServiceRequestType.objects.order_by("sort_order", "code").values_list("code", flat=True)
    )
    change = next(row for row in body if row["code"] == "change_of_address")
    assert change == {
        "code": "change_of_address",
        "name_en": "Change of address",
        "name_es": "Cambio de dirección",
        "requires_receipt_number": False,
        "is_priority": True,
        "is_self_service": True,
        "allows_protected_cases": False,
        "is_active": True,
    }
