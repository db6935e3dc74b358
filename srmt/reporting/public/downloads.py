"""The open-data files of a published release (issue 12 section 3, ADR 50).

Every table of the release as CSV and JSON, the Frictionless Data Package that describes the
CSV files, and the DCAT-US 1.1 catalogue (`/data.json`) that lists them. Pure functions of
the release and of the absolute URLs the caller gives (the public site builds them from the
request): the same release gives the same bytes, whoever asks and in whatever language.

A suppressed value stays in the files as the text `D` or `H` (ADR 47); the data package
declares both as missing values, so a reader's tools see an empty cell with a reason. A
value the release does not have (None) is an empty cell in CSV and `null` in JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from srmt.reporting.public.release_types import Column, Release, Table, Value

SUPPRESSION_MARKERS = ("D", "H")
# The values a reader of the CSV files must treat as missing: blank, and the two markers.
MISSING_VALUES = ("", *SUPPRESSION_MARKERS)

DATA_PACKAGE_NAME = "service-request-statistics"
DATA_PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
# Works of the U.S. Government are in the public domain in the United States (17 U.S.C. 105).
PUBLIC_DOMAIN = {
    "name": "other-pd",
    "title": "U.S. Government Work (public domain)",
    "path": "https://www.usa.gov/government-copyright",
}
DCAT_US_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
DCAT_US_CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
DCAT_US_CATALOG_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"
KEYWORDS = ("service requests", "contact center", "customer service", "immigration")

SUPPRESSION_NOTE = (
    "A count from 1 to 10 is shown as D (disclosure standards not met); a larger value that "
    "would let a reader work out a D is shown as H (withheld). Both are text in the files and "
    "are declared as missing values. A zero is always shown."
)


def published_release() -> Release:
    """The release the public site publishes (suppression applied)."""
    from srmt.reporting.public.release import current_release

    return current_release()


# --- one table --------------------------------------------------------------------------------


def csv_cell(value: Value) -> str:
    """A value as CSV text: blank for None, `D`/`H` and other text as they are, integers in
    decimal, numbers in Python's shortest round-tripping form (no thousands separators)."""
    if value is None:
        return ""
    if isinstance(value, bool):  # not a Value, but a bool is an int to Python
        raise TypeError("a release value cannot be a boolean")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def table_csv(table: Table) -> bytes:
    """The table as CSV (RFC 4180, UTF-8, CRLF line ends): a header of the column names,
    then one line per row, in the release's row order and the table's column order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = [column.name for column in table.columns]
    writer.writerow(names)
    for row in table.rows:
        writer.writerow([csv_cell(row.get(name)) for name in names])
    return buffer.getvalue().encode("utf-8")


def _column(column: Column) -> dict[str, str]:
    return {
        "name": column.name,
        "type": column.type,
        "title_en": column.title_en,
        "title_es": column.title_es,
        "description_en": column.description_en,
        "description_es": column.description_es,
    }


def _period(release: Release) -> dict[str, str]:
    return {"start": release.period_start.isoformat(), "end": release.period_end.isoformat()}


def _refreshed_at(release: Release) -> str | None:
    return release.refreshed_at.isoformat() if release.refreshed_at else None


def table_document(release: Release, table: Table) -> dict[str, Any]:
    """The table as a JSON document: its slug, titles, the release's period and refresh time,
    its columns (with both languages' titles and definitions) and its rows as objects keyed
    by column name, in column order."""
    names = [column.name for column in table.columns]
    return {
        "table": table.slug,
        "title_en": table.title_en,
        "title_es": table.title_es,
        "description_en": table.description_en,
        "description_es": table.description_es,
        "period": _period(release),
        "refreshed_at": _refreshed_at(release),
        "missing_values": list(MISSING_VALUES),
        "columns": [_column(column) for column in table.columns],
        "rows": [{name: row.get(name) for name in names} for row in table.rows],
    }


def to_json(document: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON, keys in the order the document was built (deterministic)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def table_json(release: Release, table: Table) -> bytes:
    return to_json(table_document(release, table))


# --- the data package and the catalogue ---------------------------------------------------------


@dataclass(frozen=True)
class Links:
    """The absolute addresses of the open-data files, as the public site serves them."""

    page: str  # the open data page (the data dictionary)
    package: str  # datapackage.json
    catalog: str  # data.json
    csv: Callable[[str], str]  # a table's CSV, by slug
    json: Callable[[str], str]  # a table's JSON, by slug


@dataclass(frozen=True)
class Publisher:
    """Who publishes the files and answers questions about them (from settings)."""

    name: str
    contact_name: str
    contact_email: str
    bureau_code: str  # OMB Circular A-11 Appendix C, "024:30"
    program_code: str  # Federal Program Inventory, "024:000"


def data_package(release: Release, links: Links, publisher: Publisher) -> dict[str, Any]:
    """The Frictionless Data Package (v2, readable as v1) describing every table's CSV."""
    descriptor: dict[str, Any] = {
        "$schema": DATA_PACKAGE_PROFILE,
        "name": DATA_PACKAGE_NAME,
        "title": f"{publisher.name}: service request statistics",
        "description": (
            f"Service requests to the {publisher.name} contact center, from "
            f"{release.period_start.isoformat()} to {release.period_end.isoformat()}. "
            f"{SUPPRESSION_NOTE}"
        ),
        "homepage": links.page,
        "licenses": [dict(PUBLIC_DOMAIN)],
        "keywords": list(KEYWORDS),
    }
    if release.refreshed_at:
        descriptor["created"] = release.refreshed_at.isoformat()
    descriptor["resources"] = [
        {
            "name": table.slug,
            "title": table.title_en,
            "description": table.description_en,
            "path": links.csv(table.slug),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [
                    {
                        "name": column.name,
                        "type": column.type,
                        "title": column.title_en,
                        "description": column.description_en,
                    }
                    for column in table.columns
                ],
                "missingValues": list(MISSING_VALUES),
            },
        }
        for table in release.tables
    ]
    return descriptor


