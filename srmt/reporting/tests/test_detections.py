"""The daily detection run over the rollups (ADR 0051): an injected spike gives one
detection per series that carries it, with its explanation; a second run changes nothing;
a flat history gives none; the volume rule; the daily chain's schedule; `srmt detect`."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from srmt.reporting.detections import tasks
from srmt.reporting.detections.run import run_detections
from srmt.reporting.models import DailyRollup, Detection
from srmt.service_requests.models import ServiceRequest, SweepSchedule
from srmt.testing.factories import make_service_request

from .rollup_history import EVENT, spike_online_at_nsc, write_history

pytestmark = pytest.mark.django_db

DAY_AFTER = EVENT + dt.timedelta(days=1)
SPIKED = [
    ("channel=online", "channel"),
    ("form=I-485|type=general_case_inquiry", "form_type"),
    ("national", "national"),
    ("office=NSC|form=I-485|type=general_case_inquiry", "office_form_type"),
    ("office=NSC|type=general_case_inquiry", "office_type"),
]
NATIONAL_EN = (
    "All offices: 241 requests opened on 2026-05-20, 138 more than the 103 expected "
    "(134% above). By chance alone, a change like this would happen less than once in a "
    "million (p < 1e-12), after allowing for weekdays, holidays, season and trend. What "
    "stands out: Online e-Request (181, against 39 expected), Office NSC (182, against 53 "
    "expected). Those requests now: 1 received, 1 closed."
)
NATIONAL_ES = (
    "Todas las oficinas: 241 solicitudes abiertas el 2026-05-20, 138 más que las 103 "
    "esperadas (134% por encima). Solo por azar, un cambio así ocurriría menos de una vez "
    "en un millón (p < 1e-12), teniendo en cuenta los días de la semana, los feriados, la "
    "temporada y la tendencia. Lo que destaca: e-Request en línea (181, frente a 39 "
    "esperadas), Oficina NSC (182, frente a 53 esperadas). Esas solicitudes ahora: 1 "
    "recibida, 1 cerrada."
)


def _two_requests_on_the_event_day() -> None:
    """Two requests opened on the event day, one of them since closed."""
    noon = dt.datetime.combine(EVENT, dt.time(12), tzinfo=dt.UTC)
    first, second = make_service_request(), make_service_request()
    ServiceRequest.objects.filter(pk__in=[first.pk, second.pk]).update(created_at=noon)
    ServiceRequest.objects.filter(pk=second.pk).update(status="closed")


def test_an_injected_spike_is_found_once_per_series_that_carries_it(reference):
    write_history(spike_online_at_nsc)
    _two_requests_on_the_event_day()
    result = run_detections(DAY_AFTER)
    assert result.last_day == EVENT
    assert result.series_tested == {
        "national": 1,
        "channel": 2,
        "office_type": 2,
        "form_type": 1,
        "office_form_type": 2,
    }
    assert (result.found, result.created, result.updated, result.unchanged) == (5, 5, 0, 0)
    rows = list(Detection.objects.order_by("series"))
    assert [(d.series, d.level) for d in rows] == SPIKED
    assert {(d.kind, d.direction, d.start, d.end) for d in rows} == {("spike", "up", EVENT, EVENT)}
    national = Detection.objects.get(series="national")
    assert (national.observed, round(national.expected, 1)) == (241, 102.8)
    assert (national.office, national.type) == (None, None)
    assert national.contributors == [
        {"dimension": "channel", "value": "online", "observed": 181, "expected": 39.4},
        {"dimension": "office", "value": "NSC", "observed": 182, "expected": 52.8},
    ]
    assert national.explanation_en == NATIONAL_EN
    assert national.explanation_es == NATIONAL_ES
    office = Detection.objects.get(series="office=NSC|type=general_case_inquiry")
    assert (office.office.code, office.type.code, office.form) == (
        "NSC",
        "general_case_inquiry",
        "",
    )


def test_a_second_run_changes_nothing_and_an_open_event_is_updated_in_place(reference):
    write_history(spike_online_at_nsc)
    run_detections(DAY_AFTER)
    before = {d.pk: (d.updated_at, d.explanation_en) for d in Detection.objects.all()}
    again = run_detections(DAY_AFTER)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert {d.pk: (d.updated_at, d.explanation_en) for d in Detection.objects.all()} == before
    # A row whose figures are stale (as while an event goes on) is brought up to date.
    national = Detection.objects.get(series="national")
    Detection.objects.filter(pk=national.pk).update(observed=1, kind="level_shift")
    third = run_detections(DAY_AFTER)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 4)
    national.refresh_from_db()
    assert (national.observed, national.kind) == (241, "spike")
    assert Detection.objects.count() == 5


def test_a_flat_history_gives_no_detection(reference):
    write_history()
    result = run_detections(DAY_AFTER)
    assert (result.found, result.created) == (0, 0)
    assert result.series_tested["national"] == 1
    assert Detection.objects.count() == 0


def test_quiet_office_series_are_not_tested_but_the_aggregates_are(reference, settings):
    settings.SRMT_DETECTIONS_MIN_DAILY = 1000
    write_history(spike_online_at_nsc)
    result = run_detections(DAY_AFTER)
    assert result.series_tested == {
        "national": 1,
        "channel": 2,
        "office_type": 0,
        "form_type": 0,
        "office_form_type": 0,
    }
    assert sorted(Detection.objects.values_list("series", flat=True)) == [
        "channel=online",
        "national",
    ]


def test_nothing_to_read_is_an_empty_run(reference):
    result = run_detections(DAY_AFTER)
    assert (result.last_day, result.found, result.series_tested) == (None, 0, {})


@pytest.mark.parametrize(
    ("now", "planned"),
    [
        ("2026-06-01T05:59:00+00:00", "2026-06-01T06:00:00+00:00"),
        ("2026-06-01T06:00:00+00:00", "2026-06-02T06:00:00+00:00"),
        ("2026-06-01T23:00:00+00:00", "2026-06-02T06:00:00+00:00"),
    ],
)
def test_the_next_run_is_the_next_detections_hour(settings, now, planned):
    settings.SRMT_DETECTIONS_HOUR = 6
    found = tasks.next_run(dt.datetime.fromisoformat(now))
    assert found == dt.datetime.fromisoformat(planned)


def test_the_chain_starts_once_and_claims_its_runs(reference, settings):
    settings.SRMT_DETECTIONS_HOUR = 6
    now = timezone.now()
    first = tasks.CHAIN.claim_start(now)
    assert first == tasks.next_run(now)
    assert tasks.CHAIN.claim_start(now) is None  # a live chain: no second one
    following = tasks.CHAIN.claim_next(first, now=first)
    assert following == first + dt.timedelta(days=1)
    assert tasks.CHAIN.claim_next(first, now=first) is None  # that run was claimed already
    row = SweepSchedule.objects.get(name="detections")
    assert (row.next_run_at, row.last_run_at) == (following, first)


def test_the_worker_defers_the_first_run_to_the_hour_and_starts_one_chain(
    reference, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.SRMT_DETECTIONS_HOUR = 6
    backend = tasks.daily_detections.get_backend()
    backend.clear()
    now = dt.datetime(2026, 6, 1, 14, 30, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = tasks.start_daily_detections()
        with django_capture_on_commit_callbacks(execute=True):
            second = tasks.start_daily_detections()
    planned = dt.datetime(2026, 6, 2, 6, 0, tzinfo=dt.UTC)
    assert (first, second) == (planned, None)
    assert [(r.args, r.task.run_after) for r in backend.results] == [
        ([planned.isoformat()], planned)
    ]
    assert SweepSchedule.objects.get(name="detections").next_run_at == planned


def test_the_command_runs_once_and_prints_json(reference):
    write_history(spike_online_at_nsc)
    out = StringIO()
    call_command("detect", "--today", DAY_AFTER.isoformat(), stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["detections"]["created"] == 5
    assert printed["digests"] == {"offices": 1, "sent": 0, "already_sent": 0}


def test_without_a_backend_that_defers_no_chain_starts(reference):
    assert tasks.start_daily_detections() is None
    assert not SweepSchedule.objects.filter(name="detections").exists()


def test_the_task_rebuilds_the_rollups_then_runs_the_detections_then_the_digests(reference):
    # given a request the incremental refresh never counted (committed after a refresh read
    # its watermarks): no rollup row has it
    sr = make_service_request()
    assert DailyRollup.objects.count() == 0
    result = tasks.daily_detections.enqueue()
    # then the night's rebuild counted it before the detections ran
    assert list(DailyRollup.objects.values_list("day", "office__code", "opened")) == [
        (sr.created_at.astimezone(dt.UTC).date(), sr.office.code, 1)
    ]
    rollup = result.return_value.pop("rollup")
    assert (rollup["days"], rollup["rows"]) == (1, 1)
    assert result.return_value == {
        "detections": {
            # the last whole day before today, on rollups that now exist
            "last_day": (timezone.now().date() - dt.timedelta(days=1)).isoformat(),
            "series_tested": {},
            "found": 0,
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "seconds": result.return_value["detections"]["seconds"],
        },
        "digests": {"offices": 0, "sent": 0, "already_sent": 0},
    }


def test_the_command_refuses_a_bad_day(reference):
    with pytest.raises(CommandError, match="--today is not an ISO date: 2026-13-01"):
        call_command("detect", "--today", "2026-13-01", stdout=StringIO())
    assert Detection.objects.count() == 0


def test_events_over_for_more_than_a_week_are_left_alone(reference):
    write_history(spike_online_at_nsc, days=160)
    result = run_detections(EVENT + dt.timedelta(days=9))
    assert (result.found, result.created) == (0, 0)
    assert Detection.objects.count() == 0
    found = run_detections(EVENT + dt.timedelta(days=7))
    assert found.created == 5
