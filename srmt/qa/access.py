"""Who may see and do what in national QA review (ADR 36). Access lives here and in the
querysets: a QA object about a request the user may not see (8 U.S.C. 1367 included) is not
found; a visible one they may not act on is refused (403)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from srmt.accounts.choices import AccountKind, Role
from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.qa.models import Assignment, Dispute, Evaluation, Sample, SampleItem
from srmt.service_requests import policies


def is_reviewer(user: User) -> bool:
    return user.is_authenticated and user.can(Capability.QA_REVIEW)


def sees_reports(user: User) -> bool:
    return user.is_authenticated and user.can(Capability.QUALITY_REPORTS)


def reviewer_pool() -> QuerySet[User]:
    """The accounts sampling assigns items to: active QA reviewers (the role; administrators
    may score but are never assigned)."""
    return User.objects.filter(
        kind=AccountKind.STAFF, role=Role.QA_REVIEWER, is_active=True
    ).order_by("username")


def may_review(reviewer: User, item: SampleItem, *, office_ids: set[int] | None = None) -> bool:
    """Never a reviewer of the item's office, never its responder, and a 1367 case only a
    cleared reviewer. `office_ids`: the reviewer's offices, when already read (in a loop)."""
    if not is_reviewer(reviewer) or reviewer.pk == item.responder_id:
        return False
    if item.office_id in (reviewer.office_ids() if office_ids is None else office_ids):
        return False
    return reviewer.is_1367_cleared or not item.service_request.is_confidential


def visible_samples(user: User) -> QuerySet[Sample]:
    if not (is_reviewer(user) or sees_reports(user)):
        return Sample.objects.none()
    return Sample.objects.all()


def visible_items(user: User) -> QuerySet[SampleItem]:
    """The items of samples a reviewer may open: requests they may see."""
    if not is_reviewer(user):
        return SampleItem.objects.none()
    return SampleItem.objects.filter(
        service_request__in=policies.visible_requests(user).values("pk")
    )


def visible_evaluations(user: User) -> QuerySet[Evaluation]:
    """QA reviewers see every evaluation; a responder theirs; a supervisor those of the
    responders who share an office with them. Always only on requests they may see."""
    if not user.is_authenticated or not user.is_agency_staff or not user.is_active:
        return Evaluation.objects.none()
    qs = Evaluation.objects.filter(
        assignment__item__service_request__in=policies.visible_requests(user).values("pk")
    )
    if is_reviewer(user):
        return qs
    mine = Q(assignment__item__responder=user)
    if user.role == Role.SUPERVISOR:
        team = User.objects.filter(offices__in=user.office_ids()).values("pk")
        mine |= Q(assignment__item__responder__in=team)
    return qs.filter(mine)


def my_assignments(user: User) -> QuerySet[Assignment]:
    if not is_reviewer(user):
        return Assignment.objects.none()
    return Assignment.objects.filter(reviewer=user)


def open_disputes_for(user: User) -> QuerySet[Dispute]:
    """Disputes `user` may decide: open, on evaluations they did not score, about
    responses they did not write, on requests they may see."""
    if not is_reviewer(user):
        return Dispute.objects.none()
    return (
        Dispute.objects.filter(
            status="open",
            evaluation__in=visible_evaluations(user).values("pk"),
        )
        .exclude(evaluation__assignment__reviewer=user)
        .exclude(raised_by=user)
    )
