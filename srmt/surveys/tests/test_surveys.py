"""Satisfaction surveys (docs/adr/0038): the link in a final response's message, the signed
single-use token, the public page in both languages, and refusals that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.test import Client

from srmt.accounts.choices import Role
from srmt.audit.models import AuditEvent
from srmt.notifications.models import Notification
from srmt.service_requests import services
from srmt.service_requests.requesters import RequesterData
from srmt.surveys import services as surveys
from srmt.surveys.models import Survey
from srmt.testing.factories import make_service_request, make_user

pytestmark = pytest.mark.django_db
# A minute ago: links are tried at SENT + some time (time_machine) or now, within 30 days.
SENT = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=1)


@pytest.fixture
def officer(reference):
    return make_user("olga", role=Role.SUPERVISOR, offices=["ESC"])


def _final(officer, language: str = "en"):
    sr = make_service_request(
        actor=officer,
        requester=RequesterData(name="Bo Li", email="bo@example.com", language=language),
    )
    with time_machine.travel(SENT, tick=False):
        response = services.add_response(sr, actor=officer, kind="final", body="It is approved.")
    survey = Survey.objects.get(service_request=sr)
    return sr, response, survey, surveys.token_for(survey)


def _state(survey: Survey) -> tuple[object, ...]:
    fresh = Survey.objects.get(pk=survey.pk)
    return (fresh.answered_at, fresh.rating, fresh.comment, AuditEvent.objects.count())


# --- the link in the final message ---------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "en",
            [
                "How did we do? Tell us in one question (it takes a minute):",
                "{link}",
                "The link works once, for 30 days.",
            ],
        ),
        (
            "es",
            [
                "¿Cómo lo hicimos? Díganos en una pregunta (toma un minuto):",
                "{link}",
                "El enlace funciona una sola vez, durante 30 días.",
            ],
        ),
    ],
)
def test_the_final_message_links_to_its_survey(officer, settings, language, lines):
    settings.SRMT_SURVEY_BASE_URL = "https://survey.agency.example"
    sr, response, survey, token = _final(officer, language)
    link = f"https://survey.agency.example/survey/{token}/"
    body = Notification.objects.get(pk=response.notification_id).body
    assert "\n".join(line.format(link=link) for line in lines) in body
    assert (survey.language, survey.sent_at, survey.expires_at) == (
        language,
        SENT,
        SENT + dt.timedelta(days=30),
    )
    event = AuditEvent.objects.get(action="survey.sent")
    assert (event.actor_id, event.object_id, event.changes) == (
        officer.pk,
        str(survey.pk),
        {"service_request": sr.reference, "language": language},
    )


@pytest.mark.parametrize("kind", ["initial"])
def test_only_a_final_response_sends_a_survey(officer, kind):
    sr = make_service_request(actor=officer)
    response = services.add_response(sr, actor=officer, kind=kind, body="Looking into it.")
    assert Survey.objects.count() == 0
    assert "/survey/" not in Notification.objects.get(pk=response.notification_id).body


def test_a_survey_link_is_always_the_same(officer):
    _sr, _response, survey, token = _final(officer)
    assert surveys.token_for(Survey.objects.get(pk=survey.pk)) == token
    assert token.startswith(survey.nonce + ":")


# --- the token --------------------------------------------------------------------------


def test_a_signed_link_opens_its_survey_and_is_answered_once(officer):
    _sr, _response, survey, token = _final(officer)
    answered_at = SENT + dt.timedelta(days=3)
    with time_machine.travel(answered_at, tick=False):
        assert surveys.open_survey(token) == survey
        surveys.answer(token, rating=4, comment="  Clear and quick.  ")
    fresh = Survey.objects.get(pk=survey.pk)
    assert (fresh.answered_at, fresh.rating, fresh.comment) == (answered_at, 4, "Clear and quick.")
    event = AuditEvent.objects.get(action="survey.answered")
    assert (event.actor_id, event.object_id, event.changes) == (
        None,
        str(survey.pk),
        {"rating": 4, "comment_given": True},
    )


def _forged(token: str) -> str:
    nonce, stamp, signature = token.split(":")
    return f"{nonce}:{stamp}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}"


REFUSALS = [
    # name, how to get the link, when it is used, the refusal's code
    ("forged signature", _forged, dt.timedelta(days=1), "survey_forged"),
    ("another nonce", lambda t: "x" + t, dt.timedelta(days=1), "survey_forged"),
    ("garbage", lambda t: "not-a-link", dt.timedelta(days=1), "survey_forged"),
    (
        "signed for something else",
        lambda t: signing.TimestampSigner(salt="other").sign(t.split(":")[0]),
        dt.timedelta(days=1),
        "survey_forged",
    ),
    ("expired", lambda t: t, dt.timedelta(days=30, seconds=1), "survey_expired"),
]


@pytest.mark.parametrize(("name", "link", "later", "code"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_link_that_cannot_be_answered_changes_nothing(officer, name, link, later, code):
    _sr, _response, survey, token = _final(officer)
    before = _state(survey)
    with time_machine.travel(SENT + later, tick=False):
        with pytest.raises(surveys.SurveyRefused) as refused:
            surveys.answer(link(token), rating=5)
        assert refused.value.code == code
        page = Client().post(f"/survey/{link(token)}/", {"rating": "5"})
    assert page.status_code == refused.value.http_status
    assert _state(survey) == before


def test_a_used_link_is_refused_and_the_first_answer_stays(officer):
    _sr, _response, survey, token = _final(officer)
    surveys.answer(token, rating=2)
    before = _state(survey)
    with pytest.raises(surveys.SurveyUsed):
        surveys.answer(token, rating=5, comment="Changed my mind")
    response = Client().post(f"/survey/{token}/", {"rating": "5"})
    assert response.status_code == 409
    assert "This survey was already answered" in response.content.decode()
    assert _state(survey) == before


@pytest.mark.parametrize(
    ("rating", "comment", "field"),
    [(0, "", "rating"), (6, "", "rating"), (3, "x" * 2_001, "comment")],
)
def test_a_bad_answer_is_refused(officer, rating, comment, field):
    _sr, _response, survey, token = _final(officer)
    before = _state(survey)
    with pytest.raises(surveys.InvalidAnswer) as refused:
        surveys.answer(token, rating=rating, comment=comment)
    assert refused.value.field == field
    assert _state(survey) == before


# --- the page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "en",
            [
                '<html lang="en">',
                "<h1>How did we do?</h1>",
                "How satisfied are you with the answer to your request?",
                "5 – Very satisfied",
                "Send my answer",
            ],
        ),
        (
            "es",
            [
                '<html lang="es">',
                "<h1>¿Cómo lo hicimos?</h1>",
                "¿Qué tan satisfecho está con la respuesta a su solicitud?",
                "5 – Muy satisfecho",
                "Enviar mi respuesta",
            ],
        ),
    ],
)
def test_the_page_asks_in_the_customers_language(officer, language, texts):
    sr, _response, survey, token = _final(officer, language)
    client = Client()  # no session, whatever the browser's language
    page = client.get(f"/survey/{token}/", HTTP_ACCEPT_LANGUAGE="en" if language == "es" else "es")
    html = page.content.decode()
    assert page.status_code == 200
    assert all(text in html for text in texts), html
    assert sr.reference not in html
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    thanks = client.post(f"/survey/{token}/", {"rating": "4", "comment": "Bien."})
    assert thanks.status_code == 200
    assert ("We have your answer" if language == "en" else "Recibimos su respuesta") in (
        thanks.content.decode()
    )
    assert Survey.objects.get(pk=survey.pk).rating == 4


def test_the_page_asks_again_without_a_rating(officer):
    _sr, _response, survey, token = _final(officer, "es")
    before = _state(survey)
    page = Client().post(f"/survey/{token}/", {"comment": "Sin nota"})
    assert page.status_code == 400
    assert "Elija una calificación del 1 al 5." in page.content.decode()
    assert _state(survey) == before


def test_a_refusal_page_is_in_both_languages(officer):
    page = Client().get("/survey/not-a-link/")
    html = page.content.decode()
    assert page.status_code == 404
    assert "<h1>This survey link does not work</h1>" in html
    assert '<div lang="es" class="margin-top-6">' in html
    assert "<h2>Este enlace de la encuesta no funciona</h2>" in html


def test_answers_are_limited_per_address_and_hour(officer, settings):
    settings.SRMT_SURVEY_POSTS_PER_HOUR = 2
    _sr, _response, survey, token = _final(officer)
    client = Client()
    assert client.post("/survey/forged/", {"rating": "5"}).status_code == 404
    assert client.post("/survey/forged/", {"rating": "5"}).status_code == 404
    before = _state(survey)
    limited = client.post(f"/survey/{token}/", {"rating": "5"})
    assert limited.status_code == 429
    assert "Please try again later" in limited.content.decode()
    assert _state(survey) == before
    assert client.get(f"/survey/{token}/").status_code == 200  # reading is not limited
