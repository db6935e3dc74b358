"""Small-cell suppression for public reports and open data (issue 12 §3, ADR 47).

Build a ``Release`` (cells and additive constraints), ``suppress`` it (``D`` and ``H``
markers), and ``audit`` the result by linear programming before it is published.
"""

from .attacker import SOLVER, Interval
from .audit import AuditFailed, AuditReport, CellBounds, audit, require_audit
from .complementary import Publication, suppress
from .model import CellKey, Constraint, Release, cell_key, describe
from .rules import (
    DEFAULT_THRESHOLD,
    MIN_REQUESTS_FOR_STATISTIC,
    Policy,
    Statistic,
    Status,
    suppress_statistic,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "MIN_REQUESTS_FOR_STATISTIC",
    "SOLVER",
    "AuditFailed",
    "AuditReport",
    "CellBounds",
    "CellKey",
    "Constraint",
    "Interval",
    "Policy",
    "Publication",
    "Release",
    "Statistic",
    "Status",
    "audit",
    "cell_key",
    "describe",
    "require_audit",
    "suppress",
    "suppress_statistic",
]
