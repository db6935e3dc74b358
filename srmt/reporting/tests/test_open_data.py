"""The open-data files of a release (ADR 50): CSV and JSON of each table, the Frictionless
Data Package and the DCAT-US 1.1 catalogue, checked against the formats' own validators
(frictionless; the DCAT-US JSON Schema copied into srmt/reporting/public/schemas)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from frictionless import Package, validate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from srmt.reporting.public import downloads
from srmt.reporting.public.release_types import Column, Release, Table, Value

SCHEMAS = Path(downloads.__file__).parent / "schemas" / "dcat-us-1.1"

VOLUME = Table(
    slug="volume-by-month",
    title_en="Requests by month and office",
    title_es="Solicitudes por mes y oficina",
    description_en="Service requests received, by month and office.",
    description_es="Solicitudes de servicio recibidas, por mes y oficina.",
    columns=(
        Column("month", "Month", "Mes", "date", "First day of the month.", "Primer día del mes."),
        Column("office", "Office", "Oficina", "string", "The office.", "La oficina."),
        Column("requests", "Requests", "Solicitudes", "integer", "Received.", "Recibidas."),
        Column("share", "Share", "Proporción", "number", "Of all.", "Del total."),
    ),
    rows=(
        {"month": "2026-10-01", "office": "Los Angeles, CA", "requests": 1520, "share": 0.25},
        {"month": "2026-10-01", "office": 'Office "B"', "requests": "D", "share": "D"},
        {"month": "2026-10-01", "office": "San José", "requests": "H", "share": None},
        {"month": "2026-10-01", "office": "Total", "requests": 0, "share": 1.0},
    ),
)
TIMES = Table(
    slug="response-times",
    title_en="Days to a final response",
    title_es="Días hasta la respuesta final",
    description_en="Median days.",
    description_es="Mediana de días.",
    columns=(
        Column("form", "Form", "Formulario", "string", "Form number.", "Número de formulario."),
        Column("median_days", "Median", "Mediana", "number", "Median days.", "Mediana."),
    ),
    rows=({"form": "I-130", "median_days": 12.5}, {"form": "I-485", "median_days": "D"}),
)
RELEASE = Release(
    period_start=dt.date(2026, 9, 28),
    period_end=dt.date(2026, 11, 29),
    refreshed_at=dt.datetime(2026, 12, 1, 6, 30, tzinfo=dt.UTC),
    tables=(VOLUME, TIMES),
)
LINKS = downloads.Links(
    page="https://example.gov/data/",
    package="https://example.gov/data/datapackage.json",
    catalog="https://example.gov/data.json",
    csv=lambda slug: f"https://example.gov/data/{slug}.csv",
    json=lambda slug: f"https://example.gov/data/{slug}.json",
)
PUBLISHER = downloads.Publisher(
    name="U.S. Citizenship and Immigration Services",
    contact_name="Open data team",
    contact_email="open-data@agency.example",
    bureau_code="024:30",
    program_code="024:000",
)


def dcat_validator() -> Draft4Validator:
    """The DCAT-US 1.1 catalogue schema, its `$ref`s resolved from the local copies."""
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.json")}
    registry: Registry[Any] = Registry().with_resources(
        (schema["id"].rstrip("#"), Resource.from_contents(schema, default_specification=DRAFT4))
        for schema in schemas.values()
    )
    return Draft4Validator(schemas["catalog.json"], registry=registry)


def dcat_errors(document: dict[str, Any]) -> list[str]:
    return sorted(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in dcat_validator().iter_errors(document)
    )


def validate_package(descriptor: dict[str, Any], files: dict[str, bytes], folder: Path) -> Any:
    """Frictionless's report on the package with each resource's data read from `files`
    (by slug) written into `folder`, not fetched."""
    local = json.loads(json.dumps(descriptor))
    for resource in local["resources"]:
        path = folder / f"{resource['name']}.csv"
        path.write_bytes(files[resource["name"]])
        resource["path"] = path.name
    return validate(local, basepath=str(folder))


# --- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (0, "0"), (1520, "1520"), (0.25, "0.25"), (12.5, "12.5"), (1.0, "1.0"),
     ("D", "D"), ("H", "H"), ("San José", "San José")],
)  # fmt: skip
def test_a_value_is_written_as(value: Value, text: str) -> None:
    assert downloads.csv_cell(value) == text


def test_a_boolean_is_not_a_release_value() -> None:
    with pytest.raises(TypeError):
        downloads.csv_cell(True)


def test_a_table_is_csv_with_a_header_of_column_names_and_markers_as_text() -> None:
    assert (
        downloads.table_csv(VOLUME)
        == (
            "month,office,requests,share\r\n"
            '2026-10-01,"Los Angeles, CA",1520,0.25\r\n'
            '2026-10-01,"Office ""B""",D,D\r\n'
            "2026-10-01,San José,H,\r\n"
            "2026-10-01,Total,0,1.0\r\n"
        ).encode()
    )


