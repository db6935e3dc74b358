"""The identity check without an account: one answer for every failure, rate-limited."""

from __future__ import annotations

import datetime as dt

import pytest

from srmt.cases.models import Case, CaseParty, Person
from srmt.erequests import identity
from srmt.erequests.errors import IdentityNotConfirmed
from srmt.testing.factories import make_case

pytestmark = pytest.mark.usefixtures("reference")
DOB = dt.date(1990, 4, 17)


@pytest.fixture
def cases() -> tuple[Case, Case]:
    ana = Person.objects.create(name="Ana Pérez", date_of_birth=DOB)
    open_case = make_case("EAC2190000901")
    protected = make_case("EAC2190000902", is_protected=True)
    lawyer = Person.objects.create(name="Lee Law", date_of_birth=DOB)
    for case in (open_case, protected):
        CaseParty.objects.create(case=case, person=ana, role="applicant")
        CaseParty.objects.create(case=case, person=lawyer, role="attorney")
    return open_case, protected


def test_a_matching_party_is_confirmed(cases):
    assert (
        identity.confirm_identity("eac-219-000-0901", "  ana  PEREZ ", DOB, client_key="a")
        == cases[0]
    )


@pytest.mark.parametrize(
    ("receipt", "name", "dob"),
    [
        ("EAC2190009999", "Ana Pérez", DOB),  # unknown
        ("EAC2190000902", "Ana Pérez", DOB),  # 1367: nobody without an account is entitled
        ("EAC2190000901", "Ana Perea", DOB),  # wrong name
        ("EAC2190000901", "Ana Pérez", dt.date(1990, 4, 18)),  # wrong date of birth
        ("EAC2190000901", "Ana Pérez", None),
        ("EAC2190000901", "Lee Law", DOB),  # a representative is not the customer
        ("not a receipt", "Ana Pérez", DOB),
        ("EAC2190000901", "", DOB),
    ],
)
def test_every_failure_is_the_same_answer(cases, receipt, name, dob):
    with pytest.raises(IdentityNotConfirmed) as refused:
        identity.confirm_identity(receipt, name, dob, client_key="b")
    assert (refused.value.code, refused.value.message, refused.value.field) == (
        "identity_not_confirmed",
        "We could not match this receipt number, name and date of birth to a case. "
        "Check them against your receipt notice and try again.",
        None,
    )


def test_attempts_are_limited_per_client(cases, settings):
    settings.SRMT_EREQUEST_IDENTITY_CHECKS_PER_HOUR = 2
    for _attempt in range(2):
        with pytest.raises(IdentityNotConfirmed):
            identity.confirm_identity("EAC2190000901", "Bob", DOB, client_key="c")
    with pytest.raises(identity.TooManyAttempts):  # even with the right answer
        identity.confirm_identity("EAC2190000901", "Ana Pérez", DOB, client_key="c")
    assert identity.confirm_identity("EAC2190000901", "Ana Pérez", DOB, client_key="d") == cases[0]
