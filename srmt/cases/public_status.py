"""A case's public status, as the agency's case-status page shows it to anyone holding the
receipt number (issue 11, ADR 0040): the current status's title and plain-language
description in both languages, and the dated titles of its earlier statuses. Nothing
personal: no name, no address, no office.

An 8 U.S.C. 1367-protected case is answered exactly as a receipt number nobody filed
(None), as the agency's Case Status API does: the public status says nothing that would
reveal that such a case exists. Shown to a signed-in account, the lookup is audited like a
staff view of case data; an anonymous lookup of public status data is not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases.models import Case
from srmt.cases.statuses import CaseStatusText, describe_case, status_titles
from srmt.core.receipts import normalize_receipt_number


@dataclass(frozen=True)
class StatusStep:
    """One status in the case's history: its day and its titles."""

    on: dt.date
    title_en: str
    title_es: str


@dataclass(frozen=True)
class PublicStatus:
    receipt_number: str
    form: str
    current: CaseStatusText
    history: tuple[StatusStep, ...]  # oldest first, the current status last


def public_status(
    receipt_number: str, *, actor: AbstractBaseUser | AnonymousUser | None
) -> PublicStatus | None:
    """The public status of the case with this receipt number, or None when there is no
    such case or it is protected. Raises InvalidReceiptNumber for a malformed number."""
    number = normalize_receipt_number(receipt_number)
    case = (
        Case.objects.filter(receipt_number=number, is_protected=False)
        .select_related("form_type")
        .first()
    )
    if case is None:
        return None
    history = tuple(
        StatusStep(timezone.localdate(change.changed_at), *status_titles(change.status_text))
        for change in case.status_changes.order_by("changed_at", "id")
    )
    if actor is not None and actor.is_authenticated:
        audit.record(
            actor=actor,
            action=AuditAction.CASE_STATUS_VIEWED,
            object_type="case",
            object_id=case.receipt_number,
        )
    return PublicStatus(
        receipt_number=case.receipt_number,
        form=case.form_type.code,
        current=describe_case(case),
        history=history,
    )
