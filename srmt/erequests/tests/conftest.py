"""Fixtures for e-Request tests: a fixed clock, a customer with a case, another customer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from srmt.accounts.models import User
from srmt.cases.models import Case, CaseParty, Person
from srmt.testing.factories import make_case, make_customer

# Monday 2 November 2026, 10:00 in New York.
NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ana(reference: None) -> Person:
    return Person.objects.create(name="Ana Pérez", email="ana@example.com", zip_code="05401")


@pytest.fixture
def old_case(ana: Person) -> Case:
    """An I-130 at ESC received long ago: outside normal processing time."""
    case = make_case("EAC2190000101", form="I-130", office="ESC", received_on=dt.date(2015, 1, 5))
    CaseParty.objects.create(case=case, person=ana, role="applicant")
    return case


@pytest.fixture
def customer(ana: Person, old_case: Case) -> User:
    """Ana, who filed her case online: the full online account (ADR 43, revised)."""
    return make_customer("ana", people=[ana], filed_online=[old_case])
