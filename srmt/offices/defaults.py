"""The default routing rules, international offices, ZIP overrides and redirect catalogue
(domain.md 1, 8).

DEFAULT_RULES is the rule set as plain data (offices.routing.route uses it when it is given
no rules); load_default_rules() writes it, with the country offices, the ZIP overrides, the
other agencies and their topics, as rows that administrators may then edit. Loading is
idempotent: rows are matched on their codes (ZIP prefixes, countries) and never updated.
"""

from __future__ import annotations

from srmt.offices.choices import RoutingAction, TriState
from srmt.offices.constants import PREFIX_OFFICES, TIER2_OFFICE
from srmt.offices.models import (
    CountryOffice,
    Office,
    OtherAgency,
    RedirectTopic,
    RoutingRule,
    ZipOfficeOverride,
)
from srmt.offices.routing import RuleSpec

A = RoutingAction
VAWA_UNIT = "ESC-VAWA"
# The reasons of the two accommodation rules for a ZIP without a field office by address
# (also written by migration offices 0007 into rules seeded before they were split).
MILITARY_MAIL_EN = (
    "Military mail ZIP (APO/FPO/DPO): no field office serves ZIP {zip_code} ({zip_state}) by "
    "address; the contact center's Tier 2 ({office}) serves the customer."
)
MILITARY_MAIL_ES = (
    "Código postal de correo militar (APO/FPO/DPO): ninguna oficina local atiende el código "
    "postal {zip_code} ({zip_state}) por domicilio; lo atiende el Nivel 2 del centro de "
    "contacto ({office})."
)
UNLOCATED_ZIP_EN = (
    "ZIP {zip_code} ({zip_state}) has no known location and its state no single field office: "
    "no field office can be chosen by address; the contact center's Tier 2 ({office}) serves "
    "the customer."
)
UNLOCATED_ZIP_ES = (
    "El código postal {zip_code} ({zip_state}) no tiene ubicación conocida y su estado no tiene "
    "una única oficina local: no se puede elegir oficina por domicilio; lo atiende el Nivel 2 "
    "del centro de contacto ({office})."
)

