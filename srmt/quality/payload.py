"""An assessment (types.Assessment) as the API and the audit log show it: plain JSON."""

from __future__ import annotations

from typing import Any

from srmt.quality.types import Assessment

# Scores are shown to three decimals: enough to tell apart, stable to compare.
DECIMALS = 3


def score(value: float) -> float:
    return round(value, DECIMALS)


def assessment_body(assessment: Assessment) -> dict[str, Any]:
    """{"new_information", "form_letter", "threshold", "sentences": [{"text", "new", "why"}]}"""
    return {
        "new_information": score(assessment.new_information),
        "form_letter": assessment.form_letter,
        "threshold": assessment.threshold,
        "sentences": [
            {
                "text": sentence.text,
                "new": sentence.new,
                "why": sentence.why.value if sentence.why is not None else None,
            }
            for sentence in assessment.sentences
        ],
    }
