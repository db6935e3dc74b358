"""Forms G-28 from the case systems (issue 11 §2, ADR 42).

The case systems send, with each attorney or accredited representative who has a G-28 on
file, the representative's identifier (bar number with its state, or EOIR number). When a
representative's online account carries the same identifier (accounts.PublicProfile), the
G-28 is recorded as a `Representation`, audited as cases.links records one; when the case
systems drop that G-28, it is withdrawn. Both directions: a case written after the account
exists (`sync_case`, from cases.services.upsert_case) and an account made after the case
(`match_account`, at sign-up).

Only Representations of accounts that carry an identifier are managed here; those recorded
by hand (cases.links) are left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.choices import AccountKind
from srmt.accounts.models import PublicProfile, User
from srmt.accounts.representatives import InvalidIdentifier, key_from_case_system
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases.choices import REPRESENTATIVE_ROLES
from srmt.cases.errors import InvalidPerson
from srmt.cases.models import Case, CaseParty, Representation


class _Party(Protocol):
    """What is read of a party (cases.services.PartyData, without importing it)."""

    @property
    def role(self) -> str: ...
    @property
    def has_g28_on_file(self) -> bool: ...
    @property
    def representative_id(self) -> str: ...


def representative_key(party: _Party) -> str:
    """The normal form of a party's representative identifier, "" when none was sent;
    InvalidPerson when it is malformed or comes without a G-28."""
    identifier = party.representative_id or ""
    if not identifier.strip():
        return ""
    if party.role not in REPRESENTATIVE_ROLES or not party.has_g28_on_file:
        raise InvalidPerson(
            _("A representative's number comes only with a G-28 on file."), field="parties"
        )
    try:
        return key_from_case_system(party.role, identifier)
    except InvalidIdentifier:
        raise InvalidPerson(
            _(
                "Give an attorney's bar number as the state and the number (NY-4512345), "
                "and an accredited representative's EOIR number."
            ),
            field="parties",
        ) from None


def _accounts_for(keys: set[tuple[str, str]]) -> dict[tuple[str, str], User]:
    """Active representative accounts by (identifier, capacity)."""
    if not keys:
        return {}
    profiles = PublicProfile.objects.filter(
        representative_key__in={key for key, _role in keys},
        user__kind=AccountKind.REPRESENTATIVE,
        user__is_active=True,
    ).select_related("user")
    return {(p.representative_key, p.representative_kind): p.user for p in profiles}


@transaction.atomic
def sync_case(case: Case, *, actor: User | None) -> None:
    """Record the G-28s the case's parties name for existing accounts; withdraw those of
    identified accounts the parties no longer name."""
    parties = CaseParty.objects.filter(case=case, has_g28_on_file=True).exclude(
        representative_key=""
    )
    keys = {(p.representative_key, p.role) for p in parties}
    accounts = _accounts_for(keys)
    wanted = {accounts[k].pk: (accounts[k], k[1]) for k in keys if k in accounts}
    current = Representation.objects.select_for_update(of=("self",)).filter(
        case=case, withdrawn_on=None
    )
    held = set()
    today = timezone.localdate()
    for g28 in current.select_related("account__public_profile"):
        held.add(g28.account_id)
        profile = getattr(g28.account, "public_profile", None)
        if g28.account_id in wanted or profile is None or not profile.representative_key:
            continue
        _withdraw(g28, on=today, actor=actor)
    for account_id, (account, role) in wanted.items():
        if account_id not in held:
            _record(account, case, role=role, actor=actor)


@transaction.atomic
def match_account(account: User, *, actor: User | None) -> list[Representation]:
    """Record the G-28s on file for a representative account that just got its identifier."""
    profile = PublicProfile.objects.filter(user=account).first()
    if (
        profile is None
        or not profile.representative_key
        or account.kind != AccountKind.REPRESENTATIVE
    ):
        return []
    parties = CaseParty.objects.filter(
        has_g28_on_file=True,
        representative_key=profile.representative_key,
        role=profile.representative_kind,
    ).exclude(Q(case__representations__account=account, case__representations__withdrawn_on=None))
    recorded = []
    for case_id in sorted(set(parties.values_list("case_id", flat=True))):
        case = Case.objects.select_for_update().get(pk=case_id)
        recorded.append(_record(account, case, role=profile.representative_kind, actor=actor))
    return recorded


def _record(account: User, case: Case, *, role: str, actor: User | None) -> Representation:
    g28 = Representation.objects.create(
        account=account,
        case=case,
        role=role,
        accepted_on=timezone.localdate(),
        recorded_at=timezone.now(),
        recorded_by=actor,
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
            "accepted_on": g28.accepted_on.isoformat(),
            "source": "case_systems",
        },
    )
    return g28


def _withdraw(g28: Representation, *, on: dt.date, actor: User | None) -> None:
    g28.withdrawn_on = on
    g28.save(update_fields=["withdrawn_on"])
    audit.record(
        actor=actor,
        action=AuditAction.REPRESENTATION_WITHDRAWN,
        object_type="case",
        object_id=g28.case.receipt_number,
        changes={
            "representation": g28.pk,
            "account": g28.account_id,
            "withdrawn_on": g28.withdrawn_on.isoformat(),
            "source": "case_systems",
        },
    )
