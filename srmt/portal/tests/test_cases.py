"""My cases, the case page, linking a case and asking for a new code (ADR 43): pages,
refusals that change nothing, and isolation between two accounts on every route."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from srmt.access_codes.models import AccessCodeAttempt, AccessCodeRequest, OnlineAccessCode
from srmt.access_codes.tests.helpers import issue, paper_case
from srmt.audit.models import AuditEvent
from srmt.cases.models import CaseStatusChange, CustomerLink
from srmt.notifications.models import Notification
from srmt.testing.factories import make_case, make_customer, make_representative, make_user

pytestmark = pytest.mark.django_db

ISOLATION_COVERED = {
    "portal:cases",
    "portal:case",
    "portal:link-case",
    "portal:access-code-request",
    "portal:access-code-requested",
}


def _state() -> tuple[object, ...]:
    return (
        sorted(CustomerLink.objects.values_list("account", "person", "unlinked_at")),
        sorted(OnlineAccessCode.objects.values_list("pk", "used_at", "revoked_at")),
        AccessCodeRequest.objects.count(),
        Notification.objects.count(),
    )


# Customers sign in through the portal's identity provider (another part of issue 11): the
# tests sign them in with Django's model backend, which main's settings do not list.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _public_sign_in(settings) -> None:
    if MODEL_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, MODEL_BACKEND]


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)  # type: ignore[arg-type]
    return client


@pytest.mark.parametrize("name", ["portal:cases", "portal:link-case", "portal:access-code-request"])
def test_signed_in_pages_send_visitors_and_staff_to_sign_in(name: str) -> None:
    url = reverse(name)
    assert Client().get(url)["Location"] == "/account/login/?" + urlencode({"next": url})
    assert _client(make_user("staffer")).get(url).status_code == 302


def test_my_cases_lists_own_cases_and_what_each_allows() -> None:
    _paper, ana = paper_case("EAC2690000001")
    ioe = make_case("IOE0912345678", status_text="Case Was Approved")
    customer = make_customer("ana", people=[ana])
    ioe.filed_online_by = customer
    ioe.save()
    make_case("EAC2690000003")  # someone else's
    page = _client(customer).get(reverse("portal:cases"))
    assert page.status_code == 200
    body = page.content.decode()
    assert [c.receipt_number for c in page.context["rows"][0:0]] == []
    assert [(r["case"].receipt_number, r["full_account"]) for r in page.context["rows"]] == [
        ("EAC2690000001", False),
        ("IOE0912345678", True),
    ]
    assert "EAC2690000003" not in body
    assert AuditEvent.objects.filter(actor=customer, action="case.listed").count() == 1


def test_the_case_page_shows_status_and_history() -> None:
    case, ana = paper_case()
    CaseStatusChange.objects.create(
        case=case,
        status_text="Case Was Received",
        changed_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
    )
    customer = make_customer("ana", people=[ana])
    page = _client(customer).get(reverse("portal:case", args=[case.receipt_number]))
    assert page.status_code == 200
    assert [c.status_text for c in page.context["history"]] == ["Case Was Received"]
    assert page.context["full_account"] is False
    assert AuditEvent.objects.filter(actor=customer, action="case.viewed").count() == 1


def test_a_representative_sees_the_cases_with_a_g28() -> None:
    case, _ana = paper_case()
    other, _luis = paper_case("EAC2690000002", name="Luis")
    rep = make_representative("rep", cases=[case], accepted_on=dt.date(2026, 1, 5))
    client = _client(rep)
    assert client.get(reverse("portal:case", args=[case.receipt_number])).status_code == 200
    assert client.get(reverse("portal:case", args=[other.receipt_number])).status_code == 404


def test_linking_a_case_with_its_code() -> None:
    case, ana = paper_case()
    code = issue(case, ana)
    customer = make_customer("ana")
    answer = _client(customer).post(
        reverse("portal:link-case"), {"receipt_number": case.receipt_number, "code": code}
    )
    assert answer.status_code == 302
    assert answer["Location"] == reverse("portal:case", args=[case.receipt_number])
    assert CustomerLink.objects.get().account == customer


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"receipt_number": "EAC2690000001", "code": "AAAA-BBBB-CCCC"}, "do not match"),
        ({"receipt_number": "EAC26", "code": "AAAA-BBBB-CCCC"}, "3 letters followed by 10 digits"),
        ({"receipt_number": "", "code": ""}, "This field is required."),
    ],
)
def test_a_wrong_link_gets_a_plain_error_and_changes_nothing(
    data: dict[str, str], message: str
) -> None:
    case, ana = paper_case()
    issue(case, ana)
    before = _state()
    answer = _client(make_customer("ana")).post(reverse("portal:link-case"), data)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert _state() == before


def test_a_locked_out_account_is_told_and_nothing_changes(settings) -> None:
    settings.SRMT_ACCESS_CODE_FAILURE_LIMIT = 2
    case, ana = paper_case()
    code = issue(case, ana)
    client = _client(make_customer("ana"))
    for _ in range(2):
        client.post(
            reverse("portal:link-case"),
            {"receipt_number": case.receipt_number, "code": "AAAA-BBBB-CCCC"},
        )
    before = _state()
    answer = client.post(
        reverse("portal:link-case"), {"receipt_number": case.receipt_number, "code": code}
    )
    assert answer.status_code == 429
    assert "too many times" in answer.content.decode()
    assert _state() == before
    assert AccessCodeAttempt.objects.count() == 2


def test_asking_for_a_new_code_shows_the_reference_and_date() -> None:
    case, _ana = paper_case()
    customer = make_customer("ana")
    client = _client(customer)
    answer = client.post(
        reverse("portal:access-code-request"),
        {"receipt_number": case.receipt_number, "name": "Ana Pérez", "date_of_birth": "1990-05-17"},
    )
    made = AccessCodeRequest.objects.get()
    assert answer["Location"] == reverse("portal:access-code-requested", args=[made.reference])
    page = client.get(answer["Location"])
    assert made.reference in page.content.decode()


def test_a_request_without_name_and_birth_date_is_refused_plainly() -> None:
    case, _ana = paper_case()
    answer = _client(make_customer("ana")).post(
        reverse("portal:access-code-request"), {"receipt_number": case.receipt_number}
    )
    assert answer.status_code == 400
    assert "Enter your full name." in answer.content.decode()
    assert AccessCodeRequest.objects.count() == 0


def test_a_representative_asks_with_the_receipt_number_alone() -> None:
    case, ana = paper_case()
    rep = make_representative("rep", cases=[case], accepted_on=dt.date(2026, 1, 5))
    answer = _client(rep).post(
        reverse("portal:access-code-request"), {"receipt_number": case.receipt_number}
    )
    assert answer.status_code == 302
    made = AccessCodeRequest.objects.get()
    assert (made.person, made.on_behalf, made.requested_by) == (ana, True, rep)


def test_isolation_two_accounts_get_404_on_each_others_objects_and_nothing_changes() -> None:
    case_a, ana = paper_case("EAC2690000001")
    case_b, luis = paper_case("EAC2690000002", name="Luis Gómez", email="luis@example.com")
    protected, _p = paper_case("EAC2690000009", name="Pat", is_protected=True)
    a = make_customer("ana", people=[ana])
    b = make_customer("luis", people=[luis])
    code_a = issue(case_a, ana)
    request_a = _client(a).post(
        reverse("portal:access-code-request"),
        {
            "receipt_number": case_a.receipt_number,
            "name": "Ana Pérez",
            "date_of_birth": "1990-05-17",
        },
    )
    assert request_a.status_code == 302
    reference = AccessCodeRequest.objects.get().reference
    as_b = _client(b)
    before = _state()
    for receipt in (case_a.receipt_number, protected.receipt_number, "EAC2699999999", "bad"):
        assert as_b.get(reverse("portal:case", args=[receipt])).status_code == 404
        assert as_b.post(reverse("portal:case", args=[receipt])).status_code == 405
    assert as_b.get(reverse("portal:access-code-requested", args=[reference])).status_code == 404
    assert as_b.post(reverse("portal:access-code-requested", args=[reference])).status_code == 405
    listed = as_b.get(reverse("portal:cases"))
    assert [r["case"] for r in listed.context["rows"]] == [case_b]
    # B cannot use A's (still unused, now replaced) code, nor ask for A's case as A.
    linked = as_b.post(
        reverse("portal:link-case"), {"receipt_number": case_a.receipt_number, "code": code_a}
    )
    assert linked.status_code == 400
    asked = as_b.post(
        reverse("portal:access-code-request"),
        {
            "receipt_number": case_a.receipt_number,
            "name": "Luis Gómez",
            "date_of_birth": "1990-05-17",
        },
    )
    assert asked.status_code == 400
    assert _state() == before
