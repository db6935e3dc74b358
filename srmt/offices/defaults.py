"""The default routing rules, international offices, ZIP overrides and redirect catalogue
(domain.md 1, 8).

DEFAULT_RULES is the rule set as plain data (offices.default_rules; offices.routing.route
uses it when it is given no rules); load_default_rules() writes it, with the country
offices, the ZIP overrides, the other agencies and their topics, as rows that
administrators may then edit. Loading is
idempotent: rows are matched on their codes (ZIP prefixes, countries) and never updated.
"""

from __future__ import annotations

from srmt.offices.choices import TriState
from srmt.offices.default_rules import DEFAULT_RULES
from srmt.offices.models import (
    CountryOffice,
    Office,
    OtherAgency,
    RedirectTopic,
    RoutingRule,
    ZipOfficeOverride,
)

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
