"""From the requests to the public files, with nothing swapped out (issue 12): requests made
through the services, the rollups rebuilt, the published release, its pages and its
downloads, and the data package and catalogue validated as served."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from srmt.reporting.public.release import Filters, current_release
from srmt.reporting.rollups import build
from srmt.reporting.tests.public_fixture import small_world
from srmt.reporting.tests.test_open_data import dcat_errors, validate_package
from srmt.testing.factories import make_service_request

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _csv(client: Client, slug: str) -> list[dict[str, str]]:
    answer = client.get(f"/data/{slug}.csv")
    assert answer.status_code == 200
    return list(csv.DictReader(io.StringIO(answer.content.decode())))


def test_requests_reach_the_published_release_through_the_rollups(reference) -> None:
    # given 12 requests on each weekday of one week and 3 on the Monday after it
    for day in range(5):
        with time_machine.travel(MONDAY + dt.timedelta(days=day), tick=False):
            for _ in range(12):
                make_service_request()
    with time_machine.travel(MONDAY + dt.timedelta(days=7), tick=False):
        for _ in range(3):
            make_service_request()
    # when the rollups are rebuilt on the Wednesday after
    with time_machine.travel(MONDAY + dt.timedelta(days=9), tick=False):
        result = build.rebuild()
        release = current_release(Filters())
    # then only the complete week is published, with its 60 requests
    assert result.full is True
    assert (release.period_start, release.period_end) == (dt.date(2026, 3, 2), dt.date(2026, 3, 8))
    weeks = [(r["week"], r["requests_opened"]) for r in release.table("volume-by-week").rows]
    assert weeks == [("2026-03-02", 60)]


def test_the_served_files_of_a_real_release_are_valid(reference, tmp_path: Path) -> None:
    # given rollups with small counts (public_fixture.small_world: D and H cells)
    small_world()
    client = Client()
    # then the data package validates with the CSV files as served
    descriptor: dict[str, Any] = client.get("/data/datapackage.json").json()
    files = {r["name"]: client.get(r["path"]).content for r in descriptor["resources"]}
    report = validate_package(descriptor, files, tmp_path)
    assert (report.valid, report.flatten(["type", "note"])) == (True, [])
    # and the catalogue is valid DCAT-US
    assert dcat_errors(client.get("/data.json").json()) == []
    # and the files hold what the pages show, markers included
    assert [
        (r["month"], r["requests_opened"], r["requests_closed"], r["open_at_end"])
        for r in _csv(client, "volume-by-month")
    ] == [("2026-10", "40", "20", "120"), ("2026-11", "35", "25", "H")]
    page = client.get("/reports/volume/")
    assert (page.status_code, "November 2026" in page.content.decode()) == (200, True)
    # no count from 1 to 10 in any published file
    small = [
        (slug, row[column])
        for slug in files
        for row in _csv(client, slug)
        for column, value in row.items()
        if column in {"requests_opened", "requests_closed", "open_at_end"}
        and value.isdigit()
        and 1 <= int(value) <= 10
    ]
    assert small == []
