"""Mark the outbox rows written before `Notification.is_confidential` existed: messages about
requests on protected cases, and staff messages that name such a request or a confidential
unit (escalation digests, transfer flags). 8 U.S.C. 1367, ADR 16."""

from django.db import migrations


def mark_confidential_messages(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    ServiceRequest = apps.get_model("service_requests", "ServiceRequest")
    Office = apps.get_model("offices", "Office")
    references = set(
        ServiceRequest.objects.filter(case__is_protected=True).values_list("reference", flat=True)
    )
    units = list(Office.objects.filter(is_confidential=True).values_list("code", flat=True))
    Notification.objects.filter(related_reference__in=references).update(is_confidential=True)
    about_no_request = Notification.objects.filter(related_reference="", is_confidential=False)
    marked = [
        pk
        for pk, subject, body in about_no_request.values_list("pk", "subject", "body").iterator()
        if any(name in subject or name in body for name in (*references, *units))
    ]
    Notification.objects.filter(pk__in=marked).update(is_confidential=True)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_notification_confidential"),
        ("offices", "0005_office_confidential_unit"),
        ("service_requests", "0005_bilingual_system_reasons"),
    ]

    operations = [
        migrations.RunPython(mark_confidential_messages, migrations.RunPython.noop),
    ]
