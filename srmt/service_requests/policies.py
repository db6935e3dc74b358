"""Who may see and do what with service requests. Access lives in querysets and here.

A request a user may not see is answered with 404, never 403, so its existence is not
disclosed; an action on a request the user can see but may not act on is a 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils.translation import gettext as _

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.accounts.roles import ACT_SCOPE, NATIONAL, OWN_OFFICES, VIEW_SCOPE, Capability
from srmt.core.errors import DomainError
from srmt.service_requests.models import ServiceRequest, ServiceRequestQuerySet


class PermissionDenied(DomainError):
    code = "permission_denied"
    http_status = 403


def _scope_filter(qs: ServiceRequestQuerySet, user: User, scope: str) -> ServiceRequestQuerySet:
    if scope == NATIONAL:
        return qs
    if scope == OWN_OFFICES:
        return qs.filter(office_id__in=user.office_ids())
    return qs.none()


def visible_requests(user: User | AnonymousUser) -> ServiceRequestQuerySet:
    """Every request `user` may see: role scope, then 1367 protection."""
    qs = ServiceRequest.objects.all()
    if not user.is_authenticated or not user.is_active or not user.can(Capability.VIEW):
        return qs.none()
    qs = _scope_filter(qs, user, VIEW_SCOPE[Role(user.role)])
    if not user.is_1367_cleared:
        qs = qs.exclude(case__is_protected=True)
    return qs


def can_view(user: User | AnonymousUser, sr: ServiceRequest) -> bool:
    """What visible_requests(user) answers for one loaded request, without a query (beyond
    the user's office ids, cached on the user). Used right after a write, where the request
    is in hand: e.g. may the creator of a request on a 1367 case be shown it?"""
    if not user.is_authenticated or not user.is_active or not user.can(Capability.VIEW):
        return False
    return _reaches(user, sr, VIEW_SCOPE[Role(user.role)])


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


def _reaches(user: User, sr: ServiceRequest, scope: str) -> bool:
    """`sr` lies within `scope` for `user`, and is not a 1367 case hidden from them."""
    # 8 U.S.C. 1367: whoever is not cleared may neither see nor act on a protected case.
    if sr.case_id is not None and sr.case.is_protected and not user.is_1367_cleared:
        return False
    if scope == NATIONAL:
        return True
    if scope == OWN_OFFICES:
        return sr.office_id in user.office_ids()
    return False


def require_act(user: User, sr: ServiceRequest, capability: Capability) -> None:
    if not can_act(user, sr, capability):
        raise PermissionDenied(_("Your role does not allow you to do that on this request."))


def require_capability(user: User, capability: Capability) -> None:
    if not (user.is_authenticated and user.can(capability)):
        raise PermissionDenied(_("Your role does not allow you to do that."))
