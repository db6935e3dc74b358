"""Writes that let accounts outside the agency act (ADR 27): a customer account's verified
link to a person, and a representative's Form G-28 on a case. Each is atomic and audited,
and needs a case writer (the case systems: the system, or a cleared user with the
manage-cases capability, as for case records, ADR 16). Nothing is deleted: links are ended
and Forms G-28 withdrawn, so who could act on what, when, stays answerable."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.actors import Actor, SystemActor
from srmt.accounts.choices import AccountKind
from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases.choices import REPRESENTATIVE_ROLES, LinkMethod
from srmt.cases.errors import AlreadyLinked, InvalidRepresentation, WrongAccountKind
from srmt.cases.models import Case, CustomerLink, Person, Representation
from srmt.cases.services import require_case_writer


def _writer(actor: Actor) -> User | None:
    """The user to record as having written (None for the system), once allowed."""
    if isinstance(actor, SystemActor):
        return None
    require_case_writer(actor)
    return actor


def _require_kind(account: User, kind: AccountKind) -> None:
    if account.kind != kind or not account.is_active:
        raise WrongAccountKind(
            _("This needs an active account of the kind: %(kind)s.") % {"kind": kind.label},
            field="account",
        )


@transaction.atomic
def link_customer(account: User, person: Person, *, method: str, actor: Actor) -> CustomerLink:
    """Link a customer account to a person, once who they are was verified (`method`)."""
    writer = _writer(actor)
    _require_kind(account, AccountKind.CUSTOMER)
    if method not in LinkMethod.values:
        raise InvalidRepresentation(_("Say how the customer was verified."), field="method")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if CustomerLink.objects.in_effect().filter(person=person).exists():
        raise AlreadyLinked(_("This person is already linked to an account."), field="person")
    link = CustomerLink.objects.create(
        account=account, person=person, method=method, linked_at=timezone.now(), linked_by=writer
    )
    audit.record(
        actor=actor,
        action=AuditAction.CUSTOMER_LINK_CREATED,
        object_type="customer_link",
        object_id=str(person.pk),  # by person, so the audit log hides it with the person
        changes={"link": link.pk, "account": account.pk, "method": method},
    )
    return link


@transaction.atomic
def unlink_customer(link: CustomerLink, *, actor: Actor) -> CustomerLink:
    """End a link: from now on the account acts on nothing of that person's."""
    _writer(actor)
    link = CustomerLink.objects.select_for_update().get(pk=link.pk)
    if link.unlinked_at is None:
        link.unlinked_at = timezone.now()
        link.save(update_fields=["unlinked_at"])
        audit.record(
            actor=actor,
            action=AuditAction.CUSTOMER_LINK_ENDED,
            object_type="customer_link",
            object_id=str(link.person_id),
            changes={"link": link.pk, "account": link.account_id},
        )
    return link


@transaction.atomic
def record_representation(
    account: User, case: Case, *, role: str, accepted_on: dt.date, actor: Actor
) -> Representation:
    """Record a Form G-28 accepted on `accepted_on`: `account` represents on `case`."""
    writer = _writer(actor)
    _require_kind(account, AccountKind.REPRESENTATIVE)
    if role not in REPRESENTATIVE_ROLES:
        raise InvalidRepresentation(
            _("A Form G-28 is filed by an attorney or an accredited representative."),
            field="role",
        )
    case = Case.objects.select_for_update().get(pk=case.pk)
    if Representation.objects.filter(account=account, case=case, withdrawn_on=None).exists():
        raise AlreadyLinked(_("This representative already has a G-28 on this case."))
    g28 = Representation.objects.create(
        account=account,
        case=case,
        role=role,
        accepted_on=accepted_on,
        recorded_at=timezone.now(),
        recorded_by=writer,
    )
    audit.record(
        actor=actor,
        action=AuditAction.REPRESENTATION_RECORDED,
        object_type="case",
        object_id=case.receipt_number,
        changes={
            "representation": g28.pk,
            "account": account.pk,
            "role": role,
            "accepted_on": accepted_on.isoformat(),
        },
    )
    return g28


@transaction.atomic
def withdraw_representation(
    g28: Representation, *, withdrawn_on: dt.date, actor: Actor
) -> Representation:
    """The G-28 was withdrawn (or the representative replaced) on `withdrawn_on`."""
    _writer(actor)
    g28 = Representation.objects.select_for_update().select_related("case").get(pk=g28.pk)
    if g28.withdrawn_on is not None:
        raise InvalidRepresentation(_("This G-28 was already withdrawn."))
    if withdrawn_on < g28.accepted_on:
        raise InvalidRepresentation(
            _("A G-28 is withdrawn on or after the day it was accepted."), field="withdrawn_on"
        )
    g28.withdrawn_on = withdrawn_on
    g28.save(update_fields=["withdrawn_on"])
    audit.record(
        actor=actor,
        action=AuditAction.REPRESENTATION_WITHDRAWN,
        object_type="case",
        object_id=g28.case.receipt_number,
        changes={
            "representation": g28.pk,
            "account": g28.account_id,
            "withdrawn_on": withdrawn_on.isoformat(),
        },
    )
    return g28