DEFAULT_RULES: tuple[RuleSpec, ...] = (
    # 8 U.S.C. 1367: protected cases go to the Vermont VAWA/T/U unit whatever else applies.
    RuleSpec(
        code="protected_1367",
        name="1367-protected case",
        position=10,
        is_protected=True,
        action=A.FIXED_OFFICE,
        office_code=VAWA_UNIT,
        explanation="The case is protected by 8 U.S.C. 1367; the VAWA/T/U unit ({office}) "
        "handles it whatever else applies.",
        explanation_es="El caso está protegido por 8 U.S.C. 1367; la unidad VAWA/T/U ({office}) "
        "lo atiende, sean cuales sean los demás datos.",
    ),
    RuleSpec(
        code="overseas_referral",
        name="Resident outside the U.S.",
        position=20,
        requester_in_us=False,
        action=A.INTERNATIONAL_REFERRAL,
        explanation="The customer lives outside the U.S. ({country}); the international "
        "office {office} serves them. No service request is opened.",
        explanation_es="El cliente vive fuera de EE. UU. ({country}); lo atiende la oficina "
        "internacional {office}. No se abre ninguna solicitud de servicio.",
    ),
    RuleSpec(
        code="appointment_tier2",
        name="Appointment request",
        position=30,
        request_types=("appointment_request",),
        action=A.FIXED_OFFICE,
        office_code=TIER2_OFFICE,
        explanation="Appointment requests are reviewed by the contact center's Tier 2 ({office}).",
        explanation_es="Las solicitudes de cita las revisa el Nivel 2 del centro de contacto "
        "({office}).",
    ),
    RuleSpec(
        code="expedite_case_office",
        name="Expedite request",
        position=40,
        request_types=("expedite_request",),
        has_case_record=True,
        action=A.CASE_OFFICE,
        explanation="Expedite requests are decided by the office holding the case ({case_office}).",
        explanation_es="Las solicitudes de trámite acelerado las decide la oficina que tiene el "
        "caso ({case_office}).",
    ),
    RuleSpec(
        code="accommodation_field_office",
        name="Accommodation request",
        position=50,
        request_types=("accommodation_request",),
        has_zip_code=True,
        action=A.ZIP_FIELD_OFFICE,
        explanation="Accommodation requests go to the field office for the customer's "
        "address: ZIP {zip_code} ({zip_state}) is served by {office}.",
        explanation_es="Las solicitudes de acomodo van a la oficina local del domicilio del "
        "cliente: el código postal {zip_code} ({zip_state}) lo atiende {office}.",
    ),
    # Reached only when the rule above names no office (ADR 23): military mail (APO/FPO/DPO),
    # which no field office serves by address, and a ZIP the postal data gives no position
    # in a state without a single field office (offices.jurisdiction), each with its reason.
    RuleSpec(
        code="accommodation_military_mail",
        name="Accommodation request, military mail ZIP",
        position=52,
        request_types=("accommodation_request",),
        has_zip_code=True,
        zip_is_military_mail=True,
        action=A.FIXED_OFFICE,
        office_code=TIER2_OFFICE,
        explanation=MILITARY_MAIL_EN,
        explanation_es=MILITARY_MAIL_ES,
    ),
    RuleSpec(
        code="accommodation_no_field_office",
        name="Accommodation request, ZIP without a known location",
        position=55,
        request_types=("accommodation_request",),
        has_zip_code=True,
        zip_is_military_mail=False,
        action=A.FIXED_OFFICE,
        office_code=TIER2_OFFICE,
        explanation=UNLOCATED_ZIP_EN,
        explanation_es=UNLOCATED_ZIP_ES,
    ),
    RuleSpec(
        code="case_office",
        name="Office holding the case",
        position=60,
        has_case_record=True,
        action=A.CASE_OFFICE,
        explanation="The case record places the file at {case_office}.",
        explanation_es="Según el registro del caso, el expediente está en {case_office}.",
    ),
    RuleSpec(
        code="prefix_ioe_no_case",
        name="IOE receipt without a case record",
        position=70,
        receipt_prefixes=("IOE",),
        action=A.FIXED_OFFICE,
        office_code=TIER2_OFFICE,
        explanation="IOE receipts are held by the office processing the case and no case "
        "record names it; Tier 2 ({office}) triages it.",
        explanation_es="Los recibos IOE los tiene la oficina que tramita el caso y ningún "
        "registro del caso la indica; el Nivel 2 ({office}) lo clasifica.",
    ),
    *(
        RuleSpec(
            code=f"prefix_{prefix.lower()}",
            name=f"Receipt prefix {prefix}",
            position=80 + index,
            receipt_prefixes=(prefix,),
            action=A.FIXED_OFFICE,
            office_code=office,
            explanation="Receipt prefix {prefix} belongs to {office}; no case record.",
            explanation_es="El prefijo de recibo {prefix} corresponde a {office}; no hay "
            "registro del caso.",
        )
        for index, (prefix, office) in enumerate(PREFIX_OFFICES.items())
    ),
    RuleSpec(
        code="unknown_prefix",
        name="Unknown receipt prefix",
        position=90,
        has_receipt_number=True,
        action=A.FIXED_OFFICE,
        office_code=TIER2_OFFICE,
        explanation="Receipt prefix {prefix} names no service center; Tier 2 triages it.",
        explanation_es="El prefijo de recibo {prefix} no corresponde a ningún centro de "
        "servicio; el Nivel 2 lo clasifica.",
    ),
    RuleSpec(
        code="no_receipt_number",
        name="No receipt number",
        position=100,
        action=A.FIXED_OFFICE,
        office_code=TIER2_OFFICE,
        explanation="No receipt number; Tier 2 triages it.",
        explanation_es="Sin número de recibo; el Nivel 2 lo clasifica.",
    ),
)

