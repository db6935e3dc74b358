"""e-Requests and My requests on the public site (issue 11 §4, ADR 0044).

Two accounts try each other's objects on every route (GET and POST): 404, nothing changed.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.cases.models import Case, CaseParty, Person
from srmt.erequests import defaults
from srmt.erequests.models import AddedInformation
from srmt.erequests.tests.conftest import NOW, TODAY
from srmt.notifications.models import Notification
from srmt.service_requests import services
from srmt.service_requests.models import InternalNote, Response, ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.testing.factories import make_case, make_customer, make_representative, make_user

pytestmark = pytest.mark.usefixtures("clock")

ISOLATION_COVERED = {"portal:request", "portal:request-new-type", "portal:requests"}

ONPT = defaults.OUTSIDE_NORMAL_PROCESSING_TIME
# A stand-in for the portal's sign-in (django-allauth, later): the staff backend refuses
# customers and representatives (ADR 27).
PORTAL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _portal_sign_in(settings) -> None:
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, PORTAL_BACKEND]


def _login(client, account) -> None:
    client.force_login(account, backend=PORTAL_BACKEND)


def _token(page: str) -> str:
    found = re.search(r'name="submission_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _open(client, case: Case, type_code: str = ONPT, **extra: str):
    url = reverse("portal:request-new-type", args=[case.receipt_number, type_code])
    page = client.get(url)
    assert page.status_code == 200
    data = {"name": "Ana Pérez", "description": "Still no decision.", **extra}
    data["submission_token"] = _token(page.content.decode())
    return client.post(url, data)


def _main(answer, receipt_number: str) -> str:
    """The page's main content, without the receipt number asked about."""
    page = answer.content.decode()
    return page[page.index("<main") : page.index("</main>")].replace(receipt_number, "")


def _counts() -> tuple[int, ...]:
    return (
        ServiceRequest.objects.count(),
        AddedInformation.objects.count(),
        InternalNote.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.exclude(action__endswith="viewed")
        .exclude(action__endswith="listed")
        .count(),
    )


@pytest.fixture
def bob_case(reference: None) -> Case:
    bob = Person.objects.create(name="Bob Lee", email="bob@example.com", zip_code="05401")
    case = make_case("EAC2190000202", received_on=dt.date(2015, 1, 5))
    CaseParty.objects.create(case=case, person=bob, role="applicant")
    make_customer("bob", people=[bob], filed_online=[case])
    return case


# --- opening an e-Request -------------------------------------------------------------------


def test_open_an_erequest_then_see_it_with_its_aim_date(client, customer, old_case):
    _login(client, customer)
    answer = _open(client, old_case)
    sr = ServiceRequest.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("portal:request", args=[sr.reference])
    assert (sr.channel, sr.created_by, sr.case, sr.type.code) == (
        "online",
        customer,
        old_case,
        ONPT,
    )
    page = client.get(answer["Location"]).content.decode()
    assert sr.reference in page
    assert "We received your request" in page
    assert date_format(timezone.localtime(sr.due_at).date(), "DATE_FORMAT") in page


def test_a_double_submit_records_one_request(client, customer, old_case):
    _login(client, customer)
    url = reverse("portal:request-new-type", args=[old_case.receipt_number, ONPT])
    token = _token(client.get(url).content.decode())
    data = {"name": "Ana Pérez", "description": "Still waiting.", "submission_token": token}
    first, second = client.post(url, data), client.post(url, data)
    assert ServiceRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_routing_and_deadlines_equal_staff_intake_for_the_same_facts(client, customer, old_case):
    _login(client, customer)
    _open(client, old_case)
    online = ServiceRequest.objects.get()
    staff = make_user("tier1", role=Role.TIER1)
    by_phone, _created = services.submit_request(
        services.Submission(
            type=ONPT,
            channel="phone_tier1",
            description="Still no decision.",
            requester=RequesterData(name="Ana Pérez", email="ana@example.com"),
            receipt_number=old_case.receipt_number,
            repeat=None,
        ),
        actor=staff,
    )
    assert (online.office, online.due_at, online.first_response_due_at, online.routing_reason) == (
        by_phone.office,
        by_phone.due_at,
        by_phone.first_response_due_at,
        by_phone.routing_reason,
    )


def test_too_early_is_refused_with_the_date_and_nothing_is_created(client, customer, ana):
    recent = make_case(
        "EAC2190000303", form="I-130", office="ESC", received_on=TODAY, filed_online_by=customer
    )
    CaseParty.objects.create(case=recent, person=ana, role="applicant")
    _login(client, customer)
    before = _counts()
    url = reverse("portal:request-new-type", args=[recent.receipt_number, ONPT])
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "You cannot make this request yet" in text
    assert "You may ask us about it from" in text
    assert 'name="submission_token"' not in text
    posted = client.post(url, {"name": "Ana", "description": "Why so slow?"})
    assert posted.status_code == 200
    assert "You may ask us about it from" in posted.content.decode()
    assert _counts() == before


