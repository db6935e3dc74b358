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


def audit(publication: Publication, known: Publication | None = None) -> AuditReport:
    """The tightest bounds on every suppressed cell; ``passed`` says if all are wide enough.

    ``known``: a publication whose audit passed (its ``bounds`` set) and that this one
    contains (a filtered release read with the unfiltered one). A linked group of
    suppressed cells whose programs are exactly the same in both (the same cells hidden,
    the same constraints touching them, the same published values in those constraints)
    has the same bounds: they are taken from ``known``, the other groups are solved."""
    policy = publication.policy
    p = policy.protection_level
    published = publication.published_values()
    suppressed = [k for k, v in published.items() if v is None]
    constraints = publication.release.constraints
    attacker = Attacker(published, constraints, suppressed)
    reused = _same_groups(publication, published, attacker, known)
    bounds = tuple(
        CellBounds(k, publication.status[k], reused.get(k) or attacker.interval(k))
        for k in sorted(suppressed)
    )
    too_narrow = tuple(b for b in bounds if b.interval.width < p - TOLERANCE)
    unsuppressed = tuple(
        sorted(k for k, v in published.items() if v is not None and policy.is_primary(v))
    )
    return AuditReport(p, policy.threshold, SOLVER, bounds, too_narrow, unsuppressed)


def _same_groups(
    publication: Publication,
    published: dict[CellKey, int | None],
    attacker: Attacker,
    known: Publication | None,
) -> dict[CellKey, Interval]:
    """The bounds of ``known`` for the suppressed cells whose linked group has exactly the
    same programs in ``publication`` as in ``known``. ``publication``'s constraints must
    start with those of ``known`` (the same objects, as a combined release is built);
    otherwise nothing is reused."""
    if known is None or known.bounds is None:
        return {}
    theirs = known.release.constraints
    mine = publication.release.constraints
    if len(mine) < len(theirs) or any(a is not b for a, b in zip(theirs, mine, strict=False)):
        return {}
    shared = len(theirs)
    known_values = known.published_values()
    reused: dict[CellKey, Interval] = {}
    done: set[CellKey] = set()
    for key in sorted(k for k, v in published.items() if v is None):
        if key in done:
            continue
        group = attacker.group(key)
        done |= group
        if not all(k in known.bounds for k in group):
            continue
        rows = {i for k in group for i in attacker.touching(k)}
        if any(i >= shared for i in rows):  # a constraint ``known`` does not have
            continue
        cells = {c for i in rows for c in attacker.cells_of(i)}
        if all(c in known_values and known_values[c] == published[c] for c in cells):
            reused.update({k: known.bounds[k] for k in group})
    return reused


def require_audit(publication: Publication) -> AuditReport:
    """For the publication step and CI: raise ``AuditFailed`` unless the audit passes."""
    report = audit(publication)
    if not report.passed:
        raise AuditFailed(report)
    return report
