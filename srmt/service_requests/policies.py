"""Who may see and do what with service requests. Access lives in querysets and here.

A request a user may not see is answered with 404, never 403, so its existence is not
disclosed; an action on a request the user can see but may not act on is a 403.

Every function takes an actor of any kind (accounts.actors, ADR 27): staff by role, office
and clearance; a customer their own cases (a linked person is a party) and the requests they
made; a representative the cases where their Form G-28 is in effect; the system reads
everything and acts only through its own background functions. 8 U.S.C. 1367 holds for all:
a protected case is seen only by cleared staff, the customers who are its parties, and the
representatives they chose.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.actors import Actor, SystemActor, Viewer, kind_of
from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.accounts.roles import ACT_SCOPE, NATIONAL, OWN_OFFICES, VIEW_SCOPE, Capability
from srmt.cases import access
from srmt.cases.choices import REPRESENTATIVE_ROLES
from srmt.cases.errors import StatusOnlyCase
from srmt.cases.models import Case, CaseParty, CaseQuerySet, Person
from srmt.core.errors import DomainError
from srmt.core.receipts import normalize_receipt_number
from srmt.service_requests.choices import Channel
from srmt.service_requests.models import (
    Escalation,
    InternalNote,
    Response,
    ServiceRequest,
    ServiceRequestQuerySet,
)
from srmt.service_requests.requesters import IdentifiedRequester

OUTSIDE = frozenset({"customer", "representative"})


class PermissionDenied(DomainError):
    code = "permission_denied"
    http_status = 403


def _held_by_or_escalated_to(offices: set[int]) -> Q:
    """Requests one of `offices` holds, or that the escalation ladder sent to one of them."""
    escalated = Escalation.objects.filter(service_request=OuterRef("pk"), office_id__in=offices)
    return Q(office_id__in=offices) | Q(Exists(escalated))


def visible_requests(user: Viewer) -> ServiceRequestQuerySet:
    """Every request `user` may see: role scope, then 1367 protection.

    An office-scoped role sees the requests its offices hold and those escalated to one of
    its offices (the ladder's target: the office holding the case, then HQ-SCOPS), so that
    the office asked to step in can follow what it was asked about (ADR 23). It acts only
    on what its offices hold (can_act). Customers, representatives and the system: see
    _outside_requests and ADR 27."""
    qs = ServiceRequest.objects.all()
    kind = kind_of(user)
    if kind == "system":
        return qs
    if kind in OUTSIDE:
        assert isinstance(user, User)
        return qs.filter(pk__in=_outside_requests(user).values("pk"))
    assert not isinstance(user, SystemActor)
    if not user.is_authenticated or not user.is_active or not user.can(Capability.VIEW):
        return qs.none()
    scope = VIEW_SCOPE[Role(user.role)]
    if scope == OWN_OFFICES:
        qs = qs.filter(_held_by_or_escalated_to(user.office_ids()))
    elif scope != NATIONAL:
        return qs.none()
    if not user.is_1367_cleared:
        qs = qs.exclude(case__is_protected=True)
    return qs


def _outside_requests(account: User) -> QuerySet[ServiceRequest]:
    """A customer's requests: those they made (online, or as a linked requester), but on a
    1367 case only if they are a party to it; a representative's: every request on a case
    where their G-28 is in effect (the applicant chose them, protected case or not)."""
    if account.kind == "representative":
        return ServiceRequest.objects.filter(case__in=_represented(account).values("pk"))
    made = ServiceRequest.objects.filter(
        Q(created_by=account) | Q(requester__in=access.linked_people(account).values("pk"))
    )
    return made.filter(
        Q(case__isnull=True)
        | Q(case__is_protected=False)
        | Q(case__in=access.own_cases(account).values("pk"))
    )


def _represented(account: User) -> CaseQuerySet:
    return access.represented_cases(account, on=timezone.localdate())


def can_view(user: Viewer, sr: ServiceRequest) -> bool:
    """What visible_requests(user) answers for one loaded request. Used right after a
    write, where the request is in hand: e.g. may the creator of a request on a 1367 case
    be shown it?

    No query beyond the user's office ids (cached on the user) and `sr.case`, except for
    an office-scoped user and a request their offices do not hold: then whether it was
    escalated to one of their offices is read from `sr.escalations` (no query when they are
    prefetched, or when the request's escalation level is annotated as 0, as for_lists()
    and a new request have it; one query otherwise). For customers and representatives one
    query; the system sees every request."""
    kind = kind_of(user)
    if kind == "system":
        return True
    if kind in OUTSIDE:
        return visible_requests(user).filter(pk=sr.pk).exists()
    assert not isinstance(user, SystemActor)
    if not user.is_authenticated or not user.is_active or not user.can(Capability.VIEW):
        return False
    return _reaches(user, sr, VIEW_SCOPE[Role(user.role)], escalated_counts=True)


def can_see_routing(user: Viewer, sr: ServiceRequest) -> bool:
    """May the creator of `sr` be told where it went (office, deadlines, a link to it)?

    Only for a request they may see whose receipt number, if any, has a case record they
    know of. A receipt number without a case record they may know of gets the same short
    acknowledgement whether it is unknown or a case protected by 8 U.S.C. 1367, so the
    answer never tells the two apart (ADR 16). No query: `sr.case` is loaded by intake.
    """
    if not can_view(user, sr):
        return False
    return not sr.receipt_number or sr.case_id is not None


def as_known_to(user: Viewer, case: Case | None) -> Case | None:
    """`case` as `user` may know of it: None for a 1367 case they are not cleared for (for a
    customer or representative: one that is not theirs). The system knows every case."""
    if case is None or not case.is_protected or getattr(user, "is_1367_cleared", False):
        return case
    kind = kind_of(user)
    if kind == "system":
        return case
    if kind in OUTSIDE and visible_cases(user).filter(pk=case.pk).exists():
        return case
    return None


def get_request_for_user(user: Viewer, reference: str) -> ServiceRequest:
    """The request with this reference if `user` may see it; otherwise Http404."""
    sr = visible_requests(user).for_lists().filter(reference=reference.strip().upper()).first()
    if sr is None:
        raise Http404(_("No service request matches that reference."))
    return sr


def can_act(user: Actor, sr: ServiceRequest, capability: Capability) -> bool:
    """Staff actions (note, respond, transition) by role and scope. Never for a customer or
    representative (they have no role), nor for the system: it acts only through its own
    background functions, and what staff actions do must name a person."""
    if isinstance(user, SystemActor) or not user.can(capability):
        return False
    return _reaches(user, sr, ACT_SCOPE[Role(user.role)])


def _reaches(user: User, sr: ServiceRequest, scope: str, *, escalated_counts: bool = False) -> bool:
    """`sr` lies within `scope` for `user`, and is not a 1367 case hidden from them. With
    `escalated_counts` (seeing, not acting: ADR 23) a request escalated to one of the
    user's offices lies within their own offices too."""
    # 8 U.S.C. 1367: whoever is not cleared may neither see nor act on a protected case.
    if sr.is_confidential and not user.is_1367_cleared:
        return False
    if scope == NATIONAL:
        return True
    if scope != OWN_OFFICES:
        return False
    offices = user.office_ids()
    if sr.office_id in offices:
        return True
    return (
        escalated_counts
        and sr.escalation_level > 0
        and any(e.office_id in offices for e in sr.escalations.all())
    )


def require_act(user: Actor, sr: ServiceRequest, capability: Capability) -> None:
    if not can_act(user, sr, capability):
        raise PermissionDenied(_("Your role does not allow you to do that on this request."))


def require_capability(user: Viewer, capability: Capability) -> None:
    if not (isinstance(user, User) and user.is_authenticated and user.can(capability)):
        raise PermissionDenied(_("Your role does not allow you to do that."))


def require_may_submit(
    actor: Viewer,
    *,
    receipt_number: str,
    channel: str,
    on_behalf_of: IdentifiedRequester | None = None,
) -> None:
    """May `actor` record a new request on this receipt number through this channel?

    Staff: the create capability. A customer or representative: online only, and only about
    a case they may act on (a customer also without a receipt number, for the types that
    take none). Any other receipt number, unknown, someone else's or a 1367 case that is not
    theirs, gets the same 404, so the answer tells nothing about other cases; then a
    customer's own paper case with status tracking only is refused with StatusOnlyCase
    (require_actionable: the case is theirs, so the answer may say why). The system
    records no request of its own: only an online one on behalf of a requester whose
    identity was checked against that very case (`on_behalf_of`, ADR 0044), never on a
    1367 case; nobody else may claim to act on someone's behalf.
    """
    kind = kind_of(actor)
    if kind == "system" or on_behalf_of is not None:
        _require_on_behalf(kind, receipt_number, channel, on_behalf_of)
        return
    if kind not in OUTSIDE:
        require_capability(actor, Capability.CREATE)
        return
    if channel != Channel.ONLINE:
        raise PermissionDenied(_("Online requests only."))
    number = normalize_receipt_number(receipt_number) if receipt_number else ""
    if not number and kind == "customer":
        return
    case = visible_cases(actor).filter(receipt_number=number).first() if number else None
    if case is None:
        raise Http404(_("None of your cases has that receipt number."))
    require_actionable(actor, case)


def _require_on_behalf(
    kind: str, receipt_number: str, channel: str, on_behalf_of: IdentifiedRequester | None
) -> None:
    refused = PermissionDenied(_("Your role does not allow you to do that."))
    if kind != "system" or on_behalf_of is None or channel != Channel.ONLINE:
        raise refused
    case = on_behalf_of.case
    number = normalize_receipt_number(receipt_number) if receipt_number else ""
    if case.is_protected or not number or number != case.receipt_number:
        raise refused
    party = (
        CaseParty.objects.filter(case_id=case.pk, person_id=on_behalf_of.person.pk)
        .exclude(role__in=REPRESENTATIVE_ROLES)
        .exists()
    )
    if not party:
        raise refused


# --- cases and the people on them ---------------------------------------------------------


def known_case(user: Viewer | None, receipt_number: str) -> Case | None:
    """The case record of a normalized receipt number as `user` may know of it: None when
    there is none, and None for a 1367 case the user is not cleared for (8 U.S.C. 1367).

    Existence only: routing explanations and intake's checks and answers are worked out on
    it, so that a protected case answers exactly as an unknown receipt number would. Its
    details (parties, status) are read through visible_cases().
    """
    if not receipt_number:
        return None
    kind = kind_of(user)
    if kind == "system":
        known = Case.objects.all()
    elif kind in OUTSIDE:
        assert user is not None
        known = visible_cases(user)
    else:
        known = Case.objects.known_to(user if isinstance(user, User) else None)
    return known.select_related("office", "form_type").filter(receipt_number=receipt_number).first()


def visible_cases(user: Viewer) -> CaseQuerySet:
    """Every case whose details (people, status) `user` may read: the scope of requests.

    National roles read every case; office roles the cases their offices hold, and the cases
    of requests their offices hold (a request transferred to them needs its case) or that
    were escalated to one of their offices (ADR 23); 1367 cases need clearance on top,
    whatever the role (ADR 4). A customer reads their own cases, a representative the cases
    with their G-28 in effect, protected or not (ADR 27); the system every case.
    """
    cases = Case.objects.all()
    kind = kind_of(user)
    if kind == "system":
        return cases
    if kind == "customer":
        assert isinstance(user, User)
        return cases.filter(pk__in=access.own_cases(user).values("pk"))
    if kind == "representative":
        assert isinstance(user, User)
        return cases.filter(pk__in=_represented(user).values("pk"))
    assert not isinstance(user, SystemActor)
    if not user.is_authenticated or not user.is_active or not user.can(Capability.VIEW):
        return cases.none()
    cases = cases.known_to(user)
    scope = VIEW_SCOPE[Role(user.role)]
    if scope == NATIONAL:
        return cases
    if scope == OWN_OFFICES:
        offices = user.office_ids()
        seen_here = ServiceRequest.objects.filter(case=OuterRef("pk")).filter(
            _held_by_or_escalated_to(offices)
        )
        return cases.filter(Q(office_id__in=offices) | Q(Exists(seen_here)))
    return cases.none()


def actionable_cases(user: Viewer) -> CaseQuerySet:
    """The cases `user` may act on online (open a request, start a conversation): the one
    rule the pages and services ask (ADR 43, revised).

    A customer: their visible cases that have the full online account (filed online, or an
    IOE receipt: cases.access.full_account); their other paper cases, linked with an access
    code, get status tracking only (../shared/docs/domain.md section 9). A representative:
    every case with their Form G-28 in effect, paper or not (they are not linked by access
    codes; the G-28 is what lets them act). Staff and the system: their visible cases, as
    before (a phone request about a paper case is opened by staff)."""
    cases = visible_cases(user)
    if kind_of(user) == "customer":
        return cases.filter(access.full_account_q())
    return cases


def status_only_cases(user: Viewer) -> CaseQuerySet:
    """The visible cases `user` may only follow (status tracking): some of a customer's
    paper cases; none for anyone else. The pages say so beside their choosers."""
    cases = visible_cases(user)
    if kind_of(user) == "customer":
        return cases.exclude(access.full_account_q())
    return cases.none()


def is_actionable(user: Viewer, case: Case | None) -> bool:
    """What actionable_cases(user) answers for `case`, a case `user` may see (the caller
    checked); no query. Without a case (a request that names none, or a receipt number with
    no case record) there is nothing to refuse."""
    return case is None or kind_of(user) != "customer" or access.full_account(case)


def require_actionable(user: Viewer, case: Case | None) -> None:
    """Refuse (StatusOnlyCase, 403) a customer's online action about a visible case that
    has status tracking only (is_actionable). The case is theirs: the answer says why."""
    if is_actionable(user, case):
        return
    assert case is not None
    raise StatusOnlyCase(status_only_message(case))


def status_only_message(case: Case) -> str:
    """Why a customer may not act online about `case`, and how to ask instead."""
    return _(
        "Case %(receipt)s was filed on paper, so your online account shows its status "
        "only: you cannot send requests or messages about it online. To ask us about it, "
        "please call the Contact Center. Cases you file online get the full online "
        "account."
    ) % {"receipt": case.receipt_number}


def get_case_for_user(user: Viewer, receipt_number: str) -> Case:
    """The case with this (normalized) receipt number if `user` may read it; otherwise
    Http404, the same answer as for a receipt number with no case record."""
    case = visible_cases(user).filter(receipt_number=receipt_number).first()
    if case is None:
        raise Http404(_("No case matches that receipt number."))
    return case


def visible_people(user: Viewer) -> QuerySet[Person]:
    """The people `user` may read: those on cases they may read and those who asked in
    requests they may see. Whoever is not cleared sees nobody linked to a 1367 case or
    request at all, even if they are also on another case (8 U.S.C. 1367).

    A customer reads only the people linked to their account (not the other parties of their
    cases); a representative the parties of the cases they represent; the system everyone."""
    kind = kind_of(user)
    if kind == "system":
        return Person.objects.all()
    if kind == "customer":
        assert isinstance(user, User)
        return access.linked_people(user)
    if kind == "representative":
        assert isinstance(user, User)
        parties = CaseParty.objects.filter(
            person=OuterRef("pk"), case__in=_represented(user).values("pk")
        )
        return Person.objects.filter(Exists(parties))
    assert not isinstance(user, SystemActor)
    if not user.is_authenticated or not user.is_active or not user.can(Capability.VIEW):
        return Person.objects.none()
    people = Person.objects.filter(
        Q(Exists(visible_cases(user).filter(parties__person=OuterRef("pk"))))
        | Q(Exists(visible_requests(user).filter(requester=OuterRef("pk"))))
    )
    if not user.is_1367_cleared:
        people = people.exclude(
            Q(Exists(Case.objects.filter(is_protected=True, parties__person=OuterRef("pk"))))
            | Q(
                Exists(
                    ServiceRequest.objects.filter(case__is_protected=True, requester=OuterRef("pk"))
                )
            )
        )
    return people


# --- what a request's reader is shown -----------------------------------------------------


def visible_responses(user: Viewer) -> QuerySet[Response]:
    """Responses on the requests `user` may see: what was sent to the customer."""
    return Response.objects.filter(service_request__in=visible_requests(user).values("pk"))


def visible_notes(user: Viewer) -> QuerySet[InternalNote]:
    """Internal notes are for staff: those who may see the request, and nobody outside."""
    if kind_of(user) in OUTSIDE:
        return InternalNote.objects.none()
    return InternalNote.objects.filter(service_request__in=visible_requests(user).values("pk"))
