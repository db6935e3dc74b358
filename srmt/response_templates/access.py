"""Who may write and who may use which templates (docs/adr/0033-response-templates.md).

Writing needs the MANAGE_TEMPLATES capability (supervisors, administrators) and a scope:
- national templates: administrators, and national supervisors: a supervisor who belongs to
  no office (the agency's national supervisors) or to a headquarters unit;
- an office's templates: whoever may write national ones, and the supervisors of that office.
Using (offered in the respond form and the API): whoever may respond within their act scope:
national templates and those of the offices they act for (every office for a national scope).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.accounts.roles import ACT_SCOPE, NATIONAL, Capability
from srmt.offices.choices import OfficeKind
from srmt.offices.models import Office
from srmt.response_templates.models import ResponseTemplate


def _staff(user: object, *capabilities: Capability) -> User | None:
    """`user` if a signed-in member of staff with one of `capabilities`, else None."""
    if not (isinstance(user, User) and user.is_authenticated and user.is_agency_staff):
        return None
    return user if any(user.can(c) for c in capabilities) else None


def has_national_scope(user: object) -> bool:
    """May `user` write national templates (and therefore any office's)?"""
    staff = _staff(user, Capability.MANAGE_TEMPLATES)
    if staff is None:
        return False
    if staff.role == Role.ADMINISTRATOR:
        return True
    offices = staff.office_ids()
    return (
        not offices or Office.objects.filter(pk__in=offices, kind=OfficeKind.HEADQUARTERS).exists()
    )


def can_manage(user: object, office: Office | None) -> bool:
    """May `user` write the templates of `office` (None: national templates)?"""
    staff = _staff(user, Capability.MANAGE_TEMPLATES)
    if staff is None:
        return False
    if has_national_scope(staff):
        return True
    return office is not None and office.pk in staff.office_ids()


def may_manage_any(user: object) -> bool:
    return _staff(user, Capability.MANAGE_TEMPLATES) is not None


def may_use_any(user: object) -> bool:
    return _staff(user, Capability.RESPOND, Capability.MANAGE_TEMPLATES) is not None


def manageable_offices(user: object) -> QuerySet[Office]:
    """The offices whose templates `user` may write (all of them for a national scope)."""
    staff = _staff(user, Capability.MANAGE_TEMPLATES)
    if staff is None:
        return Office.objects.none()
    if has_national_scope(staff):
        return Office.objects.active()
    return Office.objects.active().filter(pk__in=staff.office_ids())


def visible_templates(user: object) -> QuerySet[ResponseTemplate]:
    """The templates `user` may see in the library: national ones and those of the offices
    they may write or respond for (all of them for a national scope); none without either
    capability."""
    templates = ResponseTemplate.objects.select_related("office")
    staff = _staff(user, Capability.RESPOND, Capability.MANAGE_TEMPLATES)
    if staff is None:
        return templates.none()
    national_act = staff.can(Capability.RESPOND) and ACT_SCOPE[Role(staff.role)] == NATIONAL
    if national_act or has_national_scope(staff):
        return templates.all()
    return templates.filter(Q(office__isnull=True) | Q(office_id__in=staff.office_ids()))
