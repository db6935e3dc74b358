"""Database helpers for tests that really commit (transactional and live-server tests)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_TRIGGERS = importlib.import_module("srmt.audit.migrations.0002_append_only_trigger")


@contextmanager
def unlocked_audit_log(*, relock: bool = True) -> Iterator[None]:
    """Lift the audit table's append-only triggers (migration audit 0002) for a while.

    Only for the flush that ends a transactional test: Django empties every table then, and
    the triggers rightly refuse that. They are re-installed straight after, even on error.
    """
    with connection.schema_editor() as editor:
        _TRIGGERS.backwards(None, editor)
    try:
        yield
    finally:
        if relock:
            # Drop-if-exists first: re-locking must not depend on what the flush left.
            with connection.schema_editor() as editor:
                _TRIGGERS.backwards(None, editor)
                _TRIGGERS.forwards(None, editor)


def is_transactional(item: object) -> bool:
    """True for tests whose data is committed and flushed afterwards."""
    fixtures = getattr(item, "fixturenames", ())
    if "live_server" in fixtures or "transactional_db" in fixtures:
        return True
    marker = item.get_closest_marker("django_db")  # type: ignore[attr-defined]
    return bool(marker and marker.kwargs.get("transaction"))
