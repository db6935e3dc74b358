"""Whether a case may have a self-service request now: the rules of `rules` applied to the
case's facts and to the eligibility rows (ADR 0044). Reads only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from srmt.cases.models import Case
from srmt.erequests import defaults, rules
from srmt.erequests.models import Eligibility
from srmt.erequests.rules import Verdict
from srmt.response_templates.models import ProcessingTime

# A status text saying the notice, card or document was mailed ("Card Was Mailed To Me").
MAILED_WORD = "mailed"


def rule_for(case: Case, type_code: str) -> Eligibility | None:
    return Eligibility.objects.filter(
        form_type_id=case.form_type_id, request_type=type_code
    ).first()


def published_months(case: Case) -> Decimal | None:
    """The published processing time for the case's form at the office holding it now (a
    transferred case takes its new office's time), or None when none is published."""
    row = ProcessingTime.objects.filter(
        form_type_id=case.form_type_id, office_id=case.office_id
    ).first()
    return row.months if row is not None else None


def mailed_on(case: Case) -> dt.date | None:
    """The latest day the case's status said something was mailed, from its history."""
    change = (
        case.status_changes.filter(status_text__icontains=MAILED_WORD)
        .order_by("-changed_at")
        .first()
    )
    if change is not None:
        return change.changed_at.date()
    if MAILED_WORD in case.status_text.lower() and case.status_updated_on:
        return case.status_updated_on
    return None


def check(case: Case, type_code: str, *, today: dt.date, without_account: bool = False) -> Verdict:
    """May this case have a request of this type now (through this way in)?"""
    rule = rule_for(case, type_code)
    if rule is None or not rule.is_allowed:
        return Verdict(False, code="not_offered")
    if without_account and not rule.without_account:
        return Verdict(False, code="account_needed")
    if type_code == defaults.CHANGE_OF_ADDRESS and case.is_protected:
        return Verdict(False, code="confidential_address")
    if type_code == defaults.OUTSIDE_NORMAL_PROCESSING_TIME:
        return rules.outside_processing_time(
            received_on=case.received_on, today=today, months=published_months(case)
        )
    if type_code == defaults.NOT_RECEIVED:
        return rules.not_received(
            mailed_on=mailed_on(case), today=today, wait_days=rule.wait_days or 0
        )
    return Verdict(True)


def explain(verdict: Verdict) -> str:
    """The plain answer for a refusal, in the active language."""
    if verdict.code == "too_early" and verdict.months is not None:
        return _(
            "Your case is still within our normal processing time of %(months)s months. "
            "You may ask us about it from %(date)s."
        ) % {"months": f"{float(verdict.months):g}", "date": _day(verdict.from_date)}
    if verdict.code == "too_early":
        return _("It is too early to tell us it did not arrive. You may ask from %(date)s.") % {
            "date": _day(verdict.from_date)
        }
    if verdict.code == "not_mailed":
        return _("Our records do not show that we mailed a notice or card for this case yet.")
    if verdict.code == "confidential_address":
        return _(
            "For your safety, we cannot change the address on this case online. Please "
            "write to the Vermont Service Center VAWA Unit, or call us and ask for the "
            "confidential address change process."
        )
    if verdict.code == "account_needed":
        return _("Please sign in to your account to make this request.")
    return _("You cannot make this request online for this case.")


def _day(day: dt.date | None) -> str:
    return date_format(day, "DATE_FORMAT") if day is not None else ""
