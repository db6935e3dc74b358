"""Deployment checks for the API (`srmt check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def throttles_share_their_counts(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """API throttles count in the default cache; per-process memory multiplies every rate by
    the number of web processes (and forgets it on each restart)."""
    if settings.CACHES["default"]["BACKEND"] not in LOCAL_CACHES:
        return []
    return [
        Warning(
            "API throttles count calls in each web process's own memory, so every process "
            "allows the full rate.",
            hint="Set SRMT_CACHE_BACKEND=redis (with REDIS_URL) so that all processes share "
            "the counts.",
            id="srmt.W001",
        )
    ]
