"""Forms G-28 in the admin: cleared case managers record and withdraw them through
cases.links; nobody uncleared learns of one on a 1367 case (ADR 27, ADR 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from srmt.accounts.actors import SYSTEM
from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.cases import links
from srmt.cases.models import Representation
from srmt.testing.factories import make_case, make_representative, make_user

pytestmark = pytest.mark.usefixtures("reference")
URL = "/admin/cases/representation/"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _admin(username: str, *, cleared: bool) -> User:
    return make_user(
        username,
        role=Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
        is_1367_cleared=cleared,
    )


def _state() -> tuple[list[tuple[object, ...]], int]:
    rows = list(Representation.objects.values_list("account", "case", "withdrawn_on"))
    return rows, AuditEvent.objects.filter(action__startswith="representation.").count()


def test_a_g28_on_a_1367_case_is_seen_only_by_the_cleared() -> None:
    # given
    open_case = make_case("WAC2190000001", office="CSC")
    protected = make_case("EAC2190000002", office="ESC", is_protected=True)
    make_representative("attorney", cases=[open_case, protected])
    cleared, uncleared = _admin("cleared", cleared=True), _admin("uncleared", cleared=False)
    hidden = Representation.objects.get(case=protected)
    # when
    seen_cleared = _client(cleared).get(URL).content.decode()
    seen_uncleared = _client(uncleared).get(URL).content.decode()
    detail = _client(uncleared).get(f"{URL}{hidden.pk}/change/")
    missing = _client(uncleared).get(f"{URL}999999/change/")
    # then
    assert ("WAC2190000001" in seen_cleared, "EAC2190000002" in seen_cleared) == (True, True)
    assert ("WAC2190000001" in seen_uncleared, "EAC2190000002" in seen_uncleared) == (True, False)
    assert (detail.status_code, detail["Location"]) == (missing.status_code, missing["Location"])
    # and the uncleared may not record or withdraw any G-28 (as for case records)
    assert _client(uncleared).get(f"{URL}add/").status_code == 403


def test_a_cleared_case_manager_records_and_withdraws_a_g28() -> None:
    # given
    case = make_case("EAC2190000002", office="ESC", is_protected=True)
    attorney = make_representative("attorney")
    client = _client(_admin("cleared", cleared=True))
    # when
    added = client.post(
        f"{URL}add/",
        {
            "account": attorney.pk,
            "receipt_number": "eac-2190000002",
            "role": "attorney",
            "accepted_on": "2026-03-02",
        },
    )
    g28 = Representation.objects.get()
    withdrawn = client.post(f"{URL}{g28.pk}/change/", {"withdrawn_on": "2026-06-01"})
    # then
    assert (added.status_code, withdrawn.status_code) == (302, 302)
    g28.refresh_from_db()
    assert (g28.account, g28.case, g28.accepted_on, g28.withdrawn_on) == (
        attorney,
        case,
        dt.date(2026, 3, 2),
        dt.date(2026, 6, 1),
    )
    assert list(
        AuditEvent.objects.filter(action__startswith="representation.")
        .order_by("id")
        .values_list("action", "actor_username", "object_type", "object_id")
    ) == [
        ("representation.recorded", "cleared", "case", "EAC2190000002"),
        ("representation.withdrawn", "cleared", "case", "EAC2190000002"),
    ]


@pytest.mark.parametrize(
    ("receipt_number", "why"),
    [
        ("EAC2199999999", "no case record"),
        ("EAC2190000002", "a case the reader may not see"),
        ("not a number", "not a receipt number"),
    ],
)
def test_the_add_form_answers_every_case_it_cannot_use_alike(receipt_number: str, why: str) -> None:
    # given a cleared case manager; for the case they may not see, the case-system role
    # (it writes case records but reads no case details)
    make_case("EAC2190000002", office="ESC")
    attorney = make_representative("attorney")
    manager = _admin("manager", cleared=True)
    if why == "a case the reader may not see":
        User.objects.filter(pk=manager.pk).update(role=Role.CASE_SYSTEM)
    client = _client(manager)
    before = _state()
    # when
    page = client.post(
        f"{URL}add/",
        {
            "account": attorney.pk,
            "receipt_number": receipt_number,
            "role": "attorney",
            "accepted_on": "2026-03-02",
        },
    )
    # then
    assert page.status_code == 200
    assert page.context["adminform"].form.errors == {
        "receipt_number": ["No case matches that receipt number."]
    }
    assert _state() == before


def test_a_withdrawn_g28_cannot_be_changed_again() -> None:
    case = make_case("WAC2190000001", office="CSC")
    attorney = make_representative("attorney", cases=[case])
    g28 = Representation.objects.get()
    links.withdraw_representation(g28, withdrawn_on=dt.date(2026, 6, 1), actor=SYSTEM)
    client = _client(_admin("cleared", cleared=True))
    before = _state()
    answer = client.post(f"{URL}{g28.pk}/change/", {"withdrawn_on": "2026-07-01"})
    assert answer.status_code == 403
    assert _state() == before
    assert attorney.representations.get().withdrawn_on == dt.date(2026, 6, 1)


def test_the_audit_log_shows_a_customer_link_only_to_who_may_see_the_person() -> None:
    # given one customer linked to an applicant of an open case and one of a 1367 case
    from srmt.backoffice import visibility
    from srmt.cases.models import CaseParty, Person
    from srmt.testing.factories import make_customer

    people = []
    for receipt_number, protected in (("WAC2190000001", False), ("EAC2190000002", True)):
        case = make_case(receipt_number, office="ESC", is_protected=protected)
        person = Person.objects.create(name=f"Applicant {receipt_number}")
        CaseParty.objects.create(case=case, person=person, role="applicant")
        people.append(person)
    make_customer("customer", people=people)
    cleared, uncleared = _admin("cleared", cleared=True), _admin("uncleared", cleared=False)
    # when
    seen = {
        user.username: sorted(
            visibility.visible_audit_events(user)
            .filter(action="customer_link.created")
            .values_list("object_id", flat=True)
        )
        for user in (cleared, uncleared)
    }
    # then
    assert seen == {
        "cleared": sorted([str(people[0].pk), str(people[1].pk)]),
        "uncleared": [str(people[0].pk)],
    }
