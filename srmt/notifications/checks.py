"""System checks for notifications (`srmt check`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.utils.module_loading import import_string


@register()
def release_policy_is_usable(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """SRMT_RELEASE_POLICY must name a class with decide(): else no customer message could
    be written (ADR 26)."""
    path = settings.SRMT_RELEASE_POLICY
    try:
        policy = import_string(path)
    except ImportError as exc:
        return [
            Error(
                f"SRMT_RELEASE_POLICY {path!r} cannot be imported: {exc}",
                hint="Use srmt.notifications.delivery.ReleaseNow or .HoldAll.",
                id="srmt.E101",
            )
        ]
    if not callable(getattr(policy, "decide", None)):
        return [
            Error(
                f"SRMT_RELEASE_POLICY {path!r} has no decide() method.",
                hint="Use srmt.notifications.delivery.ReleaseNow or .HoldAll.",
                id="srmt.E102",
            )
        ]
    return []
