"""What the new-information check (issue 10, §2) takes and gives: plain values, no models.

The engine (srmt.quality.engine) is pure: everything it compares a response with comes in an
`AssessmentContext`, gathered by the service requests (service_requests.assessment) from the
request, its case, the templates and the earlier responses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Why(StrEnum):
    """Why a sentence tells the customer nothing new (None in a sentence: it is new)."""

    TEMPLATE = "template"  # template boilerplate
    PRIOR_RESPONSE = "prior_response"  # repeats an earlier response on the request or case
    CUSTOMER_REQUEST = "customer_request"  # echoes what the customer wrote or said
    CASE_RECORD = "case_record"  # echoes the case record the customer can already see
    COMMON_PHRASE = "common_phrase"  # appears in responses to many different cases
    GENERIC = "generic"  # generic: processing times, "pending", "we will contact you"...


@dataclass(frozen=True)
class AssessmentContext:
    """Everything the response is compared with, in the request's language."""

    language: str  # "en" or "es"
    templates: Sequence[str] = ()  # template bodies, placeholders as {{ name }}
    prior_responses: Sequence[str] = ()  # earlier responses on the same request or case
    customer_request: str = ""  # the request's description (what the customer said)
    case_record: Sequence[str] = ()  # facts on the case record (receipt, form, dates, status)
    # Whether a sentence (its normalised key: engine.sentence_key) is a common phrase.
    is_common: Callable[[str], bool] = field(default=lambda key: False)


@dataclass(frozen=True)
class SentenceVerdict:
    text: str
    new: bool
    why: Why | None


@dataclass(frozen=True)
class Assessment:
    new_information: float  # 0 = nothing new, 1 = all new
    form_letter: bool
    threshold: float
    sentences: tuple[SentenceVerdict, ...]
