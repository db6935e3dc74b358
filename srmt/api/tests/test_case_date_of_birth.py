"""The cases API takes a party's date of birth (ADR 44) and never shows it back."""

from __future__ import annotations

import datetime as dt

import pytest

from srmt.accounts.choices import Role
from srmt.cases.models import Person

URL = "/api/v1/cases/LIN2190123499/"


@pytest.fixture
def case_system(make_client):
    return make_client(Role.CASE_SYSTEM, is_1367_cleared=True)


def _body(dob: object) -> dict[str, object]:
    return {
        "form_type": "I-130",
        "office": "NSC",
        "received_on": "2026-02-03",
        "parties": [{"name": "Ana Pérez", "role": "petitioner", "date_of_birth": dob}],
    }


def test_put_records_the_date_of_birth_and_does_not_echo_it(case_system):
    client, _user = case_system
    answer = client.put(URL, _body("1990-04-17"), format="json")
    assert answer.status_code == 201
    assert Person.objects.get().date_of_birth == dt.date(1990, 4, 17)
    assert "date_of_birth" not in answer.json()["parties"][0]


def test_a_malformed_date_of_birth_is_400_and_changes_nothing(case_system):
    client, _user = case_system
    answer = client.put(URL, _body("17/04/1990"), format="json")
    assert answer.status_code == 400
    assert Person.objects.count() == 0
