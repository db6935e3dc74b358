"""Response templates for one request: which are offered, and the values of their variables.

The template library (srmt.response_templates) is below the service requests: it knows
templates, the variable catalogue and the pure rendering. This module is the bridge: it
builds the mapping of every catalogue variable for a request, in the customer's language,
from the request, its case (as the viewer may know it), the office and the published
processing time; a variable with no value for this request is left out of the mapping, so
rendering names it as missing instead of writing a blank (docs/adr/0033).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from srmt.accounts.actors import Viewer
from srmt.cases.models import Case
from srmt.core.bilingual import in_language
from srmt.response_templates.models import ProcessingTime, ResponseTemplate, TemplateVersion
from srmt.response_templates.queries import latest_version, offered
from srmt.response_templates.rendering import Rendered, render, unfilled
from srmt.response_templates.variables import format_date, format_months
from srmt.service_requests import policies
from srmt.service_requests.errors import UnfilledVariable, UnknownTemplate
from srmt.service_requests.messages import office_contact_lines
from srmt.service_requests.models import ServiceRequest

DAYS_PER_MONTH = Decimal("365.25") / 12
# "{{ name }}" -> "name" (a malformed placeholder is named as written).
PLACEHOLDER_NAME = re.compile(r"^\{\{\s*([a-z_]+)\s*\}\}$")


@dataclass(frozen=True)
class Filled:
    """A template's latest version rendered for a request."""

    template: ResponseTemplate
    version: TemplateVersion
    language: str
    rendered: Rendered


def language_of(sr: ServiceRequest) -> str:
    return "es" if sr.requester.language == "es" else "en"


def offered_for(sr: ServiceRequest, *, kind: str = "") -> QuerySet[ResponseTemplate]:
    """The templates offered for `sr` (national and its office's, for its type; for a
    response of `kind`, or any kind when blank)."""
    return offered(office_id=sr.office_id, request_type=sr.type.code, response_kind=kind)


def get_offered(sr: ServiceRequest, code: str, *, kind: str = "") -> ResponseTemplate:
    """The template `code` if offered for `sr`; otherwise UnknownTemplate on `template`."""
    template = offered_for(sr, kind=kind).filter(code=(code or "").strip()).first()
    if template is None:
        raise UnknownTemplate(
            _("No template with the code %(code)s is offered for this request.") % {"code": code},
            field="template",
        )
    return template


def fill(sr: ServiceRequest, code: str, *, viewer: Viewer, kind: str = "") -> Filled:
    """The latest version of template `code`, rendered for `sr` in the customer's language."""
    template = get_offered(sr, code, kind=kind)
    version = latest_version(template)
    language = language_of(sr)
    rendered = render(version.body(language), values_for(sr, viewer=viewer))
    return Filled(template=template, version=version, language=language, rendered=rendered)


def values_for(
    sr: ServiceRequest, *, viewer: Viewer, now: dt.datetime | None = None
) -> dict[str, str]:
    """Every catalogue variable that has a value for `sr`, in the customer's language."""
    language = language_of(sr)
    zone = zoneinfo.ZoneInfo(sr.office.time_zone)
    today = timezone.localtime(now or timezone.now(), zone).date()
    values = {
        "customer_name": sr.requester.name,
        "reference": sr.reference,
        "receipt_number": sr.receipt_number,
        "office_name": sr.office.name,
        "today": format_date(today, language),
        "due_date": format_date(timezone.localtime(sr.due_at, zone).date(), language),
    }
    with translation.override(language):
        values["office_contact"] = "\n".join(office_contact_lines(sr.office, language=language))
    case = policies.as_known_to(viewer, sr.case) if sr.case_id else None
    if case is not None:
        values.update(_case_values(sr, case, language=language, today=today))
    return {name: value for name, value in values.items() if value and value.strip()}


def _case_values(
    sr: ServiceRequest, case: Case, *, language: str, today: dt.date
) -> dict[str, str]:
    form = case.form_type
    values = {
        "receipt_number": case.receipt_number,
        "form": form.code,
        "form_name": in_language(form.name_en, form.name_es, language),
        "filed_on": format_date(case.received_on, language),
        "case_status": case.status_text,
    }
    published = (
        ProcessingTime.objects.filter(form_type=form, office_id=case.office_id).first()
        or ProcessingTime.objects.filter(form_type=form, office_id=sr.office_id).first()
    )
    if published is None:
        return values
    span = dt.timedelta(days=int(published.months * DAYS_PER_MONTH))
    inquiry_date = today - span
    values["published_processing_time"] = format_months(float(published.months), language)
    values["case_inquiry_date"] = format_date(inquiry_date, language)
    with translation.override(language):
        if case.received_on < inquiry_date:
            values["next_step"] = _(
                "Your case is outside normal processing time, so you may ask us about it now: "
                "contact us with the reference %(reference)s."
            ) % {"reference": sr.reference}
        else:
            values["next_step"] = _(
                "If you have no decision by %(date)s, you may ask us about your case again "
                "with the reference %(reference)s."
            ) % {
                "date": format_date(case.received_on + span, language),
                "reference": sr.reference,
            }
    return values


def check_response(
    sr: ServiceRequest, *, body: str, kind: str, template: str | None
) -> tuple[str, int | None]:
    """What a response records of its template: (code, latest version), or ("", None)
    without one. Refuses a template not offered for `sr` and this `kind` (UnknownTemplate)
    and a body that still holds a placeholder (UnfilledVariable, on `body`)."""
    left = unfilled(body)
    if left:
        raise UnfilledVariable(
            _("Fill in or remove every variable before sending: %(names)s.")
            % {"names": ", ".join(left)},
            field="body",
            variables=[PLACEHOLDER_NAME.sub(r"\1", name) for name in left],
        )
    if not template:
        return "", None
    chosen = get_offered(sr, template, kind=kind)
    return chosen.code, latest_version(chosen).version
