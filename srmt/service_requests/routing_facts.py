"""The routing facts of a submission (case, prefix, type, requester ZIP and country), and
the decision of the routing rules in force for them.

Intake (services.submit_request), the explain endpoint and the Tier 1 intake page all call
route_submission(), so they cannot disagree about where a request goes. Explanations shown
to staff go through route_as_seen_by(), which builds the facts from the case records that
user may see: to staff without 1367 clearance a protected case does not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from srmt.cases.models import Case
from srmt.core.receipts import normalize_receipt_number
from srmt.offices import jurisdiction, rules
from srmt.offices.routing import RoutingDecision, RoutingFacts, route
from srmt.service_requests import policies

if TYPE_CHECKING:
    from srmt.accounts.models import User


class _Unset:
    """The case was not looked up yet (None means there is no case record)."""


UNSET = _Unset()


@dataclass(frozen=True)
class RoutedSubmission:
    facts: RoutingFacts
    decision: RoutingDecision
    case: Case | None


def build_facts(
    *,
    receipt_number: str = "",
    request_type: str = "",
    zip_code: str = "",
    country: str = "",
    zip_field: str = "zip",
    country_field: str = "country",
    case: Case | _Unset | None = UNSET,
) -> tuple[RoutingFacts, Case | None]:
    """Validate the raw facts (DomainError with a stable code) and derive the rest: the
    case record and its office, the ZIP's field office, the country's international office.
    A caller that already looked the case up passes it as `case`.
    """
    receipt = normalize_receipt_number(receipt_number) if receipt_number else ""
    if isinstance(case, _Unset):
        case = (
            Case.objects.select_related("office").filter(receipt_number=receipt).first()
            if receipt
            else None
        )
    country_code = jurisdiction.normalize_country(country, field=country_field) or "US"
    in_us = jurisdiction.is_in_united_states(country_code)
    zip_facts = _zip_facts(zip_code, field=zip_field) if zip_code and in_us else {}
    facts = RoutingFacts(
        receipt_number=receipt,
        case_office_code=case.office.code if case else "",
        request_type=request_type,
        is_protected=bool(case and case.is_protected),
        country=country_code,
        is_in_us=in_us,
        international_office_code=""
        if in_us
        else jurisdiction.international_office_for(
            country_code, rules.country_offices(), rules.default_international_office()
        ),
        **zip_facts,
    )
    return facts, case


def _zip_facts(raw: str, *, field: str) -> dict[str, Any]:
    location = jurisdiction.locate_zip(jurisdiction.normalize_zip(raw, field=field), field=field)
    found = jurisdiction.field_office_for(location, rules.field_offices(), rules.zip_overrides())
    return {
        "zip_code": location.zip_code,
        "zip_state": location.state,
        "zip_office_code": found.office_code if found else "",
        "zip_match": found.match if found else "",
        "zip_is_military_mail": location.is_military_mail,
    }


def route_submission(
    *,
    receipt_number: str = "",
    request_type: str = "",
    zip_code: str = "",
    country: str = "",
    at: dt.datetime | None = None,
    zip_field: str = "zip",
    country_field: str = "country",
    case: Case | _Unset | None = UNSET,
) -> RoutedSubmission:
    """The decision of the active rules in force today (in UTC) for these facts."""
    facts, case = build_facts(
        receipt_number=receipt_number,
        request_type=request_type,
        zip_code=zip_code,
        country=country,
        zip_field=zip_field,
        country_field=country_field,
        case=case,
    )
    day = (at or timezone.now()).date()
    # Without rule rows (an installation not seeded since routing rules came), the defaults.
    return RoutedSubmission(facts, route(facts, rules.active_rules() or None, on=day), case)


def route_as_seen_by(
    user: User | None,
    *,
    receipt_number: str = "",
    request_type: str = "",
    zip_code: str = "",
    country: str = "",
    zip_field: str = "zip",
    country_field: str = "country",
) -> RoutedSubmission:
    """route_submission() explained to `user` (the explain endpoint, the intake preview).

    The facts come from the case records `user` may see, so for staff without 1367
    clearance a protected case's receipt number explains exactly as if no case record
    existed: same office, rule, reason and facts. Never record a request with it: intake
    routes on the true facts (a protected case still goes to the VAWA/T/U unit).
    """
    receipt = normalize_receipt_number(receipt_number) if receipt_number else ""
    return route_submission(
        receipt_number=receipt,
        request_type=request_type,
        zip_code=zip_code,
        country=country,
        zip_field=zip_field,
        country_field=country_field,
        case=policies.known_case(user, receipt),
    )
