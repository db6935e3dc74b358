"""Record when a worker claims a notification, so one stuck in "sending" can be taken back.

Rows already sending when this runs get the migration's time as their claim time: their real
claim time is unknown, and counting from now never takes back one a live worker is sending.
"""

from django.db import migrations, models
from django.utils import timezone


def claim_time_for_rows_sending(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.filter(status="sending", claimed_at__isnull=True).update(
        claimed_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(claim_time_for_rows_sending, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "sending"), _negated=True),
                    ("claimed_at__isnull", False),
                    _connector="OR",
                ),
                name="notification_sending_claimed",
            ),
        ),
    ]
