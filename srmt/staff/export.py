"""CSV export of a queue: exactly the requests the user may see under the current filters,
streamed, in the reader's language, with spreadsheet formulas defused (docs/adr/0031)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from srmt.service_requests.models import ServiceRequest, ServiceRequestQuerySet

# A cell starting with one of these is read as a formula by spreadsheet programs (CSV
# injection, OWASP): it is written with a leading apostrophe, which they show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def headers() -> list[str]:
    return [
        _("Reference"),
        _("Type"),
        _("Status"),
        _("Due"),
        _("Channel"),
        _("Language"),
        _("Assignee"),
        _("Office"),
        _("Received"),
        _("Escalation level"),
        _("Flagged"),
    ]


def row(sr: ServiceRequest) -> list[str]:
    assignee = sr.assignee
    return [
        sr.reference,
        sr.type.name,
        sr.get_status_display(),
        timezone.localtime(sr.due_at).isoformat(timespec="minutes"),
        sr.get_channel_display(),
        sr.requester.get_language_display() if sr.requester_id else "",
        (assignee.get_full_name() or assignee.get_username()) if assignee else "",
        sr.office.code,
        timezone.localtime(sr.created_at).isoformat(timespec="minutes"),
        str(sr.escalation_level),
        _("Yes") if sr.is_flagged else _("No"),
    ]


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def lines(qs: ServiceRequestQuerySet, *, language: str) -> Iterator[str]:
    """The file, line by line, in `language` (read while the response streams, after the
    view has returned)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark: spreadsheet programs then read UTF-8 (accents)
    with translation.override(language):
        yield writer.writerow([safe_cell(h) for h in headers()])
        for sr in qs.iterator(chunk_size=CHUNK):
            yield writer.writerow([safe_cell(v) for v in row(sr)])


def references(qs: ServiceRequestQuerySet) -> Iterable[tuple[str, bool]]:
    """(reference, on a 1367 case) of every row the export will hold, for its audit."""
    return qs.values_list("reference", "case__is_protected")
