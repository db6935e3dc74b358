"""The open-data pages and files (issue 12 section 3, ADR 50): /data/, each table's CSV and
JSON, /data/datapackage.json and the DCAT-US catalogue /data.json, served from the published
release (here a release built in the test: srmt.reporting.tests.test_open_data.RELEASE)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils.http import http_date

from srmt.reporting.public import downloads
from srmt.reporting.public.release_types import Release
from srmt.reporting.tests.test_open_data import RELEASE, dcat_errors, validate_package

pytestmark = pytest.mark.django_db

SLUGS = [table.slug for table in RELEASE.tables]
REFRESHED = http_date(RELEASE.refreshed_at.timestamp()) if RELEASE.refreshed_at else ""


@pytest.fixture(autouse=True)
def release(monkeypatch: pytest.MonkeyPatch) -> Release:
    monkeypatch.setattr(downloads, "published_release", lambda: RELEASE)
    return RELEASE


def _client(language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _main_text(html: str) -> str:
    main = html.split('<main id="main-content"', 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main.split(">", 1)[1])
    return re.sub(r"\s+", " ", text).strip()


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Open data",
                "The files cover September 28, 2026 to November 29, 2026.",
                "Last updated December 1, 2026.",
                "Requests by month and office",
                "Service requests received, by month and office.",
                "4 rows.",
                "Data dictionary: Requests by month and office",
                "month Month Date (YYYY-MM-DD) First day of the month.",
                "requests Requests Whole number Received.",
                "share Share Number Of all.",
                "office Office Text The office.",
                "D: hidden to protect privacy",
                "H: hidden so that a number marked D cannot be worked out from it.",
                "in the public domain in the United States",
                "DCAT-US 1.1",
            ],
        ),
        (
            "es",
            [
                "Datos abiertos",
                "Los archivos abarcan del 28 de septiembre de 2026 al 29 de noviembre de 2026.",
                "Última actualización: 1 de diciembre de 2026.",
                "Solicitudes por mes y oficina",
                "Solicitudes de servicio recibidas, por mes y oficina.",
                "4 filas.",
                "Diccionario de datos: Solicitudes por mes y oficina",
                "month Mes Fecha (AAAA-MM-DD) Primer día del mes.",
                "requests Solicitudes Número entero Recibidas.",
                "share Proporción Número Del total.",
                "office Oficina Texto La oficina.",
                "D: oculto para proteger la privacidad",
                "dominio público en los Estados Unidos",
                "DCAT-US 1.1",
            ],
        ),
    ],
)
def test_the_open_data_page_lists_every_table_with_its_dictionary(
    language: str, expected: list[str]
) -> None:
    page = _client(language).get("/data/")
    text = _main_text(page.content.decode())
    assert page.status_code == 200
    assert [phrase for phrase in expected if phrase not in text] == []


def test_the_open_data_page_links_every_file() -> None:
    body = _client().get("/data/").content.decode()
    links = set(re.findall(r'href="(/data[^"#]*)"', body))
    assert links == {
        "/data/",
        "/data/datapackage.json",
        "/data.json",
        *(f"/data/{slug}.{kind}" for slug in SLUGS for kind in ("csv", "json")),
    }
    assert '<a href="https://www.usa.gov/government-copyright">' in body


def test_the_open_data_page_says_when_nothing_is_published(monkeypatch: pytest.MonkeyPatch) -> None:
    empty = Release(RELEASE.period_start, RELEASE.period_end, None, ())
    monkeypatch.setattr(downloads, "published_release", lambda: empty)
    text = _main_text(_client().get("/data/").content.decode())
    assert "No tables are published yet." in text
    assert "Last updated" not in text


def test_every_public_page_links_to_open_data() -> None:
    body = _client().get("/").content.decode()
    footer = body.split('<footer class="usa-footer">', 1)[1]
    assert '<a href="/data/">Open data: download our service request statistics</a>' in footer


# --- the files --------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_a_table_downloads_as_csv(slug: str) -> None:
    answer = _client().get(f"/data/{slug}.csv")
    assert answer.status_code == 200
    assert answer.content == downloads.table_csv(RELEASE.table(slug))
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"] == f'attachment; filename="{slug}.csv"'
    assert answer["Last-Modified"] == REFRESHED
    assert answer["Cache-Control"] == "public, max-age=300"
    assert re.fullmatch(r'"[0-9a-f]{32}"', answer["ETag"])


@pytest.mark.parametrize("slug", SLUGS)
def test_a_table_downloads_as_json(slug: str) -> None:
    answer = _client().get(f"/data/{slug}.json")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    assert "Content-Disposition" not in answer
    assert answer.json() == json.loads(downloads.table_json(RELEASE, RELEASE.table(slug)))


FILES = ["/data/datapackage.json", "/data.json"] + [
    f"/data/{slug}.{kind}" for slug in SLUGS for kind in ("csv", "json")
]


@pytest.mark.parametrize("path", FILES)
def test_every_file_is_the_same_in_every_language_and_revalidates_by_etag(path: str) -> None:
    english, spanish = _client("en").get(path), _client("es").get(path)
    assert (english.status_code, spanish.status_code) == (200, 200)
    assert english.content == spanish.content
    assert english["ETag"] == spanish["ETag"]
    # a client holding this version is told it is current, with no body
    again = _client().get(path, HTTP_IF_NONE_MATCH=english["ETag"])
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", english["ETag"])
    since = _client().get(path, HTTP_IF_MODIFIED_SINCE=REFRESHED)
    assert since.status_code == 304
    # and an older one gets the file
    stale = _client().get(path, HTTP_IF_NONE_MATCH='"0123456789abcdef0123456789abcdef"')
    assert (stale.status_code, stale.content) == (200, english.content)


def test_a_new_refresh_changes_the_validators(monkeypatch: pytest.MonkeyPatch) -> None:
    csv_before = _client().get("/data/response-times.csv")
    json_before = _client().get("/data/response-times.json")
    later = Release(
        RELEASE.period_start,
        RELEASE.period_end + dt.timedelta(days=7),
        dt.datetime(2026, 12, 8, 6, 30, tzinfo=dt.UTC),
        RELEASE.tables,
    )
    monkeypatch.setattr(downloads, "published_release", lambda: later)
    # the CSV's bytes are the same, so is its ETag, but it is newer than the client's copy
    csv_after = _client().get("/data/response-times.csv", HTTP_IF_MODIFIED_SINCE=REFRESHED)
    assert (csv_after.status_code, csv_after["ETag"]) == (200, csv_before["ETag"])
    assert csv_after["Last-Modified"] == "Tue, 08 Dec 2026 06:30:00 GMT"
    # the JSON names the new period and refresh: a new ETag, so the old one gets the file
    json_after = _client().get("/data/response-times.json", HTTP_IF_NONE_MATCH=json_before["ETag"])
    assert json_after.status_code == 200
    assert json_after["ETag"] != json_before["ETag"]
    assert json_after.json()["period"] == {"start": "2026-09-28", "end": "2026-12-06"}


@pytest.mark.parametrize(
    "path", ["/data/no-such-table.csv", "/data/no-such-table.json", "/data/volume-by-month.xml"]
)
def test_an_unknown_table_is_not_found(path: str) -> None:
    assert _client().get(path).status_code == 404


@pytest.mark.parametrize("path", ["/data/", *FILES])
def test_the_open_data_pages_only_read(path: str) -> None:
    answer = _client().post(path)
    assert (answer.status_code, answer["Allow"]) == (405, "GET, HEAD")


# --- the data package and the catalogue, as served ------------------------------------------


def test_the_served_data_package_is_valid_with_the_served_csv_files(tmp_path: Path) -> None:
    client = _client()
    descriptor = client.get("/data/datapackage.json").json()
    paths = {r["name"]: r["path"] for r in descriptor["resources"]}
    assert paths == {slug: f"http://testserver/data/{slug}.csv" for slug in SLUGS}
    files = {name: client.get(url).content for name, url in paths.items()}
    report = validate_package(descriptor, files, tmp_path)
    assert (report.valid, report.flatten(["type", "note"])) == (True, [])


def test_the_served_catalogue_is_valid_dcat_us_and_every_link_answers() -> None:
    client = _client()
    catalog: dict[str, Any] = client.get("/data.json").json()
    assert dcat_errors(catalog) == []
    assert catalog["@id"] == "http://testserver/data.json"
    dataset = catalog["dataset"][0]
    assert dataset["publisher"]["name"] == settings.SRMT_AGENCY_NAME
    assert dataset["contactPoint"]["hasEmail"] == f"mailto:{settings.SRMT_OPEN_DATA_CONTACT_EMAIL}"
    served = []
    for dataset in catalog["dataset"]:
        for distribution in dataset["distribution"]:
            answer = client.get(distribution["downloadURL"])
            served.append((answer.status_code, answer["Content-Type"].split(";")[0]))
            assert distribution["mediaType"] == served[-1][1]
        for link in (dataset["describedBy"], dataset["landingPage"]):
            assert client.get(link).status_code == 200
    assert served == [(200, "text/csv"), (200, "application/json")] * len(SLUGS)
