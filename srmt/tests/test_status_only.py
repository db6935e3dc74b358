"""Status tracking only for paper cases (../shared/docs/domain.md section 9; ADR 43, revised).

The permission matrix of actor kinds x online actions: a customer with a case they filed
online, a customer with a paper case with an IOE receipt, a customer with a paper case
without one (linked by access code: status tracking only), a representative with a Form G-28
on that paper case, staff, and the system; each opens a request about their case through the
service, the API and the portal page, and starts a conversation about the case and about a
request on it (one staff opened by phone). Outcomes are written out here, not derived from
the policies; every refusal leaves every table it could touch exactly as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

import pytest
import time_machine
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from srmt.accounts.actors import SYSTEM, Actor
from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.cases.errors import StatusOnlyCase
from srmt.cases.models import Case, CaseParty, Person
from srmt.erequests import defaults
from srmt.erequests import services as erequests
from srmt.erequests.models import AddedInformation
from srmt.messaging import services as messaging
from srmt.messaging.errors import NotAllowedToMessage
from srmt.messaging.models import Message, Thread
from srmt.notifications.models import Notification
from srmt.portal.views.requests import _mint
from srmt.service_requests import policies, services
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.testing.factories import (
    make_case,
    make_customer,
    make_representative,
    make_service_request,
    make_user,
)

NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)  # a Monday, 10:00 in New York
PORTAL_BACKEND = "django.contrib.auth.backends.ModelBackend"  # the portal's sign-in, stand-in
ONPT = defaults.OUTSIDE_NORMAL_PROCESSING_TIME

OK = "ok"
NOT_FOUND = "404"
FORBIDDEN = "403"
STATUS_ONLY = "403 status_only_case"
API_STAFF_ONLY = "403 permission_denied"  # the API is for agency staff (ADR 27)
SIGN_IN = "302 sign in"  # the public pages are for public accounts
NOT_A_USER = "n/a"  # the system is no account: it neither calls the API nor signs in

ACTIONS = ("service", "api", "portal", "thread_case", "thread_request", "portal_thread")
EXPECTED: dict[str, dict[str, str]] = {
    "customer_online": dict.fromkeys(ACTIONS, OK) | {"api": API_STAFF_ONLY},
    "customer_ioe": dict.fromkeys(ACTIONS, OK) | {"api": API_STAFF_ONLY},
    "customer_paper": dict.fromkeys(ACTIONS, STATUS_ONLY) | {"api": API_STAFF_ONLY},
    # a G-28 lets a representative act on every case of their client, paper or not
    "representative": dict.fromkeys(ACTIONS, OK) | {"api": API_STAFF_ONLY},
    # staff record phone requests about paper cases as before; only the customer side
    # starts a conversation (ADR 45)
    "staff": {
        "service": OK,
        "api": OK,
        "portal": SIGN_IN,
        "thread_case": NOT_FOUND,
        "thread_request": NOT_FOUND,
        "portal_thread": SIGN_IN,
    },
    "system": {
        "service": FORBIDDEN,  # it records no request of its own (ADR 27, 44)
        "api": NOT_A_USER,
        "portal": NOT_A_USER,
        "thread_case": NOT_FOUND,
        "thread_request": NOT_FOUND,
        "portal_thread": NOT_A_USER,
    },
}


@pytest.fixture(autouse=True)
def _clock_and_sign_in(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, PORTAL_BACKEND]
    settings.SRMT_MESSAGE_FILES_ROOT = tmp_path / "messages"
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class World:
    actors: dict[str, Actor]
    cases: dict[str, Case]  # the case each actor acts about
    requests: dict[str, ServiceRequest]  # a request staff opened by phone on that case
    clients: dict[str, Client]  # signed in beforehand (signing in is audited)


def _applicant(case: Case, name: str) -> Person:
    person = Person.objects.create(name=name, email=f"{name.split()[0].lower()}@example.com")
    CaseParty.objects.create(case=case, person=person, role="applicant")
    return person


@pytest.fixture
def world(reference: None) -> World:
    # I-130s at ESC received long ago: outside normal processing time, an e-Request's type
    online, ioe, paper = (
        make_case(receipt, form="I-130", office="ESC", received_on=dt.date(2015, 1, 5))
        for receipt in ("EAC2190000501", "IOE0990000502", "EAC2190000503")
    )
    ana, ben, cruz = (
        _applicant(online, "Ana Online"),
        _applicant(ioe, "Ben Ioe"),
        _applicant(paper, "Cruz Paper"),
    )
    staff = make_user("officer", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    actors: dict[str, Actor] = {
        "customer_online": make_customer("ana", people=[ana], filed_online=[online]),
        "customer_ioe": make_customer("ben", people=[ben]),
        "customer_paper": make_customer("cruz", people=[cruz]),
        "representative": make_representative("lawyer", cases=[paper]),
        "staff": staff,
        "system": SYSTEM,
    }
    by_phone = {}
    for case, person in ((online, ana), (ioe, ben), (paper, cruz)):
        by_phone[case.pk] = make_service_request(
            actor=staff,
            receipt_number=case.receipt_number,
            requester=RequesterData(name=person.name, email=person.email),
        )
    cases = {
        "customer_online": online,
        "customer_ioe": ioe,
        **dict.fromkeys(("customer_paper", "representative", "staff", "system"), paper),
    }
    clients = {k: _client(a) for k, a in actors.items() if isinstance(a, User)}
    return World(actors, cases, {k: by_phone[c.pk] for k, c in cases.items()}, clients)


def counts(*, views: bool = True) -> dict[str, int]:
    """Every row an online action can write: compare before and after a refusal. Without
    `views`, the audit rows of pages read (a page shown again with its error) are left out."""
    audit = AuditEvent.objects.all()
    if not views:
        audit = audit.exclude(action__endswith=".viewed").exclude(action__endswith=".listed")
    return {
        "requests": ServiceRequest.objects.count(),
        "added_information": AddedInformation.objects.count(),
        "threads": Thread.objects.count(),
        "messages": Message.objects.count(),
        "audit": audit.count(),
        "outbox": Notification.objects.count(),
    }


def _submission(actor: Actor, case: Case) -> services.Submission:
    return services.Submission(
        type="general_case_inquiry",
        channel="phone_tier1" if isinstance(actor, User) and actor.is_agency_staff else "online",
        description="When will my interview be scheduled?",
        requester=RequesterData(name="Ana Pérez", email="asker@example.com"),
        receipt_number=case.receipt_number,
    )


def _client(actor: User) -> Client:
    client = Client()
    client.force_login(actor, backend=None if actor.is_agency_staff else PORTAL_BACKEND)
    return client


def _service(actor: Actor, world: World, kind: str) -> str:
    services.submit_request(_submission(actor, world.cases[kind]), actor=actor)
    return OK


def _api(actor: Actor, world: World, kind: str) -> str:
    if not isinstance(actor, User):
        return NOT_A_USER
    client = APIClient()
    client.force_authenticate(actor)
    submission = _submission(actor, world.cases[kind])
    body = {
        "type": submission.type,
        "channel": submission.channel,
        "receipt_number": submission.receipt_number,
        "description": submission.description,
        "requester": {"name": "Ana Pérez", "email": "asker@example.com"},
    }
    answer = client.post("/api/v1/service-requests/", body, format="json")
    return OK if answer.status_code == 201 else f"{answer.status_code} {answer.json()['code']}"


def _portal(actor: Actor, world: World, kind: str) -> str:
    if not isinstance(actor, User):
        return NOT_A_USER
    receipt = world.cases[kind].receipt_number
    url = reverse("portal:request-new-type", args=[receipt, ONPT])
    data = {"name": "Ana Pérez", "description": "Still no decision.", "submission_token": ""}
    if not actor.is_agency_staff:
        data["submission_token"] = _mint(actor)
    answer = world.clients[kind].post(url, data)
    return _page_outcome(answer, receipt)


def _page_outcome(answer: Any, receipt: str) -> str:
    if answer.status_code == 302 and answer["Location"].startswith("/account/login/"):
        return SIGN_IN
    if answer.status_code == 302:
        return OK
    page = answer.content.decode()
    said = f"Case {receipt} was filed on paper, so your online account shows its status only"
    if answer.status_code == 403 and said in page:
        return STATUS_ONLY
    return str(answer.status_code)


def _thread(actor: Actor, world: World, kind: str, *, about_request: bool) -> str:
    about: dict[str, Any] = (
        {"service_request": world.requests[kind]} if about_request else {"case": world.cases[kind]}
    )
    # the service takes an account; the system is asked all the same, as a caller could
    messaging.start_thread(cast(User, actor), subject="My case", body="Any news?", **about)
    return OK


def _portal_thread(actor: Actor, world: World, kind: str) -> str:
    if not isinstance(actor, User):
        return NOT_A_USER
    case = world.cases[kind]
    data = {"about": f"case-{case.pk}", "subject": "My case", "body": "Any news?"}
    answer = world.clients[kind].post(reverse("portal:message-new"), data)
    return _page_outcome(answer, case.receipt_number)


RUN: dict[str, Callable[[Actor, World, str], str]] = {
    "service": _service,
    "api": _api,
    "portal": _portal,
    "thread_case": lambda a, w, k: _thread(a, w, k, about_request=False),
    "thread_request": lambda a, w, k: _thread(a, w, k, about_request=True),
    "portal_thread": _portal_thread,
}


def _outcome(action: str, world: World, kind: str) -> str:
    """Run one action in a savepoint rolled back afterwards; a refusal must change nothing."""
    before = counts()
    with transaction.atomic():
        try:
            outcome = RUN[action](world.actors[kind], world, kind)
        except StatusOnlyCase:
            outcome = STATUS_ONLY
        except (Http404, NotAllowedToMessage):
            outcome = NOT_FOUND
        except policies.PermissionDenied:
            outcome = FORBIDDEN
        after = counts()
        transaction.set_rollback(True)
    if outcome != OK and after != before:
        return f"{outcome} but changed {before} -> {after}"
    if outcome == OK and after == before:
        return "allowed but wrote nothing"
    return outcome


def test_the_matrix_covers_every_kind_and_action() -> None:
    assert set(EXPECTED) == {
        "customer_online",
        "customer_ioe",
        "customer_paper",
        "representative",
        "staff",
        "system",
    }
    assert all(tuple(row) == ACTIONS for row in EXPECTED.values())


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_status_only_matrix(world: World, kind: str) -> None:
    # when
    actual = {action: _outcome(action, world, kind) for action in ACTIONS}
    # then
    assert actual == EXPECTED[kind]


def test_the_refusal_says_why_and_how_to_ask_in_english_and_spanish(world: World) -> None:
    cruz, paper = world.actors["customer_paper"], world.cases["customer_paper"]
    assert isinstance(cruz, User)
    answers = []
    for language in ("en", "es"):
        with translation.override(language), pytest.raises(StatusOnlyCase) as refused:
            messaging.start_thread(cruz, subject="Hi", body="Any news?", case=paper)
        answers.append(refused.value.message)
    assert refused.value.code == "status_only_case"
    assert refused.value.http_status == 403
    assert answers == [
        "Case EAC2190000503 was filed on paper, so your online account shows its status only: "
        "you cannot send requests or messages about it online. To ask us about it, please call "
        "the Contact Center. Cases you file online get the full online account.",
        "El caso EAC2190000503 se presentó en papel, por lo que su cuenta en línea solo muestra "
        "su estado: no puede enviar solicitudes ni mensajes sobre él en línea. Para "
        "preguntarnos sobre este caso, por favor llame al Centro de Contacto. Los casos que "
        "presente en línea tienen la cuenta en línea completa.",
    ]


def test_an_erequest_on_a_paper_case_is_refused_before_eligibility(world: World) -> None:
    cruz, paper = world.actors["customer_paper"], world.cases["customer_paper"]
    assert isinstance(cruz, User)
    before = counts()
    with pytest.raises(StatusOnlyCase):
        erequests.open_erequest(
            erequests.ERequest(
                receipt_number=paper.receipt_number,
                type=defaults.CHANGE_OF_ADDRESS,  # not eligible either: not the reason given
                description="I moved.",
                requester=RequesterData(name="Cruz Paper", email="cruz@example.com"),
            ),
            actor=cruz,
        )
    assert counts() == before


def test_the_erequest_page_of_a_paper_case_says_why_in_spanish(world: World) -> None:
    cruz, paper = world.actors["customer_paper"], world.cases["customer_paper"]
    assert isinstance(cruz, User)
    url = reverse("portal:request-new-type", args=[paper.receipt_number, ONPT])
    page = world.clients["customer_paper"].get(url, HTTP_ACCEPT_LANGUAGE="es")
    text = page.content.decode()
    assert page.status_code == 403
    assert "No puede hacer esta solicitud en línea para este caso." in text
    assert "El caso EAC2190000503 se presentó en papel" in text
    assert 'name="submission_token"' not in text


def test_a_phone_request_on_a_paper_case_stays_visible_but_cannot_be_added_to(
    world: World,
) -> None:
    cruz, sr = world.actors["customer_paper"], world.requests["customer_paper"]
    assert isinstance(cruz, User)
    client = _client(cruz)
    # given the request staff opened by phone, which the customer follows
    page = client.get(reverse("portal:request", args=[sr.reference]))
    assert page.status_code == 200
    assert 'name="information"' not in page.content.decode()
    assert "was filed on paper" in page.content.decode()
    receipt = world.cases["customer_paper"].receipt_number
    case_page = client.get(reverse("portal:case", args=[receipt]))
    assert [r.reference for r in case_page.context["requests"]] == [sr.reference]
    assert case_page.context["full_account"] is False
    # when they add information all the same
    before = counts(views=False)
    answer = client.post(
        reverse("portal:request", args=[sr.reference]),
        {"information": "More facts.", "submission_token": _mint(cruz)},
    )
    # then
    assert answer.status_code == 403
    assert "was filed on paper" in answer.content.decode()
    assert counts(views=False) == before
    with pytest.raises(StatusOnlyCase):
        erequests.add_information(sr, "More facts.", actor=cruz)
    assert counts(views=False) == before


def test_the_choosers_leave_out_status_only_cases_and_say_so(world: World) -> None:
    cruz = world.actors["customer_paper"]
    assert isinstance(cruz, User)
    # cruz also filed a case online: it is the only one offered
    mine = make_case("EAC2190000504", received_on=dt.date(2015, 1, 5))
    CaseParty.objects.create(
        case=mine, person=world.cases["customer_paper"].parties.get().person, role="applicant"
    )
    Case.objects.filter(pk=mine.pk).update(filed_online_by=cruz)
    client = _client(cruz)
    line = (
        "Cases filed on paper that your account can only follow are not in this list: "
        "EAC2190000503."
    )
    # the request chooser
    page = client.get(reverse("portal:request-new"))
    receipts = [c for c, _label in page.context["form"].fields["receipt_number"].choices]
    assert receipts == ["EAC2190000504"]
    assert page.context["status_only"] == ["EAC2190000503"]
    assert line in page.content.decode()
    # the message chooser: neither the paper case nor the phone request on it
    page = client.get(reverse("portal:message-new"))
    keys = [k for k, _label in page.context["form"].fields["about"].choices]
    assert keys == ["", f"case-{mine.pk}"]
    assert line in page.content.decode()
    # and in Spanish
    page = client.get(reverse("portal:message-new"), HTTP_ACCEPT_LANGUAGE="es")
    assert (
        "Los casos presentados en papel que su cuenta solo puede seguir no están en esta "
        "lista: EAC2190000503." in page.content.decode()
    )


def test_a_representative_sees_the_full_account_on_a_paper_case(world: World) -> None:
    lawyer, paper = world.actors["representative"], world.cases["representative"]
    assert isinstance(lawyer, User)
    page = _client(lawyer).get(reverse("portal:case", args=[paper.receipt_number]))
    assert page.context["full_account"] is True
    page = _client(lawyer).get(reverse("portal:request-new"))
    assert page.context["status_only"] == []
