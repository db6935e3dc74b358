"""A release: cells of counts and the additive constraints that link them (ADR 47).

A cell is named by the categories it counts, e.g. ``{"office": "LAX", "form": "I-130"}``;
a dimension left out is summed over. The same cell therefore has one key in every table of
a release: the office total of the office x form table *is* the cell of the by-office
table, and a month is the total of its weeks. Tables are linked by sharing cells, and every
total is tied to its parts by a ``Constraint``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

CellKey = tuple[tuple[str, str], ...]
"""The categories a cell counts, sorted by dimension: ``(("form", "I-130"), ("office", "LAX"))``.
The empty tuple is the grand total."""


def cell_key(categories: Mapping[str, str] | Iterable[tuple[str, str]]) -> CellKey:
    """The canonical key of a cell (dimensions sorted)."""
    items = categories.items() if isinstance(categories, Mapping) else categories
    return tuple(sorted((str(d), str(v)) for d, v in items))


def describe(key: CellKey) -> str:
    """A readable name for a cell: ``form=I-130, office=LAX`` or ``total``."""
    return ", ".join(f"{d}={v}" for d, v in key) or "total"


@dataclass(frozen=True)
class Constraint:
    """``total`` = the sum of ``parts``: an equation anyone can check in the release."""

    total: CellKey
    parts: tuple[CellKey, ...]


@dataclass
class Release:
    """The cells of one publication (values are true counts, before suppression) and the
    additive constraints between them. Build it with ``add_cube`` and ``add_constraint``."""

    values: dict[CellKey, int] = field(default_factory=dict)
    constraints: list[Constraint] = field(default_factory=list)
    _seen: set[Constraint] = field(default_factory=set, repr=False)

    def set_value(self, key: CellKey, value: int) -> None:
        if value < 0:
            raise ValueError(f"negative count for {describe(key)}")
        old = self.values.get(key)
        if old is not None and old != value:
            raise ValueError(f"two values for {describe(key)}: {old} and {value}")
        self.values[key] = value

    def add_constraint(self, total: CellKey, parts: Sequence[CellKey]) -> None:
        """Declare ``total = sum(parts)``; every cell must have a value, and the equation
        must hold on the true values."""
        constraint = Constraint(total, tuple(sorted(parts)))
        if constraint in self._seen:
            return
        missing = [k for k in (total, *parts) if k not in self.values]
        if missing:
            raise ValueError(f"no value for {describe(missing[0])}")
        if self.values[total] != sum(self.values[p] for p in parts):
            raise ValueError(f"{describe(total)} is not the sum of its parts")
        self._seen.add(constraint)
        self.constraints.append(constraint)

    def add_cube(
        self,
        dimensions: Sequence[str],
        counts: Mapping[tuple[str, ...], int],
        categories: Mapping[str, Sequence[str]] | None = None,
        fixed: Mapping[str, str] | None = None,
    ) -> None:
        """Add a table of counts over ``dimensions`` with every margin: each row, column,
        layer and grand total, and the constraints tying each total to its parts.

        ``counts`` maps a tuple of categories (in the order of ``dimensions``) to a count;
        a combination that is missing counts 0 (when ``categories`` lists it). ``fixed``
        adds categories common to every cell (e.g. ``{"month": "2026-11"}``)."""
        cats: dict[str, list[str]] = {d: [] for d in dimensions}
        if categories is not None:
            for d in dimensions:
                cats[d] = list(categories[d])
        for combo in counts:
            for d, v in zip(dimensions, combo, strict=True):
                if v not in cats[d]:
                    cats[d].append(v)
        base = dict(fixed or {})
        for combo in itertools.product(*(cats[d] for d in dimensions)):
            spec = {**base, **dict(zip(dimensions, combo, strict=True))}
            self.set_value(cell_key(spec), int(counts.get(tuple(combo), 0)))
        self._add_margins(dimensions, cats, base)

    def _add_margins(
        self, dimensions: Sequence[str], cats: Mapping[str, Sequence[str]], base: dict[str, str]
    ) -> None:
        """Each total, from the cells one level down (totals over more dimensions last)."""
        n = len(dimensions)
        for r in range(n - 1, -1, -1):
            for kept in itertools.combinations(range(n), r):
                summed = [i for i in range(n) if i not in kept]
                for combo in itertools.product(*(cats[dimensions[i]] for i in kept)):
                    spec = dict(base)
                    spec.update({dimensions[i]: v for i, v in zip(kept, combo, strict=True)})
                    total = cell_key(spec)
                    for s in summed:
                        parts = [cell_key({**spec, dimensions[s]: v}) for v in cats[dimensions[s]]]
                        value = sum(self.values[p] for p in parts)
                        self.set_value(total, value)
                        self.add_constraint(total, parts)
