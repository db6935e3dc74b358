"""Drop rest_framework.authtoken's table: its keys were stored, and shown, in clear.

Decision (docs/adr/0019-api-tokens.md): those keys stop working. Every administrator could
read them in the admin, so they cannot be trusted any more; converting them to hashes would
keep leaked credentials alive. The users who held one are named in one audit event, so an
administrator knows who needs a new token (`srmt token USERNAME` or the staff page).
Also removes the app's content types and permissions, and its migration records, so that
nothing refers to the dropped table. Irreversible: the keys are gone.
"""

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder

TABLE = "authtoken_token"


def drop_plaintext_tokens_on(connection, AuditEvent, ContentType):
    if TABLE in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT user_id FROM {TABLE} ORDER BY user_id")
            user_ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(f"DROP TABLE {TABLE}")
        if user_ids:
            AuditEvent.objects.create(
                action="api_token.plaintext_dropped",
                object_type="api_token",
                object_id="*",
                changes={"tokens": len(user_ids), "users": user_ids},
            )
    ContentType.objects.filter(app_label="authtoken").delete()  # and their permissions
    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()


def forwards(apps, schema_editor):
    drop_plaintext_tokens_on(
        schema_editor.connection,
        apps.get_model("audit", "AuditEvent"),
        apps.get_model("contenttypes", "ContentType"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_tokens"),
        ("audit", "0003_api_token_id"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
