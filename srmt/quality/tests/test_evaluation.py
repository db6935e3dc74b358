"""The whole labelled evaluation set: the form-letter warning's precision and recall, per
language, at the configured threshold (docs/adr/0034)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from srmt.quality.evaluation import HANDWRITTEN, describe, evaluate, load


def test_the_set_is_as_the_issue_asks() -> None:
    items = load()
    assert len(items) >= 300
    assert Counter(item.language for item in items) == {"en": 160, "es": 160}
    for language in ("en", "es"):
        mine = [item for item in items if item.language == language]
        assert sum(item.form_letter for item in mine) == len(mine) // 2
    assert sum(item.hard for item in items) / len(items) >= 0.4
    assert len({item.body for item in items}) == len(items)


@pytest.mark.parametrize("path", [None, HANDWRITTEN], ids=["generated", "handwritten"])
def test_precision_and_recall_per_language(path: Path | None) -> None:
    """Run with -s to see the figures; a failure shows them and every mistake."""
    items = load() if path is None else load(path)
    scores, mistakes = evaluate(items, threshold=settings.SRMT_NEW_INFORMATION_THRESHOLD)
    figures = "\n".join(
        f"{language}: {score.items} items, precision {score.precision:.3f}, "
        f"recall {score.recall:.3f} (tp {score.true_positives}, "
        f"fp {score.false_positives}, fn {score.false_negatives})"
        for language, score in scores.items()
    )
    sys.stdout.write(f"\nnew-information check, {path or 'evaluation set'}:\n{figures}\n")
    report = f"{figures}\n{describe(mistakes)}"
    assert set(scores) == {"en", "es"}
    for score in scores.values():
        assert score.precision >= 0.95, report
        assert score.recall >= 0.95, report
