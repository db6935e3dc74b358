"""Open data (issue 12 section 3, ADR 50): the open data page with its data dictionary, each
published table as CSV and JSON, the data package and the DCAT-US catalogue `/data.json`.

Public, no sign-in, nobody's data: the published release only (suppression applied, ADR 47).
The files are the same in every language and for everyone; they carry an ETag (a digest of
the bytes) and the release's refresh time as Last-Modified, so a client or cache asks again
cheaply and gets 304 until the next refresh changes the file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.functional import Promise
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from srmt.cases.statuses import format_date_en, format_date_es
from srmt.core.bilingual import in_language, is_spanish
from srmt.reporting.public import downloads
from srmt.reporting.public.release_types import Column, Release, Table
from srmt.reporting.suppression import explanation

# Seconds a browser or cache may reuse a file without asking (then it revalidates by ETag).
MAX_AGE = 300

# What each column type holds, for the data dictionary.
TYPE_LABELS: dict[str, Promise] = {
    "string": _("Text"),
    "integer": _("Whole number"),
    "number": _("Number"),
    "date": _("Date (YYYY-MM-DD)"),
}


def _links(request: HttpRequest) -> downloads.Links:
    def absolute(name: str, **kwargs: str) -> str:
        return request.build_absolute_uri(reverse(name, kwargs=kwargs or None))

    return downloads.Links(
        page=absolute("portal:open-data"),
        package=absolute("portal:open-data-package"),
        catalog=absolute("portal:open-data-catalog"),
        csv=lambda slug: absolute("portal:open-data-csv", slug=slug),
        json=lambda slug: absolute("portal:open-data-json", slug=slug),
    )


def _table(release: Release, slug: str) -> Table:
    try:
        return release.table(slug)
    except LookupError:
        raise Http404(slug) from None


def _file(
    request: HttpRequest,
    release: Release,
    body: bytes,
    content_type: str,
    filename: str | None = None,
) -> HttpResponseBase:
    """The file, or 304 when the client's copy (If-None-Match / If-Modified-Since) is this
    one; either way with the same validators and Cache-Control."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    last_modified = (
        int(release.refreshed_at.timestamp()) if release.refreshed_at is not None else None
    )
    response: HttpResponseBase | None = get_conditional_response(
        request, etag=etag, last_modified=last_modified
    )
    if response is None:
        response = HttpResponse(body, content_type=content_type)
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def table_csv(request: HttpRequest, slug: str) -> HttpResponseBase:
    release = downloads.published_release()
    table = _table(release, slug)
    return _file(
        request,
        release,
        downloads.table_csv(table),
        "text/csv; charset=utf-8",
        filename=f"{table.slug}.csv",
    )


@require_safe
def table_json(request: HttpRequest, slug: str) -> HttpResponseBase:
    release = downloads.published_release()
    table = _table(release, slug)
    return _file(request, release, downloads.table_json(release, table), "application/json")


@require_safe
def data_package(request: HttpRequest) -> HttpResponseBase:
    release = downloads.published_release()
    descriptor = downloads.data_package(release, _links(request), downloads.publisher())
    return _file(request, release, downloads.to_json(descriptor), "application/json")


@require_safe
def catalog(request: HttpRequest) -> HttpResponseBase:
    release = downloads.published_release()
    document = downloads.dcat_catalog(release, _links(request), downloads.publisher())
    return _file(request, release, downloads.to_json(document), "application/json")


@dataclass(frozen=True)
class ColumnEntry:
    name: str
    type: str
    type_label: Promise
    title: str
    description: str


@dataclass(frozen=True)
class TableEntry:
    slug: str
    title: str
    description: str
    rows: int
    columns: tuple[ColumnEntry, ...]


def _column_entry(column: Column, language: str | None) -> ColumnEntry:
    return ColumnEntry(
        name=column.name,
        type=column.type,
        type_label=TYPE_LABELS[column.type],
        title=in_language(column.title_en, column.title_es, language),
        description=in_language(column.description_en, column.description_es, language),
    )


def _table_entry(table: Table, language: str | None) -> TableEntry:
    return TableEntry(
        slug=table.slug,
        title=in_language(table.title_en, table.title_es, language),
        description=in_language(table.description_en, table.description_es, language),
        rows=len(table.rows),
        columns=tuple(_column_entry(column, language) for column in table.columns),
    )


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    """The open data page: every table with its files and its data dictionary."""
    release = downloads.published_release()
    language = get_language()
    format_date = format_date_es if is_spanish(language) else format_date_en
    refreshed = release.refreshed_at
    context: dict[str, Any] = {
        "period_start": format_date(release.period_start),
        "period_end": format_date(release.period_end),
        "refreshed_on": format_date(timezone.localdate(refreshed)) if refreshed else None,
        "tables": [_table_entry(table, language) for table in release.tables],
        "suppression_title": explanation.TITLE,
        "suppression_explanation": explanation.EXPLANATION,
        "markers": explanation.MARKERS,
        "licence_url": downloads.PUBLIC_DOMAIN["path"],
    }
    return render(request, "portal/open_data.html", context)
