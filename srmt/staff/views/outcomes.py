"""The outcomes page, `/staff/quality/outcomes/` (QUALITY_REPORTS; docs/adr/0037): the outcome
metrics of srmt.outcomes.metrics as a table, grouped and filtered by period, and as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.outcomes import metrics
from srmt.outcomes.metrics import Durations, OutcomeRow, Ratio
from srmt.staff.export import safe_cell
from srmt.staff.outcome_forms import OutcomesForm
from srmt.staff.views.common import refuse, staff_user


@dataclass(frozen=True)
class Column:
    header: str
    ratio: Callable[[OutcomeRow], Ratio] | None = None
    durations: Callable[[OutcomeRow], Durations] | None = None


def columns() -> list[Column]:
    """The table's columns in the active language (docs/metrics.md defines each)."""
    return [
        Column(_("First-contact resolution"), ratio=lambda r: r.first_contact_resolution),
        Column(_("Repeat within 30 days"), ratio=lambda r: r.repeats[30]),
        Column(_("Repeat within 60 days"), ratio=lambda r: r.repeats[60]),
        Column(_("Repeat within 90 days"), ratio=lambda r: r.repeats[90]),
        Column(_("Reopened"), ratio=lambda r: r.reopened),
        Column(_("Form-letter warnings overridden"), ratio=lambda r: r.form_letters_overridden),
        Column(_("Time to first response"), durations=lambda r: r.first_response_time),
        Column(_("Time to final response"), durations=lambda r: r.final_response_time),
        Column(_("First response on time"), ratio=lambda r: r.first_response_on_time),
        Column(_("Final response on time"), ratio=lambda r: r.final_response_on_time),
        Column(_("Survey response rate"), ratio=lambda r: r.surveys_answered),
        Column(_("Satisfied (4 or 5)"), ratio=lambda r: r.satisfied),
    ]


def _percent(ratio: Ratio) -> str:
    if ratio.rate is None:
        return "–"
    share = formats.number_format(round(100 * ratio.rate, 1), 1)
    return _("%(share)s%% (%(n)s of %(d)s)") % {
        "share": share,
        "n": ratio.numerator,
        "d": ratio.denominator,
    }


def _days(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return _("%(days)s d") % {"days": formats.number_format(round(seconds / 86_400, 1), 1)}


def _durations(value: Durations) -> str:
    if not value.count:
        return "–"
    return _("median %(median)s, 80%% within %(p80)s (%(n)s)") % {
        "median": _days(value.median),
        "p80": _days(value.p80),
        "n": value.count,
    }


def _cells(row: OutcomeRow, table: list[Column]) -> list[str]:
    cells = [str(row.requests)]
    for column in table:
        if column.ratio is not None:
            cells.append(_percent(column.ratio(row)))
        elif column.durations is not None:
            cells.append(_durations(column.durations(row)))
    mean = row.mean_rating
    cells.append("–" if mean is None else formats.number_format(round(mean, 2), 2))
    return cells


def _outcomes(request: HttpRequest) -> tuple[User, OutcomesForm, metrics.Outcomes]:
    user = staff_user(request)
    if not user.can(Capability.QUALITY_REPORTS):
        raise refuse()
    now = timezone.now()
    form = OutcomesForm(request.GET or None, today=now.date())
    group_by, period = form.choice()
    found = metrics.outcomes(
        period=period, group_by=group_by, as_of=now, fold_confidential=not user.is_1367_cleared
    )
    return user, form, found


@login_required
@require_GET
def outcomes(request: HttpRequest) -> HttpResponse:
    _user, form, found = _outcomes(request)
    language = get_language() or "en"
    table = columns()
    rows = [(row.label(language), _cells(row, table)) for row in found.rows]
    context = {
        "form": form,
        "found": found,
        "headers": [_("Requests"), *[c.header for c in table], _("Mean rating (1 to 5)")],
        "rows": rows,
        "total": (found.total.label(language), _cells(found.total, table)),
        "query": request.GET.urlencode(),
    }
    return render(request, "staff/outcomes.html", context, status=400 if form.errors else 200)


def csv_headers(table: list[Column]) -> list[str]:
    headers = [_("Group"), _("Label"), _("Requests")]
    ratio_parts = [_("numerator"), _("denominator"), _("rate")]
    duration_parts = [_("count"), _("median seconds"), _("80th percentile seconds")]
    for column in table:
        parts = ratio_parts if column.ratio is not None else duration_parts
        headers += [f"{column.header}: {part}" for part in parts]
    return [*headers, _("Mean rating (1 to 5)")]


def csv_row(row: OutcomeRow, table: list[Column], language: str) -> list[str]:
    values: list[object] = [row.key, row.label(language), row.requests]
    for column in table:
        if column.ratio is not None:
            ratio = column.ratio(row)
            rate = "" if ratio.rate is None else f"{ratio.rate:.4f}"
            values += [ratio.numerator, ratio.denominator, rate]
        elif column.durations is not None:
            value = column.durations(row)
            values += [value.count, _raw(value.median), _raw(value.p80)]
    values.append("" if row.mean_rating is None else f"{row.mean_rating:.4f}")
    return [safe_cell(v) for v in values]


def _raw(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds:.0f}"


@login_required
@require_GET
def outcomes_csv(request: HttpRequest) -> HttpResponse:
    """The same table as CSV: numerators, denominators, rates and seconds (audited)."""
    user, form, found = _outcomes(request)
    if form.errors:
        return outcomes(request)
    language = get_language() or "en"
    table = columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_headers(table))
    for row in [*found.rows, found.total]:
        writer.writerow(csv_row(row, table, language))
    audit.record(
        actor=user,
        action=AuditAction.METRICS_EXPORTED,
        object_type="outcome_metrics",
        object_id=found.group_by.value,
        changes={"from": found.period.start.isoformat(), "to": found.period.end.isoformat()},
    )
    name = f"srmt-outcomes-{found.group_by.value}-{found.period.start}-{found.period.end}.csv"
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
