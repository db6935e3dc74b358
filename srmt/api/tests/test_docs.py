"""/api/docs/: Swagger UI served from the project's own static files, for signed-in staff."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from srmt.accounts.choices import Role
from srmt.testing.factories import make_user

DOCS = "/api/docs/"
CHROMIUM = Path("/usr/bin/chromium")


def assets(html: str) -> list[str]:
    """Every script, stylesheet and icon address a page refers to."""
    return re.findall(r'(?:src|href)="([^"]+)"', html)


@pytest.fixture
def staff_client(reference) -> Client:
    client = Client()
    client.force_login(make_user(role=Role.TIER1))
    return client


def test_anonymous_visitors_are_sent_to_sign_in_and_back(db):
    response = Client().get(DOCS)

    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=/api/docs/"


def test_the_schema_still_needs_authentication(db):
    response = Client().get("/api/schema/")

    assert response["Content-Type"] == "application/problem+json"
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_the_docs_page_uses_only_the_projects_own_assets(staff_client):
    response = staff_client.get(DOCS)

    assert response.status_code == 200
    html = response.content.decode()
    addresses = assets(html)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in addresses
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in addresses
    assert [a for a in addresses if urlsplit(a).netloc] == []
    for address in addresses:
        if address.startswith("/static/"):
            assert finders.find(address.removeprefix("/static/")) is not None, address
    assert "cdn." not in html
    assert "<script>" not in html.replace(" ", "")  # no inline script: the page is CSP-ready


def test_the_docs_script_points_at_the_schema(staff_client):
    response = staff_client.get(DOCS, {"script": ""})

    assert response.status_code == 200
    assert "/api/schema/" in response.content.decode()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; CI must run the browser tests.")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make browsers).")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.mark.browser
def test_swagger_ui_renders_with_no_network_but_the_server(live_server, reference, browser):
    user = make_user(role=Role.TIER1)
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    refused: list[str] = []

    def only_the_server(route: Any) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_server)

    page.goto(f"{live_server.url}{DOCS}")

    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "SRMT API" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() > 20
    assert refused == []
