"""Reference data every installation needs: offices, forms, request types, deadline policies,
published processing times and the national library of response templates.

Loading is idempotent: rows are matched on their codes, so running it again changes nothing
and never overwrites what an administrator edited. The one kind of update: an office's
coordinates that still hold a value an earlier release seeded (PREVIOUSLY_SEEDED_LOCATIONS)
or none at all take the current value from offices.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.erequests.defaults import load_defaults as load_erequest_eligibility
from srmt.offices.constants import CONFIDENTIAL_UNITS
from srmt.offices.defaults import load_default_rules
from srmt.offices.models import FormType, Office
from srmt.qa.scorecards import load_scorecards
from srmt.response_templates.models import ProcessingTime
from srmt.seed.expedite_criteria import load_expedite_criteria
from srmt.seed.template_library import load_template_library
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
    # Urgent targets (ADR 28): an urgent request is answered sooner than the general target
    # (general inquiries among them); a type's own policy still wins over this one.
    (
        "",
        "urgent",
        (2, "business_days"),
        (10, "business_days"),
        "Urgent SR: first response in 2, final in 10 business days (SRMT ADR 28)",
    ),
    (
        "expedite_request",
        "urgent",
        (1, "business_days"),
        (5, "business_days"),
        "Urgent expedite (a customer deadline): 1 and 5 business days (SRMT ADR 28)",
    ),
]


# Office coordinates that earlier releases seeded and offices.csv has since corrected:
# code, latitude, longitude. An office still holding one of them was not edited by an
# administrator, so loading moves it to the current value. Add the old value here whenever
# scripts/extract_reference.py changes an office's coordinates.
PREVIOUSLY_SEEDED_LOCATIONS = (
    # Before OFFICE_ZIP: the first ZIP code of the city, or the average of the state.
    ("ABQ", "35.19960", "-106.64480"),
    ("AGA", "12.41237", "133.62542"),
    ("ALB", "42.65260", "-73.75620"),
    ("ATL", "33.84440", "-84.47410"),
    ("BAL", "39.29460", "-76.62520"),
    ("BOI", "43.60380", "-116.27290"),
    ("BOS", "42.35760", "-71.06840"),
    ("BUF", "42.89670", "-78.88460"),
    ("CHA", "17.99972", "-64.81515"),
    ("CHI", "41.85000", "-87.65000"),
    ("CHL", "32.77950", "-79.93710"),
    ("CIN", "39.16680", "-84.53820"),
    ("CLE", "41.52340", "-81.59960"),
    ("CLM", "40.09990", "-83.01570"),
    ("CLT", "35.26000", "-80.80420"),
    ("DAL", "32.79040", "-96.80440"),
    ("DEN", "39.72630", "-104.85680"),
    ("DET", "42.34740", "-83.06040"),
    ("DSM", "41.67270", "-93.57220"),
    ("ELP", "31.75840", "-106.47830"),
    ("FRE", "36.84110", "-119.80100"),
    ("FSA", "35.36530", "-94.41100"),
    ("GRR", "34.89680", "-82.26740"),
    ("HAR", "41.78010", "-72.67710"),
    ("HEL", "46.61310", "-112.02130"),
    ("HHW", "21.32780", "-157.82940"),
    ("HIA", "25.85760", "-80.27810"),
    ("HLG", "26.19510", "-97.68900"),
    ("HOU", "29.81310", "-95.30980"),
    ("INP", "39.77500", "-86.10930"),
    ("JAC", "30.33750", "-81.76860"),
    ("KAN", "39.10240", "-94.59860"),
    ("KND", "28.12922", "-81.95601"),
    ("LAC", "36.09537", "-119.60177"),
    ("LNY", "42.17457", "-75.08660"),
    ("LOS", "33.97310", "-118.24790"),
    ("LOU", "38.18900", "-85.67680"),
    ("LVG", "36.17210", "-115.12240"),
    ("MEM", "35.16930", "-89.99040"),
    ("MGA", "32.35700", "-86.25780"),
    ("MIA", "25.77910", "-80.19780"),
    ("MIL", "43.03890", "-87.90650"),
    ("NBC", "38.39362", "-92.47275"),
    ("NEW", "40.73610", "-74.22510"),
    ("NOL", "29.96050", "-90.07530"),
    ("NOR", "36.89590", "-76.20850"),
    ("NYC", "42.17457", "-75.08660"),
    ("OFM", "26.62000", "-81.84000"),
    ("OKC", "35.49160", "-97.56280"),
    ("OKL", "28.55470", "-81.63220"),
    ("OMA", "41.25860", "-95.93780"),
    ("ORL", "28.53990", "-81.37270"),
    ("PHI", "40.00180", "-75.11790"),
    ("PHO", "33.44840", "-112.07400"),
    ("PIT", "40.47520", "-79.95280"),
    ("POM", "43.66060", "-70.25890"),
    ("POO", "45.50780", "-122.68970"),
    ("PRO", "41.82270", "-71.41450"),
    ("QNS", "42.17457", "-75.08660"),
    ("RAL", "35.77270", "-78.63240"),
    ("REN", "39.52680", "-119.81130"),
    ("SAC", "38.58160", "-121.49440"),
    ("SAJ", "18.46540", "-66.10440"),
    ("SBD", "34.11050", "-117.28980"),
    ("SEA", "47.61140", "-122.33050"),
    ("SFR", "37.77000", "-122.41000"),
    ("SFV", "36.09537", "-119.60177"),
    ("SLC", "40.75590", "-111.89670"),
    ("SNA", "29.47110", "-98.53560"),
    ("SNJ", "37.33940", "-121.89500"),
    ("SPM", "44.98350", "-93.26830"),
    ("STL", "38.63460", "-90.19130"),
    ("TAM", "27.99610", "-82.58200"),
    ("TUC", "32.21390", "-110.96940"),
    ("WAS", "38.91220", "-77.01770"),
    ("WIC", "37.69220", "-97.33750"),
    ("WPB", "26.71650", "-80.06790"),
    ("ZSE", "47.34395", "-121.23278"),
)


@dataclass
class LoadReport:
    offices: int = 0
    office_locations_corrected: int = 0
    office_contacts_filled: int = 0
    forms: int = 0
    request_types: int = 0
    erequest_eligibility: int = 0
    policies: int = 0
    routing: int = 0
    expedite_criteria: int = 0
    escalation_steps: int = 0
    processing_times: int = 0
    response_templates: int = 0
    qa_scorecards: int = 0

    def total(self) -> int:
        return sum(self.__dict__.values())


@transaction.atomic
def load_reference() -> LoadReport:
    """Create missing reference rows; returns how many of each were created."""
    offices, office_locations_corrected = _load_offices()
    report = LoadReport(
        offices=offices,
        office_locations_corrected=office_locations_corrected,
        office_contacts_filled=_load_office_contacts(),
        forms=_load_forms(),
        request_types=_load_request_types(),
        policies=_load_policies(),
        routing=load_default_rules(),
        expedite_criteria=load_expedite_criteria(),
        escalation_steps=load_default_ladder(),
        processing_times=_load_processing_times(),
        response_templates=load_template_library(),
        qa_scorecards=load_scorecards(),
        erequest_eligibility=load_erequest_eligibility(),
    )
    if report.total():
        audit.record(
            actor=None,
            action=AuditAction.REFERENCE_LOADED,
            object_type="reference",
            object_id="seed",
            changes=report.__dict__,
        )
    return report


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _load_offices() -> tuple[int, int]:
    """Create missing offices; returns how many were created and how many had their seeded
    coordinates corrected."""
    created = corrected = 0
    rows = _rows("offices.csv")
    superseded: dict[str, set[tuple[Decimal, Decimal]]] = {}
    for code, latitude, longitude in PREVIOUSLY_SEEDED_LOCATIONS:
        superseded.setdefault(code, set()).add((Decimal(latitude), Decimal(longitude)))
    for row in sorted(rows, key=lambda r: bool(r["parent"])):  # parents first
        office, was_created = Office.objects.get_or_create(
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
                "is_confidential": row["code"] in CONFIDENTIAL_UNITS,
            },
        )
        created += was_created
        if was_created or not row.get("latitude"):
            continue
        seeded = (Decimal(row["latitude"]), Decimal(row["longitude"]))
        held = (office.latitude, office.longitude)
        # Offices seeded before routing have none; others may hold an earlier release's value.
        if held != seeded and (office.latitude is None or held in superseded.get(office.code, ())):
            office.latitude, office.longitude = seeded
            office.save(update_fields=["latitude", "longitude"])  # post_save drops the snapshots
            corrected += 1
    return created, corrected


# Public contact details of offices (data/office_contacts.csv, sources in its `source` column).
CONTACT_FIELDS = ("address", "phone", "email", "hours", "hours_es", "web_page")


def _load_office_contacts() -> int:
    """Fill the blank public contact fields of offices from office_contacts.csv; returns how
    many offices changed. A field that holds a value (an administrator's edit, or an earlier
    load) is left alone, so loading again changes nothing."""
    filled = 0
    offices = Office.objects.in_bulk(field_name="code")
    for row in _rows("office_contacts.csv"):
        office = offices.get(row["code"])
        if office is None:
            continue
        blank = [f for f in CONTACT_FIELDS if row[f] and not getattr(office, f)]
        for field in blank:
            setattr(office, field, row[field])
        if blank:
            office.save(update_fields=blank)  # post_save drops the snapshots
            filled += 1
    return filled


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


def _load_processing_times() -> int:
    """Create the missing published processing times (data/processing_times.csv); a time an
    administrator has corrected since is left as it is."""
    forms = {f.code: f for f in FormType.objects.all()}
    offices = {o.code: o for o in Office.objects.all()}
    existing = set(ProcessingTime.objects.values_list("form_type_id", "office_id"))
    rows = []
    for row in _rows("processing_times.csv"):
        form, office = forms.get(row["form"]), offices.get(row["office"])
        if form is None or office is None or (form.pk, office.pk) in existing:
            continue
        rows.append(
            ProcessingTime(
                form_type=form,
                office=office,
                months=Decimal(row["months"]),
                published_on=dt.date.fromisoformat(row["published_on"]),
            )
        )
    ProcessingTime.objects.bulk_create(rows)
    return len(rows)


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
