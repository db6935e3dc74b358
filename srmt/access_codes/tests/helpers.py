"""Shared set-up for the access code tests: a paper case with an applicant, a code."""

from __future__ import annotations

import datetime as dt

from srmt.access_codes import services
from srmt.access_codes.choices import Delivery
from srmt.accounts.actors import SYSTEM
from srmt.cases.models import Case, CaseParty, Person
from srmt.testing.factories import make_case


def paper_case(
    receipt: str = "EAC2690000001",
    *,
    form: str = "I-130",
    role: str = "applicant",
    name: str = "Ana Pérez",
    email: str = "ana@example.com",
    language: str = "en",
    is_protected: bool = False,
) -> tuple[Case, Person]:
    case = make_case(receipt, form=form, is_protected=is_protected)
    person = Person.objects.create(
        name=name,
        email=email,
        language=language,
        zip_code="05401",
        date_of_birth=dt.date(1990, 5, 17),
    )
    CaseParty.objects.create(case=case, person=person, role=role)
    return case, person


def issue(case: Case, person: Person, *, delivery: str = Delivery.NONE) -> str:
    return services.issue_code(case, person, actor=SYSTEM, delivery_method=delivery).plaintext
