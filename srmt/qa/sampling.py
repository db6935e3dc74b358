"""The stratified random sample, as a pure function of its frame and seed.

A stratum is (office, request type). From a stratum of n requests, `stratum_size` draws
min(n, max(minimum, ceil(rate × n))): every stratum with any closed request is represented
by at least `minimum` of them (all of them when it has fewer), and never more than it holds.
The draw is `random.Random` seeded from the text "week:seed:office:type", over the stratum's
request ids in ascending order: the same frame and seed give the same sample on every
machine and every Python version (a str seed is hashed with SHA-512, random's version 2)."""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.core.errors import DomainError

DEFAULT_RATE = Decimal("0.05")
DEFAULT_MINIMUM = 2

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


class InvalidWeek(DomainError):
    code = "invalid_week"


def parse_week(week: str) -> tuple[dt.datetime, dt.datetime]:
    """The local start (Monday 00:00, inclusive) and end (next Monday, exclusive) of an ISO
    week written YYYY-Www."""
    match = _WEEK.match(week)
    if not match:
        raise InvalidWeek(_("Give the week as YYYY-Www, for example 2026-W48."), field="week")
    try:
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise InvalidWeek(_("This year has no such ISO week."), field="week") from None
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min, tzinfo=tz)
    return start, end


def stratum_size(population: int, *, rate: Decimal, minimum: int) -> int:
    """How many requests a stratum of `population` gives: see the module's docstring."""
    if population <= 0:
        return 0
    return min(population, max(minimum, math.ceil(rate * population)))


@dataclass(frozen=True)
class Stratum:
    office: str
    type: str
    population: tuple[int, ...]
    rate: Decimal
    minimum: int


def select(stratum: Stratum, *, week: str, seed: int) -> list[int]:
    """The ids drawn from `stratum`, ascending."""
    ids = sorted(stratum.population)
    size = stratum_size(len(ids), rate=stratum.rate, minimum=stratum.minimum)
    rng = random.Random(f"{week}:{seed}:{stratum.office}:{stratum.type}")  # noqa: S311
    return sorted(rng.sample(ids, size))


def frame_entry(stratum: Stratum, drawn: Sequence[int]) -> dict[str, object]:
    return {
        "office": stratum.office,
        "type": stratum.type,
        "population": sorted(stratum.population),
        "rate": str(stratum.rate),
        "minimum": stratum.minimum,
        "drawn": list(drawn),
    }


def redraw(frame: list[dict[str, object]], *, week: str, seed: int) -> list[list[int]]:
    """Draw again from a stored frame: what `drawn` of each stratum must be."""
    result = []
    for entry in frame:
        population = entry["population"]
        assert isinstance(population, list)
        stratum = Stratum(
            office=str(entry["office"]),
            type=str(entry["type"]),
            population=tuple(int(i) for i in population),
            rate=Decimal(str(entry["rate"])),
            minimum=int(str(entry["minimum"])),
        )
        result.append(select(stratum, week=week, seed=seed))
    return result
