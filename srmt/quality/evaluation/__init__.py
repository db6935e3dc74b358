"""The labelled evaluation set of the new-information check (docs/adr/0034).

responses.jsonl: one response a line, with its context and its label (`form_letter` or
`new_information`); built by build.py. handwritten.jsonl: the same, written by hand.
`evaluate()` runs the engine over a set and gives the precision and recall of the form-letter
warning per language.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srmt.quality import engine
from srmt.quality.types import Assessment, AssessmentContext

SET = Path(__file__).with_name("responses.jsonl")
# 162 more, each written by hand in full (other cases, other styles: chatty, call summaries,
# lists), after the engine was built on the generated set: a check that it generalises.
HANDWRITTEN = Path(__file__).with_name("handwritten.jsonl")


@dataclass(frozen=True)
class Item:
    id: str
    language: str
    kind: str
    hard: bool
    form_letter: bool  # the label
    body: str
    context: AssessmentContext


def load(path: Path = SET) -> list[Item]:
    items = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                items.append(_item(json.loads(line)))
    return items


def _item(raw: dict[str, Any]) -> Item:
    context = raw["context"]
    return Item(
        id=raw["id"],
        language=raw["language"],
        kind=raw.get("kind", ""),
        hard=bool(raw.get("hard", False)),
        form_letter=raw["label"] == "form_letter",
        body=raw["body"],
        context=AssessmentContext(
            language=raw["language"],
            templates=tuple(context.get("templates", ())),
            prior_responses=tuple(context.get("prior_responses", ())),
            customer_request=context.get("customer_request", ""),
            case_record=tuple(context.get("case_record", ())),
        ),
    )


@dataclass(frozen=True)
class Scores:
    language: str
    items: int
    true_positives: int  # form letters warned about
    false_positives: int  # responses with news warned about
    false_negatives: int  # form letters not warned about

    @property
    def precision(self) -> float:
        warned = self.true_positives + self.false_positives
        return self.true_positives / warned if warned else 1.0

    @property
    def recall(self) -> float:
        letters = self.true_positives + self.false_negatives
        return self.true_positives / letters if letters else 1.0


def evaluate(
    items: Iterable[Item], *, threshold: float
) -> tuple[dict[str, Scores], list[tuple[Item, Assessment]]]:
    """Precision and recall of the form-letter warning per language, and the mistakes."""
    counts: dict[str, list[int]] = {}
    mistakes: list[tuple[Item, Assessment]] = []
    for item in items:
        result = engine.assess(item.body, item.context, threshold=threshold)
        tally = counts.setdefault(item.language, [0, 0, 0, 0])
        tally[0] += 1
        if result.form_letter and item.form_letter:
            tally[1] += 1
        elif result.form_letter:
            tally[2] += 1
        elif item.form_letter:
            tally[3] += 1
        if result.form_letter != item.form_letter:
            mistakes.append((item, result))
    scores = {language: Scores(language, *tally) for language, tally in sorted(counts.items())}
    return scores, mistakes


def describe(mistakes: Sequence[tuple[Item, Assessment]]) -> str:
    """The mistakes, sentence by sentence, for a human to read."""
    lines = []
    for item, result in mistakes:
        label = "form letter" if item.form_letter else "news"
        lines.append(f"{item.id} ({item.kind}, labelled {label}) scored {result.new_information}")
        for verdict in result.sentences:
            mark = "NEW" if verdict.new else str(verdict.why)
            lines.append(f"    [{mark}] {verdict.text}")
    return "\n".join(lines)