def test_the_refusal_is_in_spanish(client, customer, ana):
    recent = make_case(
        "EAC2190000304", form="I-130", office="ESC", received_on=TODAY, filed_online_by=customer
    )
    CaseParty.objects.create(case=recent, person=ana, role="applicant")
    _login(client, customer)
    page = client.get(
        reverse("portal:request-new-type", args=[recent.receipt_number, ONPT]),
        HTTP_ACCEPT_LANGUAGE="es",
    ).content.decode()
    assert "Puede consultarnos sobre él a partir del" in page


def test_change_of_address_is_refused_on_a_1367_case(client, customer, ana):
    protected = make_case("EAC2190000305", is_protected=True, filed_online_by=customer)
    CaseParty.objects.create(case=protected, person=ana, role="applicant")
    _login(client, customer)
    before = _counts()
    page = client.get(
        reverse(
            "portal:request-new-type", args=[protected.receipt_number, defaults.CHANGE_OF_ADDRESS]
        )
    ).content.decode()
    assert "confidential address change" in page
    assert _counts() == before


def test_change_of_address_applies_to_every_open_case(client, customer, ana, old_case):
    second = make_case("EAC2190000306", filed_online_by=customer)
    CaseParty.objects.create(case=second, person=ana, role="applicant")
    _login(client, customer)
    answer = _open(
        client,
        old_case,
        defaults.CHANGE_OF_ADDRESS,
        street="12 Elm St",
        city="Burlington",
        state="VT",
        zip_code="05401",
    )
    assert answer.status_code == 302
    note = InternalNote.objects.get()
    assert "12 Elm St" in note.body
    assert old_case.receipt_number in note.body
    assert second.receipt_number in note.body


def test_a_typographic_error_names_the_document_and_the_field(client, customer, old_case):
    _login(client, customer)
    refused = _open(client, old_case, defaults.TYPOGRAPHIC_ERROR)
    assert refused.status_code == 200
    assert ServiceRequest.objects.count() == 0
    _open(
        client,
        old_case,
        defaults.TYPOGRAPHIC_ERROR,
        document="Receipt notice",
        field_name="Date of birth",
    )
    assert ServiceRequest.objects.get().description.startswith(
        "Document: Receipt notice. Field: Date of birth."
    )


# --- repeats --------------------------------------------------------------------------------


def test_an_open_request_of_the_same_type_is_shown_and_can_be_added_to(client, customer, old_case):
    _login(client, customer)
    _open(client, old_case)
    first = ServiceRequest.objects.get()
    page = client.get(reverse("portal:request-new-type", args=[old_case.receipt_number, ONPT]))
    text = page.content.decode()
    assert "You already have an open request like this" in text
    assert first.reference in text
    token = re.findall(r'name="submission_token" value="([^"]+)"', text)[0]
    added = client.post(
        reverse("portal:request", args=[first.reference]),
        {"information": "My employer needs an answer.", "submission_token": token},
    )
    assert added.status_code == 302
    info = AddedInformation.objects.get()
    assert (info.service_request, info.author, info.text) == (
        first,
        customer,
        "My employer needs an answer.",
    )
    assert (
        AuditEvent.objects.filter(
            action="erequest.information_added", object_id=first.reference
        ).count()
        == 1
    )
    assert ServiceRequest.objects.count() == 1
    # and the office's staff read it in the request's history
    staff = Client()
    staff.force_login(make_user("esc.officer", role=Role.OFFICE_STAFF, offices=["ESC"]))
    page = staff.get(reverse("staff:request-detail", args=[first.reference])).content.decode()
    history = page[page.index('id="history-heading"') :]
    assert "The customer added information online" in history
    assert "My employer needs an answer." in history


def test_a_new_one_opened_anyway_is_linked_as_a_repeat(client, customer, old_case):
    _login(client, customer)
    _open(client, old_case)
    first = ServiceRequest.objects.get()
    _open(client, old_case)
    second = ServiceRequest.objects.exclude(pk=first.pk).get()
    assert second.repeat_of == first


# --- My requests ----------------------------------------------------------------------------


def _respond(sr: ServiceRequest, body: str, status: str, kind: str) -> Response:
    officer = make_user(
        f"officer{Response.objects.count()}", role=Role.OFFICE_STAFF, offices=[sr.office.code]
    )
    response = services.add_response(sr, actor=officer, kind=kind, body=body)
    if response.notification_id:
        Notification.objects.filter(pk=response.notification_id).update(status=status)
    return response


