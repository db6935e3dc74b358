"""Writes to case records and people. Cases come from the agency's case systems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.choices import AccountKind
from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases import g28, validation
from srmt.cases.choices import REPRESENTATIVE_ROLES, PartyRole
from srmt.cases.errors import (
    ClearanceRequired,
    InvalidPerson,
    ProtectionReasonRequired,
    UnknownFormType,
    UnknownOffice,
)
from srmt.cases.models import Case, CaseParty, CaseStatusChange, Person
from srmt.core.receipts import normalize_receipt_number
from srmt.offices.models import FormType, Office


@dataclass(frozen=True)
class PartyData:
    name: str
    role: str
    email: str = ""
    phone: str = ""
    language: str = "en"
    has_g28_on_file: bool = False
    external_id: str = ""
    date_of_birth: dt.date | None = None  # checked by the e-Request identity check (ADR 44)
    # The representative's bar (`NY-4512345`) or EOIR number, with a G-28 (ADR 42).
    representative_id: str = ""


@dataclass(frozen=True)
class CaseData:
    receipt_number: str
    form_type: str
    office: str
    received_on: dt.date
    status_text: str = ""
    status_updated_on: dt.date | None = None
    # None keeps the case's protection as it is (a new case starts unprotected): protection
    # is never cleared by omission, only by is_protected False with protection_reason.
    is_protected: bool | None = None
    protection_reason: str = ""
    parties: list[PartyData] = field(default_factory=list)
    # The email of the online account that filed the case (IOE receipts, ADR 43); None
    # keeps the case's filer as it is, "" clears it.
    filed_online_by: str | None = None


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


def resolve_online_filer(email: str) -> int | None:
    """The active customer account with this email (the filer of an IOE case), or None
    for an empty email."""
    if not email.strip():
        return None
    found = list(
        User.objects.filter(
            email__iexact=email.strip(), kind=AccountKind.CUSTOMER, is_active=True
        ).values_list("pk", flat=True)[:2]
    )
    if len(found) != 1:
        raise InvalidPerson(
            _("No single online account has the email %(email)s.") % {"email": email},
            field="filed_online_by",
        )
    return found[0]


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
    if party.representative_id:
        g28.representative_key(party)  # refuses a malformed one, or one without a G-28


def require_case_writer(actor: User | None) -> None:
    """Only the case systems write case records: the system itself (imports, actor None) or
    a user with the manage-cases capability and 8 U.S.C. 1367 clearance (ADR 16). The refusal
    is the same for every receipt number, so it tells nothing about any case."""
    if actor is None:
        return
    if not actor.can(Capability.MANAGE_CASES):
        raise ClearanceRequired(_("Your role does not allow you to write case records."))
    if not actor.is_1367_cleared:
        raise ClearanceRequired(
            _(
                "Writing case records needs clearance for 8 U.S.C. 1367 cases, because the "
                "case systems hold them. Ask an administrator to clear this account."
            )
        )


@transaction.atomic
def upsert_case(data: CaseData, *, actor: User | None) -> tuple[Case, bool]:
    """Create or update the case with this receipt number; returns (case, created).

    Parties given replace the case's parties; none given leaves them as they are. A person
    is never shared across the 8 U.S.C. 1367 boundary: people on a protected case are matched
    only with people on protected cases, and the other way round.
    """
    require_case_writer(actor)
    data = validation.clean_case(data)
    receipt_number = normalize_receipt_number(data.receipt_number)
    values: dict[str, Any] = {
        "form_type_id": resolve_form_type(data.form_type).pk,
        "office_id": resolve_office(data.office).pk,
        "received_on": data.received_on,
        "status_text": data.status_text,
        "status_updated_on": data.status_updated_on,
    }
    if data.filed_online_by is not None:
        values["filed_online_by_id"] = resolve_online_filer(data.filed_online_by)
    for party in data.parties:
        _check_party(party)
    case = Case.objects.select_for_update().filter(receipt_number=receipt_number).first()
    created = case is None
    values["is_protected"] = _protection(case, data)
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
    if "status_text" in changes or (created and case.status_text):
        _record_status(case)
    if data.parties and _party_signature(data.parties) != _current_signature(case):
        changes["parties"] = _replace_parties(case, data.parties)
        g28.sync_case(case, actor=actor)
    elif changes.get("is_protected") == [False, True]:
        _separate_people(case)  # the people already on it cross the new boundary
    if created or changes:
        _audit_write(case, created=created, changes=changes, data=data, actor=actor)
    return case, created


def _record_status(case: Case) -> None:
    """Add the case's new status to its history, dated by the case systems' status date
    (noon in UTC of that day) when they give one, else now."""
    if not case.status_text:
        return
    when = timezone.now()
    if case.status_updated_on is not None:
        when = dt.datetime.combine(case.status_updated_on, dt.time(12), tzinfo=dt.UTC)
    CaseStatusChange.objects.create(case=case, status_text=case.status_text, changed_at=when)


def _protection(case: Case | None, data: CaseData) -> bool:
    """The case's protection after this write; clearing it needs a reason."""
    current = bool(case and case.is_protected)
    if data.is_protected is None:
        return current
    if current and not data.is_protected and not data.protection_reason.strip():
        raise ProtectionReasonRequired(
            _(
                "Give the reason (protection_reason) for removing 8 U.S.C. 1367 protection "
                "from this case."
            ),
            field="protection_reason",
        )
    return data.is_protected


