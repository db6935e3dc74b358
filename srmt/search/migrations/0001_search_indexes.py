"""Indexes for the search box (docs/adr/0029-search.md).

On every database: B-tree indexes on a person's email address and phone number (exact
matches). On PostgreSQL only: the pg_trgm extension, trigram GIN indexes on people's names
and email addresses, and a full-text GIN index on request descriptions. The expressions
match srmt.search.text exactly; SQLite has no such indexes and uses the fallback there.
"""

from django.db import migrations

EVERYWHERE = [
    ("person_email_idx", "cases_person", "(email)"),
    ("person_phone_idx", "cases_person", "(phone)"),
]
POSTGRESQL_ONLY = [
    ("person_name_trgm", "cases_person", "USING gin (name gin_trgm_ops)"),
    ("person_email_trgm", "cases_person", "USING gin (email gin_trgm_ops)"),
    (
        "sr_description_fts",
        "service_requests_servicerequest",
        "USING gin (to_tsvector('simple'::regconfig, description))",
    ),
]


def _indexes(schema_editor):
    indexes = list(EVERYWHERE)
    if schema_editor.connection.vendor == "postgresql":
        indexes += POSTGRESQL_ONLY
    return indexes


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, definition in _indexes(schema_editor):
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition}")


def drop(apps, schema_editor):
    for name, _table, _definition in _indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_customer_links_and_representations"),
        ("service_requests", "0008_flag_reason_code"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