def test_a_table_without_rows_is_its_header() -> None:
    empty = Table("empty", "E", "E", "E", "E", VOLUME.columns, ())
    assert downloads.table_csv(empty) == b"month,office,requests,share\r\n"


cells = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["D", "H"]),
    st.text(max_size=12),
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({"a": cells, "b": cells}), max_size=8))
def test_every_table_reads_back_cell_for_cell(rows: list[dict[str, Value]]) -> None:
    columns = (
        Column("a", "A", "A", "string", "", ""),
        Column("b", "B", "B", "number", "", ""),
    )
    table = Table("t", "T", "T", "", "", columns, tuple(rows))
    read = list(csv.reader(io.StringIO(downloads.table_csv(table).decode(), newline="")))
    document = json.loads(downloads.table_json(RELEASE, table))
    assert read == [["a", "b"]] + [
        [downloads.csv_cell(r["a"]), downloads.csv_cell(r["b"])] for r in rows
    ]
    assert document["rows"] == rows


# --- JSON -------------------------------------------------------------------------------------


def test_a_table_is_json_with_its_period_columns_and_rows() -> None:
    body = downloads.table_json(RELEASE, TIMES)
    assert json.loads(body) == {
        "table": "response-times",
        "title_en": "Days to a final response",
        "title_es": "Días hasta la respuesta final",
        "description_en": "Median days.",
        "description_es": "Mediana de días.",
        "period": {"start": "2026-09-28", "end": "2026-11-29"},
        "refreshed_at": "2026-12-01T06:30:00+00:00",
        "missing_values": ["", "D", "H"],
        "columns": [
            {
                "name": "form",
                "type": "string",
                "title_en": "Form",
                "title_es": "Formulario",
                "description_en": "Form number.",
                "description_es": "Número de formulario.",
            },
            {
                "name": "median_days",
                "type": "number",
                "title_en": "Median",
                "title_es": "Mediana",
                "description_en": "Median days.",
                "description_es": "Mediana.",
            },
        ],
        "rows": [{"form": "I-130", "median_days": 12.5}, {"form": "I-485", "median_days": "D"}],
    }
    # UTF-8, not escaped, and the same bytes every time
    assert "Días".encode() in body
    assert body == downloads.table_json(RELEASE, TIMES)


def test_a_release_never_refreshed_has_a_null_refresh_time() -> None:
    unrefreshed = Release(RELEASE.period_start, RELEASE.period_end, None, (TIMES,))
    assert json.loads(downloads.table_json(unrefreshed, TIMES))["refreshed_at"] is None


def test_a_missing_column_in_a_row_is_null_and_keys_follow_the_columns() -> None:
    table = Table("t", "T", "T", "", "", TIMES.columns, ({"median_days": 3, "form": "I-90"}, {}))
    rows = json.loads(downloads.table_json(RELEASE, table))["rows"]
    assert [list(row.items()) for row in rows] == [
        [("form", "I-90"), ("median_days", 3)],
        [("form", None), ("median_days", None)],
    ]


# --- the data package -------------------------------------------------------------------------


def test_the_data_package_describes_every_csv_with_d_and_h_as_missing_values() -> None:
    descriptor = downloads.data_package(RELEASE, LINKS, PUBLISHER)
    assert descriptor["name"] == "service-request-statistics"
    assert descriptor["licenses"] == [
        {
            "name": "other-pd",
            "title": "U.S. Government Work (public domain)",
            "path": "https://www.usa.gov/government-copyright",
        }
    ]
    assert descriptor["created"] == "2026-12-01T06:30:00+00:00"
    assert descriptor["resources"][1] == {
        "name": "response-times",
        "title": "Days to a final response",
        "description": "Median days.",
        "path": "https://example.gov/data/response-times.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [
                {"name": "form", "type": "string", "title": "Form", "description": "Form number."},
                {
                    "name": "median_days",
                    "type": "number",
                    "title": "Median",
                    "description": "Median days.",
                },
            ],
            "missingValues": ["", "D", "H"],
        },
    }
    assert [r["name"] for r in descriptor["resources"]] == ["volume-by-month", "response-times"]


def test_the_data_package_is_valid_and_so_are_its_files(tmp_path: Path) -> None:
    descriptor = downloads.data_package(RELEASE, LINKS, PUBLISHER)
    files = {table.slug: downloads.table_csv(table) for table in RELEASE.tables}
    assert Package.validate_descriptor(descriptor).flatten(["type", "note"]) == []
    report = validate_package(descriptor, files, tmp_path)
    assert (report.valid, report.flatten(["type", "note"])) == (True, [])


