"""The review measures on a hand-computed fixture (docs/metrics.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from srmt.reviews import metrics

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def _row(verdict: str, rule: str, office: str, minutes: int) -> tuple[str, str, str, Any, Any]:
    return (verdict, rule, office, T0, T0 + dt.timedelta(minutes=minutes))


def test_turnaround_and_shares_by_hand() -> None:
    rows = [
        _row("approved", "complaint", "ESC", 10),
        _row("approved", "complaint", "ESC", 30),
        _row("approved_with_edits", "complaint", "NSC", 60),
        _row("returned", "probation", "ESC", 120),
        _row("approved", "probation", "NSC", 240),
    ]
    m = metrics.measure(rows)
    # turnarounds sorted: 600, 1800, 3600, 7200, 14400 s; median rank ceil(2.5) = 3,
    # p80 rank ceil(4.0) = 4
    assert (m.decisions, m.turnaround_median_seconds, m.turnaround_p80_seconds) == (
        5,
        3600,
        7200,
    )
    assert (m.overall.approved, m.overall.approved_with_edits, m.overall.returned) == (3, 1, 1)
    assert m.overall.approved_share == pytest.approx(0.6)
    complaint = m.by_rule["complaint"]
    assert (complaint.decisions, complaint.approved, complaint.approved_with_edits) == (3, 2, 1)
    assert complaint.edited_share == pytest.approx(1 / 3)
    assert m.by_rule["probation"].returned_share == pytest.approx(0.5)
    assert list(m.by_office) == ["ESC", "NSC"]
    assert (m.by_office["ESC"].approved, m.by_office["ESC"].returned) == (2, 1)


def test_no_decisions() -> None:
    m = metrics.measure([])
    assert (m.decisions, m.turnaround_median_seconds, m.turnaround_p80_seconds) == (0, None, None)
    assert m.overall.approved_share == 0.0


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [([1], 0.5, 1), ([1, 2], 0.5, 1), ([1, 2], 0.8, 2), ([1, 2, 3, 4, 5], 0.8, 4), ([], 0.5, None)],
)
def test_nearest_rank(values: list[int], share: float, expected: int | None) -> None:
    assert metrics.nearest_rank(values, share) == expected


def test_word_diff_marks_removed_then_added_words() -> None:
    from srmt.reviews.diff import Segment, word_diff

    assert word_diff("Send the form by May 1.", "Send Form I-693 by May 1.") == [
        Segment("same", "Send "),
        Segment("removed", "the"),
        Segment("added", "Form"),
        Segment("same", " "),
        Segment("removed", "form"),
        Segment("added", "I-693"),
        Segment("same", " by May 1."),
    ]
    assert word_diff("Same.", "Same.") == [Segment("same", "Same.")]
    assert word_diff("", "New.") == [Segment("added", "New.")]
