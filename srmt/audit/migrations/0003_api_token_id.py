"""The API token that acted, on each audit event.

A nullable column without a default is a plain ALTER TABLE ADD COLUMN on both databases: on
SQLite it does not rebuild the table, so the append-only triggers of 0002 stay in place
(srmt/audit/tests/test_audit.py checks that they refuse UPDATE of this column too).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_trigger'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='api_token_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
    ]
