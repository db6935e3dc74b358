"""The public reports pages (issue 12 §2, ADR 0049): both languages, charts and tables,
filters and their errors, the empty state, notable changes, and no small count anywhere."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from srmt.reporting.models import DailyRollup, Detection, RollupState
from srmt.reporting.tests.public_fixture import REFRESHED_AT, small_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference")]

TOPICS = ["volume", "timeliness", "escalations", "repeats", "satisfaction"]
PAGES = ["/reports/", "/reports/about/", *[f"/reports/{t}/" for t in TOPICS]]
COUNTS = {
    "requests_opened",
    "requests_closed",
    "open_at_end",
    "escalated",
    "repeat_requests",
    "reopened",
    "surveys_answered",
}


def _client(language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _main(html: str) -> str:
    main = html.split('<main id="main-content"', 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main.split(">", 1)[1])
    return re.sub(r"\s+", " ", text).strip()


def _figure(response: Any, slug: str) -> dict[str, Any]:
    return next(f for f in response.context["figures"] if f["slug"] == slug)


def _cells(figure: dict[str, Any]) -> list[tuple[str, list[str]]]:
    return [(label, [cell.text for cell in cells]) for label, cells in figure["rows"]]


def test_the_urls() -> None:
    assert [reverse("portal:reports"), reverse("portal:reports-about")] == PAGES[:2]
    assert [reverse("portal:report", args=[t]) for t in TOPICS] == PAGES[2:]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_in_both_languages(url: str, language: str) -> None:
    small_world()
    response = _client(language).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    # CSP: no inline style, no inline script
    assert " style=" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    text = _main(html)
    if language == "es":
        assert (
            "Cifras de las semanas completas (de lunes a domingo) del 26 de octubre de 2026 al "
            "15 de noviembre de 2026." in text
        )
        assert "Informes públicos" in html
    else:
        assert (
            "Figures for the complete weeks (Monday to Sunday) from Oct. 26, 2026 to Nov. 15, 2026."
            in text
        )
        assert "Last updated on Nov. 18, 2026." in text


def test_the_volume_page_charts_and_tables_every_figure() -> None:
    small_world()
    response = _client().get("/reports/volume/")
    html = response.content.decode()
    assert [f["slug"] for f in response.context["figures"]] == [
        "volume-by-month",
        "volume-by-type",
        "volume-by-channel",
        "volume-by-form",
        "volume-by-office",
    ]
    by_month = _figure(response, "volume-by-month")
    assert by_month["headers"] == [
        "Weeks",
        "Requests opened",
        "Requests closed",
        "Open at end of period",
    ]
    assert _cells(by_month) == [
        ("October 2026", ["1", "40", "20", "120"]),
        ("November 2026", ["2", "35", "25", "H"]),
    ]
    assert _cells(_figure(response, "volume-by-office")) == [
        ("Vermont Service Center", ["35", "25", "D"]),
        ("Nebraska Service Center", ["40", "20", "120"]),
    ]
    # the chart: an accessible image named by its title and description
    assert (
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-labelledby="chart-1-title chart-1-desc" viewBox="0 0 480 124"' in html
    )
    assert '<title id="chart-1-title">Requests by month: Requests opened</title>' in html
    # a hidden value: its marker explained, in the table and under the figure
    assert (
        '<abbr title="D: hidden to protect privacy (a count from 1 to 10, or too few '
        'requests).">D</abbr>' in html
    )
    assert '<a href="/data/volume-by-month.csv">Requests by month (CSV)</a>' in html
    assert '<a href="/data/volume-by-month.json">Requests by month (JSON)</a>' in html
    assert "How it is computed:" in html


def test_a_table_charted_twice_is_tabled_once() -> None:
    small_world()
    response = _client().get("/reports/timeliness/")
    figures = response.context["figures"]
    assert [(f["slug"], f["show_table"]) for f in figures] == [
        ("timeliness-by-month", True),
        ("timeliness-by-month", False),
        ("timeliness-by-type", True),
    ]
    assert _cells(figures[0]) == [
        ("October 2026", ["1", "D", "D", "3", "20", "66.7%"]),
        ("November 2026", ["2", "–", "–", "–", "–", "–"]),
    ]
    assert [(b.label, b.value_text, b.marker) for b in figures[1]["chart"].bars] == [
        ("October 2026", "66.7%", ""),
        ("November 2026", "–", ""),
    ]


def test_the_spanish_page_names_and_formats_in_spanish() -> None:
    small_world()
    response = _client("es").get("/reports/repeats/")
    figure = _figure(response, "repeats-by-type")
    assert (
        figure["title"]
        == "Solicitudes repetidas y reabiertas por tipo: Proporción de solicitudes repetidas"
    )
    assert _cells(figure) == [
        ("Solicitud de trámite acelerado", ["35", "0", "0,0%", "25", "0", "0,0%"]),
        ("Error tipográfico", ["40", "15", "37,5%", "20", "0", "0,0%"]),
    ]
    assert _cells(_figure(response, "repeats-by-month"))[0][0] == "octubre de 2026"


@pytest.mark.parametrize("url", PAGES)
def test_no_count_from_1_to_10_on_any_page(url: str) -> None:
    small_world()
    response = _client().get(url)
    for figure in response.context.get("figures") or []:
        for _, cells in figure["rows"]:
            for name, cell in zip(figure["column_names"], cells, strict=True):
                if name in COUNTS:
                    assert cell.text not in {str(n) for n in range(1, 11)}, (figure["slug"], name)
        for bar in figure["chart"].bars:
            if figure["chart"].title.endswith(("Requests opened",)):
                assert bar.value_text not in {str(n) for n in range(1, 11)}


def test_filters_narrow_the_figures() -> None:
    small_world()
    response = _client().get(
        "/reports/volume/", {"office": "ESC", "start": "2026-11-04", "end": "", "type": ""}
    )
    assert response.status_code == 200
    assert _cells(_figure(response, "volume-by-month")) == [
        ("November 2026", ["2", "35", "25", "D"])
    ]
    assert "from Nov. 2, 2026 to Nov. 15, 2026." in _main(response.content.decode())
    # the form keeps the choices
    assert (
        '<option value="ESC" selected>Vermont Service Center (ESC)</option>'
        in response.content.decode()
    )


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"start": "2026-13-01"}, {"start": ["Enter a valid date."]}),
        (
            {"office": "XXX"},
            {"office": ["Select a valid choice. XXX is not one of the available choices."]},
        ),
        # a confidential unit is counted in its parent office, never on its own
        (
            {"office": "ESC-VAWA"},
            {"office": ["Select a valid choice. ESC-VAWA is not one of the available choices."]},
        ),
        (
            {"type": "nope"},
            {"type": ["Select a valid choice. nope is not one of the available choices."]},
        ),
        (
            {"channel": "pigeon"},
            {"channel": ["Select a valid choice. pigeon is not one of the available choices."]},
        ),
        (
            {"form": "I-000"},
            {"form": ["Select a valid choice. I-000 is not one of the available choices."]},
        ),
        (
            {"start": "2026-11-10", "end": "2026-11-01"},
            {"__all__": ["The start date must not be after the end date."]},
        ),
        (
            {"start": "2027-01-04"},
            {
                "__all__": [
                    "No complete week in this period is published. Choose dates from "
                    "Oct. 26, 2026 to Nov. 15, 2026."
                ]
            },
        ),
        (
            {"end": "2026-10-01"},
            {
                "__all__": [
                    "No complete week in this period is published. Choose dates from "
                    "Oct. 26, 2026 to Nov. 15, 2026."
                ]
            },
        ),
    ],
)
def test_bad_filters_answer_400_with_the_error_and_no_figures(
    query: dict[str, str], errors: dict[str, list[str]]
) -> None:
    small_world()
    before = (
        DailyRollup.objects.count(),
        list(RollupState.objects.values_list("refreshed_at", flat=True)),
    )
    response = _client().get("/reports/volume/", query)
    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert "figures" not in response.context
    html = response.content.decode()
    assert '<div class="usa-alert usa-alert--error" role="alert">' in html
    assert "Nothing is shown until the choices above are corrected." in html
    assert "<svg" not in html
    # nothing changed
    assert (
        DailyRollup.objects.count(),
        list(RollupState.objects.values_list("refreshed_at", flat=True)),
    ) == before


def test_an_unknown_topic_is_not_found() -> None:
    assert _client().get("/reports/nothing/").status_code == 404


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("url", PAGES)
def test_before_anything_is_published_the_pages_say_so(url: str, language: str) -> None:
    response = _client(language).get(url)
    assert response.status_code == 200
    text = _main(response.content.decode())
    heading = "Nothing is published yet" if language == "en" else "Todavía no hay nada publicado"
    assert heading in text
    assert "<svg" not in response.content.decode()


def _detection(series: str, level: str, **fields: Any) -> None:
    values: dict[str, Any] = {
        "kind": "spike",
        "direction": "up",
        "start": dt.date(2026, 11, 3),
        "end": dt.date(2026, 11, 4),
        "expected": 40.4,
        "observed": 1290,
        "p_value": 0.0001,
        "explanation_en": "stored explanation: 3 from one office",
        "explanation_es": "explicación guardada: 3 de una oficina",
        "detected_at": REFRESHED_AT,
        "updated_at": REFRESHED_AT,
        **fields,
    }
    Detection.objects.create(series=series, level=level, **values)


def test_notable_changes_in_the_readers_language() -> None:
    small_world()
    _detection("national", "national")
    _detection(
        "channel=online",
        "channel",
        channel="online",
        direction="down",
        kind="drop",
        observed=11,
        expected=25.0,
        start=dt.date(2026, 11, 10),
        end=dt.date(2026, 11, 10),
    )
    _detection("channel=mail", "channel", channel="mail", observed=9)
    english = _main(_client("en").get("/reports/").content.decode())
    # (the Spanish thousands separator, a no-break space, is a space in _main)
    spanish = _main(_client("es").get("/reports/").content.decode())
    assert (
        "Requests received by Online e-Request were lower than usual from Nov. 10, 2026 to "
        "Nov. 10, 2026: 11, when we expected about 25." in english
    )
    assert (
        "Requests received across the country were higher than usual from Nov. 3, 2026 to "
        "Nov. 4, 2026: 1,290, when we expected about 40." in english
    )
    assert (
        "Las solicitudes recibidas en todo el país fueron más de lo habitual del 3 de "
        "noviembre de 2026 al 4 de noviembre de 2026: 1 290, cuando esperábamos unas 40." in spanish
    )
    # never the stored explanation (it may name small counts), never a small series
    assert "stored explanation" not in english
    assert "Mail" not in english


def test_the_home_page_and_the_menu_link_to_the_reports() -> None:
    html = _client().get("/").content.decode()
    assert '<a class="usa-button" href="/reports/">See our public reports</a>' in html
    assert '<a class="usa-nav-link" href="/reports/"><span>Reports</span></a>' in html
    reports = _client().get("/reports/about/").content.decode()
    assert (
        '<a class="usa-nav-link usa-current" href="/reports/"><span>Reports</span></a>' in reports
    )
