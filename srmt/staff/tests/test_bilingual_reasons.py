"""The detail page shows system reasons in the reader's language, typed reasons as typed."""

from __future__ import annotations

import html

import pytest

from srmt.service_requests import reasons, services
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.tests.reasons_story import (
    FLAG_EN,
    FLAG_ES,
    FLAG_LEGACY,
    ROUTED_EN,
    ROUTED_ES,
    build_story,
    flagged_request,
)
from srmt.staff.tests.conftest import client_for

WHY = {"en": "Why: {}", "es": "Motivo: {}"}
COLUMN = {"en": 2, "es": 3}


def _get(client, sr: ServiceRequest, language: str):
    response = client.get(f"/staff/requests/{sr.reference}/", headers={"accept-language": language})
    assert response.status_code == 200
    return response


def _page(client, sr: ServiceRequest, language: str) -> str:
    return html.unescape(_get(client, sr, language).content.decode())


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_timeline_gives_each_reason_in_the_readers_language(reference, language) -> None:
    story = build_story()
    client = client_for(story.worker)
    for sr, history in ((story.sr, story.history), (story.merged, story.merged_history)):
        response = _get(client, sr, language)
        page = html.unescape(response.content.decode())
        moves = [e.item for e in response.context["timeline"] if e.kind == "status"]
        shown = [(c.to_status, reasons.status_change_reason(c, language)) for c in moves]
        assert shown == [(row[0], row[COLUMN[language]]) for row in history]
        for row in history:
            assert WHY[language].format(row[COLUMN[language]]) in page
        other = "es" if language == "en" else "en"
        for row in history:
            if row[COLUMN[other]] != row[COLUMN[language]]:
                assert row[COLUMN[other]] not in page


@pytest.mark.parametrize(
    ("language", "routing_reason_es", "shown"),
    [
        ("en", ROUTED_ES, ROUTED_EN),
        ("es", ROUTED_ES, ROUTED_ES),
        ("es", "", ROUTED_EN),  # routed before Spanish reasons existed
    ],
)
def test_the_summary_gives_the_routing_reason(reference, language, routing_reason_es, shown):
    story = build_story()
    ServiceRequest.objects.filter(pk=story.sr.pk).update(routing_reason_es=routing_reason_es)
    page = _page(client_for(story.worker), story.sr, language)
    assert f'<span class="usa-hint">{shown}</span>' in page


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_typed_transfer_reason_stays_as_typed(reference, language) -> None:
    story = build_story()
    services.transition_request(
        story.sr,
        actor=story.worker,
        to="transferred",
        reason="El expediente está en Laguna.",
        office_code="CSC",
    )
    page = _page(client_for(story.worker), story.sr, language)
    assert "<td>El expediente está en Laguna.</td>" in page
    assert WHY[language].format("El expediente está en Laguna.") in page


@pytest.mark.parametrize(
    ("language", "legacy", "shown", "not_shown"),
    [
        ("en", False, FLAG_EN, FLAG_ES),
        ("es", False, FLAG_ES, FLAG_EN),
        ("es", True, FLAG_LEGACY, FLAG_ES),  # flagged before flags had codes: as stored
    ],
)
def test_the_flag_reason_is_in_the_readers_language(
    reference, settings, monkeypatch, language, legacy, shown, not_shown
) -> None:
    sr, worker = flagged_request(settings)
    if legacy:
        ServiceRequest.objects.filter(pk=sr.pk).update(
            flag_reason=FLAG_LEGACY, flag_reason_code="", flag_reason_params={}
        )
    client = client_for(worker)
    detail = _page(client, sr, language)
    queue = html.unescape(
        client.get("/staff/queues/ESC/", headers={"accept-language": language}).content.decode()
    )
    # the detail's transfer section, and the queue row's tag
    assert f"</span> {shown}</p>" in detail
    assert f'title="{shown}">' in queue
    assert not_shown not in detail + queue
