"""The outcomes page, its CSV export and the outcome-metrics API (docs/adr/0037): every
actor kind, the table, the grouping and period, and refusals that change nothing.

Customers and representatives are nobody on these URLs too (test_outside_accounts walks
every URL); the metrics themselves are srmt/outcomes/tests/test_metrics.py's."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from srmt.accounts.choices import Role
from srmt.api.tests.conftest import client_for as api_client_for
from srmt.audit.models import AuditEvent
from srmt.outcomes.tests import fixture
from srmt.staff.tests.conftest import client_for
from srmt.testing.factories import make_user

pytestmark = pytest.mark.django_db

PAGE = "/staff/quality/outcomes/?group_by=office&start=2026-03-01&end=2026-03-31"
EXPORT = "/staff/quality/outcomes/export.csv?group_by=type&start=2026-03-01&end=2026-03-31"
API = "/api/v1/metrics/outcomes?group_by=office&from=2026-03-01&to=2026-03-31"

# role -> (page, export, API): written out, not derived from accounts.roles.
EXPECTED = {
    Role.TIER1: (403, 403, 403),
    Role.TIER2: (403, 403, 403),
    Role.OFFICE_STAFF: (403, 403, 403),
    Role.SUPERVISOR: (200, 200, 200),
    Role.QA_REVIEWER: (200, 200, 200),
    Role.ANALYST: (200, 200, 200),
    Role.ADMINISTRATOR: (200, 200, 200),
    Role.CASE_SYSTEM: (403, 403, 403),
}


@pytest.fixture
def world(reference):
    return fixture.build()


def test_the_matrix_covers_every_role():
    assert set(EXPECTED) == set(Role)


@pytest.mark.parametrize("role", list(EXPECTED), ids=str)
def test_permission_matrix(world, role):
    user = make_user(f"u_{role}", role=role, offices=["ESC"])
    page_client, api_client = client_for(user), api_client_for(user)  # signing in is audited
    events = AuditEvent.objects.count()
    page = page_client.get(PAGE)
    export = page_client.get(EXPORT)
    api = api_client.get(API)
    assert (page.status_code, export.status_code, api.status_code) == EXPECTED[role]
    # Reading writes nothing; an export is audited once, a refused one not at all.
    assert AuditEvent.objects.count() - events == (1 if EXPECTED[role][1] == 200 else 0)


def test_without_a_session(world):
    assert Client().get(PAGE)["Location"].startswith("/staff/login/?next=")
    assert Client().get(EXPORT)["Location"].startswith("/staff/login/?next=")
    assert api_client_for(None).get(API).status_code in {401, 403}


def _table(response) -> str:
    return response.content.decode()


def test_the_table_by_office_folds_the_confidential_unit_for_the_uncleared(world):
    analyst = make_user("ann", role=Role.ANALYST)
    html = _table(client_for(analyst).get(PAGE))
    assert "VAWA" not in html
    assert (
        '<tr><th scope="row">Vermont Service Center</th><td>4</td><td>33.3% (1 of 3)</td>' in html
    )
    assert "<td>50.0% (1 of 2)</td>" in html  # form letters overridden
    assert "A confidential unit's requests are counted in its parent office." in html


def test_the_cleared_see_the_confidential_unit(world):
    admin = make_user("ada", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    html = _table(client_for(admin).get(PAGE))
    assert '<th scope="row">Vermont Service Center, VAWA/T/U unit</th><td>1</td>' in html


def test_the_page_in_spanish(world):
    analyst = make_user("ann", role=Role.ANALYST)
    client = client_for(analyst)
    client.cookies["django_language"] = "es"
    html = _table(client.get(PAGE))
    assert "<h1>Resultados</h1>" in html
    assert "<td>33,3 % (1 de 3)</td>" in html
    assert '<th scope="row">Todas las solicitudes</th>' in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("start=2026-04-01&end=2026-03-01", "end", "The period ends before it starts."),
        ("start=2020-01-01&end=2026-03-01", "start", "Choose a period of at most 1100 days."),
        ("start=2026-02-30", "start", "Enter a valid date."),
        ("group_by=person", "group_by", "Select a valid choice."),
    ],
)
def test_a_bad_choice_is_shown_on_the_form(world, query, field, message):
    analyst = make_user("ann", role=Role.ANALYST)
    response = client_for(analyst).get(f"/staff/quality/outcomes/?{query}")
    assert response.status_code == 400
    assert response.context["form"].errors[field][0].startswith(message)


def test_the_csv_export(world):
    analyst = make_user("ann", role=Role.ANALYST)
    response = client_for(analyst).get(EXPORT)
    assert response["Content-Disposition"] == (
        'attachment; filename="srmt-outcomes-type-2026-03-01-2026-03-31.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, body = rows[0], rows[1:]
    assert header[:6] == [
        "Group",
        "Label",
        "Requests",
        "First-contact resolution: numerator",
        "First-contact resolution: denominator",
        "First-contact resolution: rate",
    ]
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in body] == [
        ("general_case_inquiry", "4", "1", "3", "0.3333"),
        ("notice_not_received", "1", "0", "0", ""),
        ("total", "5", "1", "3", "0.3333"),
    ]
    median = header.index("Time to first response: median seconds")
    assert body[-1][median] == "172800"
    event = AuditEvent.objects.get(action="metrics.exported")
    assert (event.actor_id, event.object_id, event.changes) == (
        analyst.pk,
        "type",
        {"from": "2026-03-01", "to": "2026-03-31"},
    )


def test_the_navigation_shows_the_page_to_those_who_may_see_it(world):
    link = 'href="/staff/quality/outcomes/"'
    assert link in _table(client_for(make_user("ann", role=Role.ANALYST)).get("/staff/statistics/"))
    tier2 = make_user("tom", role=Role.TIER2, offices=["ESC"])
    assert link not in _table(client_for(tier2).get("/staff/"))
