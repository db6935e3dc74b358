"""Secrets masked after delivery (ADR 43, Revised), and the access codes in Account Acceptance
Notices already sent masked: the outbox stops holding codes that have left."""

import re

from django.db import migrations, models

# An online access code as the notice writes it (srmt.access_codes.codes): three groups of
# four characters of Crockford's base 32 without I, L, O, U.
_CODE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b")


def mask_sent_codes(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    sent = Notification.objects.filter(kind="account_acceptance_notice", status="sent")
    for pk, body in sent.values_list("pk", "body").iterator():
        kept = _CODE.sub("XXXX-XXXX-XXXX", body)
        if kept != body:
            Notification.objects.filter(pk=pk).update(body=kept)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0013_detection_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="secrets",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(mask_sent_codes, migrations.RunPython.noop),
    ]
