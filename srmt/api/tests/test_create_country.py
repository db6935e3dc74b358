"""requester.country takes an ISO alpha-2 code or a country's name in English or Spanish,
resolved on the server (issue 9: "Guatemala" became GU, Guam; "Mexico" became ME)."""

from __future__ import annotations

from typing import Any

import pytest

from srmt.accounts.choices import Role
from srmt.api.tests.conftest import row_counts, valid_submission
from srmt.cases.models import CaseParty, Person
from srmt.offices.jurisdiction import AmbiguousCountry, UnknownCountry, resolve_country
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.routing_models import Referral
from srmt.testing.factories import make_case

URL = "/api/v1/service-requests/"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("GT", "GT"),
        ("gu", "GU"),  # a code is a code: Guam
        ("ME", "ME"),  # Montenegro
        ("Guatemala", "GT"),
        ("guatemala", "GT"),
        ("México", "MX"),
        ("Mexico", "MX"),
        ("MEXICO", "MX"),
        ("Estados Unidos", "US"),
        ("United States of America", "US"),
        ("  Reino Unido ", "GB"),
        ("Países Bajos", "NL"),
        ("paises bajos", "NL"),
        ("Kenia", "KE"),
        ("", ""),
    ],
)
def test_codes_and_names_in_english_and_spanish_resolve(raw: str, code: str) -> None:
    assert resolve_country(raw, field="requester.country") == code


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("Atlantis", UnknownCountry),
        ("Korea", AmbiguousCountry),
        ("Islas Vírgenes", AmbiguousCountry),
    ],
)
def test_unknown_and_ambiguous_names_are_refused(raw: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        resolve_country(raw, field="requester.country")


def _body(country: str, **overrides: Any) -> dict[str, Any]:
    body = valid_submission(receipt_number="", type="complaint", **overrides)
    body["requester"] = {**body["requester"], "country": country}
    return body


@pytest.mark.parametrize(
    ("country", "office", "code"),
    [("Guatemala", "GUA", "GT"), ("Mexico", "MEX", "MX"), ("méxico", "MEX", "MX")],
)
def test_a_country_named_in_words_is_referred_to_its_office(
    make_client: Any, country: str, office: str, code: str
) -> None:
    client, _user = make_client(Role.TIER1, offices=["CC-T1"])
    response = client.post(URL, _body(country), format="json")
    assert response.status_code == 200, response.json()
    referral = Referral.objects.get()
    assert (referral.office.code, referral.country) == (office, code)
    assert response.json()["referral"]["office"]["code"] == office
    assert not ServiceRequest.objects.exists()


def test_gu_as_a_code_is_guam_in_the_united_states(make_client: Any) -> None:
    client, _user = make_client(Role.TIER1, offices=["CC-T1"])
    response = client.post(URL, _body("GU"), format="json")
    assert response.status_code == 201, response.json()
    assert not Referral.objects.exists()
    assert ServiceRequest.objects.get().requester.country == "GU"


@pytest.mark.parametrize(
    ("country", "code"),
    [
        ("Atlantis", "unknown_country"),
        ("Korea", "ambiguous_country"),
        ("XX", "invalid_country_code"),
    ],
)
def test_an_unknown_or_ambiguous_country_is_a_400_naming_the_field(
    make_client: Any, country: str, code: str
) -> None:
    client, _user = make_client(Role.TIER1, offices=["CC-T1"])
    before = row_counts()
    response = client.post(URL, _body(country), format="json")
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == code
    assert [e["field"] for e in problem["errors"]] == ["requester.country"]
    assert row_counts() == before
    assert not Referral.objects.exists()


@pytest.mark.parametrize(("language", "expected"), [(None, "es"), ("en", "en"), ("es", "es")])
def test_language_left_out_keeps_the_persons_language(
    make_client: Any, language: str | None, expected: str
) -> None:
    client, _user = make_client(Role.TIER2)
    case = make_case("EAC2190012345", office="ESC")
    person = Person.objects.create(name="Ana Pérez", email="ana@example.com", language="es")
    CaseParty.objects.create(case=case, person=person, role="applicant")
    body = valid_submission()
    body["requester"] = {"name": "Ana Pérez", "email": "ana@example.com"}
    if language is not None:
        body["requester"]["language"] = language
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    person.refresh_from_db()
    assert person.language == expected
    assert ServiceRequest.objects.get().requester_id == person.pk


ADDRESS = {"street": "12 Elm Street", "city": "Essex Junction", "state": "VT", "zip_code": "05452"}


@pytest.mark.parametrize(
    ("type_", "address", "status", "code", "field"),
    [
        ("change_of_address", ADDRESS, 201, None, None),
        (
            "change_of_address",
            {**ADDRESS, "zip_code": "10001"},
            400,
            "invalid_address",
            "new_address.zip_code",
        ),
        (
            "change_of_address",
            {**ADDRESS, "state": "ZZ"},
            400,
            "invalid_address",
            "new_address.state",
        ),
        ("general_case_inquiry", ADDRESS, 400, "invalid_address", "new_address"),
    ],
)
def test_a_change_of_address_carries_its_new_address(
    make_client: Any,
    type_: str,
    address: dict[str, str],
    status: int,
    code: str | None,
    field: str | None,
) -> None:
    client, _user = make_client(Role.TIER1, offices=["CC-T1"])
    make_case("EAC2190012345", office="ESC")
    before = row_counts()
    body = valid_submission(type=type_, new_address=address)
    response = client.post(URL, body, format="json")
    assert response.status_code == status, response.json()
    if code is None:
        sr = ServiceRequest.objects.get()
        (note,) = sr.notes.all()
        assert note.body.startswith("New address: 12 Elm Street, Essex Junction, VT 05452.")
        return
    problem = response.json()
    assert problem["code"] == code
    assert [e["field"] for e in problem["errors"]] == [field]
    assert row_counts() == before
