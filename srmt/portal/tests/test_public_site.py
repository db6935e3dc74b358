"""The public site's shell (issue 11 section 1, ADR 0040): the home page, the footer's contact
lines, the language switch that keeps the page, the strict Content-Security-Policy, the
public error pages (staff and API paths keep theirs) and plain language."""

from __future__ import annotations

import re

import pytest
import textstat
from django.conf import settings
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from srmt import error_pages
from srmt.cases import statuses

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference")]

PUBLIC_PAGES = ["/", "/status/", "/status/?receipt_number=nonsense", "/no-such-page/"]


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _client(language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _main_text(html: str) -> str:
    main = html.split('<main id="main-content"', 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main.split(">", 1)[1])
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Get help with your case",
                "Check your case status",
                "Check case status",
                "Contact Center",
                '<a href="tel:+18003755283">800-375-5283</a>',
                '<a href="tel:+18007671833">800-767-1833</a>',
                '<a href="tel:+18772474645">877-247-4645</a>',
                '<a href="tel:+18663155718">866-315-5718</a>',
                '<a href="tel:+18774248374">877-424-8374</a>',
                "An official website of the United States government",
                'href="/status/"',
            ],
        ),
        (
            "es",
            [
                "Obtenga ayuda con su caso",
                "Consulte el estado de su caso",
                "Consultar el estado del caso",
                "Centro de Contacto",
                '<a href="tel:+18003755283">800-375-5283</a>',
                "Un sitio oficial del Gobierno de Estados Unidos",
            ],
        ),
    ],
)
def test_the_home_page(language: str, expected: list[str]) -> None:
    response = _client(language).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    missing = [snippet for snippet in expected if snippet not in html]
    assert missing == []
    assert '<ul class="usa-card-group">' in html


@pytest.mark.parametrize("path", ["/status/?receipt_number=EAC2190012345", "/", "/status/"])
def test_the_language_switch_returns_to_the_same_url(path: str) -> None:
    client = _client()
    html = client.get(path).content.decode()
    assert f'<input type="hidden" name="next" value="{path.replace("&", "&amp;")}">' in html
    response = client.post(reverse("set_language"), {"language": "es", "next": path})
    assert (response.status_code, response["Location"]) == (302, path)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert '<html lang="es">' in client.get(path).content.decode()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_allow_no_inline_script(path: str) -> None:
    response = _client().get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(
        ([*part.split(" ", 1), ""])[:2] for part in (p.strip() for p in policy.split(";")) if part
    )
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    # Every script the page has is a file from this origin (an inline one would be blocked).
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", response.content.decode(), re.S)
    assert scripts
    assert all('src="/static/' in attrs and body == "" for attrs, body in scripts)
    assert not re.search(r"\son[a-z]+=", response.content.decode())  # no inline handlers


@pytest.mark.parametrize(
    ("path", "status", "expected", "content_type"),
    [
        ("/no-such-page/", 404, "We could not find this page", "text/html; charset=utf-8"),
        ("/status/nothing/", 404, "Go to the home page", "text/html; charset=utf-8"),
        ("/staff/no-such-page/", 404, "Go to your start page", "text/html; charset=utf-8"),
        ("/api/v1/no-such-thing/", 404, '"status": 404', "application/problem+json"),
    ],
)
def test_not_found_pages_by_part_of_the_site(
    path: str, status: int, expected: str, content_type: str
) -> None:
    response = _client().get(path)
    assert (response.status_code, response["Content-Type"]) == (status, content_type)
    assert expected in response.content.decode()


def test_the_public_404_page_in_spanish() -> None:
    response = _client("es").get("/no-such-page/")
    assert response.status_code == 404
    text = _main_text(response.content.decode())
    assert text.startswith("No encontramos esta página")
    assert "800-375-5283" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "public"),
    [("/", True), ("/status/", True), ("/account/x/", True), ("/staff/", False),
     ("/admin/", False), ("/api/v1/cases/", False)],
)  # fmt: skip
def test_403_and_500_pages_by_part_of_the_site(path: str, public: bool) -> None:
    request = RequestFactory().get(path)
    denied = error_pages.permission_denied(request, PermissionError())
    crashed = error_pages.server_error(request)
    assert (denied.status_code, crashed.status_code) == (403, 500)
    if path.startswith("/api/"):
        assert denied["Content-Type"] == crashed["Content-Type"] == "application/problem+json"
        return
    denied_html, crashed_html = denied.content.decode(), crashed.content.decode()
    assert ("You cannot do this" in denied_html) is public
    assert ("call the Contact Center" in crashed_html) is public
    if public:
        # The 500 page renders without the request: no language form, still the contact lines.
        assert "800-375-5283" in crashed_html
        assert "set_language" not in crashed_html
        assert "csrfmiddlewaretoken" not in crashed_html


# Flesch-Kincaid grade (textstat) of the English customer text, with the most common form
# (I-130) filled in: the form's official name is the agency's, not ours to simplify.
GRADE_LIMIT = 8.0
FACTS = {
    "date": "March 9, 2026",
    "form": "I-130",
    "form_name": "Petition for Alien Relative",
    "receipt": "EAC2190012345",
}


def _grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


@pytest.mark.parametrize(
    "entry", sorted(set(statuses.vocabulary().values()), key=lambda e: e.title_en),
    ids=lambda e: e.title_en,
)  # fmt: skip
def test_every_status_description_reads_at_grade_8_or_below(entry) -> None:
    assert _grade(entry.description_en.format(**FACTS)) <= GRADE_LIMIT


@pytest.mark.parametrize(
    "template",
    [
        statuses.GENERIC_DESCRIPTION_EN,
        statuses.NO_STATUS_DESCRIPTION_EN,
    ],
)
def test_the_generic_descriptions_read_at_grade_8_or_below(template: str) -> None:
    assert _grade(template.format(**FACTS)) <= GRADE_LIMIT


@pytest.mark.parametrize(
    "path",
    ["/", "/status/", "/status/?receipt_number=nonsense",
     "/status/?receipt_number=EAC2190077777", "/no-such-page/"],
)  # fmt: skip
def test_the_pages_read_at_grade_8_or_below(path: str) -> None:
    text = _main_text(_client().get(path).content.decode())
    assert _grade(text) <= GRADE_LIMIT, text


def test_the_429_page_reads_at_grade_8_or_below(settings) -> None:
    settings.SRMT_STATUS_LOOKUP_RATE = "1/minute"
    client = _client()
    client.get("/status/", {"receipt_number": "EAC2190077777"})
    response = client.get("/status/", {"receipt_number": "EAC2190077777"})
    assert response.status_code == 429
    assert _grade(_main_text(response.content.decode())) <= GRADE_LIMIT
