"""The public reports (issue 12 §2, ADR 0049): /reports/ and one page per topic.

Everything shown comes from `srmt.reporting.public.current_release`: suppressed, audited
figures over complete weeks. Each figure is a server-rendered SVG bar chart
(`reporting.public.charts`) with its data table beside it and a note saying how it is
computed. A GET form narrows the figures (period, office, form, type, channel); a bad
value answers 400 with the form's errors and no figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from srmt.core.bilingual import in_language
from srmt.offices.models import FormType, Office
from srmt.reporting.public import charts
from srmt.reporting.public.notable import NotableChange, notable_changes
from srmt.reporting.public.release import (
    Filters,
    current_release,
    is_published,
    published_period,
)
from srmt.reporting.public.release_types import Column, Release, Table, Value
from srmt.reporting.suppression import explanation
from srmt.service_requests.choices import Channel
from srmt.service_requests.models import ServiceRequestType

PERCENT = {
    "escalation_rate",
    "repeat_rate",
    "reopen_rate",
    "satisfied_share",
    "final_within_15_days",
}
DECIMAL = {"mean_rating"}
# Columns that name a row rather than measure it (the row's label stands for them).
KEYS = {
    "month",
    "week",
    "type",
    "type_name_en",
    "type_name_es",
    "channel",
    "channel_name_en",
    "channel_name_es",
    "form",
    "form_name_en",
    "form_name_es",
    "office",
    "office_name",
}


@dataclass(frozen=True)
class Figure:
    table: str
    column: str
    note: Promise


@dataclass(frozen=True)
class Page:
    slug: str
    title: Promise
    intro: Promise
    figures: tuple[Figure, ...]


_VOLUME_NOTE = _(
    "Requests opened counts every service request we received in the week or month, "
    "duplicates included, at the office that held it. Requests closed counts final "
    "responses. Open at end counts the requests still open at the end of the last day."
)
_TIME_NOTE = _(
    "We count the whole days from the day a request reached us to the day of its final "
    "response, for the requests closed in the period. Half took the median number of days "
    "or fewer; eight in ten took the 80th percentile or fewer."
)
_TARGET_NOTE = _(
    "The share of requests closed in the period whose final response came within 15 days "
    "of the request, our target."
)
_ESCALATION_NOTE = _(
    "A request still unanswered at its deadline is escalated to a supervisor, and higher if "
    "it stays late. The rate is the escalations of the period divided by the requests opened "
    "in it."
)
_REPEAT_NOTE = _(
    "A repeat request asks again about the same case and the same matter as an earlier "
    "request. The share is the repeat requests divided by all requests opened in the period."
)
_REOPEN_NOTE = _(
    "A request is reopened when the customer tells us the final response did not settle "
    "it. The rate is the reopenings of the period divided by the requests closed in it."
)
_SATISFACTION_NOTE = _(
    "After a final response we send a short survey. The share satisfied is the answers that "
    "rated our service 4 or 5 out of 5, divided by all answers of the period."
)

PAGES: dict[str, Page] = {
    page.slug: page
    for page in (
        Page(
            "volume",
            _("Requests received and closed"),
            _("How many service requests we received and closed, and how many were still open."),
            (
                Figure("volume-by-month", "requests_opened", _VOLUME_NOTE),
                Figure("volume-by-type", "requests_opened", _VOLUME_NOTE),
                Figure("volume-by-channel", "requests_opened", _VOLUME_NOTE),
                Figure("volume-by-form", "requests_opened", _VOLUME_NOTE),
                Figure("volume-by-office", "requests_opened", _VOLUME_NOTE),
            ),
        ),
        Page(
            "timeliness",
            _("How long we take to respond"),
            _("How many days requests waited for a first and a final response."),
            (
                Figure("timeliness-by-month", "final_response_median_days", _TIME_NOTE),
                Figure("timeliness-by-month", "final_within_15_days", _TARGET_NOTE),
                Figure("timeliness-by-type", "final_response_median_days", _TIME_NOTE),
            ),
        ),
        Page(
            "escalations",
            _("Escalations"),
            _("How often a request was escalated because it was late."),
            (
                Figure("escalations-by-month", "escalation_rate", _ESCALATION_NOTE),
                Figure("escalations-by-type", "escalation_rate", _ESCALATION_NOTE),
            ),
        ),
        Page(
            "repeats",
            _("Repeat and reopened requests"),
            _("How often customers had to ask again, or tell us an answer did not settle it."),
            (
                Figure("repeats-by-month", "repeat_rate", _REPEAT_NOTE),
                Figure("repeats-by-month", "reopen_rate", _REOPEN_NOTE),
                Figure("repeats-by-type", "repeat_rate", _REPEAT_NOTE),
            ),
        ),
        Page(
            "satisfaction",
            _("Customer satisfaction"),
            _("What customers told us in the survey after our final response."),
            (
                Figure("satisfaction-by-month", "satisfied_share", _SATISFACTION_NOTE),
                Figure("satisfaction-by-type", "satisfied_share", _SATISFACTION_NOTE),
            ),
        ),
    )
}


# --- The filters form ----------------------------------------------------------------------

FOLDED = Q(is_confidential=True, parent__isnull=False)


class ReportFilters(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Figures start on the Monday of this week."),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Figures end on the Sunday of this week."),
    )
    office = forms.ChoiceField(label=_("Office"), required=False)
    form = forms.ChoiceField(label=_("Form"), required=False)
    type = forms.ChoiceField(label=_("Request type"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language()
        every = [("", gettext("All"))]
        self.fields["office"].choices = every + [  # type: ignore[attr-defined]
            (code, f"{name} ({code})")
            for code, name in Office.objects.exclude(FOLDED)
            .order_by("name")
            .values_list("code", "name")
        ]
        self.fields["form"].choices = every + [  # type: ignore[attr-defined]
            (code, f"{code} {in_language(en, es, language)}")
            for code, en, es in FormType.objects.order_by("code").values_list(
                "code", "name_en", "name_es"
            )
        ]
        types = sorted(
            (in_language(en, es, language), code)
            for code, en, es in ServiceRequestType.objects.values_list("code", "name_en", "name_es")
        )
        self.fields["type"].choices = every + [  # type: ignore[attr-defined]
            (code, name) for name, code in types
        ]
        self.fields["channel"].choices = every + list(  # type: ignore[attr-defined]
            Channel.choices
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        period = published_period()
        if period is not None and (start or end):
            first, last = period
            if (start and start > last) or (end and end < first):
                raise forms.ValidationError(
                    _(
                        "No complete week in this period is published. Choose dates from "
                        "%(first)s to %(last)s."
                    )
                    % {"first": formats.date_format(first), "last": formats.date_format(last)}
                )
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            start=data.get("start"),
            end=data.get("end"),
            office=data.get("office") or "",
            form=data.get("form") or "",
            type=data.get("type") or "",
            channel=data.get("channel") or "",
        )


# --- Display -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    marker: str = ""  # "D" or "H": shown with its explanation
    missing: bool = False


def _format(column: str, value: float) -> str:
    if column in PERCENT:
        return f"{formats.number_format(round(value * 100, 1), 1)}%"
    if column in DECIMAL:
        return str(formats.number_format(round(value, 1), 1))
    return str(formats.number_format(value, 0, force_grouping=True))


def _cell(column: str, value: Value) -> Cell:
    if value is None:
        return Cell(charts.NO_FIGURE, missing=True)
    if isinstance(value, str):
        return Cell(value, marker=value) if value in ("D", "H") else Cell(value)
    return Cell(_format(column, float(value)))


def _month_label(month: str) -> str:
    year, number = month.split("-")
    return str(formats.date_format(dt.date(int(year), int(number), 1), "YEAR_MONTH_FORMAT"))


def _label(row: Mapping[str, Value], language: str) -> str:
    if row.get("week"):
        return str(formats.date_format(dt.date.fromisoformat(str(row["week"]))))
    if row.get("month"):
        return _month_label(str(row["month"]))
    for key in ("type", "channel"):
        if key in row:
            return in_language(str(row[f"{key}_name_en"]), str(row[f"{key}_name_es"]), language)
    if "office" in row:
        return str(row["office_name"])
    if "form" in row:
        return str(row["form"]) or gettext("No case")
    return ""


def _label_header(table: Table) -> str:
    first = table.columns[0].name
    headers = {
        "month": gettext("Month"),
        "week": gettext("Week starting"),
        "type": gettext("Request type"),
        "channel": gettext("Channel"),
        "form": gettext("Form"),
        "office": gettext("Office"),
    }
    return headers.get(first, "")


def _in(column: Column | Table, language: str) -> str:
    return in_language(column.title_en, column.title_es, language)


def _description(item: Column | Table, language: str) -> str:
    return in_language(item.description_en, item.description_es, language)


def _figure(table: Table, figure: Figure, index: int, language: str) -> dict[str, Any]:
    columns = [c for c in table.columns if c.name not in KEYS]
    column = next(c for c in table.columns if c.name == figure.column)
    labels = [_label(row, language) for row in table.rows]
    fmt: Callable[[float], str] = lambda v: _format(column.name, v)  # noqa: E731
    title = f"{_in(table, language)}: {_in(column, language)}"
    suppressed = any(isinstance(row.get(column.name), str) for row in table.rows)
    description = _description(column, language)
    if suppressed:
        description += " " + gettext("Bars marked D or H are hidden to protect privacy.")
    rows = [
        (label, [_cell(c.name, row.get(c.name)) for c in columns])
        for label, row in zip(labels, table.rows, strict=True)
    ]
    chart = charts.bar_chart(
        f"chart-{index}",
        title,
        description,
        [(label, row.get(column.name)) for label, row in zip(labels, table.rows, strict=True)],
        fmt,
        maximum=1.0 if column.name in PERCENT else None,
    )
    return {
        "id": f"figure-{index}",
        "slug": table.slug,
        "label_header": _label_header(table),
        "markers_used": sorted({cell.marker for _, cells in rows for cell in cells} - {""}),
        "title": title,
        "chart": chart,
        "table_title": _in(table, language),
        "headers": [_in(c, language) for c in columns],
        "column_names": [c.name for c in columns],
        "descriptions": [(_in(c, language), _description(c, language)) for c in columns],
        "rows": rows,
        "note": figure.note,
        "table_description": _description(table, language),
    }


def _common(release: Release | None) -> dict[str, Any]:
    context: dict[str, Any] = {
        "pages": list(PAGES.values()),
        "markers": explanation.MARKERS,
        "suppression_title": explanation.TITLE,
        "suppression_text": explanation.EXPLANATION,
    }
    if release is not None:
        context.update(
            published=is_published(release),
            period_start=release.period_start,
            period_end=release.period_end,
            refreshed_at=release.refreshed_at,
        )
    return context


def _notable_text(change: NotableChange) -> str:
    language = get_language()
    if change.level == "channel" and change.channel in Channel.values:
        what = gettext("Requests received by %(channel)s") % {
            "channel": Channel(change.channel).label
        }
    elif change.type_code:
        names = ServiceRequestType.objects.filter(code=change.type_code).values_list(
            "name_en", "name_es"
        )
        name = next((in_language(en, es, language) for en, es in names), change.type_code)
        what = gettext("Requests of the type %(type)s") % {"type": name}
    else:
        what = gettext("Requests received across the country")
    values = {
        "what": what,
        "start": formats.date_format(change.start),
        "end": formats.date_format(change.end),
        "observed": formats.number_format(change.observed, 0, force_grouping=True),
        "expected": formats.number_format(change.expected, 0, force_grouping=True),
    }
    if change.higher:
        text = gettext(
            "%(what)s were higher than usual from %(start)s to %(end)s: %(observed)s, when "
            "we expected about %(expected)s."
        )
    else:
        text = gettext(
            "%(what)s were lower than usual from %(start)s to %(end)s: %(observed)s, when "
            "we expected about %(expected)s."
        )
    return text % values


# --- Views ---------------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    release = current_release()
    context = _common(release)
    context["current"] = "index"
    changes = notable_changes(release) if is_published(release) else []
    context["notable"] = [_notable_text(change) for change in changes]
    return render(request, "portal/reports/index.html", context)


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    context = _common(current_release())
    context["current"] = "about"
    context["notes"] = [
        (page.title, list(dict.fromkeys(figure.note for figure in page.figures)))
        for page in PAGES.values()
    ]
    return render(request, "portal/reports/about.html", context)


@require_safe
def topic(request: HttpRequest, page: str) -> HttpResponse:
    spec = PAGES.get(page)
    if spec is None:
        raise Http404
    form = ReportFilters(request.GET or None)
    context: dict[str, Any] = {
        "page": spec,
        "form": form,
        "filtered": bool(request.GET),
        "current": spec.slug,
    }
    if request.GET and not form.is_valid():
        context.update(_common(None))
        return render(request, "portal/reports/topic.html", context, status=400)
    filters = form.filters() if request.GET else Filters()
    release = current_release(filters)
    context.update(_common(release))
    language = get_language()
    figures, shown = [], set()
    for i, figure in enumerate(spec.figures, start=1):
        shown_figure = _figure(release.table(figure.table), figure, i, language)
        # a table charted twice (two of its columns) is tabled once, under its first chart
        shown_figure["show_table"] = figure.table not in shown
        shown.add(figure.table)
        figures.append(shown_figure)
    context["figures"] = figures
    return render(request, "portal/reports/topic.html", context)
