"""GET /api/v1/metrics/outcomes (docs/adr/0037): the figures, the grouping, 8 U.S.C. 1367
folding, and strict parameters with stable codes. Who may call it: the permission matrix
in srmt/staff/tests/test_outcomes_page.py."""

from __future__ import annotations

import pytest

from srmt.accounts.choices import Role
from srmt.api.tests.conftest import client_for
from srmt.outcomes.tests import fixture
from srmt.testing.factories import make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/metrics/outcomes"
MARCH = "from=2026-03-01&to=2026-03-31"


@pytest.fixture
def world(reference):
    return fixture.build()


def _get(query: str, *, cleared: bool = False, **headers: str):
    user = make_user(role=Role.ANALYST, is_1367_cleared=cleared)
    return client_for(user).get(f"{URL}?{query}", **headers)


def test_the_figures_by_type(world):
    body = _get(f"group_by=type&{MARCH}").json()
    assert (body["group_by"], body["period"]) == (
        "type",
        {"from": "2026-03-01", "to": "2026-03-31"},
    )
    assert [(r["key"], r["requests"]) for r in body["rows"]] == [
        ("general_case_inquiry", 4),
        ("notice_not_received", 1),
    ]
    total = body["total"]
    assert total["first_contact_resolution"] == {"numerator": 1, "denominator": 3, "rate": 1 / 3}
    assert total["repeats"]["within_60_days"] == {"numerator": 2, "denominator": 3, "rate": 2 / 3}
    assert total["form_letters_overridden"] == {"numerator": 1, "denominator": 2, "rate": 0.5}
    assert total["time_to_first_response"]["count"] == 3
    assert total["time_to_first_response"]["median_seconds"] == 2 * 86_400
    assert total["satisfaction"] == {
        "response_rate": {"numerator": 2, "denominator": 3, "rate": 2 / 3},
        "satisfied": {"numerator": 1, "denominator": 2, "rate": 0.5},
        "mean_rating": 3.5,
    }


def test_offices_fold_for_the_uncleared_only(world):
    folded = _get(f"group_by=office&{MARCH}").json()["rows"]
    cleared = _get(f"group_by=office&{MARCH}", cleared=True).json()["rows"]
    assert [(r["key"], r["requests"]) for r in folded] == [("ESC", 4), ("NSC", 1)]
    assert [(r["key"], r["requests"]) for r in cleared] == [("ESC", 3), ("ESC-VAWA", 1), ("NSC", 1)]


def test_labels_in_the_callers_language(world):
    rows = _get(f"group_by=language&{MARCH}", HTTP_ACCEPT_LANGUAGE="es").json()["rows"]
    assert [(r["key"], r["label"]) for r in rows] == [("en", "Inglés"), ("es", "Español")]


def test_the_default_is_by_office_over_twelve_months(world):
    body = _get("").json()
    assert body["group_by"] == "office"
    assert body["period"]["to"] > body["period"]["from"]


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ("group_by=person", "invalid_group_by", "group_by"),
        ("from=2026-13-01", "invalid_date", "from"),
        ("to=yesterday", "invalid_date", "to"),
        ("from=2026-04-01&to=2026-03-01", "invalid_period", "to"),
        ("from=2020-01-01&to=2026-03-01", "invalid_period", "from"),
        ("office=ESC", "unknown_parameter", "office"),
        ("group_by=type&group_by=office", "repeated_parameter", "group_by"),
    ],
)
def test_bad_parameters_are_refused_with_a_code(world, query, code, field):
    response = _get(query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["code"], [e["field"] for e in body["errors"]]) == (code, [field])
