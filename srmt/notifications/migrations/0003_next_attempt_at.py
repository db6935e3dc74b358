"""When each waiting notification is next due, so the sweep can wake the ones no task delivers.

Existing rows: a queued one is due since it was created (one whose task was lost is then
delivered by the next sweep); a failed one with attempts left is due its back-off after its
last claim (or its creation, for rows failed before claims were recorded). Rows in any other
state get the migration's time, which nothing reads while they are not waiting.
"""

import datetime as dt

import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import Coalesce

# services.MAX_ATTEMPTS and services.RETRY_DELAYS as they are when this migration is written.
MAX_ATTEMPTS = 5
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=25),
    dt.timedelta(minutes=125),
)


def backfill_next_attempt(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.filter(status="queued").update(next_attempt_at=models.F("created_at"))
    last_try = Coalesce(models.F("claimed_at"), models.F("created_at"))
    for attempts in range(1, MAX_ATTEMPTS):
        Notification.objects.filter(status="failed", attempts=attempts).update(
            next_attempt_at=last_try + RETRY_DELAYS[attempts - 1]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_claimed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="next_attempt_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunPython(backfill_next_attempt, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("status__in", ("queued", "failed"))),
                fields=["next_attempt_at"],
                name="notification_due_idx",
            ),
        ),
    ]
