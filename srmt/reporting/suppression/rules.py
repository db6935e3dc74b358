"""The primary rule and the markers (ADR 47)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

DEFAULT_THRESHOLD = 10
"""Counts from 1 to this are suppressed (0 is published)."""
MIN_REQUESTS_FOR_STATISTIC = 11
"""A duration or a rate needs at least this many requests behind it."""


class Status(enum.Enum):
    PUBLISHED = ""
    PRIMARY = "D"
    """Disclosure standards not met: a count from 1 to the threshold."""
    COMPLEMENTARY = "H"
    """Withheld because a ``D`` value could be deduced from it."""

    @property
    def marker(self) -> str:
        return self.value


@dataclass(frozen=True)
class Policy:
    """``threshold``: counts 1..threshold are suppressed. ``protection``: the narrowest
    interval an attacker may derive for a suppressed cell (default: the threshold, so a
    suppressed count can never be placed inside a range narrower than the rule itself)."""

    threshold: int = DEFAULT_THRESHOLD
    protection: float | None = None

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError("threshold must be at least 1")
        if self.protection is not None and self.protection <= 0:
            raise ValueError("protection must be positive")

    @property
    def protection_level(self) -> float:
        return float(self.threshold) if self.protection is None else self.protection

    def is_primary(self, value: int) -> bool:
        return 1 <= value <= self.threshold


@dataclass(frozen=True)
class Statistic:
    """A duration or rate as published: the value, or the ``D`` marker."""

    value: float | None
    marker: str

    def display(self, fmt: str = "{:g}") -> str:
        return self.marker if self.value is None else fmt.format(self.value)


def suppress_statistic(
    value: float | None, requests: int, minimum: int = MIN_REQUESTS_FOR_STATISTIC
) -> Statistic:
    """A median, percentile or rate computed from fewer than ``minimum`` requests is
    suppressed (``D``); no requests at all is no figure (a dash), not a suppression."""
    if requests <= 0 or value is None:
        return Statistic(None, "–")
    if requests < minimum:
        return Statistic(None, Status.PRIMARY.marker)
    return Statistic(value, "")
