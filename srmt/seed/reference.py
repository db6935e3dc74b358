"""Reference data every installation needs: offices, forms, request types, deadline policies.

Loading is idempotent: rows are matched on their codes, so running it again changes nothing
(and never overwrites what an administrator edited, except with `update=True`).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from srmt.audit import services as audit
from srmt.offices.defaults import load_default_rules
from srmt.offices.models import FormType, Office
from srmt.seed.expedite_criteria import load_expedite_criteria
from srmt.service_requests.escalations import load_default_ladder
from srmt.service_requests.models import ServiceRequestType
from srmt.sla.models import DeadlinePolicy

DATA = Path(__file__).resolve().parent / "data"

# code, English, Spanish, requires receipt, priority, self-service, allows 1367 cases
REQUEST_TYPES = [
    (
        "outside_normal_processing_time",
        "Case outside normal processing time",
        "Caso fuera del tiempo normal de procesamiento",
        True,
        False,
        True,
        True,
    ),
    (
        "notice_not_received",
        "Notice, card or document not received",
        "Aviso, tarjeta o documento no recibido",
        True,
        False,
        True,
        True,
    ),
    ("typographic_error", "Typographic error", "Error tipográfico", True, False, True, True),
    ("change_of_address", "Change of address", "Cambio de dirección", False, True, True, False),
    (
        "accommodation_request",
        "Accommodation request",
        "Solicitud de acomodo",
        False,
        False,
        True,
        True,
    ),
    (
        "expedite_request",
        "Expedite request",
        "Solicitud de trámite acelerado",
        True,
        False,
        False,
        True,
    ),
    ("appointment_request", "Appointment request", "Solicitud de cita", False, False, False, True),
    (
        "biometrics_reschedule",
        "Biometrics reschedule",
        "Cambio de cita de datos biométricos",
        True,
        False,
        False,
        True,
    ),
    (
        "tier2_callback",
        "Callback from Tier 2",
        "Llamada de vuelta del Nivel 2",
        False,
        False,
        False,
        True,
    ),
    (
        "premium_processing_inquiry",
        "Premium processing inquiry",
        "Consulta sobre procesamiento prioritario",
        True,
        False,
        False,
        True,
    ),
    ("military_inquiry", "Military inquiry", "Consulta militar", False, False, False, True),
    ("complaint", "Complaint", "Queja", False, False, False, True),
    (
        "general_case_inquiry",
        "General case inquiry",
        "Consulta general sobre un caso",
        True,
        False,
        False,
        True,
    ),
]

POLICY_START = dt.date(2000, 1, 1)
# request type, urgency, first response (value, unit), final response (value, unit), source
POLICIES = [
    (
        "",
        "",
        (15, "calendar_days"),
        (15, "calendar_days"),
        "General SR target, 15 calendar days (older Policy Manual ch. 8)",
    ),
    (
        "change_of_address",
        "",
        (7, "calendar_days"),
        (7, "calendar_days"),
        "Priority SR, 7 calendar days (older Policy Manual ch. 8)",
    ),
    (
        "tier2_callback",
        "urgent",
        (72, "hours"),
        (72, "hours"),
        "Urgent Tier 2 callback within 72 hours (practitioner reports)",
    ),
    (
        "tier2_callback",
        "normal",
        (7, "business_days"),
        (30, "business_days"),
        "Regular Tier 2 callback within 7 to 30 business days (practitioner reports)",
    ),
]


@dataclass
class LoadReport:
    offices: int = 0
    forms: int = 0
    request_types: int = 0
    policies: int = 0
    routing: int = 0
    expedite_criteria: int = 0
    escalation_steps: int = 0

    def total(self) -> int:
        return sum(self.__dict__.values())


@transaction.atomic
def load_reference() -> LoadReport:
    """Create missing reference rows; returns how many of each were created."""
    report = LoadReport(
        offices=_load_offices(),
        forms=_load_forms(),
        request_types=_load_request_types(),
        policies=_load_policies(),
        routing=load_default_rules(),
        expedite_criteria=load_expedite_criteria(),
        escalation_steps=load_default_ladder(),
    )
    if report.total():
        audit.record(
            actor=None,
            action="reference.loaded",
            object_type="reference",
            object_id="seed",
            changes=report.__dict__,
        )
    return report


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _load_offices() -> int:
    created = 0
    rows = _rows("offices.csv")
    for row in sorted(rows, key=lambda r: bool(r["parent"])):  # parents first
        _office, was_created = Office.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "time_zone": row["time_zone"],
                "state": row["state"],
                "city": row["city"],
                "phone": row["phone"],
                "email": row["email"],
                "latitude": row.get("latitude") or None,
                "longitude": row.get("longitude") or None,
                "parent": Office.objects.get(code=row["parent"]) if row["parent"] else None,
            },
        )
        created += was_created
        if _office.latitude is None and row.get("latitude"):  # offices seeded before routing
            Office.objects.filter(pk=_office.pk).update(
                latitude=row["latitude"], longitude=row["longitude"]
            )
    return created


def _load_forms() -> int:
    created = 0
    for row in _rows("forms.csv"):
        _form, was_created = FormType.objects.get_or_create(
            code=row["code"],
            defaults={
                "name_en": row["name_en"],
                "name_es": row["name_es"],
                "is_premium_processing_eligible": row["premium_processing_eligible"] == "yes",
            },
        )
        created += was_created
    return created


def _load_request_types() -> int:
    created = 0
    for order, (code, en, es, receipt, priority, self_service, protected) in enumerate(
        REQUEST_TYPES
    ):
        _type, was_created = ServiceRequestType.objects.get_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_es": es,
                "requires_receipt_number": receipt,
                "is_priority": priority,
                "is_self_service": self_service,
                "allows_protected_cases": protected,
                "sort_order": (order + 1) * 10,
            },
        )
        created += was_created
    return created


def _load_policies() -> int:
    created = 0
    for request_type, urgency, first, final, source in POLICIES:
        _policy, was_created = DeadlinePolicy.objects.get_or_create(
            request_type=request_type,
            urgency=urgency,
            effective_from=POLICY_START,
            defaults={
                "first_response_value": first[0],
                "first_response_unit": first[1],
                "final_response_value": final[0],
                "final_response_unit": final[1],
                "source": source,
            },
        )
        created += was_created
    return created
