"""Per-process snapshots of small configuration tables (request types, offices, policies).

Intake reads them on every request; keeping a snapshot saves a query each. A snapshot is
dropped at once in the process that changes the table (each app connects a post_save and
post_delete receiver for its configuration models: cache plumbing, the one use of signals
we allow) and is reloaded elsewhere after SRMT_CONFIG_SNAPSHOT_SECONDS.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings

T = TypeVar("T")

_lock = threading.Lock()
_snapshots: dict[str, tuple[float, Any]] = {}


def snapshot(name: str, loader: Callable[[], T]) -> T:
    """The cached value of `name`, loading it when missing or older than the TTL."""
    now = time.monotonic()
    cached = _snapshots.get(name)
    if cached is not None and now - cached[0] < settings.SRMT_CONFIG_SNAPSHOT_SECONDS:
        return cached[1]  # type: ignore[no-any-return]
    value = loader()
    with _lock:
        _snapshots[name] = (now, value)
    return value


def invalidate(*names: str) -> None:
    """Drop the named snapshots (all of them when no name is given)."""
    with _lock:
        if not names:
            _snapshots.clear()
        for name in names:
            _snapshots.pop(name, None)


def invalidate_on_change(model: type, name: str) -> None:
    """Drop snapshot `name` whenever a row of `model` is saved or deleted in this process."""
    from django.db.models.signals import post_delete, post_save

    def receiver(**_kwargs: Any) -> None:
        invalidate(name)

    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"snapshot:{name}")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"snapshot:{name}:d")