@pytest.mark.parametrize(
    ("value", "error"),
    [("X", "type-error"), ("12.5", "type-error"), ("d", "type-error")],
)
def test_a_file_that_breaks_its_schema_fails_the_check(
    tmp_path: Path, value: str, error: str
) -> None:
    # given a CSV whose integer column holds something neither a count nor a marker
    descriptor = downloads.data_package(RELEASE, LINKS, PUBLISHER)
    files = {table.slug: downloads.table_csv(table) for table in RELEASE.tables}
    files["volume-by-month"] = files["volume-by-month"].replace(b",1520,", f",{value},".encode())
    # when / then
    report = validate_package(descriptor, files, tmp_path)
    assert (report.valid, [e[0] for e in report.flatten(["type"])]) == (False, [error])


# --- the DCAT-US catalogue --------------------------------------------------------------------


def test_the_catalogue_validates_against_dcat_us_1_1() -> None:
    catalog = downloads.dcat_catalog(RELEASE, LINKS, PUBLISHER)
    assert dcat_errors(catalog) == []
    assert json.loads(downloads.to_json(catalog)) == catalog


def test_the_catalogue_lists_one_dataset_per_table_with_its_csv_and_json() -> None:
    catalog = downloads.dcat_catalog(RELEASE, LINKS, PUBLISHER)
    assert {k: catalog[k] for k in ("@context", "@id", "@type", "conformsTo")} == {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": "https://example.gov/data.json",
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
    }
    dataset = catalog["dataset"][0]
    assert {k: v for k, v in dataset.items() if k not in ("description", "distribution")} == {
        "@type": "dcat:Dataset",
        "title": "Requests by month and office",
        "keyword": ["service requests", "contact center", "customer service", "immigration"],
        "modified": "2026-12-01T06:30:00+00:00",
        "publisher": {
            "@type": "org:Organization",
            "name": "U.S. Citizenship and Immigration Services",
        },
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": "Open data team",
            "hasEmail": "mailto:open-data@agency.example",
        },
        "identifier": "https://example.gov/data/#volume-by-month",
        "accessLevel": "public",
        "bureauCode": ["024:30"],
        "programCode": ["024:000"],
        "license": "https://www.usa.gov/government-copyright",
        "spatial": "United States",
        "temporal": "2026-09-28/2026-11-29",
        "landingPage": "https://example.gov/data/#volume-by-month",
        "describedBy": "https://example.gov/data/datapackage.json",
        "describedByType": "application/json",
    }
    assert dataset["description"].startswith("Service requests received, by month and office. ")
    assert [(d["downloadURL"], d["mediaType"], d["format"]) for d in dataset["distribution"]] == [
        ("https://example.gov/data/volume-by-month.csv", "text/csv", "CSV"),
        ("https://example.gov/data/volume-by-month.json", "application/json", "JSON"),
    ]
    assert [ds["identifier"] for ds in catalog["dataset"]] == [
        "https://example.gov/data/#volume-by-month",
        "https://example.gov/data/#response-times",
    ]


def test_a_release_never_refreshed_is_dated_by_its_last_day() -> None:
    unrefreshed = Release(RELEASE.period_start, RELEASE.period_end, None, RELEASE.tables)
    catalog = downloads.dcat_catalog(unrefreshed, LINKS, PUBLISHER)
    assert {ds["modified"] for ds in catalog["dataset"]} == {"2026-11-29"}
    assert dcat_errors(catalog) == []
    assert "created" not in downloads.data_package(unrefreshed, LINKS, PUBLISHER)


def _dcat_error_paths(document: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted(
        ("/".join(map(str, error.absolute_path)), error.message)
        for error in dcat_validator().iter_errors(document)
    )


ANY_OF = "is not valid under any of the given schemas"


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda ds: ds.pop("bureauCode"), "dataset/0", "'bureauCode' is a required property"),
        (lambda ds: ds.update(bureauCode=["24-30"]), "dataset/0/bureauCode/0", "does not match"),
        (
            lambda ds: ds["contactPoint"].update(hasEmail="open-data@agency.example"),
            "dataset/0/contactPoint/hasEmail",
            "does not match",
        ),
        (lambda ds: ds["distribution"][0].pop("mediaType"), "dataset/0/distribution", ANY_OF),
        (lambda ds: ds.update(temporal="last year"), "dataset/0/temporal", ANY_OF),
        (lambda ds: ds.update(accessLevel="open"), "dataset/0/accessLevel", "is not one of"),
    ],
)
def test_the_schema_check_catches_a_broken_dataset(change: Any, path: str, message: str) -> None:
    # given a valid catalogue, then one broken field of its first dataset
    catalog = downloads.dcat_catalog(RELEASE, LINKS, PUBLISHER)
    change(catalog["dataset"][0])
    # then the check names it (proving the local $refs are followed)
    errors = _dcat_error_paths(catalog)
    assert [(where, message in what) for where, what in errors] == [(path, True)]
