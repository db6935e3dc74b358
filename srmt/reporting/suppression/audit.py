"""The audit every publication passes before it leaves (ADR 47).

From what is published only (the published values, the markers, non-negativity and every
additive constraint of the release), compute by linear programming the tightest interval an
attacker can derive for each suppressed cell; fail if any is narrower than the protection
level. Also fail if a count the rule suppresses is published.
"""

from __future__ import annotations

from dataclasses import dataclass

from .attacker import SOLVER, TOLERANCE, Attacker, Interval
from .complementary import Publication
from .model import CellKey, describe
from .rules import Status


@dataclass(frozen=True)
class CellBounds:
    key: CellKey
    status: Status
    interval: Interval

    @property
    def name(self) -> str:
        return describe(self.key)


@dataclass(frozen=True)
class AuditReport:
    protection: float
    threshold: int
    solver: str
    bounds: tuple[CellBounds, ...]
    too_narrow: tuple[CellBounds, ...]
    unsuppressed: tuple[CellKey, ...]
    """Published cells whose count the rule suppresses."""

    @property
    def passed(self) -> bool:
        return not self.too_narrow and not self.unsuppressed

    def summary(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        lines = [
            f"{verdict}: {len(self.bounds)} suppressed cells, protection {self.protection:g}, "
            f"{self.solver}"
        ]
        lines += [
            f"  too narrow: {b.name} [{b.interval.lower:g}, {b.interval.upper:g}]"
            for b in self.too_narrow
        ]
        lines += [f"  published small count: {describe(k)}" for k in self.unsuppressed]
        return "\n".join(lines)


class AuditFailed(Exception):
    def __init__(self, report: AuditReport) -> None:
        super().__init__(report.summary())
        self.report = report


def audit(publication: Publication) -> AuditReport:
    """The tightest bounds on every suppressed cell; ``passed`` says if all are wide enough."""
    policy = publication.policy
    p = policy.protection_level
    published = publication.published_values()
    suppressed = [k for k, v in published.items() if v is None]
    attacker = Attacker(published, publication.release.constraints, suppressed)
    bounds = tuple(
        CellBounds(k, publication.status[k], attacker.interval(k)) for k in sorted(suppressed)
    )
    too_narrow = tuple(b for b in bounds if b.interval.width < p - TOLERANCE)
    unsuppressed = tuple(
        sorted(k for k, v in published.items() if v is not None and policy.is_primary(v))
    )
    return AuditReport(p, policy.threshold, SOLVER, bounds, too_narrow, unsuppressed)


def require_audit(publication: Publication) -> AuditReport:
    """For the publication step and CI: raise ``AuditFailed`` unless the audit passes."""
    report = audit(publication)
    if not report.passed:
        raise AuditFailed(report)
    return report
