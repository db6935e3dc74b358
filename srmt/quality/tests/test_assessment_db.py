"""assess_response gathers the context from the database; record_sent feeds the index."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from srmt.quality import phrases
from srmt.quality.models import PhraseStat
from srmt.quality.types import Why
from srmt.response_templates.models import ResponseTemplate, TemplateVersion
from srmt.service_requests.assessment import assess_response, record_sent
from srmt.service_requests.models import Response
from srmt.testing.factories import make_case, make_service_request, make_user

pytestmark = pytest.mark.django_db


def _template(code: str, en: str, es: str, version: int = 1) -> None:
    template, _ = ResponseTemplate.objects.get_or_create(code=code, defaults={"name": code})
    TemplateVersion.objects.create(template=template, version=version, body_en=en, body_es=es)


def test_assess_response_uses_templates_request_record_and_prior(reference: None) -> None:
    sr = make_service_request(description="Quiero saber cuándo será mi entrevista.")
    author = make_user("writer_q")
    Response.objects.create(
        service_request=sr,
        kind="initial",
        author=author,
        body="Programamos su cita de huellas para el 5 de mayo de 2026.",
        delivery_channel="email",
    )
    _template("pendiente", "Your case is pending.", "Su caso sigue pendiente.", 1)
    _template("pendiente", "Your case is still pending.", "Su caso todavía está pendiente.", 2)
    body = (
        "Su caso todavía está pendiente. Su cita de huellas es el 5 de mayo de 2026. "
        f"Su caso {sr.receipt_number} fue recibido. "
        "Programamos su entrevista para el 10 de junio de 2026 en la oficina de Albany."
    )
    result = assess_response(sr, body, template_code="pendiente")
    assert [(v.new, v.why) for v in result.sentences] == [
        (False, Why.TEMPLATE),
        (False, Why.PRIOR_RESPONSE),
        (False, Why.CASE_RECORD),
        (True, None),
    ]
    assert result.form_letter is False


@override_settings(SRMT_COMMON_PHRASE_CASES=3)
def test_a_sentence_sent_to_enough_cases_becomes_common(reference: None) -> None:
    sentence = "Our officers are reviewing every file in the order it arrived."
    for number in range(2):
        phrases.record_sent(sentence, "en", f"case:{number}")
        phrases.record_sent(sentence, "en", f"case:{number}")  # the same case counts once
    key = phrases.sentence_key(sentence, "en")
    assert phrases.common_keys([key], "en") == frozenset()
    phrases.record_sent(sentence, "en", "case:2")
    phrases.record_sent(sentence, "en", "case:3")  # bounded: no further
    assert phrases.common_keys([key], "en") == frozenset({key})
    stat = PhraseStat.objects.get()
    assert stat.case_count == 3
    assert len(stat.case_hashes) == 3


@override_settings(SRMT_COMMON_PHRASE_CASES=2)
def test_record_sent_of_a_response_makes_its_sentences_common(reference: None) -> None:
    author = make_user("writer_r")
    sentence = "Nuestros oficiales revisan cada expediente según el orden de llegada."
    for receipt in ("EAC2190990001", "EAC2190990002"):
        sr = make_service_request(receipt_number=make_case(receipt).receipt_number)
        response = Response.objects.create(
            service_request=sr, kind="initial", author=author, body=sentence,
            delivery_channel="email",
        )  # fmt: skip
        record_sent(response)
    sr = make_service_request()  # the factory's requester writes in Spanish
    result = assess_response(sr, sentence)
    assert [(v.new, v.why) for v in result.sentences] == [(False, Why.COMMON_PHRASE)]


def test_the_context_is_read_with_a_fixed_number_of_bounded_queries(
    reference: None, django_assert_num_queries: Any
) -> None:
    from srmt.service_requests.assessment import PRIOR_RESPONSES, prior_responses
    from srmt.service_requests.models import ServiceRequest

    author = make_user("writer_b")
    case = make_case("EAC2190990009")
    first = make_service_request(receipt_number=case.receipt_number)
    second = make_service_request(receipt_number=case.receipt_number)
    for number in range(PRIOR_RESPONSES + 5):
        for sr in (first, second):
            Response.objects.create(
                service_request=sr, kind="follow_up", author=author,
                body=f"Respuesta número {number} a {sr.reference}.", delivery_channel="email",
            )  # fmt: skip
    for code in ("a", "b", "c"):
        _template(code, f"Template {code}.", f"Plantilla {code}.")
    sr = ServiceRequest.objects.select_related(
        "type", "office", "case", "case__form_type", "case__office", "requester"
    ).get(pk=first.pk)
    bodies = prior_responses(sr)
    assert len(bodies) == 2 * PRIOR_RESPONSES
    assert bodies[0] == f"Respuesta número {PRIOR_RESPONSES + 4} a {first.reference}."
    assert (
        bodies[PRIOR_RESPONSES] == f"Respuesta número {PRIOR_RESPONSES + 4} a {second.reference}."
    )
    # The common-phrase lookup, the templates, the request's and the case's responses.
    with django_assert_num_queries(4):
        assess_response(sr, "Su caso sigue pendiente. Gracias.", template_code="b")
    # The templates then come from the process's snapshot.
    with django_assert_num_queries(3):
        assess_response(sr, "Su caso sigue pendiente. Gracias.", template_code="b")


def test_templates_offered_and_the_writers_own_first(reference: None) -> None:
    from srmt.offices.models import Office
    from srmt.service_requests.assessment import template_bodies

    sr = make_service_request()
    other = Office.objects.exclude(pk=sr.office_id).first()
    _template("national", "National.", "Nacional.")
    _template("mine", "Mine.", "Mía.")
    _template("elsewhere", "Elsewhere.", "En otra parte.")
    _template("old", "Old.", "Vieja.")
    _template("other_type", "Other type.", "Otro tipo.")
    ResponseTemplate.objects.filter(code="mine").update(office=sr.office)
    ResponseTemplate.objects.filter(code="elsewhere").update(office=other)
    ResponseTemplate.objects.filter(code="old").update(is_active=False)
    ResponseTemplate.objects.filter(code="other_type").update(request_type="expedite_request")
    assert template_bodies(sr, "es", None) == ["Mía.", "Nacional."]
    assert template_bodies(sr, "en", "old") == ["Old.", "Mine.", "National."]
    assert template_bodies(sr, "en", "national") == ["National.", "Mine."]
    assert template_bodies(sr, "en", "missing") == ["Mine.", "National."]


def test_assess_response_writes_nothing(reference: None) -> None:
    sr = make_service_request()
    before = (Response.objects.count(), PhraseStat.objects.count())
    assess_response(sr, "Transferimos su caso a la Oficina Local de Houston.")
    assert (Response.objects.count(), PhraseStat.objects.count()) == before
