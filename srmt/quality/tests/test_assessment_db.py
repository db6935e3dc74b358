"""assess_response gathers the context from the database; record_sent feeds the index."""

from __future__ import annotations

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
