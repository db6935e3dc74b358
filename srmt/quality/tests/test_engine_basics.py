"""The engine's first contract: signatures, the score's ends, each source of a verdict."""

from __future__ import annotations

from srmt.quality.engine import assess, sentence_key, split_sentences
from srmt.quality.types import AssessmentContext, Why

TEMPLATE = (
    "Dear {{ customer_name }}, thank you for contacting us about your case {{ receipt_number }}. "
    "Your case is still pending. The current processing time is {{ processing_time }}. "
    "We will contact you when a decision is made."
)
CONTEXT = AssessmentContext(
    language="en",
    templates=(TEMPLATE,),
    customer_request="I filed my I-485 in March 2025 and have heard nothing. What is happening?",
    case_record=("IOE0912345678", "I-485. Application to Register Permanent Residence",
                 "2025-03-03", "Case Was Received", "Maria Lopez", "Nebraska Service Center"),
    prior_responses=("We scheduled your biometrics appointment for May 5, 2026 in Omaha.",),
)  # fmt: skip


def test_split_sentences_keeps_abbreviations_and_decimals() -> None:
    assert split_sentences("Dear Ms. Lopez,\nThe U.S. office said 8.5 months. Call us!", "en") == [
        "Dear Ms. Lopez,",
        "The U.S. office said 8.5 months.",
        "Call us!",
    ]
    assert split_sentences("¿Cuándo? Hoy. ¡Gracias!", "es") == ["¿Cuándo?", "Hoy.", "¡Gracias!"]


def test_sentence_key_folds_case_accents_and_word_forms() -> None:
    assert sentence_key("Your case is still pending.", "en") == sentence_key(
        "your CASES are still pending", "en"
    )
    assert sentence_key("Su solicitud está en trámite.", "es") == sentence_key(
        "su solicitud esta en tramite", "es"
    )
    assert sentence_key("We scheduled it on June 3.", "en") != sentence_key(
        "We scheduled it on June 4.", "en"
    )


def test_a_filled_template_scores_zero() -> None:
    body = (
        "Dear Maria Lopez, thank you for contacting us about your case IOE0912345678. Your case "
        "is still pending. The current processing time is 8.5 months. We will contact you when "
        "a decision is made."
    )
    result = assess(body, CONTEXT, threshold=0.15)
    assert result.new_information == 0.0
    assert result.form_letter is True
    assert [v.why for v in result.sentences] == [Why.TEMPLATE] * 4


def test_one_new_sentence_amid_boilerplate_passes() -> None:
    body = (
        "Dear Maria Lopez, thank you for contacting us about your case IOE0912345678. Your case "
        "is still pending. We scheduled your interview for June 10, 2026 at 9:00 a.m. at the "
        "Omaha field office. We will contact you when a decision is made."
    )
    result = assess(body, CONTEXT, threshold=0.15)
    assert [v.new for v in result.sentences] == [False, False, True, False]
    assert result.new_information == round(1 / (1 + 3**0.5), 4)
    assert result.form_letter is False


def test_a_repeat_of_an_earlier_response_is_not_new() -> None:
    result = assess(
        "As we told you, your fingerprint appointment is on May 5, 2026 in Omaha.",
        CONTEXT,
        threshold=0.15,
    )
    assert [(v.new, v.why) for v in result.sentences] == [(False, Why.PRIOR_RESPONSE)]
    assert result.new_information == 0.0


def test_every_sentence_new_scores_one() -> None:
    result = assess(
        "We transferred your case to the National Benefits Center on April 2 because it needs "
        "an interview.",
        CONTEXT,
        threshold=0.15,
    )
    assert result.new_information == 1.0
    assert result.form_letter is False
