"""The e-Request without an account, /e-request/ (issue 11 §4, ADR 0044).

Identity is checked against the case (every failure reads the same, 1367 included, rate
limited); eligibility as on the signed-in path; intake records the request with the system
acting on behalf of the matched party. No account owns anything here, so the two-account
isolation test is: neither account's session reaches more than a visitor's (the form), and
the confirmation page shows only what its own signed link carries.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from srmt.accounts.actors import SYSTEM
from srmt.audit.models import AuditEvent
from srmt.cases.models import Case, CaseParty, Person
from srmt.erequests import defaults
from srmt.erequests.models import Eligibility
from srmt.notifications.models import Notification
from srmt.service_requests import policies, services
from srmt.service_requests.models import ServiceRequest, StatusChange
from srmt.service_requests.referrals import submit_or_refer
from srmt.service_requests.requesters import IdentifiedRequester, RequesterData
from srmt.testing.factories import make_case

pytestmark = pytest.mark.usefixtures("clock")

ISOLATION_COVERED = {"portal:erequest-guest", "portal:erequest-guest-sent"}
ONPT = defaults.OUTSIDE_NORMAL_PROCESSING_TIME
DOB = dt.date(1990, 4, 17)
URL = "/e-request/"
REFUSED = (
    "We could not match this receipt number, name and date of birth to a case. "
    "Check them against your receipt notice and try again."
)


PORTAL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _portal_sign_in(settings) -> None:
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, PORTAL_BACKEND]


@pytest.fixture
def ana_case(ana: Person, old_case: Case) -> Case:
    ana.date_of_birth = DOB
    ana.save(update_fields=["date_of_birth"])
    return old_case


def _token(page: str) -> str:
    found = re.search(r'name="submission_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _data(client, **changes: str) -> dict[str, str]:
    page = client.get(URL)
    assert page.status_code == 200
    data = {
        "receipt_number": "EAC2190000101",
        "name": "Ana Perez",
        "date_of_birth": "1990-04-17",
        "type": ONPT,
        "description": "Still no decision.",
        "email": "ana.new@example.com",
        "language": "es",
        "submission_token": _token(page.content.decode()),
    }
    data.update(changes)
    return data


def _counts() -> tuple[int, ...]:
    return (
        ServiceRequest.objects.count(),
        StatusChange.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.count(),
        Person.objects.filter(email="ana.new@example.com").count(),
    )


def _main(answer) -> str:
    page = answer.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_the_form_is_public_and_offers_only_the_types_allowed_without_an_account(client, ana_case):
    page = client.get(URL).content.decode()
    assert 'value="outside_normal_processing_time"' in page
    assert 'value="notice_not_received"' in page
    assert 'value="typographic_error"' not in page  # needs an account by default
    assert 'name="csrfmiddlewaretoken"' in page


def test_a_request_is_recorded_for_the_matched_party_and_routed_as_when_signed_in(
    client, ana_case, customer, ana
):
    answer = client.post(URL, _data(client))
    sr = ServiceRequest.objects.get()
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("portal:erequest-guest-sent") + "?c=")
    assert (sr.channel, sr.created_by, sr.case, sr.type.code, sr.requester) == (
        "online",
        None,
        ana_case,
        ONPT,
        ana,
    )
    ana.refresh_from_db()
    # the address on file stays: a visitor without an account may not redirect the answers
    assert (ana.email, ana.language) == ("ana@example.com", "es")
    created = AuditEvent.objects.get(action="service_request.created")
    assert (created.actor_id, created.actor_username) == (None, "system")
    assert created.changes["channel"] == "online"
    assert created.changes["on_behalf_of"] == "identified_requester"
    ack = Notification.objects.get(kind="acknowledgement")
    assert (ack.to_address, ack.language) == ("ana@example.com", "es")
    page = client.get(answer["Location"])
    main = _main(page)
    assert sr.reference in main
    assert date_format(timezone.localtime(sr.due_at).date(), "DATE_FORMAT") in main
    assert ana_case.receipt_number not in main
    assert "Pérez" not in main
    # The same facts on the signed-in path: the same office, rule and deadlines.
    signed_in = services.submit_request(
        services.Submission(
            type=ONPT,
            channel="online",
            description="Still no decision.",
            requester=RequesterData(name="Ana Pérez", email="ana.new@example.com"),
            receipt_number=ana_case.receipt_number,
        ),
        actor=customer,
    )[0]
    assert (
        signed_in.office,
        signed_in.routing_rule_id,
        signed_in.routing_reason,
        signed_in.first_response_due_at,
        signed_in.due_at,
    ) == (sr.office, sr.routing_rule_id, sr.routing_reason, sr.first_response_due_at, sr.due_at)


@pytest.mark.parametrize(
    "changes",
    [
        {"receipt_number": "EAC2190009999"},  # unknown
        {"receipt_number": "EAC2190000909"},  # 1367 case of the same person
        {"name": "Ana Perea"},
        {"date_of_birth": "1990-04-18"},
        {"receipt_number": "not a receipt"},
        {"name": "Lee Law"},  # the attorney is not the customer
    ],
)
def test_every_identity_failure_reads_the_same_and_creates_nothing(client, ana_case, ana, changes):
    protected = make_case("EAC2190000909", is_protected=True, received_on=dt.date(2015, 1, 5))
    CaseParty.objects.create(case=protected, person=ana, role="applicant")
    lawyer = Person.objects.create(name="Lee Law", date_of_birth=DOB)
    CaseParty.objects.create(case=ana_case, person=lawyer, role="attorney")
    before = _counts()
    answer = client.post(URL, _data(client, **changes))
    assert answer.status_code == 200
    assert REFUSED in answer.content.decode()
    assert _counts() == before
    ana.refresh_from_db()
    assert ana.email == "ana@example.com"


def test_failures_are_identical_pages(client, ana_case, ana):
    protected = make_case("EAC2190000909", is_protected=True, received_on=dt.date(2015, 1, 5))
    CaseParty.objects.create(case=protected, person=ana, role="applicant")
    pages = []
    for number in ("EAC2190009999", "EAC2190000909"):
        answer = client.post(URL, _data(client, receipt_number=number))
        main = re.sub(r'value="[^"]*"', "", _main(answer)).replace(number, "")
        pages.append(main)
    assert pages[0] == pages[1]


def test_too_early_gives_the_date_and_creates_nothing(client, ana, reference):
    ana.date_of_birth = DOB
    ana.save(update_fields=["date_of_birth"])
    recent = make_case("EAC2690000301", form="I-130", office="ESC", received_on=dt.date(2026, 9, 1))
    CaseParty.objects.create(case=recent, person=ana, role="applicant")
    before = _counts()
    answer = client.post(URL, _data(client, receipt_number="EAC2690000301"))
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "You cannot make this request yet" in page
    assert "You may ask us about it from" in page
    assert _counts() == before


def test_a_type_not_allowed_without_an_account_is_refused_plainly(client, ana_case):
    Eligibility.objects.filter(form_type_id=ana_case.form_type_id, request_type=ONPT).update(
        without_account=False
    )
    before = _counts()
    answer = client.post(URL, _data(client))
    assert "Please sign in to your account to make this request." in answer.content.decode()
    assert _counts() == before


def test_a_type_offered_nowhere_without_an_account_is_not_a_choice(client, ana_case):
    before = _counts()
    answer = client.post(URL, _data(client, type=defaults.TYPOGRAPHIC_ERROR))
    assert answer.status_code == 200
    assert "Select a valid choice" in answer.content.decode()
    assert _counts() == before


def test_identity_checks_are_rate_limited(client, ana_case, settings):
    settings.SRMT_EREQUEST_IDENTITY_CHECKS_PER_HOUR = 2
    for _ in range(2):
        assert REFUSED in client.post(URL, _data(client, name="Nobody")).content.decode()
    before = _counts()
    answer = client.post(URL, _data(client))  # right this time, but over the limit
    assert answer.status_code == 429
    assert "You have tried too many times" in answer.content.decode()
    assert _counts() == before


def test_a_double_submit_records_one_request(client, ana_case):
    data = _data(client)
    first, second = client.post(URL, data), client.post(URL, data)
    assert ServiceRequest.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_a_refused_submit_does_not_use_up_its_token(client, ana_case):
    data = _data(client)
    assert REFUSED in client.post(URL, {**data, "name": "Nobody"}).content.decode()
    assert client.post(URL, data).status_code == 302
    assert ServiceRequest.objects.count() == 1


def test_a_forged_or_missing_token_saves_nothing(client, ana_case):
    before = _counts()
    answer = client.post(URL, _data(client, submission_token="forged"))
    assert "nothing was saved" in answer.content.decode()
    assert _counts() == before


def test_csrf_is_required(ana_case):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    before = _counts()
    assert strict.post(URL, _data(strict)).status_code == 403
    assert _counts() == before


def test_the_confirmation_needs_its_signed_link(client):
    assert client.get(reverse("portal:erequest-guest-sent")).status_code == 302
    answer = client.get(reverse("portal:erequest-guest-sent") + "?c=SR-FAKE:1")
    assert answer["Location"] == URL


def test_spanish_page(client, ana_case):
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "sin una cuenta" in page


def test_the_home_page_links_to_it_only_for_visitors(client, customer):
    assert 'href="/e-request/"' in client.get("/").content.decode()
    client.force_login(customer, backend=PORTAL_BACKEND)
    page = client.get("/")
    assert page.wsgi_request.user == customer
    assert 'href="/e-request/"' not in page.content.decode()


def test_two_accounts_reach_nothing_of_each_other(client, ana_case, customer):
    """Signed in or not, the pages read no account's objects: the confirmation shows only
    its own link's content, and a POST by a signed-in account is recorded as any visitor's."""
    client.force_login(customer, backend=PORTAL_BACKEND)
    answer = client.post(URL, _data(client))
    sr = ServiceRequest.objects.get()
    assert sr.created_by is None
    sent = client.get(answer["Location"])
    assert sent.status_code == 200
    client.logout()
    assert client.get(answer["Location"]).status_code == 200  # the link is the secret


# --- the policy: the system records only for an identified requester -----------------------


def _submission(case: Case, **extra) -> services.Submission:
    return services.Submission(
        type=ONPT,
        channel=extra.pop("channel", "online"),
        description="Still no decision.",
        requester=RequesterData(name="Ana Pérez", email="a@example.com"),
        receipt_number=case.receipt_number,
        **extra,
    )


def test_the_system_alone_may_not_record_a_request(ana_case):
    with pytest.raises(policies.PermissionDenied):
        submit_or_refer(_submission(ana_case), actor=SYSTEM)
    assert ServiceRequest.objects.count() == 0


@pytest.mark.parametrize("channel", ["phone", "email", "in_person", "letter"])
def test_the_system_records_online_only(ana_case, ana, channel):
    with pytest.raises(policies.PermissionDenied):
        submit_or_refer(
            _submission(ana_case, channel=channel),
            actor=SYSTEM,
            on_behalf_of=IdentifiedRequester(case=ana_case, person=ana),
        )
    assert ServiceRequest.objects.count() == 0


def test_the_identified_requester_must_be_a_party_of_that_case(ana_case, ana, reference):
    other = make_case("EAC2190000777", received_on=dt.date(2015, 1, 5))
    stranger = Person.objects.create(name="Zed")
    for case, person in ((other, ana), (ana_case, stranger)):
        with pytest.raises(policies.PermissionDenied):
            submit_or_refer(
                _submission(ana_case),
                actor=SYSTEM,
                on_behalf_of=IdentifiedRequester(case=case, person=person),
            )
    assert ServiceRequest.objects.count() == 0


def test_nobody_but_the_system_may_claim_to_act_on_behalf(ana_case, ana, customer):
    with pytest.raises(policies.PermissionDenied):
        submit_or_refer(
            _submission(ana_case),
            actor=customer,
            on_behalf_of=IdentifiedRequester(case=ana_case, person=ana),
        )
    assert ServiceRequest.objects.count() == 0


def test_the_system_adds_no_extras(ana_case, ana):
    with pytest.raises(policies.PermissionDenied):
        services.submit_request(
            _submission(ana_case),
            actor=SYSTEM,
            idempotency_key="k1",
            on_behalf_of=IdentifiedRequester(case=ana_case, person=ana),
        )
    assert ServiceRequest.objects.count() == 0


def test_the_email_given_is_kept_only_where_none_is_on_file(client, ana_case, ana):
    # given the party has no email address on file
    Person.objects.filter(pk=ana.pk).update(email="")
    # when
    answer = client.post(URL, _data(client))
    # then the answer goes to the address given, which is now on file
    assert answer.status_code == 302
    ana.refresh_from_db()
    assert ana.email == "ana.new@example.com"
    ack = Notification.objects.get(kind="acknowledgement")
    assert ack.to_address == "ana.new@example.com"
    changed = AuditEvent.objects.get(action="person.updated")
    assert changed.changes["email"] == ["", "ana.new@example.com"]
