"""What the service requests tell the staff workspace (srmt.workspace, docs/adr/0031): new
assignments, requests handed back, escalations. Called inside the services' transactions, so
a notification exists exactly when the change it tells of was committed.

8 U.S.C. 1367: only staff who may see the request are told (policies), and the workspace
refuses on top to write a notification about a protected case for anyone not cleared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.accounts.roles import Capability
from srmt.offices.models import Office
from srmt.service_requests import policies
from srmt.service_requests.models import ServiceRequest
from srmt.workspace import services as workspace
from srmt.workspace.services import RequestFacts


def facts(sr: ServiceRequest, *, confidential: bool = False) -> RequestFacts:
    return RequestFacts(
        reference=sr.reference,
        url=sr.get_absolute_url(),
        is_confidential=sr.is_confidential or confidential or sr.office.is_confidential,
    )


def assigned(
    sr: ServiceRequest, *, actor: User, assignee: User | None, previous: User | None
) -> None:
    """`actor` gave `sr` to `assignee` (who may work it: assign_request checked)."""
    if assignee is not None:
        workspace.request_assigned(facts(sr), actor=actor, assignee=assignee, previous=previous)


def transferred(sr: ServiceRequest, *, actor: User) -> None:
    """`sr` was transferred; whoever held it before and may work it where it is now is told
    it came back to them."""
    names = workspace.previous_assignees(sr.reference)
    if not names:
        return
    candidates = User.objects.filter(username__in=names, is_active=True).order_by("pk")
    may_work = [u for u in candidates if policies.can_act(u, sr, Capability.RESPOND)]
    workspace.request_transferred(facts(sr), actor=actor, may_work=may_work)


def returned_from_review(sr: ServiceRequest, *, actor: User, author: User) -> None:
    """A supervisor returned `author`'s response on `sr` with a comment: it shows in their
    "Returned to me" list (the caller checked they may still see the request)."""
    workspace.request_returned(facts(sr), actor=actor, recipient=author)


def _supervisors(office_id: int) -> list[User]:
    """Active supervisors of the office, or with no office (national)."""
    supervisors = User.objects.filter(role=Role.SUPERVISOR, is_active=True)
    return list(
        supervisors.filter(Q(offices=office_id) | Q(offices__isnull=True)).distinct().order_by("pk")
    )


def escalated(rows: Iterable[tuple[int, int, int]]) -> int:
    """In-app notifications of escalations, for the supervisors of each target office who
    may see the request. `rows`: (request id, level, office id). Returns how many."""
    by_office: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for request_id, level, office_id in rows:
        by_office[office_id].append((request_id, level))
    if not by_office:
        return 0
    offices = Office.objects.in_bulk(list(by_office))
    written = 0
    for office_id, escalated_here in sorted(by_office.items()):
        office = offices[office_id]
        requests = ServiceRequest.objects.select_related("case", "office").in_bulk(
            [request_id for request_id, _level in escalated_here]
        )
        for user in _supervisors(office_id):
            if office.is_confidential and not user.is_1367_cleared:
                continue
            told = [
                (facts(requests[rid], confidential=office.is_confidential), level, office.code)
                for rid, level in sorted(escalated_here, key=lambda r: requests[r[0]].reference)
                if policies.can_view(user, requests[rid])
            ]
            written += workspace.requests_escalated(told, recipients=[user])
    return written
