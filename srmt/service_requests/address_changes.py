"""A change of address applies to every open case of the person (domain.md section 1).

The person is found by the requester's email address on the parties of cases. A case is
open unless its status from the case system is final (approved, denied, closed, withdrawn,
rejected, or a card or document delivered). The request records the cases it applies to
in an internal note and in the audit log, so the office updating the case systems sees
every receipt number at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases.models import Case
from srmt.core.errors import DomainError
from srmt.offices import jurisdiction
from srmt.service_requests import core
from srmt.service_requests.models import InternalNote, ServiceRequest


class InvalidAddress(DomainError):
    code = "invalid_address"


@dataclass(frozen=True)
class NewAddress:
    """The new address of a change of address: in the U.S. (country US) a street, city,
    state and a ZIP code of that state; abroad a street, city and country (ISO alpha-2)."""

    street: str
    city: str
    unit: str = ""
    state: str = ""
    zip_code: str = ""
    country: str = "US"

    def lines(self) -> str:
        """The address on one line, as it is written on an envelope."""
        place = " ".join(p for p in (self.city + ",", self.state, self.zip_code) if p)
        if self.country != "US":
            place = " ".join(p for p in (self.city, self.zip_code) if p)
            place += f", {jurisdiction.country_name(self.country)}"
        return ", ".join(p for p in (self.street, self.unit, place.strip(" ,")) if p)


def address_problems(address: NewAddress) -> dict[str, str]:
    """Everything wrong with `address`, by field (street, city, ...): all at once."""
    problems: dict[str, str] = {}
    if not address.street.strip():
        problems["street"] = _("Enter the street address.")
    if not address.city.strip():
        problems["city"] = _("Enter the city.")
    if len(address.street) > 200 or len(address.unit) > 100 or len(address.city) > 100:
        problems.setdefault("street", _("Use at most 200 characters for the street."))
    if address.country and address.country != "US":
        try:
            jurisdiction.normalize_country(address.country, field="country")
        except DomainError:
            problems["country"] = _("Choose the country.")
        return problems
    if address.state not in jurisdiction.zip_states():
        problems["state"] = _("Choose the state.")
    try:
        zip5 = jurisdiction.normalize_zip(address.zip_code, field="zip_code")
        location = jurisdiction.locate_zip(zip5, field="zip_code")
    except DomainError as exc:
        problems["zip_code"] = exc.message
        return problems
    if "state" not in problems and location.state != address.state:
        problems["zip_code"] = _(
            "ZIP code %(zip)s is in %(zip_state)s, not %(state)s. Check the ZIP code and state."
        ) % {"zip": zip5, "zip_state": location.state, "state": address.state}
    return problems


def clean_address(address: NewAddress) -> NewAddress:
    """The address, trimmed, or InvalidAddress naming the first field that is wrong."""
    trimmed = NewAddress(**{k: str(v).strip() for k, v in asdict(address).items()})
    trimmed = NewAddress(**{**asdict(trimmed), "country": (trimmed.country or "US").upper()})
    for field, message in address_problems(trimmed).items():
        raise InvalidAddress(message, field=f"new_address.{field}")
    return trimmed


FINAL_CASE_WORDS = ("approved", "denied", "closed", "withdrawn", "rejected", "delivered")


def is_open_case(case: Case) -> bool:
    status = case.status_text.lower()
    return not any(word in status for word in FINAL_CASE_WORDS)


def open_cases_of_requester(sr: ServiceRequest) -> list[Case]:
    """The person's open cases on the same side of the 8 U.S.C. 1367 boundary as `sr`.

    A change of address made on an unprotected request never lists, or even looks at, the
    person's protected cases: change-of-address tools must not disclose them (domain.md
    section 8), and the VAWA/T/U unit keeps those addresses through its own requests.
    """
    email = sr.requester.email
    cases = Case.objects.filter(pk=sr.case_id) if sr.case_id else Case.objects.none()
    if email:
        cases = cases | Case.objects.filter(parties__person__email__iexact=email)
    protected = sr.is_confidential
    if not protected:
        cases = cases.filter(is_protected=False)
    return [c for c in cases.distinct().order_by("receipt_number") if is_open_case(c)]


@transaction.atomic
def apply_to_open_cases(
    sr: ServiceRequest, *, actor: User, address: NewAddress | None = None
) -> list[str]:
    """Record the change of address (and the new address, when given) against every open
    case; returns their receipts.

    One transaction with the caller's (intake's, through referrals): the note, the version
    bump and the audit events (one on the request, one on each case, so each case's history
    shows its new address) are written together or not at all.
    """
    sr = core.lock(sr)
    receipts = [c.receipt_number for c in open_cases_of_requester(sr)]
    if not receipts and address is None:
        return receipts
    lines = []
    if address is not None:
        lines.append(_("New address: %(address)s.") % {"address": address.lines()})
    if receipts:
        lines.append(
            _("Change of address applies to every open case of the person: %(cases)s.")
            % {"cases": ", ".join(receipts)}
        )
    InternalNote.objects.create(service_request=sr, author=actor, body="\n".join(lines))
    core.bump(sr)
    changes: dict[str, object] = {"cases": receipts}
    if address is not None:
        changes["address"] = asdict(address)
    audit.record(
        actor=actor,
        action=AuditAction.SERVICE_REQUEST_ADDRESS_CHANGE_APPLIED,
        object_type="service_request",
        object_id=sr.reference,
        changes=changes,
    )
    if address is not None:
        for receipt in receipts:
            audit.record(
                actor=actor,
                action=AuditAction.CASE_ADDRESS_CHANGED,
                object_type="case",
                object_id=receipt,
                changes={"address": asdict(address), "service_request": sr.reference},
            )
    return receipts
