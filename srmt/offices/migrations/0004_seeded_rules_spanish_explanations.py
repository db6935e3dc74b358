"""Spanish explanations for the routing rules `srmt seed` wrote (offices.defaults).

A rule gets the Spanish text only while its Spanish explanation is blank and its English one
is still the seeded text: an explanation an administrator rewrote keeps a blank Spanish one
(Spanish pages show the English) until someone translates it. The texts are copied here, as
they were seeded, so that later edits of offices.defaults do not change this migration.
Reversing it blanks the Spanish explanations it wrote.
"""

from django.db import migrations

PREFIX_EN = "Receipt prefix {prefix} belongs to {office}; no case record."
PREFIX_ES = "El prefijo de recibo {prefix} corresponde a {office}; no hay registro del caso."

# rule code -> (English as seeded, Spanish)
SEEDED = {
    "protected_1367": (
        "The case is protected by 8 U.S.C. 1367; the VAWA/T/U unit ({office}) handles it "
        "whatever else applies.",
        "El caso está protegido por 8 U.S.C. 1367; la unidad VAWA/T/U ({office}) lo atiende, "
        "sean cuales sean los demás datos.",
    ),
    "overseas_referral": (
        "The customer lives outside the U.S. ({country}); the international office {office} "
        "serves them. No service request is opened.",
        "El cliente vive fuera de EE. UU. ({country}); lo atiende la oficina internacional "
        "{office}. No se abre ninguna solicitud de servicio.",
    ),
    "appointment_tier2": (
        "Appointment requests are reviewed by the contact center's Tier 2 ({office}).",
        "Las solicitudes de cita las revisa el Nivel 2 del centro de contacto ({office}).",
    ),
    "expedite_case_office": (
        "Expedite requests are decided by the office holding the case ({case_office}).",
        "Las solicitudes de trámite acelerado las decide la oficina que tiene el caso "
        "({case_office}).",
    ),
    "accommodation_field_office": (
        "Accommodation requests go to the field office for the customer's address: ZIP "
        "{zip_code} ({zip_state}) is served by {office}.",
        "Las solicitudes de acomodo van a la oficina local del domicilio del cliente: el "
        "código postal {zip_code} ({zip_state}) lo atiende {office}.",
    ),
    "accommodation_no_field_office": (
        "Military mail ZIP (APO/FPO/DPO) or ZIP without a known location: ZIP {zip_code} "
        "({zip_state}) has no field office by address; the contact center's Tier 2 ({office}) "
        "serves the customer.",
        "Código postal militar (APO/FPO/DPO) o sin ubicación conocida: el código postal "
        "{zip_code} ({zip_state}) no tiene oficina local por domicilio; lo atiende el Nivel 2 "
        "del centro de contacto ({office}).",
    ),
    "case_office": (
        "The case record places the file at {case_office}.",
        "Según el registro del caso, el expediente está en {case_office}.",
    ),
    "prefix_ioe_no_case": (
        "IOE receipts are held by the office processing the case and no case record names it; "
        "Tier 2 ({office}) triages it.",
        "Los recibos IOE los tiene la oficina que tramita el caso y ningún registro del caso "
        "la indica; el Nivel 2 ({office}) lo clasifica.",
    ),
    **{
        f"prefix_{prefix}": (PREFIX_EN, PREFIX_ES)
        for prefix in ("eac", "wac", "lin", "src", "msc", "ysc")
    },
    "unknown_prefix": (
        "Receipt prefix {prefix} names no service center; Tier 2 triages it.",
        "El prefijo de recibo {prefix} no corresponde a ningún centro de servicio; el Nivel 2 "
        "lo clasifica.",
    ),
    "no_receipt_number": (
        "No receipt number; Tier 2 triages it.",
        "Sin número de recibo; el Nivel 2 lo clasifica.",
    ),
}


def fill(apps, schema_editor):
    RoutingRule = apps.get_model("offices", "RoutingRule")
    for code, (english, spanish) in SEEDED.items():
        RoutingRule.objects.filter(code=code, explanation=english, explanation_es="").update(
            explanation_es=spanish
        )


def blank(apps, schema_editor):
    RoutingRule = apps.get_model("offices", "RoutingRule")
    for code, (_english, spanish) in SEEDED.items():
        RoutingRule.objects.filter(code=code, explanation_es=spanish).update(explanation_es="")


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0003_routing_rule_explanation_es"),
    ]

    operations = [
        migrations.RunPython(fill, blank),
    ]
