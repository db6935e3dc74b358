"""The default routing rules as plain data (domain.md 1, 8).

offices.routing.route() uses DEFAULT_RULES when it is given no rules; offices.defaults
writes them as rows (load_default_rules) that administrators may then edit.
"""

from __future__ import annotations

from srmt.offices.choices import RoutingAction
from srmt.offices.constants import PREFIX_OFFICES, TIER2_OFFICE
from srmt.offices.rule_spec import RuleSpec

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
