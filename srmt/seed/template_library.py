"""The national library of response templates, loaded with the reference data (srmt seed).

Each template is the generic frame of an answer; the case-specific parts are variables:
filled from the request, case, office and published processing time, or written by the
writer ({{ action_taken }}, {{ case_details }}: never filled from data, so a response cannot
leave without them). Loading creates missing templates only: a template a supervisor has
changed since (a new version) is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from srmt.offices.models import Office
from srmt.response_templates.models import ResponseTemplate, TemplateVersion
from srmt.response_templates.variables import unknown_variables


@dataclass(frozen=True)
class Seeded:
    code: str
    name: str
    request_type: str
    response_kind: str
    body_en: str
    body_es: str
    office: str = ""  # an office code; blank: national


LIBRARY: tuple[Seeded, ...] = (
    Seeded(
        "acknowledgement",
        "Acknowledgement: we are working on it",
        "",
        "initial",
        "We received your request {{ reference }} and the {{ office_name }} is working on it. "
        "{{ action_taken }} We will answer in full by {{ due_date }}.",
        "Recibimos su solicitud {{ reference }} y la oficina {{ office_name }} está trabajando "
        "en ella. {{ action_taken }} Le responderemos por completo a más tardar el "
        "{{ due_date }}.",
    ),
    Seeded(
        "onpt-outside-initial",
        "Outside normal processing time: inquiry sent to the office",
        "outside_normal_processing_time",
        "initial",
        "Your Form {{ form }} ({{ form_name }}), receipt number {{ receipt_number }}, was "
        "received on {{ filed_on }}. {{ action_taken }} We will write again by {{ due_date }}.",
        "Su formulario {{ form }} ({{ form_name }}), número de recibo {{ receipt_number }}, se "
        "recibió el {{ filed_on }}. {{ action_taken }} Le volveremos a escribir a más tardar el "
        "{{ due_date }}.",
    ),
    Seeded(
        "onpt-final",
        "Outside normal processing time: what the office found",
        "outside_normal_processing_time",
        "final",
        "We asked the {{ office_name }} about your Form {{ form }}, receipt number "
        "{{ receipt_number }}. {{ case_details }} {{ action_taken }}",
        "Consultamos a la oficina {{ office_name }} sobre su formulario {{ form }}, número de "
        "recibo {{ receipt_number }}. {{ case_details }} {{ action_taken }}",
    ),
    Seeded(
        "onpt-within-time",
        "Not yet outside normal processing time",
        "outside_normal_processing_time",
        "final",
        "Your Form {{ form }}, receipt number {{ receipt_number }}, was received on "
        "{{ filed_on }}. The {{ office_name }} currently completes most of these cases within "
        "{{ published_processing_time }}. {{ case_details }} {{ next_step }}",
        "Su formulario {{ form }}, número de recibo {{ receipt_number }}, se recibió el "
        "{{ filed_on }}. La oficina {{ office_name }} completa actualmente la mayoría de estos "
        "casos en {{ published_processing_time }}. {{ case_details }} {{ next_step }}",
    ),
    Seeded(
        "notice-not-received-final",
        "Notice or card not received: what happened to it",
        "notice_not_received",
        "final",
        "You told us you did not receive a notice or card for receipt number "
        "{{ receipt_number }}. {{ case_details }} {{ action_taken }}",
        "Nos dijo que no recibió un aviso o una tarjeta del número de recibo "
        "{{ receipt_number }}. {{ case_details }} {{ action_taken }}",
    ),
    Seeded(
        "typo-final",
        "Typographic error: correction ordered",
        "typographic_error",
        "final",
        "You asked us to correct an error on the notice or card for receipt number "
        "{{ receipt_number }}. {{ case_details }} {{ action_taken }}",
        "Nos pidió corregir un error en el aviso o la tarjeta del número de recibo "
        "{{ receipt_number }}. {{ case_details }} {{ action_taken }}",
    ),
    Seeded(
        "address-change-final",
        "Change of address recorded",
        "change_of_address",
        "final",
        "{{ action_taken }} Notices about receipt number {{ receipt_number }} will go to the "
        "new address from now on. {{ case_details }}",
        "{{ action_taken }} Los avisos sobre el número de recibo {{ receipt_number }} se "
        "enviarán a la nueva dirección desde ahora. {{ case_details }}",
    ),
    Seeded(
        "accommodation-final",
        "Accommodation arranged",
        "accommodation_request",
        "final",
        "You asked for an accommodation at the {{ office_name }}. {{ action_taken }} "
        "{{ case_details }} If you have questions before then, contact the office:\n"
        "{{ office_contact }}",
        "Pidió un acomodo en la oficina {{ office_name }}. {{ action_taken }} "
        "{{ case_details }} Si tiene preguntas antes, comuníquese con la oficina:\n"
        "{{ office_contact }}",
    ),
    Seeded(
        "expedite-granted",
        "Expedite granted",
        "expedite_request",
        "final",
        "We reviewed your request to expedite your Form {{ form }}, receipt number "
        "{{ receipt_number }}, and granted it. {{ action_taken }} {{ case_details }}",
        "Revisamos su solicitud de acelerar el trámite de su formulario {{ form }}, número de "
        "recibo {{ receipt_number }}, y la aprobamos. {{ action_taken }} {{ case_details }}",
    ),
    Seeded(
        "expedite-denied",
        "Expedite denied, and why",
        "expedite_request",
        "final",
        "We reviewed your request to expedite your Form {{ form }}, receipt number "
        "{{ receipt_number }}, and could not grant it. {{ case_details }} You may ask again if "
        "your situation changes, with evidence of the new facts.",
        "Revisamos su solicitud de acelerar el trámite de su formulario {{ form }}, número de "
        "recibo {{ receipt_number }}, y no pudimos aprobarla. {{ case_details }} Puede volver "
        "a pedirlo si su situación cambia, con pruebas de los nuevos hechos.",
    ),
    Seeded(
        "appointment-scheduled",
        "Appointment scheduled",
        "appointment_request",
        "final",
        "{{ action_taken }} The appointment is at the {{ office_name }}:\n{{ office_contact }}\n"
        "Bring your appointment notice and a photo identification. {{ case_details }}",
        "{{ action_taken }} La cita es en la oficina {{ office_name }}:\n{{ office_contact }}\n"
        "Traiga su aviso de cita y una identificación con foto. {{ case_details }}",
    ),
    Seeded(
        "biometrics-rescheduled",
        "Biometrics appointment rescheduled",
        "biometrics_reschedule",
        "final",
        "We rescheduled your biometrics appointment for receipt number {{ receipt_number }}. "
        "{{ action_taken }} A new appointment notice will follow. {{ case_details }}",
        "Cambiamos su cita de datos biométricos del número de recibo {{ receipt_number }}. "
        "{{ action_taken }} Recibirá un nuevo aviso de cita. {{ case_details }}",
    ),
    Seeded(
        "premium-processing-final",
        "Premium processing: where the case stands",
        "premium_processing_inquiry",
        "final",
        "Your Form {{ form }}, receipt number {{ receipt_number }}, is under premium "
        "processing. {{ case_details }} {{ action_taken }}",
        "Su formulario {{ form }}, número de recibo {{ receipt_number }}, está en "
        "procesamiento prioritario. {{ case_details }} {{ action_taken }}",
    ),
    Seeded(
        "complaint-acknowledgement",
        "Complaint: received and under review",
        "complaint",
        "initial",
        "We received your complaint, reference {{ reference }}. {{ action_taken }} A "
        "supervisor at the {{ office_name }} will answer by {{ due_date }}.",
        "Recibimos su queja, referencia {{ reference }}. {{ action_taken }} Un supervisor de la "
        "oficina {{ office_name }} le responderá a más tardar el {{ due_date }}.",
    ),
    Seeded(
        "military-acknowledgement",
        "Military inquiry: received by the military help line",
        "military_inquiry",
        "initial",
        "Thank you for your service. We received your question, reference {{ reference }}. "
        "{{ action_taken }} We will answer in full by {{ due_date }}.",
        "Gracias por su servicio. Recibimos su pregunta, referencia {{ reference }}. "
        "{{ action_taken }} Le responderemos por completo a más tardar el {{ due_date }}.",
    ),
    Seeded(
        "general-inquiry-final",
        "General case inquiry: the answer",
        "general_case_inquiry",
        "final",
        "You asked about your Form {{ form }}, receipt number {{ receipt_number }}. "
        "{{ case_details }} {{ action_taken }}",
        "Preguntó sobre su formulario {{ form }}, número de recibo {{ receipt_number }}. "
        "{{ case_details }} {{ action_taken }}",
    ),
    # One office's own template (the Nebraska Service Center's returned cards).
    Seeded(
        "nsc-card-returned",
        "NSC: card returned as undeliverable, mailed again",
        "notice_not_received",
        "final",
        "The card for receipt number {{ receipt_number }} came back to the Nebraska Service "
        "Center as undeliverable. {{ action_taken }} If it does not arrive within 30 days of "
        "that date, contact us again with the reference {{ reference }}.",
        "La tarjeta del número de recibo {{ receipt_number }} fue devuelta al Centro de "
        "Servicio de Nebraska porque no se pudo entregar. {{ action_taken }} Si no llega en "
        "30 días desde esa fecha, vuelva a comunicarse con nosotros con la referencia "
        "{{ reference }}.",
        office="NSC",
    ),
)


@transaction.atomic
def load_template_library() -> int:
    """Create the library's missing templates (version 1 each); returns how many."""
    created = 0
    offices = {o.code: o for o in Office.objects.filter(code__in={s.office for s in LIBRARY})}
    for spec in LIBRARY:
        unknown = unknown_variables(spec.body_en + spec.body_es)
        if unknown:  # a mistake in this file: fail loudly, never seed a broken letter
            raise ValueError(f"Template {spec.code} uses unknown variables: {unknown}")
        if ResponseTemplate.objects.filter(code=spec.code).exists():
            continue
        if spec.office and spec.office not in offices:
            continue
        template = ResponseTemplate.objects.create(
            code=spec.code,
            name=spec.name,
            office=offices.get(spec.office),
            request_type=spec.request_type,
            response_kind=spec.response_kind,
        )
        TemplateVersion.objects.create(
            template=template,
            version=1,
            body_en=spec.body_en,
            body_es=spec.body_es,
            change_note="Seeded library",
        )
        created += 1
    return created
