"""The detail's history and routing reason follow Accept-Language; typed reasons do not."""

from __future__ import annotations

import pytest

from srmt.api.tests.conftest import client_for
from srmt.service_requests import services
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

COLUMN = {"en": 2, "es": 3}
HEADERS = {"en": {}, "es": {"accept-language": "es"}}  # no header: English


def _detail(client, sr: ServiceRequest, language: str) -> dict:
    response = client.get(f"/api/v1/service-requests/{sr.reference}/", headers=HEADERS[language])
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_history_gives_each_reason_in_the_requested_language(reference, language) -> None:
    story = build_story()
    client = client_for(story.worker)
    for sr, history in ((story.sr, story.history), (story.merged, story.merged_history)):
        body = _detail(client, sr, language)
        assert [(h["to"], h["reason_code"], h["reason"]) for h in body["status_history"]] == [
            (row[0], row[1], row[COLUMN[language]]) for row in history
        ]


@pytest.mark.parametrize(
    ("language", "routing_reason_es", "shown"),
    [
        ("en", ROUTED_ES, ROUTED_EN),
        ("es", ROUTED_ES, ROUTED_ES),
        ("es", "", ROUTED_EN),  # routed before Spanish reasons existed
    ],
)
def test_the_routing_reason_follows_the_language(reference, language, routing_reason_es, shown):
    story = build_story()
    ServiceRequest.objects.filter(pk=story.sr.pk).update(routing_reason_es=routing_reason_es)
    assert _detail(client_for(story.worker), story.sr, language)["routing_reason"] == shown


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_typed_transfer_reason_stays_as_typed(reference, language) -> None:
    story = build_story()
    services.transition_request(
        story.sr, actor=story.worker, to="transferred", reason="Wrong office.", office_code="CSC"
    )
    transfers = _detail(client_for(story.worker), story.sr, language)["transfers"]
    assert [(t["to_office"], t["reason_code"], t["reason"]) for t in transfers] == [
        ("CSC", "", "Wrong office.")
    ]


@pytest.mark.parametrize(
    ("language", "legacy", "code", "shown"),
    [
        ("en", False, "transferred_too_often", FLAG_EN),
        ("es", False, "transferred_too_often", FLAG_ES),
        ("es", True, "", FLAG_LEGACY),  # flagged before flags had codes: as stored
    ],
)
def test_the_flag_reason_follows_the_language(
    reference, settings, monkeypatch, language, legacy, code, shown
) -> None:
    sr, worker = flagged_request(settings)
    if legacy:
        ServiceRequest.objects.filter(pk=sr.pk).update(
            flag_reason=FLAG_LEGACY, flag_reason_code="", flag_reason_params={}
        )
    body = _detail(client_for(worker), sr, language)
    assert (body["is_flagged"], body["flag_reason_code"], body["flag_reason"]) == (
        True,
        code,
        shown,
    )
