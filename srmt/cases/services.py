"""Writes to case records and people. Cases come from the agency's case systems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.cases import validation
from srmt.cases.choices import REPRESENTATIVE_ROLES, PartyRole
from srmt.cases.errors import InvalidPerson, UnknownFormType, UnknownOffice
from srmt.cases.models import Case, CaseParty, Person
from srmt.core.receipts import normalize_receipt_number
from srmt.offices.models import FormType, Office

CASE_FIELDS = (
    "form_type_id",
    "office_id",
    "received_on",
    "status_text",
    "status_updated_on",
    "is_protected",
)


@dataclass(frozen=True)
class PartyData:
    name: str
    role: str
    email: str = ""
    phone: str = ""
    language: str = "en"
    has_g28_on_file: bool = False
    external_id: str = ""


@dataclass(frozen=True)
class CaseData:
    receipt_number: str
    form_type: str
    office: str
    received_on: dt.date
    status_text: str = ""
    status_updated_on: dt.date | None = None
    is_protected: bool = False
    parties: list[PartyData] = field(default_factory=list)


def resolve_form_type(code: str) -> FormType:
    try:
        return FormType.objects.get(code__iexact=code.strip())
    except FormType.DoesNotExist:
        raise UnknownFormType(
            _("There is no form %(code)s.") % {"code": code}, field="form_type"
        ) from None


def resolve_office(code: str) -> Office:
    try:
        return Office.objects.get(code__iexact=code.strip())
    except Office.DoesNotExist:
        raise UnknownOffice(
            _("There is no office %(code)s.") % {"code": code}, field="office"
        ) from None


def _check_party(party: PartyData) -> None:
    if party.role not in PartyRole.values:
        raise InvalidPerson(
            _("%(role)s is not a role on a case.") % {"role": party.role}, field="parties"
        )
    if not party.name.strip():
        raise InvalidPerson(_("Each person on a case needs a name."), field="parties")
    if party.has_g28_on_file and party.role not in REPRESENTATIVE_ROLES:
        raise InvalidPerson(
            _("Only an attorney or accredited representative files a G-28."), field="parties"
        )


@transaction.atomic
def upsert_case(data: CaseData, *, actor: User | None) -> tuple[Case, bool]:
    """Create or update the case with this receipt number; returns (case, created).

    Parties given replace the case's parties; none given leaves them as they are.
    """
    data = validation.clean_case(data)
    receipt_number = normalize_receipt_number(data.receipt_number)
    values: dict[str, Any] = {
        "form_type_id": resolve_form_type(data.form_type).pk,
        "office_id": resolve_office(data.office).pk,
        "received_on": data.received_on,
        "status_text": data.status_text,
        "status_updated_on": data.status_updated_on,
        "is_protected": data.is_protected,
    }
    for party in data.parties:
        _check_party(party)
    case = Case.objects.select_for_update().filter(receipt_number=receipt_number).first()
    created = case is None
    if case is None:
        case = Case.objects.create(receipt_number=receipt_number, **values)
        changes = {k: _jsonable(v) for k, v in values.items()}
    else:
        changes = {
            k: [_jsonable(getattr(case, k)), _jsonable(v)]
            for k, v in values.items()
            if getattr(case, k) != v
        }
        for key, value in values.items():
            setattr(case, key, value)
        if changes:
            case.save(update_fields=[*changes.keys(), "updated_at"])
    if data.parties and _party_signature(data.parties) != _current_signature(case):
        changes["parties"] = _replace_parties(case, data.parties)
    if created or changes:
        audit.record(
            actor=actor,
            action="case.created" if created else "case.updated",
            object_type="case",
            object_id=receipt_number,
            changes=changes,
        )
    return case, created


PartySignature = frozenset[tuple[str, str, str, str, str, bool, str]]


def _party_signature(parties: list[PartyData]) -> PartySignature:
    return frozenset(
        (
            p.name.strip(),
            p.role,
            p.email,
            p.phone,
            p.language or "en",
            p.has_g28_on_file,
            p.external_id,
        )
        for p in parties
    )


def _current_signature(case: Case) -> PartySignature:
    # Re-sending the same parties must neither audit a change nor create new people.
    return frozenset(
        (
            cp.person.name,
            cp.role,
            cp.person.email,
            cp.person.phone,
            cp.person.language,
            cp.has_g28_on_file,
            cp.person.external_id,
        )
        for cp in CaseParty.objects.filter(case=case).select_related("person")
    )


def _replace_parties(case: Case, parties: list[PartyData]) -> list[str]:
    CaseParty.objects.filter(case=case).delete()
    roles = []
    for party in parties:
        person = _find_or_create_person(party)
        CaseParty.objects.get_or_create(
            case=case,
            person=person,
            role=party.role,
            defaults={"has_g28_on_file": party.has_g28_on_file},
        )
        roles.append(party.role)
    return roles


def _find_or_create_person(party: PartyData) -> Person:
    if party.external_id:
        person = Person.objects.filter(external_id=party.external_id).first()
        if person is not None:
            return person
    return Person.objects.create(
        name=party.name.strip(),
        email=party.email,
        phone=party.phone,
        language=party.language or "en",
        external_id=party.external_id,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