def _modified(release: Release) -> str:
    if release.refreshed_at:
        return release.refreshed_at.isoformat()
    return release.period_end.isoformat()


def _distributions(table: Table, links: Links) -> list[dict[str, Any]]:
    return [
        {
            "@type": "dcat:Distribution",
            "title": f"{table.title_en} (CSV)",
            "downloadURL": links.csv(table.slug),
            "mediaType": "text/csv",
            "format": "CSV",
            "describedBy": links.package,
            "describedByType": "application/json",
        },
        {
            "@type": "dcat:Distribution",
            "title": f"{table.title_en} (JSON)",
            "downloadURL": links.json(table.slug),
            "mediaType": "application/json",
            "format": "JSON",
            "describedBy": links.page,
            "describedByType": "text/html",
        },
    ]


def dcat_catalog(release: Release, links: Links, publisher: Publisher) -> dict[str, Any]:
    """The DCAT-US 1.1 catalogue (`/data.json`): one dataset per table, each with its CSV
    and JSON distributions."""
    landing = links.page
    return {
        "@context": DCAT_US_CONTEXT,
        "@id": links.catalog,
        "@type": "dcat:Catalog",
        "conformsTo": DCAT_US_SCHEMA,
        "describedBy": DCAT_US_CATALOG_SCHEMA,
        "dataset": [
            {
                "@type": "dcat:Dataset",
                "title": table.title_en,
                "description": f"{table.description_en} {SUPPRESSION_NOTE}",
                "keyword": list(KEYWORDS),
                "modified": _modified(release),
                "publisher": {"@type": "org:Organization", "name": publisher.name},
                "contactPoint": {
                    "@type": "vcard:Contact",
                    "fn": publisher.contact_name,
                    "hasEmail": f"mailto:{publisher.contact_email}",
                },
                "identifier": f"{landing}#{table.slug}",
                "accessLevel": "public",
                "bureauCode": [publisher.bureau_code],
                "programCode": [publisher.program_code],
                "license": PUBLIC_DOMAIN["path"],
                "spatial": "United States",
                "temporal": f"{release.period_start.isoformat()}/{release.period_end.isoformat()}",
                "landingPage": f"{landing}#{table.slug}",
                "describedBy": links.package,
                "describedByType": "application/json",
                "distribution": _distributions(table, links),
            }
            for table in release.tables
        ],
    }


def publisher() -> Publisher:
    """The publisher and contact the settings name (SRMT_AGENCY_NAME, SRMT_OPEN_DATA_*)."""
    return Publisher(
        name=settings.SRMT_AGENCY_NAME,
        contact_name=settings.SRMT_OPEN_DATA_CONTACT_NAME,
        contact_email=settings.SRMT_OPEN_DATA_CONTACT_EMAIL,
        bureau_code=settings.SRMT_OPEN_DATA_BUREAU_CODE,
        program_code=settings.SRMT_OPEN_DATA_PROGRAM_CODE,
    )
