"""Who may see and do what with service requests. Access lives in querysets and here.

A request a user may not see is answered with 404, never 403, so its existence is not
disclosed; an action on a request the user can see but may not act on is a 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.accounts.roles import ACT_SCOPE, NATIONAL, OWN_OFFICES, VIEW_SCOPE, Capability
from srmt.cases.models import Case, CaseQuerySet, Person
from srmt.core.errors import DomainError
from srmt.service_requests.models import Escalation, ServiceRequest, ServiceRequestQuerySet


class PermissionDenied(DomainError):
    code = "permission_denied"
    http_status = 403


def _held_by_or_escalated_to(offices: set[int]) -> Q:
    """Requests one of `offices` holds, or that the escalation ladder sent to one of them."""
    escalated = Escalation.objects.filter(service_request=OuterRef("pk"), office_id__in=offices)
    return Q(office_id__in=offices) | Q(Exists(escalated))


def visible_requests(user: User | AnonymousUser) -> ServiceRequestQuerySet:
    """Every request `user` may see: role scope, then 1367 protection.

    An office-scoped role sees the requests its offices hold and those escalated to one of
    its offices (the ladder's target: the office holding the case, then HQ-SCOPS), so that
    the office asked to step in can follow what it was asked about (ADR 23). It acts only
    on what its offices hold (can_act)."""
    qs = ServiceRequest.objects.all()
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


def can_view(user: User | AnonymousUser, sr: ServiceRequest) -> bool:
    """What visible_requests(user) answers for one loaded request. Used right after a
    write, where the request is in hand: e.g. may the creator of a request on a 1367 case
    be shown it?

    No query beyond the user's office ids (cached on the user) and `sr.case`, except for
    an office-scoped user and a request their offices do not hold: then whether it was
    escalated to one of their offices is read from `sr.escalations` (no query when they are
    prefetched, or when the request's escalation level is annotated as 0, as for_lists()
    and a new request have it; one query otherwise)."""
    if not user.is_authenticated or not user.is_active or not user.can(Capability.VIEW):
        return False
    return _reaches(user, sr, VIEW_SCOPE[Role(user.role)], escalated_counts=True)


def can_see_routing(user: User | AnonymousUser, sr: ServiceRequest) -> bool:
    """May the creator of `sr` be told where it went (office, deadlines, a link to it)?

    Only for a request they may see whose receipt number, if any, has a case record they
    know of. A receipt number without a case record they may know of gets the same short
    acknowledgement whether it is unknown or a case protected by 8 U.S.C. 1367, so the
    answer never tells the two apart (ADR 16). No query: `sr.case` is loaded by intake.
    """
    if not can_view(user, sr):
        return False
    return not sr.receipt_number or sr.case_id is not None


def as_known_to(user: User | AnonymousUser, case: Case | None) -> Case | None:
    """`case` as `user` may know of it: None for a 1367 case they are not cleared for."""
    if case is not None and case.is_protected and not getattr(user, "is_1367_cleared", False):
        return None
    return case


def get_request_for_user(user: User | AnonymousUser, reference: str) -> ServiceRequest:
    """The request with this reference if `user` may see it; otherwise Http404."""
    sr = visible_requests(user).for_lists().filter(reference=reference.strip().upper()).first()
    if sr is None:
        raise Http404(_("No service request matches that reference."))
    return sr


def can_act(user: User, sr: ServiceRequest, capability: Capability) -> bool:
    if not user.can(capability):
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


def require_act(user: User, sr: ServiceRequest, capability: Capability) -> None:
    if not can_act(user, sr, capability):
        raise PermissionDenied(_("Your role does not allow you to do that on this request."))


def require_capability(user: User, capability: Capability) -> None:
    if not (user.is_authenticated and user.can(capability)):
        raise PermissionDenied(_("Your role does not allow you to do that."))


# --- cases and the people on them ---------------------------------------------------------


def known_case(user: User | AnonymousUser | None, receipt_number: str) -> Case | None:
    """The case record of a normalized receipt number as `user` may know of it: None when
    there is none, and None for a 1367 case the user is not cleared for (8 U.S.C. 1367).

    Existence only: routing explanations and intake's checks and answers are worked out on
    it, so that a protected case answers exactly as an unknown receipt number would. Its
    details (parties, status) are read through visible_cases().
    """
    if not receipt_number:
        return None
    known = Case.objects.known_to(user if isinstance(user, User) else None)
    return known.select_related("office", "form_type").filter(receipt_number=receipt_number).first()


def visible_cases(user: User | AnonymousUser) -> CaseQuerySet:
    """Every case whose details (people, status) `user` may read: the scope of requests.

    National roles read every case; office roles the cases their offices hold, and the cases
    of requests their offices hold (a request transferred to them needs its case) or that
    were escalated to one of their offices (ADR 23); 1367 cases need clearance on top,
    whatever the role (ADR 4).
    """
    cases = Case.objects.all()
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


def get_case_for_user(user: User | AnonymousUser, receipt_number: str) -> Case:
    """The case with this (normalized) receipt number if `user` may read it; otherwise
    Http404, the same answer as for a receipt number with no case record."""
    case = visible_cases(user).filter(receipt_number=receipt_number).first()
    if case is None:
        raise Http404(_("No case matches that receipt number."))
    return case


def visible_people(user: User | AnonymousUser) -> QuerySet[Person]:
    """The people `user` may read: those on cases they may read and those who asked in
    requests they may see. Whoever is not cleared sees nobody linked to a 1367 case or
    request at all, even if they are also on another case (8 U.S.C. 1367)."""
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
