"""No input gets a 5xx: every malformed date, cursor, body or character is a 4xx with a stable
code, and an unexpected failure on an API route is still problem+json."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from srmt.api.tests.conftest import row_counts
from srmt.api.tests.endpoints import JSON_WRITES, World, documented_statuses, make_world
from srmt.service_requests import services
from srmt.testing.factories import make_service_request

LIST = "/api/v1/service-requests/"


@pytest.fixture
def world(reference, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    return make_world()


def problem(response) -> tuple[int, str, str]:
    """(status, content type, code) of a problem answer."""
    body = json.loads(response.content)
    return response.status_code, response["Content-Type"], body["code"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("created_after=2026-01-01T00:00%2B16:00", "created_after"),
        ("created_after=2026-01-01T00:00-16:00", "created_after"),
        ("created_before=2026-01-01T00:00%2B23:59", "created_before"),
        ("created_after=2026-01-01T00:00%2B14:01", "created_after"),
        ("created_after=9999-12-31T23:59:59", "created_after"),
        ("created_after=9999-12-31", "created_after"),
        ("created_before=0001-01-01T00:00:00%2B05:00", "created_before"),
        ("created_before=0001-01-01", "created_before"),
        ("created_after=1899-12-31T23:59:59Z", "created_after"),
        ("created_after=3000-01-01T00:00:00Z", "created_after"),
    ],
)
def test_date_filters_out_of_range_are_400(world, query, field):
    response = world.client.get(f"{LIST}?{query}")

    assert problem(response) == (400, "application/problem+json", "invalid")
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    "query",
    [
        "created_after=2026-01-01T00:00%2B14:00",
        "created_after=2026-01-01T00:00-12:00",
        "created_after=1900-01-01",
        "created_before=2999-12-31T23:59:59Z",
    ],
)
def test_date_filters_at_the_bounds_are_accepted(world, query):
    assert world.client.get(f"{LIST}?{query}").status_code == 200


@pytest.mark.parametrize(
    "cursor",
    [
        "cD0yMDI2",  # p=2026: not a position of this list
        "cD1ub3QtYS1kYXRl",  # p=not-a-date
        "bz0tMQ==",  # o=-1
        "zzz",  # not base64 of a cursor
        "%00",
    ],
)
def test_a_crafted_cursor_is_400_invalid_cursor(world, cursor):
    response = world.client.get(f"{LIST}?cursor={cursor}")

    status, content_type, code = problem(response)
    if cursor == "%00":  # refused before the view, by the NUL guard
        assert (status, code) == (400, "invalid_characters")
    else:
        assert (status, content_type, code) == (400, "application/problem+json", "invalid_cursor")


@pytest.mark.parametrize(("name", "method", "path", "_body"), JSON_WRITES, ids=lambda v: v)
@pytest.mark.parametrize("payload", ["[" * 30000, "{" * 30000, '{"a":' * 100 + "1" + "}" * 100])
def test_deeply_nested_json_is_400_on_every_json_endpoint(
    world, name, method, path, _body, payload
):
    before = row_counts()

    response = getattr(world.client, method)(
        world.fill(path), data=payload, content_type="application/json"
    )

    assert problem(response) == (400, "application/problem+json", "malformed_json")
    assert row_counts() == before


@pytest.mark.parametrize(("name", "method", "path", "_body"), JSON_WRITES, ids=lambda v: v)
def test_nesting_up_to_the_limit_is_parsed(world, name, method, path, _body):
    # 64 levels is accepted by the parser (and then refused by the serializer as a list).
    payload = "[" * 64 + "]" * 64

    response = getattr(world.client, method)(
        world.fill(path), data=payload, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] != "malformed_json"


@pytest.mark.parametrize(("name", "method", "path", "body"), JSON_WRITES, ids=lambda v: v)
def test_a_nul_character_in_a_json_string_is_400(world, name, method, path, body):
    key = next(iter(body))
    value = body[key]
    body = {**body, key: "a\x00b" if isinstance(value, str) else value, "x\x00": 1}
    before = row_counts()

    response = getattr(world.client, method)(world.fill(path), body, format="json")

    assert problem(response) == (400, "application/problem+json", "invalid_characters")
    assert row_counts() == before


def test_a_nul_in_a_related_username_is_400(world):
    response = world.client.patch(
        f"/api/v1/service-requests/{world.sr.reference}/", {"assignee": "\x00"}, format="json"
    )

    assert problem(response) == (400, "application/problem+json", "invalid_characters")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/service-requests/SR-AAAA%00AAAA/",
        "/api/v1/service-requests/%00/responses/",
        "/api/v1/cases/EAC%002190000001/",
        "/api/v1/service-requests/?office=%00",
        "/api/v1/service-requests/?status=received&receipt_number=%00",
        "/api/v1/offices/?kind=%00",
        "/api/v1/routing/explain?zip=%00",
        "/api/v1/service-requests/?x%00=1",
    ],
)
def test_nul_in_an_api_path_or_query_is_400_problem(world, path):
    response = world.client.get(path)

    assert problem(response) == (400, "application/problem+json", "invalid_characters")
    assert response["X-Request-ID"] == response.json()["request_id"]


@pytest.mark.parametrize(("name", "method", "path", "_body"), JSON_WRITES, ids=lambda v: v)
def test_a_body_over_the_limit_is_413_on_every_json_write_as_documented(
    world, settings, name, method, path, _body
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    before = row_counts()

    response = getattr(world.client, method)(
        world.fill(path), data=json.dumps({"body": "x" * 3_000}), content_type="application/json"
    )

    assert problem(response) == (413, "application/problem+json", "request_too_large")
    assert row_counts() == before
    assert "413" in documented_statuses(method, path)


def test_an_unknown_api_path_is_a_problem_not_a_page(world):
    response = world.client.get("/api/v1/no-such-thing/")

    assert problem(response) == (404, "application/problem+json", "not_found")


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v1/offices/x/y/"])
def test_an_unknown_api_path_needs_no_page_rendered(world, settings, path):
    # A deployment that skipped collectstatic cannot render pages (the manifest storage
    # refuses every asset): API answers must not depend on them.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = str(settings.BASE_DIR / "var" / "no-collectstatic-here")
    world.client.raise_request_exception = False

    response = world.client.get(path)

    assert problem(response) == (404, "application/problem+json", "not_found")


def test_an_unexpected_error_in_an_api_view_is_a_problem_500(world, monkeypatch, settings):
    settings.DEBUG = True  # even then: no debug page

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "add_note", explode)
    world.client.raise_request_exception = False
    before = row_counts()

    response = world.client.post(
        f"/api/v1/service-requests/{world.sr.reference}/notes/", {"body": "Hi"}, format="json"
    )

    assert problem(response) == (500, "application/problem+json", "server_error")
    body = response.json()
    assert body["request_id"] == response["X-Request-ID"]
    assert "boom" not in response.content.decode()
    assert row_counts() == before


def test_an_unexpected_error_in_an_api_list_is_a_problem_500(world, monkeypatch):
    def explode(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr("srmt.api.views.service_requests.queries.filter_requests", explode)
    world.client.raise_request_exception = False

    response = world.client.get(LIST)

    assert problem(response) == (500, "application/problem+json", "server_error")


def test_an_unexpected_error_is_logged_with_its_traceback(world, monkeypatch, caplog):
    monkeypatch.setattr(services, "add_note", lambda *a, **k: 1 / 0)
    world.client.raise_request_exception = False

    world.client.post(
        f"/api/v1/service-requests/{world.sr.reference}/notes/", {"body": "Hi"}, format="json"
    )

    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1
    assert errors[0].exc_info[0] is ZeroDivisionError


# --- staff pages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/staff/queues/?office=%00",
        "/staff/queues/?status=%00",
        "/staff/queues/SR-AAAA%00AAAA/",
        "/staff/requests/SR-AAAA%00AAAA/",
        "/staff/login/?next=%00",
        "/staff/intake/?receipt_number=EAC%002190000001",
    ],
)
def test_nul_in_a_staff_page_path_or_query_is_a_plain_400_page(world, path):
    client = Client()
    client.force_login(world.user)

    response = client.get(path)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "The address has a character that is not allowed" in response.content.decode()


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("note", {"body": "a\x00b"}),
        ("respond", {"kind": "initial", "body": "a\x00b"}),
        ("status", {"to": "transferred", "office": "\x00", "reason": "x"}),
        ("status", {"to": "merged", "duplicate_of": "SR-\x00", "reason": "x"}),
        ("assign", {"assignee": "\x00"}),
    ],
)
def test_a_nul_in_a_staff_form_post_changes_nothing(world, action, data):
    client = Client()
    client.force_login(world.user)
    sr = make_service_request()
    before = row_counts()

    response = client.post(f"/staff/requests/{sr.reference}/{action}/", data)

    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"] is not None
    assert row_counts() == before


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (
            "/staff/intake/new/",
            {
                "type": "general_case_inquiry",
                "channel": "phone_tier1",
                "urgency": "normal",
                "description": "Asks.",
                "requester_name": "Ana\x00",
            },
        ),
    ],
)
def test_a_nul_in_an_intake_form_changes_nothing(world, path, data):
    client = Client()
    client.force_login(world.user)
    before = row_counts()

    response = client.post(path, data)

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert row_counts() == before