# Country (ISO 3166-1 alpha-2) -> international office; others go to the default office.
DEFAULT_COUNTRY_OFFICES = {
    **dict.fromkeys(("MX",), "MEX"),
    **dict.fromkeys(("GT", "BZ", "SV", "HN", "NI", "CR", "PA"), "GUA"),
    **dict.fromkeys(("CN", "HK", "MO", "MN", "KR", "JP", "TW"), "BEJ"),
    **dict.fromkeys(("IN", "NP", "BD", "LK", "BT", "MV", "PK"), "NDE"),
    **dict.fromkeys(("KE", "UG", "TZ", "RW", "BI", "ET", "SO", "SS", "DJ", "ER"), "NAI"),
}

# ZIP prefix -> field office, where the office's jurisdiction is not the nearest office in the
# ZIP's state. The Washington Field Office (Fairfax, VA; filed under DC) serves the District
# of Columbia and Northern Virginia; Maryland is served by Baltimore. Without these rows
# Northern Virginia would go to Norfolk, the only other field office in Virginia, and the
# two federal ZIPs of DC's 205 prefix filed under MD and VA to Baltimore and Norfolk.
DEFAULT_ZIP_OVERRIDES = {
    **dict.fromkeys(("200", "202", "203", "204", "205"), ("WAS", "District of Columbia")),
    **dict.fromkeys(("201", "220", "221", "222", "223"), ("WAS", "Northern Virginia")),
}

# code, English name, Spanish name, phone, website, mailing address
AGENCIES = [
    (
        "state",
        "U.S. Department of State, Bureau of Consular Affairs",
        "Departamento de Estado de EE. UU., Oficina de Asuntos Consulares",
        "603-334-0700",
        "https://travel.state.gov",
        "U.S. Department of State, 2201 C Street NW, Washington, DC 20520",
    ),
    (
        "cbp",
        "U.S. Customs and Border Protection",
        "Oficina de Aduanas y Protección Fronteriza de EE. UU.",
        "877-227-5511",
        "https://www.cbp.gov",
        "U.S. Customs and Border Protection, 1300 Pennsylvania Avenue NW, Washington, DC 20229",
    ),
    (
        "ice",
        "U.S. Immigration and Customs Enforcement",
        "Servicio de Inmigración y Control de Aduanas de EE. UU.",
        "866-347-2423",
        "https://www.ice.gov",
        "U.S. Immigration and Customs Enforcement, 500 12th Street SW, Washington, DC 20536",
    ),
    (
        "eoir",
        "Executive Office for Immigration Review (immigration courts)",
        "Oficina Ejecutiva de Revisión de Casos de Inmigración (cortes de inmigración)",
        "800-898-7180",
        "https://www.justice.gov/eoir",
        "Executive Office for Immigration Review, 5107 Leesburg Pike, Falls Church, VA 22041",
    ),
    (
        "dol",
        "U.S. Department of Labor, Office of Foreign Labor Certification",
        "Departamento del Trabajo de EE. UU., Oficina de Certificación Laboral Extranjera",
        "866-487-2365",
        "https://www.dol.gov/agencies/eta/foreign-labor",
        "U.S. Department of Labor, 200 Constitution Avenue NW, Washington, DC 20210",
    ),
    (
        "ssa",
        "Social Security Administration",
        "Administración del Seguro Social",
        "800-772-1213",
        "https://www.ssa.gov",
        "Social Security Administration, 6401 Security Boulevard, Baltimore, MD 21235",
    ),
    (
        "hhs-orr",
        "U.S. Department of Health and Human Services, Office of Refugee Resettlement",
        "Departamento de Salud y Servicios Humanos de EE. UU., Oficina de Reasentamiento "
        "de Refugiados",
        "202-401-9246",
        "https://www.acf.hhs.gov/orr",
        "Office of Refugee Resettlement, 330 C Street SW, Washington, DC 20201",
    ),
]

