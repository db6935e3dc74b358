"""Templates for a request (service_requests.template_context) and responses that start from
one (add_response's `template`): variables per request, offered templates, refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.offices.models import Office
from srmt.response_templates import services as templates
from srmt.response_templates.models import ProcessingTime, ResponseTemplate
from srmt.response_templates.services import Wording
from srmt.service_requests import services, template_context
from srmt.service_requests.errors import UnfilledVariable, UnknownTemplate
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.service_requests.tests.conftest import snapshot
from srmt.testing.factories import make_case, make_service_request, make_user

pytestmark = pytest.mark.usefixtures("clock")  # Monday 2 November 2026


def request(
    *, language: str = "en", form: str = "I-485", received_on: dt.date = dt.date(2026, 3, 2)
) -> ServiceRequest:
    case = make_case(form=form, office="NSC", received_on=received_on)
    return make_service_request(
        receipt_number=case.receipt_number,
        requester=RequesterData(name="Ana Pérez", email="ana@example.com", language=language),
    )


@pytest.fixture
def admin(reference: None) -> User:
    return make_user("tc_admin", role=Role.ADMINISTRATOR, is_1367_cleared=True)


# I-485 at the Nebraska Service Center: 29 months published (seed/data/processing_times.csv).
@pytest.mark.parametrize(
    ("language", "received_on", "expected"),
    [
        (
            "en",
            dt.date(2026, 3, 2),
            {
                "customer_name": "Ana Pérez",
                "office_name": "Nebraska Service Center",
                "today": "November 2, 2026",
                "due_date": "November 17, 2026",
                "form": "I-485",
                "form_name": "Application to Register Permanent Residence or Adjust Status",
                "filed_on": "March 2, 2026",
                "case_status": "Case Was Received",
                "published_processing_time": "29 months",
                "case_inquiry_date": "June 3, 2024",
                "next_step": "If you have no decision by July 31, 2028, you may ask us about "
                "your case again with the reference {reference}.",
            },
        ),
        (
            "es",
            dt.date(2026, 3, 2),
            {
                "customer_name": "Ana Pérez",
                "office_name": "Nebraska Service Center",
                "today": "2 de noviembre de 2026",
                "due_date": "17 de noviembre de 2026",
                "form": "I-485",
                "form_name": "Solicitud para Registrar la Residencia Permanente o Ajustar de "
                "Estatus",
                "filed_on": "2 de marzo de 2026",
                "case_status": "Case Was Received",
                "published_processing_time": "29 meses",
                "case_inquiry_date": "3 de junio de 2024",
                "next_step": "Si no tiene una decisión para el 31 de julio de 2028, puede "
                "volver a consultarnos sobre su caso con la referencia {reference}.",
            },
        ),
        (
            "en",
            dt.date(2024, 6, 2),  # received the day before the case inquiry date
            {
                "filed_on": "June 2, 2024",
                "next_step": "Your case is outside normal processing time, so you may ask us "
                "about it now: contact us with the reference {reference}.",
            },
        ),
        (
            "es",
            dt.date(2024, 6, 2),
            {
                "next_step": "Su caso está fuera del tiempo normal de procesamiento, así que "
                "puede consultarnos sobre él ahora: comuníquese con nosotros con la "
                "referencia {reference}.",
            },
        ),
    ],
)
def test_values_per_language_and_case(
    admin: User, language: str, received_on: dt.date, expected: dict[str, str]
) -> None:
    sr = request(language=language, received_on=received_on)
    values = template_context.values_for(sr, viewer=admin)
    assert values["reference"] == sr.reference
    assert values["receipt_number"] == sr.case.receipt_number
    for name, value in expected.items():
        assert values[name] == value.format(reference=sr.reference), name
    # Nothing blank is ever handed to rendering; the office has no public contact details.
    assert "office_contact" not in values
    assert all(v.strip() for v in values.values())


def test_values_without_a_case_or_a_published_time(admin: User) -> None:
    no_case = make_service_request(type="change_of_address")
    # (the office's public contact details depend on the office it was routed to)
    assert set(template_context.values_for(no_case, viewer=admin)) - {"office_contact"} == {
        "customer_name",
        "reference",
        "office_name",
        "today",
        "due_date",
    }
    sr = request()
    ProcessingTime.objects.filter(form_type__code="I-485").delete()
    values = template_context.values_for(sr, viewer=admin)
    assert {"published_processing_time", "case_inquiry_date", "next_step"} & set(values) == set()
    assert values["form"] == "I-485"


def test_office_contact_in_the_customers_language(admin: User) -> None:
    Office.objects.filter(code="NSC").update(phone="+1 402 555 0100", email="nsc@example.gov")
    assert (
        template_context.values_for(request(language="es"), viewer=admin)["office_contact"]
        == "Teléfono: +1 402 555 0100\nCorreo electrónico: nsc@example.gov"
    )
    assert (
        template_context.values_for(request(language="en"), viewer=admin)["office_contact"]
        == "Phone: +1 402 555 0100\nEmail: nsc@example.gov"
    )


def make_template(admin: User, code: str, **kw: Any) -> ResponseTemplate:
    office = kw.pop("office", None)
    return templates.create_template(
        actor=admin,
        code=code,
        name=code,
        office=Office.objects.get(code=office) if office else None,
        request_type=kw.pop("request_type", ""),
        response_kind=kw.pop("response_kind", ""),
        wording=kw.pop(
            "wording",
            Wording(
                "Form {{ form }}: {{ case_details }}", "Formulario {{ form }}: {{ case_details }}"
            ),
        ),
    )


def test_offered_templates(admin: User) -> None:
    ResponseTemplate.objects.update(is_active=False)  # the seeded library aside
    sr = request()  # general_case_inquiry at NSC
    make_template(admin, "national-any")
    make_template(admin, "national-type", request_type="general_case_inquiry")
    make_template(admin, "national-other-type", request_type="complaint")
    make_template(admin, "national-final", response_kind="final")
    make_template(admin, "nsc-own", office="NSC")
    make_template(admin, "esc-own", office="ESC")
    inactive = make_template(admin, "national-inactive")
    templates.set_active(inactive, actor=admin, active=False)
    assert [t.code for t in template_context.offered_for(sr)] == [
        "national-any",
        "national-final",
        "national-type",
        "nsc-own",
    ]
    assert [t.code for t in template_context.offered_for(sr, kind="initial")] == [
        "national-any",
        "national-type",
        "nsc-own",
    ]


def test_fill_renders_the_latest_version_in_the_requests_language(admin: User) -> None:
    sr = request(language="es")
    template = make_template(admin, "mine", office="NSC")
    templates.add_version(
        template,
        actor=admin,
        wording=Wording(
            "v2 {{ form }}", "v2 {{ form }} del {{ filed_on }} {{ action_taken }}", "n"
        ),
    )
    filled = template_context.fill(sr, "mine", viewer=admin)
    assert (filled.version.version, filled.language) == (2, "es")
    assert filled.rendered.text == "v2 I-485 del 2 de marzo de 2026 {{ action_taken }}"
    assert filled.rendered.missing == ("action_taken",)


def test_a_response_records_its_template_and_version(admin: User) -> None:
    sr = request()
    template = make_template(admin, "mine", office="NSC")
    response = services.add_response(
        sr, actor=admin, kind="initial", body="Form I-485: we asked NSC.", template="mine"
    )
    assert (response.template_code, response.template_version) == ("mine", 1)
    # A new version never changes what was sent.
    templates.add_version(template, actor=admin, wording=Wording("v2 {{ form }}", "v2", "n"))
    response.refresh_from_db()
    assert (response.template_code, response.template_version, response.body) == (
        "mine",
        1,
        "Form I-485: we asked NSC.",
    )
    second = services.add_response(
        sr, actor=admin, kind="follow_up", body="v2 I-485", template="mine"
    )
    assert (second.template_code, second.template_version) == ("mine", 2)
    without = services.add_response(sr, actor=admin, kind="final", body="Done.")
    assert (without.template_code, without.template_version) == ("", None)


@pytest.mark.parametrize(
    ("body", "variables"),
    [
        ("Form I-485: {{ case_details }}", ["case_details"]),
        ("{{form}} and {{ Nombre }} and {{form}}", ["form", "{{ Nombre }}"]),
    ],
)
def test_a_body_with_a_placeholder_is_refused_with_nothing_written(
    admin: User, body: str, variables: list[str]
) -> None:
    sr = request()
    make_template(admin, "mine")
    before = snapshot(sr)
    with pytest.raises(UnfilledVariable) as refused:
        services.add_response(sr, actor=admin, kind="initial", body=body, template="mine")
    assert (refused.value.code, refused.value.field) == ("unfilled_variable", "body")
    assert refused.value.variables == variables
    assert snapshot(sr) == before


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("no-such-template", "initial"),
        ("esc-own", "initial"),  # another office's
        ("complaints", "initial"),  # another request type
        ("finals", "initial"),  # another response kind
        ("switched-off", "initial"),  # inactive
    ],
)
def test_a_template_not_offered_is_refused_with_nothing_written(
    admin: User, code: str, kind: str
) -> None:
    sr = request()
    make_template(admin, "esc-own", office="ESC")
    make_template(admin, "complaints", request_type="complaint")
    make_template(admin, "finals", response_kind="final")
    templates.set_active(make_template(admin, "switched-off"), actor=admin, active=False)
    before = snapshot(sr)
    with pytest.raises(UnknownTemplate) as refused:
        services.add_response(sr, actor=admin, kind=kind, body="All written.", template=code)
    assert (refused.value.code, refused.value.field) == ("unknown_template", "template")
    assert snapshot(sr) == before