def test_my_requests_shows_only_responses_actually_sent(client, customer, old_case):
    _login(client, customer)
    _open(client, old_case)
    sr = ServiceRequest.objects.get()
    sent = _respond(sr, "We asked the office to review your case.", "sent", "initial")
    held = _respond(sr, "Draft still held in review.", "held", "follow_up")
    assert sent.notification_id
    assert held.notification_id
    InternalNote.objects.create(
        service_request=sr, author=sent.author, body="Internal: check file."
    )
    page = client.get(reverse("portal:request", args=[sr.reference])).content.decode()
    assert "We asked the office to review your case." in page
    assert "Draft still held in review." not in page
    assert "Internal: check file." not in page
    listing = client.get(reverse("portal:requests")).content.decode()
    assert sr.reference in listing
    assert f'href="{reverse("portal:requests")}"><span>My requests</span>' in listing  # the menu


@pytest.mark.parametrize(
    ("days", "office_step", "hq_step"),
    [(14, False, False), (15, True, False), (35, True, False), (36, False, True)],
)
def test_escalation_hints_at_15_and_36_days(client, customer, old_case, days, office_step, hq_step):
    _login(client, customer)
    _open(client, old_case)
    sr = ServiceRequest.objects.get()
    with time_machine.travel(NOW + dt.timedelta(days=days), tick=False):
        _login(client, customer)
        page = client.get(reverse("portal:request", args=[sr.reference])).content.decode()
    assert ("You may write to the office that holds your case" in page) is office_step
    assert ("Office of Service Center Operations. Include" in page) is hq_step
    if office_step:
        assert old_case.office.name in page
    if hq_step:
        assert "Office of Service Center Operations (headquarters)" in page


def test_a_representative_sees_requests_on_represented_cases(client, customer, old_case):
    _login(client, customer)
    _open(client, old_case)
    sr = ServiceRequest.objects.get()
    attorney = make_representative("lawyer", cases=[old_case])
    _login(client, attorney)
    assert sr.reference in client.get(reverse("portal:requests")).content.decode()
    assert client.get(reverse("portal:request", args=[sr.reference])).status_code == 200
    stranger = make_representative("other_lawyer")
    _login(client, stranger)
    assert client.get(reverse("portal:request", args=[sr.reference])).status_code == 404


# --- isolation and who may come in -----------------------------------------------------------


def test_two_accounts_get_404_on_each_others_objects(client, customer, old_case, bob_case):
    _login(client, customer)
    _open(client, old_case)
    anas = ServiceRequest.objects.get()
    bob = bob_case.parties.get().person.customer_links.get().account
    _login(client, bob)
    before = _counts()
    detail = reverse("portal:request", args=[anas.reference])
    new = reverse("portal:request-new-type", args=[old_case.receipt_number, ONPT])
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"information": "x", "submission_token": "x"}).status_code == 404
    assert client.get(new).status_code == 404
    assert client.post(new, {"name": "Bob", "description": "x"}).status_code == 404
    assert anas.reference not in client.get(reverse("portal:requests")).content.decode()
    assert _counts() == before


def test_a_1367_case_of_someone_else_answers_as_an_unknown_receipt(client, customer):
    protected = make_case("EAC2190000401", is_protected=True, received_on=dt.date(2015, 1, 1))
    _login(client, customer)
    unknown = client.get(reverse("portal:request-new-type", args=["EAC2190009999", ONPT]))
    hidden = client.get(reverse("portal:request-new-type", args=[protected.receipt_number, ONPT]))
    assert unknown.status_code == hidden.status_code == 404
    assert _main(unknown, "EAC2190009999") == _main(hidden, protected.receipt_number)


@pytest.mark.parametrize("name", sorted(ISOLATION_COVERED | {"portal:request-new"}))
def test_anonymous_visitors_sign_in_first(client, name, reference):
    args = {
        "portal:request": ["SR-X"],
        "portal:request-new-type": ["EAC2190000101", ONPT],
    }.get(name, [])
    answer = client.get(reverse(name, args=args))
    assert answer.status_code == 302
    assert answer["Location"].startswith("/account/login/?next=")


def test_staff_accounts_are_sent_to_sign_in_on_the_public_pages(client, reference):
    client.force_login(make_user("staffer", role=Role.TIER1))
    assert client.get(reverse("portal:requests")).status_code == 302


def test_an_unknown_type_is_404(client, customer, old_case):
    _login(client, customer)
    url = reverse("portal:request-new-type", args=[old_case.receipt_number, "complaint"])
    assert client.get(url).status_code == 404


def test_choose_a_case_and_type(client, customer, old_case):
    _login(client, customer)
    page = client.get(reverse("portal:request-new"))
    assert old_case.receipt_number in page.content.decode()
    answer = client.get(
        reverse("portal:request-new"), {"receipt_number": old_case.receipt_number, "type": ONPT}
    )
    assert answer["Location"] == reverse(
        "portal:request-new-type", args=[old_case.receipt_number, ONPT]
    )