# topic code, English, Spanish, agency code
TOPICS = [
    ("visas", "Visas", "Visas", "state"),
    ("consular_processing", "Consular processing", "Trámite consular", "state"),
    ("nvc", "National Visa Center (NVC)", "Centro Nacional de Visas (NVC)", "state"),
    ("i94", "Form I-94 arrival/departure record", "Registro de entrada/salida I-94", "cbp"),
    ("admission", "Admission at a port of entry", "Admisión en un puerto de entrada", "cbp"),
    ("detention", "Detention", "Detención", "ice"),
    ("removal", "Removal (deportation)", "Expulsión (deportación)", "ice"),
    ("sevp_sevis", "SEVP and SEVIS (students)", "SEVP y SEVIS (estudiantes)", "ice"),
    ("immigration_court", "Immigration court", "Corte de inmigración", "eoir"),
    (
        "bia",
        "Board of Immigration Appeals (BIA)",
        "Junta de Apelaciones de Inmigración (BIA)",
        "eoir",
    ),
    ("labor_certification", "Labor certification (PERM)", "Certificación laboral (PERM)", "dol"),
    ("prevailing_wage", "Prevailing wage", "Salario prevaleciente", "dol"),
    (
        "lca",
        "Labor condition application (LCA)",
        "Solicitud de condiciones laborales (LCA)",
        "dol",
    ),
    (
        "social_security_number",
        "Social Security numbers",
        "Números de Seguro Social",
        "ssa",
    ),
    (
        "refugee_resettlement_benefits",
        "Refugee resettlement benefits",
        "Beneficios de reasentamiento de refugiados",
        "hhs-orr",
    ),
]


def _tri(value: bool | None) -> str:
    return TriState.ANY if value is None else (TriState.YES if value else TriState.NO)


def load_default_rules() -> int:
    """Create the missing default rules, country offices, ZIP overrides, agencies and topics;
    returns the number of rows created. Rows whose office is not seeded are skipped; rows an
    administrator edited are left as they are."""
    offices = {o.code: o for o in Office.objects.all()}
    created = 0
    for spec in DEFAULT_RULES:
        if spec.office_code and spec.office_code not in offices:
            continue
        _rule, was_created = RoutingRule.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "position": spec.position,
                "receipt_prefixes": ",".join(spec.receipt_prefixes),
                "request_types": ",".join(spec.request_types),
                "is_protected": _tri(spec.is_protected),
                "has_case_record": _tri(spec.has_case_record),
                "has_receipt_number": _tri(spec.has_receipt_number),
                "has_zip_code": _tri(spec.has_zip_code),
                "requester_in_us": _tri(spec.requester_in_us),
                "zip_is_military_mail": _tri(spec.zip_is_military_mail),
                "action": spec.action,
                "office": offices.get(spec.office_code),
                "explanation": spec.explanation,
                "explanation_es": spec.explanation_es,
            },
        )
        created += was_created
    for country, code in DEFAULT_COUNTRY_OFFICES.items():
        if code in offices:
            created += CountryOffice.objects.get_or_create(
                country=country, defaults={"office": offices[code]}
            )[1]
    for prefix, (code, area) in DEFAULT_ZIP_OVERRIDES.items():
        if code in offices:
            created += ZipOfficeOverride.objects.get_or_create(
                zip_prefix=prefix,
                defaults={"office": offices[code], "note": f"{area} ({offices[code].name})"},
            )[1]
    return created + _load_agencies()


def _load_agencies() -> int:
    created = 0
    agencies = {}
    for code, en, es, phone, website, mail in AGENCIES:
        agencies[code], was_created = OtherAgency.objects.get_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_es": es,
                "phone": phone,
                "website": website,
                "mailing_address": mail,
            },
        )
        created += was_created
    for order, (code, en, es, agency) in enumerate(TOPICS):
        created += RedirectTopic.objects.get_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_es": es,
                "agency": agencies[agency],
                "sort_order": (order + 1) * 10,
            },
        )[1]
    return created