def _audit_write(
    case: Case, *, created: bool, changes: dict[str, Any], data: CaseData, actor: User | None
) -> None:
    if changes.get("is_protected") == [True, False]:
        changes["protection_reason"] = data.protection_reason.strip()
    audit.record(
        actor=actor,
        action=AuditAction.CASE_CREATED if created else AuditAction.CASE_UPDATED,
        object_type="case",
        object_id=case.receipt_number,
        changes=changes,
    )
    if changes.get("is_protected") == [True, False]:
        audit.record(
            actor=actor,
            action=AuditAction.CASE_PROTECTION_REMOVED,
            object_type="case",
            object_id=case.receipt_number,
            changes={"reason": data.protection_reason.strip()},
        )


PartySignature = frozenset[tuple[str, str, str, str, str, bool, str, dt.date | None, str]]


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
            p.date_of_birth,
            g28.representative_key(p),
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
            cp.person.date_of_birth,
            cp.representative_key,
        )
        for cp in CaseParty.objects.filter(case=case).select_related("person")
    )


def _replace_parties(case: Case, parties: list[PartyData]) -> list[str]:
    CaseParty.objects.filter(case=case).delete()
    roles = []
    for party in parties:
        person = _find_or_create_person(party, protected=case.is_protected)
        CaseParty.objects.get_or_create(
            case=case,
            person=person,
            role=party.role,
            defaults={
                "has_g28_on_file": party.has_g28_on_file,
                "representative_key": g28.representative_key(party),
            },
        )
        roles.append(party.role)
    return roles


def _on_the_other_side(protected: bool) -> Exists:
    """People on a case on the other side of the 1367 boundary from `protected`."""
    return Exists(CaseParty.objects.filter(person=OuterRef("pk"), case__is_protected=not protected))


def _find_or_create_person(party: PartyData, *, protected: bool) -> Person:
    if party.external_id:
        person = (
            Person.objects.filter(external_id=party.external_id)
            .exclude(_on_the_other_side(protected))
            .order_by("pk")
            .first()
        )
        if person is not None:
            return person
    return Person.objects.create(
        name=party.name.strip(),
        email=party.email,
        phone=party.phone,
        language=party.language or "en",
        external_id=party.external_id,
        date_of_birth=party.date_of_birth,
    )


def _separate_people(case: Case) -> None:
    """A case just became protected: anyone on it who is also on an unprotected case gets a
    record of their own for this case, so that nothing links the two (8 U.S.C. 1367)."""
    shared = CaseParty.objects.filter(case=case).filter(
        Exists(CaseParty.objects.filter(person=OuterRef("person"), case__is_protected=False))
    )
    copies: dict[int, Person] = {}
    for role in shared.select_related("person"):
        person = role.person
        if person.pk not in copies:
            copies[person.pk] = Person.objects.create(
                name=person.name,
                email=person.email,
                phone=person.phone,
                sms_consent=person.sms_consent,
                language=person.language,
                time_zone=person.time_zone,
                zip_code=person.zip_code,
                country=person.country,
                external_id=person.external_id,
                date_of_birth=person.date_of_birth,
            )
        role.person = copies[person.pk]
        role.save(update_fields=["person"])


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
