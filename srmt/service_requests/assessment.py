"""The new-information check of a response (issue 10, §2; docs/adr/0034): what the customer
already has, gathered for the engine (srmt.quality.engine), and the common-phrase index fed.

Reads only, with bounded, indexed queries: the templates offered for the request (their
latest versions, in the request's language, from a per-process snapshot: quality.templates;
the writer's template first), the latest
PRIOR_RESPONSES responses on the request and as many on the other requests of its case, the
request's description, the case record, and one lookup of the body's sentences in the
common-phrase index.
"""

from __future__ import annotations

from django.conf import settings

from srmt.quality import engine, phrases, templates
from srmt.quality.types import Assessment, AssessmentContext
from srmt.service_requests.models import Response, ServiceRequest

# Earlier responses compared with, on the request and on the other requests of its case.
PRIOR_RESPONSES = 20


def language_of(sr: ServiceRequest) -> str:
    return "es" if sr.requester.language == "es" else "en"


def template_bodies(sr: ServiceRequest, language: str, template_code: str | None) -> list[str]:
    """The latest wording of each active template offered for `sr`; `template_code`'s first."""
    bodies = []
    first: str | None = None
    for template in templates.active_templates():
        if template.code == template_code:
            first = template.body(language)
        elif template.offered(office_id=sr.office_id, request_type=sr.type.code):
            bodies.append(template.body(language))
    if template_code and first is None:  # an inactive template the writer started from
        first = templates.latest_body(template_code, language)
    return [first, *bodies] if first is not None else bodies


def prior_responses(sr: ServiceRequest) -> list[str]:
    """Bodies of the latest responses on `sr` and on the other requests of its case."""
    bodies = list(
        Response.objects.filter(service_request=sr)
        .order_by("-created_at", "-id")
        .values_list("body", flat=True)[:PRIOR_RESPONSES]
    )
    if sr.case_id is not None:
        bodies += list(
            Response.objects.filter(service_request__case_id=sr.case_id)
            .exclude(service_request=sr)
            .order_by("-created_at", "-id")
            .values_list("body", flat=True)[:PRIOR_RESPONSES]
        )
    return bodies


def case_record(sr: ServiceRequest, language: str) -> list[str]:
    """What the customer can already see: their request's and their case's facts."""
    facts = [
        sr.reference,
        sr.requester.name,
        sr.type.name_es if language == "es" else sr.type.name_en,
        sr.created_at.date().isoformat() if sr.created_at else "",
    ]
    if sr.receipt_number:
        facts.append(sr.receipt_number)
    if sr.office_id is not None:
        facts.append(sr.office.name)
    case = sr.case
    if case is not None:
        form = case.form_type
        facts += [
            case.receipt_number,
            f"{form.code}. {form.name_es if language == 'es' else form.name_en}",
            case.received_on.isoformat(),
            case.status_text,
            case.status_updated_on.isoformat() if case.status_updated_on else "",
            case.office.name,
        ]
    return [fact for fact in facts if fact]


def assess_response(
    sr: ServiceRequest, body: str, *, template_code: str | None = None
) -> Assessment:
    """The new-information check of `body` as a response to `sr` (writes nothing)."""
    language = language_of(sr)
    keys = [
        engine.sentence_key(sentence, language)
        for sentence in engine.split_sentences(body, language)
    ]
    common = phrases.common_keys(keys, language)
    context = AssessmentContext(
        language=language,
        templates=tuple(template_bodies(sr, language, template_code)),
        prior_responses=tuple(prior_responses(sr)),
        customer_request=sr.description,
        case_record=tuple(case_record(sr, language)),
        is_common=common.__contains__,
    )
    return engine.assess(body, context, threshold=settings.SRMT_NEW_INFORMATION_THRESHOLD)


def record_sent(response: Response) -> None:
    """Feed the common-phrase index with a response just sent (call it from add_response)."""
    sr = response.service_request
    case_key = f"case:{sr.case_id}" if sr.case_id is not None else f"request:{sr.pk}"
    phrases.record_sent(response.body, language_of(sr), case_key)
