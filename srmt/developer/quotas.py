"""Per-client limits of the Case Status API, counted in the default cache (ADR 0041):
`SRMT_CASE_STATUS_API_PER_SECOND` calls in any one second and
`SRMT_CASE_STATUS_API_PER_DAY` calls a UTC day. Every authenticated call counts, whatever
its answer, as the agency's gateway counts them."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Refusal:
    limit: Literal["rate", "quota"]
    retry_after: int  # seconds


def _count(key: str, timeout: int) -> int:
    if cache.add(key, 1, timeout):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1


def clock() -> float:
    """Now, in seconds since the epoch (tests replace it)."""
    return time.time()


def take(client_id: str) -> Refusal | None:
    """Count one call of `client_id`; a Refusal when it is over a limit (a call refused by
    the rate a second is not counted towards the day)."""
    moment = clock()
    second = int(moment)
    if (
        _count(f"casestatus:rate:{client_id}:{second}", 2)
        > settings.SRMT_CASE_STATUS_API_PER_SECOND
    ):
        return Refusal("rate", 1)
    day = dt.datetime.fromtimestamp(moment, tz=dt.UTC)
    key = f"casestatus:quota:{client_id}:{day:%Y%m%d}"
    midnight = (day + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    left = max(1, int((midnight - day).total_seconds()))
    if _count(key, left + 60) > settings.SRMT_CASE_STATUS_API_PER_DAY:
        return Refusal("quota", left)
    return None
