"""Military mail and ZIPs without a known location get separate routing reasons (ADR 23).

Installations seeded before this had one rule for both, `accommodation_no_field_office`. This
migration splits it, as `srmt seed` now seeds the rules (offices.defaults):

- `accommodation_no_field_office` gets its new explanations, its new name, and the criterion
  "ZIP is military mail: no", only while its English explanation is still the seeded text
  (as 0004 decided whether a rule was edited). Its Spanish one is replaced only while it is
  the seeded text or blank: an administrator's translation stays.
- `accommodation_military_mail` is created, right before it, where that rule exists and no
  rule has its code yet (an installation without rule rows routes on the defaults, and a
  rule an administrator deleted is not split).

The texts are copied here, as seeded, so that later edits of offices.defaults do not change
this migration. Reversing it puts back the old texts where the new ones are unedited, and
deletes the military mail rule while its texts are still the seeded ones.
"""

from django.db import migrations

CODE = "accommodation_no_field_office"
MILITARY_CODE = "accommodation_military_mail"
TIER2_OFFICE = "CC-T2"

OLD_NAME = "Accommodation request, ZIP without a field office"
OLD_EN = (
    "Military mail ZIP (APO/FPO/DPO) or ZIP without a known location: ZIP {zip_code} "
    "({zip_state}) has no field office by address; the contact center's Tier 2 ({office}) "
    "serves the customer."
)
OLD_ES = (
    "Código postal militar (APO/FPO/DPO) o sin ubicación conocida: el código postal "
    "{zip_code} ({zip_state}) no tiene oficina local por domicilio; lo atiende el Nivel 2 "
    "del centro de contacto ({office})."
)
NEW_NAME = "Accommodation request, ZIP without a known location"
NEW_EN = (
    "ZIP {zip_code} ({zip_state}) has no known location and its state no single field office: "
    "no field office can be chosen by address; the contact center's Tier 2 ({office}) serves "
    "the customer."
)
NEW_ES = (
    "El código postal {zip_code} ({zip_state}) no tiene ubicación conocida y su estado no tiene "
    "una única oficina local: no se puede elegir oficina por domicilio; lo atiende el Nivel 2 "
    "del centro de contacto ({office})."
)
MILITARY = {
    "name": "Accommodation request, military mail ZIP",
    "position": 52,
    "request_types": "accommodation_request",
    "has_zip_code": "yes",
    "zip_is_military_mail": "yes",
    "action": "fixed_office",
    "explanation": (
        "Military mail ZIP (APO/FPO/DPO): no field office serves ZIP {zip_code} ({zip_state}) "
        "by address; the contact center's Tier 2 ({office}) serves the customer."
    ),
    "explanation_es": (
        "Código postal de correo militar (APO/FPO/DPO): ninguna oficina local atiende el "
        "código postal {zip_code} ({zip_state}) por domicilio; lo atiende el Nivel 2 del "
        "centro de contacto ({office})."
    ),
}


def split(apps, schema_editor):
    RoutingRule = apps.get_model("offices", "RoutingRule")
    Office = apps.get_model("offices", "Office")
    seeded = RoutingRule.objects.filter(code=CODE, explanation=OLD_EN)
    seeded.filter(explanation_es__in=[OLD_ES, ""]).update(explanation_es=NEW_ES)
    seeded.filter(name=OLD_NAME).update(name=NEW_NAME)
    seeded.update(explanation=NEW_EN, zip_is_military_mail="no")
    tier2 = Office.objects.filter(code=TIER2_OFFICE).first()
    exists = RoutingRule.objects.filter(code=MILITARY_CODE).exists()
    if tier2 is not None and not exists and RoutingRule.objects.filter(code=CODE).exists():
        RoutingRule.objects.create(code=MILITARY_CODE, office=tier2, **MILITARY)


def unsplit(apps, schema_editor):
    RoutingRule = apps.get_model("offices", "RoutingRule")
    RoutingRule.objects.filter(
        code=MILITARY_CODE,
        explanation=MILITARY["explanation"],
        explanation_es=MILITARY["explanation_es"],
    ).delete()
    seeded = RoutingRule.objects.filter(code=CODE, explanation=NEW_EN)
    seeded.filter(explanation_es=NEW_ES).update(explanation_es=OLD_ES)
    seeded.filter(name=NEW_NAME).update(name=OLD_NAME)
    seeded.update(explanation=OLD_EN, zip_is_military_mail="any")


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0006_routing_rule_zip_is_military_mail"),
    ]

    operations = [
        migrations.RunPython(split, unsplit),
    ]
