"""Migration accounts 0003 drops the plaintext token table and names its users once."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from srmt.audit.models import AuditEvent
from srmt.testing.factories import make_user

MIGRATION = importlib.import_module("srmt.accounts.migrations.0003_drop_plaintext_tokens")

pytestmark = pytest.mark.django_db


def _legacy_install(*user_ids: int) -> None:
    """What rest_framework.authtoken left in a database: its table, types and migrations."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, "
            "user_id bigint NOT NULL)"
        )
        for number, user_id in enumerate(user_ids):
            cursor.execute(
                "INSERT INTO authtoken_token VALUES (%s, CURRENT_TIMESTAMP, %s)",
                [f"{number:040x}", user_id],
            )
    token_type = ContentType.objects.create(app_label="authtoken", model="token")
    Permission.objects.create(content_type=token_type, codename="view_token", name="x")
    MigrationRecorder(connection).record_applied("authtoken", "0001_initial")


def _run() -> None:
    MIGRATION.drop_plaintext_tokens_on(connection, AuditEvent, ContentType)


def test_the_table_goes_and_the_users_who_held_keys_are_recorded():
    alice, bob = make_user("alice"), make_user("bob")
    _legacy_install(bob.pk, alice.pk)

    _run()

    assert "authtoken_token" not in connection.introspection.table_names()
    event = AuditEvent.objects.get(action="api_token.plaintext_dropped")
    assert event.changes == {"tokens": 2, "users": sorted([alice.pk, bob.pk])}
    assert not ContentType.objects.filter(app_label="authtoken").exists()
    assert not Permission.objects.filter(codename="view_token").exists()
    assert not MigrationRecorder(connection).migration_qs.filter(app="authtoken").exists()


def test_an_empty_table_goes_without_an_event():
    _legacy_install()

    _run()

    assert "authtoken_token" not in connection.introspection.table_names()
    assert not AuditEvent.objects.filter(action__startswith="api_token.").exists()


def test_a_database_that_never_had_the_table_is_left_alone():
    _run()

    assert not AuditEvent.objects.filter(action__startswith="api_token.").exists()
