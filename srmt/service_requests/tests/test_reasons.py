"""System reasons stored as code + parameters and rendered in the reader's language (ADR 0015)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from srmt.service_requests import reasons
from srmt.service_requests.models import ServiceRequest, StatusChange
from srmt.service_requests.tests.reasons_story import (
    FLAG_EN,
    FLAG_ES,
    FLAG_LEGACY,
    ROUTED_EN,
    ROUTED_ES,
    build_story,
    flagged_request,
)


@pytest.mark.parametrize(
    ("code", "params", "english", "spanish"),
    [
        (
            "routed",
            {"rule": "case_office", "reason_es": ROUTED_ES},
            "",  # English is the stored reason
            ROUTED_ES,
        ),
        ("routed", {"rule": "local_rule", "reason_es": ""}, "", ""),
        (
            "response_sent",
            {"kind": "initial"},
            "Initial response sent",
            "Respuesta inicial enviada",
        ),
        (
            "response_sent",
            {"kind": "follow_up"},
            "Follow-up response sent",
            "Respuesta de seguimiento enviada",
        ),
        ("response_sent", {"kind": "final"}, "Final response sent", "Respuesta final enviada"),
        ("response_sent", {"kind": "nonsense"}, "", ""),
        ("assigned", {"user": "olga.esc"}, "Assigned to olga.esc", "Asignada a olga.esc"),
        ("assigned", {}, "", ""),  # missing parameter: the caller shows the stored English
        (
            "repeat_merged",
            {"ref": "SR-2611-AB12"},
            "Repeat contact merged into SR-2611-AB12",
            "Contacto repetido combinado con SR-2611-AB12",
        ),
        ("no_such_code", {"x": "y"}, "", ""),
    ],
)
def test_render(code: str, params: dict[str, Any], english: str, spanish: str) -> None:
    assert (reasons.render(code, params, "en"), reasons.render(code, params, "es")) == (
        english,
        spanish,
    )


@pytest.mark.parametrize(
    ("reason", "code", "params", "english", "spanish"),
    [
        ("Wrong office.", "", {}, "Wrong office.", "Wrong office."),  # typed: as typed
        ("Oficina equivocada.", "", {}, "Oficina equivocada.", "Oficina equivocada."),
        ("Assigned to ana", "", {}, "Assigned to ana", "Assigned to ana"),  # before codes
        ("Assigned to ana", "assigned", {"user": "ana"}, "Assigned to ana", "Asignada a ana"),
        ("Assigned to ana", "assigned", {}, "Assigned to ana", "Assigned to ana"),  # broken
        (ROUTED_EN, "routed", {"reason_es": ROUTED_ES}, ROUTED_EN, ROUTED_ES),
        (ROUTED_EN, "routed", {"reason_es": ""}, ROUTED_EN, ROUTED_EN),  # rule not translated
        ("Closed by a later release.", "from_the_future", {}, "Closed by a later release.", ""),
    ],
)
def test_status_change_reason(
    reason: str, code: str, params: dict[str, Any], english: str, spanish: str
) -> None:
    change = StatusChange(reason=reason, reason_code=code, reason_params=params)
    assert reasons.status_change_reason(change, "en") == english
    assert reasons.status_change_reason(change, "es") == (spanish or reason)
    with translation.override("es"):
        assert change.display_reason == (spanish or reason)


def test_every_system_reason_is_stored_as_code_params_and_english(reference: None) -> None:
    story = build_story()
    stored = [
        (c.to_status, c.reason_code, c.reason_params, c.reason)
        for c in StatusChange.objects.filter(service_request=story.sr).order_by("id")
    ]
    assert stored == [
        (
            "received",
            "routed",
            {"rule": "case_office", "reason_es": ROUTED_ES},
            ROUTED_EN,
        ),
        ("assigned", "assigned", {"user": "rosa.esc"}, "Assigned to rosa.esc"),
        ("responded", "response_sent", {"kind": "initial"}, "Initial response sent"),
        ("awaiting_customer", "", {}, story.history[3][2]),
        ("in_progress", "", {}, story.history[4][2]),
    ]
    merged = StatusChange.objects.filter(service_request=story.merged).order_by("id").last()
    assert (merged.reason_code, merged.reason_params, merged.reason) == (
        "repeat_merged",
        {"ref": story.sr.reference},
        f"Repeat contact merged into {story.sr.reference}",
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_history_reads_in_the_readers_language(reference: None, language: str) -> None:
    story = build_story()
    column = 2 if language == "en" else 3
    for sr, expected in ((story.sr, story.history), (story.merged, story.merged_history)):
        changes = StatusChange.objects.filter(service_request=sr).order_by("id")
        assert [(c.to_status, reasons.status_change_reason(c, language)) for c in changes] == [
            (row[0], row[column]) for row in expected
        ]


def test_the_routing_reason_is_stored_in_both_languages(reference: None) -> None:
    story = build_story()
    sr = ServiceRequest.objects.get(pk=story.sr.pk)
    assert (sr.routing_reason, sr.routing_reason_es) == (ROUTED_EN, ROUTED_ES)
    assert (reasons.routing_reason(sr, "en"), reasons.routing_reason(sr, "es")) == (
        ROUTED_EN,
        ROUTED_ES,
    )
    with translation.override("es"):
        assert sr.display_routing_reason == ROUTED_ES


def test_a_request_routed_before_spanish_reasons_shows_the_english(reference: None) -> None:
    story = build_story()
    ServiceRequest.objects.filter(pk=story.sr.pk).update(routing_reason_es="")
    sr = ServiceRequest.objects.get(pk=story.sr.pk)
    assert (reasons.routing_reason(sr, "en"), reasons.routing_reason(sr, "es")) == (
        ROUTED_EN,
        ROUTED_EN,
    )


def test_a_rule_without_spanish_gives_english_in_both(reference: None) -> None:
    from srmt.offices.models import RoutingRule
    from srmt.testing.factories import make_service_request

    rule = RoutingRule.objects.get(code="case_office")
    rule.explanation_es = ""
    rule.save()  # drops the process's snapshot of the rules
    sr = make_service_request()
    change = sr.status_changes.get()
    assert (sr.routing_reason, sr.routing_reason_es) == (ROUTED_EN, "")
    assert (change.reason_params, reasons.status_change_reason(change, "es")) == (
        {"rule": "case_office", "reason_es": ""},
        ROUTED_EN,
    )


def test_a_referral_keeps_its_reason_in_both_languages(officer: Any) -> None:
    from django.template.loader import render_to_string

    from srmt.service_requests import referrals, services
    from srmt.service_requests.requesters import RequesterData

    outcome = referrals.submit_or_refer(
        services.Submission(
            type="complaint",
            channel="phone_tier1",
            description="Caller lives in Nairobi.",
            requester=RequesterData(name="Ana Pérez", email="ana@example.com", country="KE"),
        ),
        actor=officer,
    )
    referral = outcome.referral
    english = (
        "The customer lives outside the U.S. (KE); the international office NAI serves them. "
        "No service request is opened."
    )
    spanish = (
        "El cliente vive fuera de EE. UU. (KE); lo atiende la oficina internacional NAI. "
        "No se abre ninguna solicitud de servicio."
    )
    assert (referral.reason, referral.reason_es) == (english, spanish)
    for language, text in (("en", english), ("es", spanish)):
        with translation.override(language):
            page = render_to_string("staff/referral_done.html", {"referral": referral})
        assert f"<dd>{text}</dd>" in page


def test_a_flag_is_stored_as_a_code_with_its_parameters_and_its_english(
    reference: None, settings: Any
) -> None:
    sr, _worker = flagged_request(settings)
    assert (sr.is_flagged, sr.flag_reason_code, sr.flag_reason_params, sr.flag_reason) == (
        True,
        "transferred_too_often",
        {"count": 2, "limit": 1, "from_office": "CSC", "to_office": "ESC"},
        FLAG_EN,
    )


FLAG_PARAMS = {"count": 2, "limit": 1, "from_office": "CSC", "to_office": "ESC"}


@pytest.mark.parametrize(
    ("stored", "code", "params", "language", "shown"),
    [
        (FLAG_EN, "transferred_too_often", FLAG_PARAMS, "en", FLAG_EN),
        (FLAG_EN, "transferred_too_often", FLAG_PARAMS, "es", FLAG_ES),
        (FLAG_EN, "transferred_too_often", FLAG_PARAMS, "es-mx", FLAG_ES),
        (FLAG_LEGACY, "", {}, "es", FLAG_LEGACY),  # flagged before flags had codes
        (FLAG_EN, "transferred_too_often", {"count": 2}, "es", FLAG_EN),  # broken: stored
        (FLAG_EN, "from_the_future", FLAG_PARAMS, "es", FLAG_EN),  # unknown code: stored
        ("", "", {}, "es", ""),  # not flagged
    ],
)
def test_the_flag_reason_reads_in_the_readers_language(
    monkeypatch: pytest.MonkeyPatch,
    stored: str,
    code: str,
    params: dict[str, Any],
    language: str,
    shown: str,
) -> None:
    sr = ServiceRequest(
        is_flagged=bool(stored),
        flag_reason=stored,
        flag_reason_code=code,
        flag_reason_params=params,
    )
    assert reasons.flag_reason(sr, language) == shown
    with translation.override(language):
        assert sr.display_flag_reason == shown
