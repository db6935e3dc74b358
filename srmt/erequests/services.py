"""The write paths of e-Requests (ADR 0044): open one through the same intake as staff
(`service_requests.services.submit_request`, channel online), and add information to an
open request instead of opening a repeat. Both atomic and audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.actors import SYSTEM
from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.core.receipts import normalize_receipt_number
from srmt.erequests import defaults, eligibility, identity
from srmt.erequests.errors import NotEligible
from srmt.erequests.models import AddedInformation
from srmt.service_requests import policies
from srmt.service_requests.address_changes import NewAddress
from srmt.service_requests.choices import Channel
from srmt.service_requests.core import bump, clean_text, lock, require_open
from srmt.service_requests.errors import InvalidDescription
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.referrals import submit_or_refer
from srmt.service_requests.repeats import RepeatCheck, RepeatChoice
from srmt.service_requests.requesters import IdentifiedRequester, RequesterData
from srmt.service_requests.services import Submission


@dataclass(frozen=True)
class ERequest:
    """What a customer asked for on the e-Request page."""

    receipt_number: str
    type: str
    description: str
    requester: RequesterData
    document: str = ""  # typographic error: the document and the field that is wrong
    field_name: str = ""
    new_address: NewAddress | None = None
    repeat_of: str = ""  # open anyway, linked as a repeat of this reference


def open_erequest(data: ERequest, *, actor: User, today: dt.date | None = None) -> ServiceRequest:
    """Check eligibility, then record the request through intake (same routing, deadlines
    and acknowledgement as staff intake). A customer's paper case with status tracking only
    is refused first (StatusOnlyCase). Refused: nothing is written."""
    number = normalize_receipt_number(data.receipt_number)
    case = policies.known_case(actor, number)
    if case is None:
        raise Http404(_("None of your cases has that receipt number."))
    policies.require_actionable(actor, case)  # before eligibility: the reason that holds
    if data.type not in defaults.SELF_SERVICE_TYPES:
        raise NotEligible(_("You cannot make this request online."), field="type")
    verdict = eligibility.check(case, data.type, today=today or timezone.localdate())
    if not verdict.eligible:
        raise NotEligible(
            eligibility.explain(verdict),
            field="type",
            reason=verdict.code,
            from_date=verdict.from_date,
        )
    description = data.description
    if data.type == defaults.TYPOGRAPHIC_ERROR:
        document = (data.document or "").strip()
        field_name = (data.field_name or "").strip()
        if not document or not field_name:
            raise InvalidDescription(
                _("Tell us which document has the error and which part of it is wrong."),
                field="document" if not document else "field_name",
            )
        description = _("Document: %(document)s. Field: %(field)s. %(text)s") % {
            "document": document,
            "field": field_name,
            "text": description,
        }
    outcome = submit_or_refer(
        Submission(
            type=data.type,
            channel=Channel.ONLINE,
            description=description,
            requester=data.requester,
            receipt_number=number,
            new_address=data.new_address,
            repeat=RepeatChoice(repeat_of=data.repeat_of, check=RepeatCheck.IGNORE),
        ),
        actor=actor,
    )
    if outcome.service_request is None:  # a requester abroad: no account asks from abroad
        raise NotEligible(_("You cannot make this request online."), field="type")
    return outcome.service_request


@dataclass(frozen=True)
class GuestERequest:
    """What a visitor without an account gave on the e-Request page: who they are (checked
    against the case), what they ask for, and where to send the answer."""

    receipt_number: str
    name: str
    date_of_birth: dt.date | None
    type: str
    description: str
    email: str
    language: str = "en"


def open_guest_erequest(
    data: GuestERequest, *, client_key: str, today: dt.date | None = None
) -> ServiceRequest:
    """Check identity (identity.confirm_identity: the same refusal whatever failed, rate
    limited), then eligibility without an account, then record the request through the same
    intake as the signed-in path, the system acting on behalf of the matched case party
    (channel online). Refused: nothing is written."""
    case = identity.confirm_identity(
        data.receipt_number, data.name, data.date_of_birth, client_key=client_key
    )
    if data.type not in defaults.SELF_SERVICE_TYPES:
        raise NotEligible(_("You cannot make this request online."), field="type")
    verdict = eligibility.check(
        case, data.type, today=today or timezone.localdate(), without_account=True
    )
    if not verdict.eligible:
        raise NotEligible(
            eligibility.explain(verdict),
            field="type",
            reason=verdict.code,
            from_date=verdict.from_date,
        )
    person = identity.matched_party(case, data.name, data.date_of_birth)
    outcome = submit_or_refer(
        Submission(
            type=data.type,
            channel=Channel.ONLINE,
            description=data.description,
            requester=RequesterData(
                name=person.name,
                email=data.email,
                language=data.language,
                given=frozenset({"email", "language"}),
            ),
            receipt_number=case.receipt_number,
        ),
        actor=SYSTEM,
        on_behalf_of=IdentifiedRequester(case=case, person=person),
    )
    assert outcome.service_request is not None  # the system path never refers
    return outcome.service_request


def add_information(sr: ServiceRequest, text: str, *, actor: User) -> AddedInformation:
    """Append what the customer adds to an open request they may see; staff see it on the
    request. A request they may not see: 404; one on a paper case with status tracking only
    (opened by staff, by phone): StatusOnlyCase; a closed one is refused."""
    if not policies.visible_requests(actor).filter(pk=sr.pk).exists():
        raise Http404
    policies.require_actionable(actor, sr.case)  # a paper case they may only follow
    clean = clean_text(text, field="information", error=InvalidDescription)
    with transaction.atomic():
        locked = lock(sr)
        require_open(locked)
        added = AddedInformation.objects.create(
            service_request=locked, author=actor, text=clean, created_at=timezone.now()
        )
        bump(locked)
        audit.record(
            actor=actor,
            action=AuditAction.EREQUEST_INFORMATION_ADDED,
            object_type="service_request",
            object_id=locked.reference,
            changes={"added_information": added.pk, "characters": len(clean)},
        )
    return added
