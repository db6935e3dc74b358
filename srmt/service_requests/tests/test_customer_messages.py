"""Messages customers can use (issue 9 section 4): the acknowledgement at intake, the agency's
brand on every message, what to do after a final response, the referral notice abroad."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from srmt.accounts.choices import Role
from srmt.notifications.models import Notification
from srmt.offices.models import Office, RedirectTopic
from srmt.service_requests import messages, services
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.service_requests.routing_models import Referral
from srmt.testing.factories import make_case, make_service_request, make_user

pytestmark = pytest.mark.django_db

# Monday 2 November 2026, 10:00 in New York.
NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
MONTHS_EN = "January February March April May June July August September October November December"
MONTHS_ES = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
)
FOLLOW_UP_EN = "To follow up, call the contact center at 800-375-5283 (TTY 800-767-1833)"
FOLLOW_UP_ES = (
    "Para dar seguimiento, llame al centro de contacto al 800-375-5283 (TTY 800-767-1833)"
)
AGENCY = "U.S. Citizenship and Immigration Services"


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _due_day(sr: ServiceRequest) -> dt.date:
    return sr.due_at.astimezone(zoneinfo.ZoneInfo(sr.office.time_zone)).date()


def _english_date(day: dt.date) -> str:
    return f"{MONTHS_EN.split()[day.month - 1]} {day.day}, {day.year}"


def _spanish_date(day: dt.date) -> str:
    return f"{day.day} de {MONTHS_ES.split()[day.month - 1]} de {day.year}"


def _acknowledgement(sr: ServiceRequest) -> Notification:
    return Notification.objects.get(related_reference=sr.reference, kind="acknowledgement")


def test_intake_acknowledges_the_request_in_english(reference: None) -> None:
    # when a request is recorded for a requester with an email
    case = make_case(office="ESC")
    sr = make_service_request(
        receipt_number=case.receipt_number,
        requester=RequesterData(name="Bo Li", email="bo@example.com", language="en"),
    )
    # then they get one acknowledgement, through the gate, in English
    notification = _acknowledgement(sr)
    due = _english_date(_due_day(sr))
    assert (notification.audience, notification.status, notification.to_address) == (
        "customer",
        "queued",
        "bo@example.com",
    )
    assert (notification.language, notification.actor_id, notification.is_confidential) == (
        "en",
        sr.created_by_id,
        False,
    )
    assert notification.subject == f"We received your request {sr.reference}"
    assert notification.body == (
        "Dear Bo Li,\n\n"
        f"We have recorded your service request. Its reference is {sr.reference}.\n"
        f"Receipt number: {case.receipt_number}\n\n"
        f"What happens next: It has gone to the {sr.office.name}, which will contact you "
        "directly.\n"
        f"We aim to answer by {due}.\n\n"
        "If you have no answer by then, call the contact center at 800-375-5283 "
        f"(TTY 800-767-1833) after {due}, give the reference {sr.reference} and ask for "
        "your request to be escalated.\n\n"
        f"{FOLLOW_UP_EN} and give the reference {sr.reference}.\n\n"
        f"Sincerely,\n{AGENCY}\nhttps://www.uscis.gov"
    )


def test_intake_acknowledges_the_request_in_spanish(reference: None) -> None:
    sr = make_service_request(
        type="change_of_address",
        requester=RequesterData(name="Ana Pérez", email="ana.perez@example.com", language="es"),
    )
    notification = _acknowledgement(sr)
    due = _spanish_date(_due_day(sr))
    assert notification.language == "es"
    assert notification.subject == f"Recibimos su solicitud {sr.reference}"
    assert notification.body == (
        "Hola, Ana Pérez:\n\n"
        f"Registramos su solicitud de servicio. Su número de referencia es {sr.reference}.\n\n"
        f"Próximos pasos: Se envió a {sr.office.name}, que se comunicará con usted "
        "directamente.\n"
        f"Nuestro objetivo es responderle a más tardar el {due}.\n\n"
        "Si para entonces no ha recibido respuesta, llame al centro de contacto al "
        f"800-375-5283 (TTY 800-767-1833) después del {due}, indique la referencia "
        f"{sr.reference} y pida que su solicitud se escale.\n\n"
        f"{FOLLOW_UP_ES} e indique la referencia {sr.reference}.\n\n"
        f"Atentamente,\n{AGENCY}\nhttps://www.uscis.gov"
    )


def test_the_acknowledgement_of_a_protected_case_never_names_the_unit(reference: None) -> None:
    case = make_case(form="I-360", office="ESC", is_protected=True)
    sr = make_service_request(
        receipt_number=case.receipt_number,
        requester=RequesterData(name="Rosa Díaz", email="rosa@example.com", language="en"),
    )
    notification = _acknowledgement(sr)
    assert sr.office.is_confidential  # the VAWA/T/U unit holds it
    assert notification.is_confidential
    assert (
        "What happens next: It has gone to the office that handles this kind of case, which "
        "will contact you directly.\n"
    ) in notification.body
    for word in (sr.office.name, sr.office.code, "VAWA", "1367", "Vermont"):
        # whole words: a receipt number may contain the digits 1367
        pattern = rf"(?<![\w-]){re.escape(word)}(?![\w-])"
        assert re.search(pattern, notification.body) is None
        assert re.search(pattern, notification.subject) is None


def test_no_email_no_acknowledgement(reference: None) -> None:
    sr = make_service_request(
        requester=RequesterData(name="Luis Soto", phone="802-555-0199", language="es")
    )
    assert Notification.objects.filter(related_reference=sr.reference).count() == 0


def _messages_of_every_kind(language: str) -> dict[str, tuple[str, str, str]]:
    """kind -> (reference, subject, body) for every customer message about a request."""
    officer = make_user(role=Role.OFFICE_STAFF, offices=["ESC"])
    sr = make_service_request(
        requester=RequesterData(name="Bo Li", email="bo@example.com", language=language)
    )
    topic = RedirectTopic.objects.select_related("agency").get(code="i94")
    bodies = {
        "acknowledgement": messages.acknowledgement_message(sr),
        "redirect_notice": messages.redirect_message(
            topic, reference=sr.reference, language=language, name="Bo Li"
        ),
    }
    for kind in ("initial", "follow_up", "final"):
        bodies[f"response_{kind}"] = messages.response_message(sr, kind=kind, body="Text.")
    assert officer.pk
    return {kind: (sr.reference, *message) for kind, message in bodies.items()}


@pytest.mark.parametrize(
    ("language", "follow_up", "greeting"),
    [("en", FOLLOW_UP_EN, "Dear Bo Li,"), ("es", FOLLOW_UP_ES, "Hola, Bo Li:")],
)
def test_every_customer_message_is_branded_as_the_agency(
    reference: None, language: str, follow_up: str, greeting: str
) -> None:
    found = _messages_of_every_kind(language)
    assert sorted(found) == [
        "acknowledgement",
        "redirect_notice",
        "response_final",
        "response_follow_up",
        "response_initial",
    ]
    for kind, (ref, subject, body) in found.items():
        text = f"{subject}\n{body}"
        assert body.startswith(f"{greeting}\n\n"), kind
        assert AGENCY in body, kind
        assert ref in subject, kind
        assert ref in body, kind
        assert follow_up in body, kind
        assert "SRMT" not in text, kind
        assert "Service Request Management Tool" not in text, kind


def test_the_brand_comes_from_the_settings(reference: None, settings: Any) -> None:
    settings.SRMT_AGENCY_NAME = "Agencia de Prueba"
    settings.SRMT_AGENCY_SIGNATURE = "The Customer Care Team"
    settings.SRMT_AGENCY_PHONE = "800-555-0100"
    settings.SRMT_AGENCY_TTY = "800-555-0101"
    settings.SRMT_AGENCY_WEB = "https://agency.example"
    sr = make_service_request(requester=RequesterData(name="Bo Li", email="bo@example.com"))
    body = _acknowledgement(sr).body
    assert body.endswith("Sincerely,\nThe Customer Care Team\nhttps://agency.example")
    assert "800-555-0100 (TTY 800-555-0101)" in body
    assert "800-375-5283" not in body


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "en",
            [
                "This is the final response to your request, which is now closed.",
                "",
                "If you disagree with this answer, contact us again with the reference {ref} "
                "and ask for a supervisor to review it.",
                "If you disagree with a decision on your case itself, follow the instructions "
                "in the decision notice: it says whether and how you can appeal or ask for the "
                "decision to be reopened or reconsidered.",
            ],
        ),
        (
            "es",
            [
                "Esta es la respuesta final a su solicitud, que ahora está cerrada.",
                "",
                "Si no está de acuerdo con esta respuesta, comuníquese de nuevo con nosotros, "
                "indique la referencia {ref} y pida que un supervisor la revise.",
                "Si no está de acuerdo con una decisión sobre su caso, siga las instrucciones "
                "del aviso de decisión: allí se indica si puede apelar o pedir que se reabra o "
                "reconsidere la decisión, y cómo hacerlo.",
            ],
        ),
    ],
)
def test_a_final_response_says_what_to_do_if_the_customer_disagrees(
    reference: None, language: str, lines: list[str]
) -> None:
    sr = make_service_request(
        type="change_of_address",
        requester=RequesterData(name="Bo Li", email="bo@example.com", language=language),
    )
    officer = make_user(role=Role.OFFICE_STAFF, offices=[sr.office.code])
    response = services.add_response(sr, actor=officer, kind="final", body="Done.")
    body = Notification.objects.get(pk=response.notification_id).body.splitlines()
    expected = [line.format(ref=sr.reference) for line in lines]
    start = body.index(expected[0])
    assert body[start : start + len(expected)] == expected


def test_the_spanish_redirect_notice_reads_naturally(reference: None) -> None:
    topic = RedirectTopic.objects.select_related("agency").get(code="i94")
    subject, body = messages.redirect_message(
        topic, reference="SR-AAAA-BBBB", language="es", name="Ana Pérez"
    )
    assert subject == "Su solicitud SR-AAAA-BBBB: otra agencia puede ayudarle"
    assert body.splitlines()[:3] == [
        "Hola, Ana Pérez:",
        "",
        f"Su consulta sobre {topic.name_es} le corresponde a {topic.agency.name_es} y no a "
        "nosotros, por lo que cerramos la solicitud SR-AAAA-BBBB. Comuníquese con "
        f"{topic.agency.name_es}:",
    ]


def _referral(office: str, *, language: str, email: str = "priya@example.com") -> Referral:
    return Referral.objects.create(
        name="Priya Patel",
        email=email,
        language=language,
        country="IN",
        request_type="complaint",
        channel="phone_tier1",
        office=Office.objects.get(code=office),
        reason="Lives in India.",
        actor=make_user(role=Role.TIER1, offices=["CC-T1"]),
        created_at=timezone.now(),
    )


def test_the_referral_notice_gives_the_offices_public_contact_details(reference: None) -> None:
    referral = _referral("NDE", language="en")
    notification = messages.send_referral_notice(referral)
    assert notification is not None
    office = referral.office
    assert (notification.kind, notification.to_address, notification.status) == (
        "referral_notice",
        "priya@example.com",
        "queued",
    )
    assert notification.subject == "Where to get help: New Delhi International Field Office"
    assert notification.body == (
        "Dear Priya Patel,\n\n"
        "Because you live outside the United States, your question is handled by our "
        "international office that serves where you live: the New Delhi International Field "
        "Office. We have not opened a service request.\n\n"
        f"Address: {office.address}\n"
        f"Hours and appointments: {office.hours}\n"
        f"Web page: {office.web_page}\n\n"
        "What to do next: contact the office by email or phone, or ask for an appointment as "
        "its web page explains.\n\n"
        "If you have questions about this referral, call the contact center at 800-375-5283 "
        "(TTY 800-767-1833).\n\n"
        f"Sincerely,\n{AGENCY}\nhttps://www.uscis.gov"
    )
    assert "SR-" not in notification.body
    assert "SRMT" not in notification.body


def test_the_referral_notice_in_spanish_uses_the_spanish_hours(reference: None) -> None:
    referral = _referral("MEX", language="es")
    notification = messages.send_referral_notice(referral)
    assert notification is not None
    office = referral.office
    assert notification.language == "es"
    lines = notification.body.splitlines()
    assert lines[0] == "Hola, Priya Patel:"
    assert f"Dirección: {office.address}" in lines
    assert f"Teléfono: {office.phone}" in lines
    assert f"Correo electrónico: {office.email}" in lines
    assert f"Horario y citas: {office.hours_es}" in lines
    assert f"Página web: {office.web_page}" in lines
    assert office.hours_es.startswith("Solo con cita")


def test_no_email_no_referral_notice(reference: None) -> None:
    referral = _referral("NAI", language="en", email="")
    assert messages.send_referral_notice(referral) is None
    assert Notification.objects.count() == 0
