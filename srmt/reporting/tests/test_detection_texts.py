"""The explanation of a detection in words (ADR 0051), table-driven: each kind, "since",
"so far", how unusual, what stands out, the statuses; the age buckets cover every age."""

from __future__ import annotations

import datetime as dt

import pytest

from srmt.reporting.dashboards import AGE_BUCKETS
from srmt.reporting.detections.explain import Facts, explain
from srmt.reporting.detections.series import SeriesKey, parse_name
from srmt.reporting.models import SeriesLevel

KEY = SeriesKey(SeriesLevel.OFFICE_TYPE, (("office", "NSC"), ("type", "expedite_request")))
START = dt.date(2026, 5, 18)


def facts(**changes) -> Facts:
    values = {
        "key": KEY,
        "kind": "spike",
        "direction": "up",
        "start": START,
        "end": START,
        "ongoing": False,
        "observed": 40.0,
        "expected": 10.0,
        "measured_days": 1,
        "p_value": 3e-5,
        "contributors": [],
        "statuses": {},
    }
    values.update(changes)
    return Facts(**values)


CHANCE = (
    "By chance alone, a change like this would happen less than once in 10,000 (p = 3e-05), "
    "after allowing for weekdays, holidays, season and trend."
)
CASES = [
    (
        facts(),
        "Office NSC, Expedite request: 40 requests opened on 2026-05-18, 30 more than the 10 "
        f"expected (300% above). {CHANCE}",
    ),
    (
        facts(kind="drop", direction="down", observed=2.0, end=START + dt.timedelta(days=2)),
        "Office NSC, Expedite request: 2 requests opened from 2026-05-18 to 2026-05-20 (3 days), "
        f"8 fewer than the 10 expected (80% below). {CHANCE}",
    ),
    (
        facts(
            kind="level_shift",
            observed=15.25,
            expected=10.0,
            measured_days=7,
            end=START + dt.timedelta(days=9),
            ongoing=True,
            p_value=0.02,
        ),
        "Office NSC, Expedite request: the number of requests opened each day went up 52% since "
        "2026-05-18 (10 days so far): 15.2 a day over its first 7 days, against 10.0 a day "
        "expected. By chance alone, a change like this would happen about once in 50 "
        "(p = 0.02), after allowing for weekdays, holidays, season and trend.",
    ),
    (
        facts(
            key=parse_name(SeriesLevel.NATIONAL, "national"),
            contributors=[
                {"dimension": "form", "value": "", "observed": 30, "expected": 4.0},
                {"dimension": "language", "value": "es", "observed": 25, "expected": 3.5},
            ],
            statuses={"closed": 3, "in_progress": 5, "received": 5},
        ),
        "All offices: 40 requests opened on 2026-05-18, 30 more than the 10 expected (300% "
        f"above). {CHANCE} What stands out: requests without a case (30, against 4 expected), "
        "Spanish (25, against 4 expected). Those requests now: 5 received, 5 in progress, "
        "3 closed.",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("given", "text"), CASES)
def test_explanations_in_english(reference, given, text):
    assert explain(given, "en") == text


@pytest.mark.django_db
def test_the_spanish_explanation(reference):
    assert explain(facts(), "es") == (
        "Oficina NSC, Solicitud de trámite acelerado: 40 solicitudes abiertas el 2026-05-18, "
        "30 más que las 10 esperadas (300% por encima). Solo por azar, un cambio así ocurriría "
        "menos de una vez en 10.000 (p = 3e-05), teniendo en cuenta los días de la semana, los "
        "feriados, la temporada y la tendencia."
    )


def test_series_names_round_trip():
    assert KEY.name == "office=NSC|type=expedite_request"
    assert parse_name(SeriesLevel.OFFICE_TYPE, KEY.name) == KEY
    assert parse_name(SeriesLevel.NATIONAL, "national").name == "national"


def test_the_age_buckets_cover_every_age_once():
    firsts = [first for _key, first, _last in AGE_BUCKETS]
    lasts = [last for _key, _first, last in AGE_BUCKETS]
    assert firsts[0] == 0
    assert lasts[-1] is None
    assert [last + 1 for last in lasts[:-1]] == firsts[1:]
