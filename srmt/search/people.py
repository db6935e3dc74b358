"""The person view: everything about one customer that the user may see, across cases.

A person the user may not see (another office's, or anyone linked to an 8 U.S.C. 1367 case
for a user who is not cleared) is answered as a person id that does not exist: 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.actors import Viewer
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases.choices import REPRESENTATIVE_ROLES
from srmt.cases.models import Case, CaseParty, Person, Representation
from srmt.offices.jurisdiction import country_name
from srmt.service_requests import policies
from srmt.service_requests.lifecycle import OPEN_STATUSES
from srmt.service_requests.models import Response, ServiceRequest

# "Recently closed": closed in the last 90 days.
RECENTLY_CLOSED_DAYS = 90
MAX_ROWS = 100


@dataclass(frozen=True)
class CaseRole:
    case: Case
    roles: list[CaseParty]


@dataclass(frozen=True)
class PersonProfile:
    person: Person
    cases: list[CaseRole]
    requests: list[ServiceRequest]
    responses: list[Response]
    representatives: list[Representation]
    representative_parties: list[CaseParty]
    country: str  # the person's country by name, in the language of the page


def get_person_for_user(user: Viewer, person_id: int) -> Person:
    """The person if `user` may see them; otherwise Http404, as for an id with no person."""
    person = policies.visible_people(user).filter(pk=person_id).first()
    if person is None:
        raise Http404(_("No person matches that link."))
    return person


def person_profile(
    user: Viewer, person: Person, *, now: dt.datetime | None = None
) -> PersonProfile:
    """What `user` may see of `person`: their visible cases (those they are a party to, with
    their roles, and those they asked about), open
    and recently closed requests they made or that are about their cases, the responses sent
    on those requests, and the representatives on file for those cases."""
    now = now or timezone.now()
    cases = list(
        policies.visible_cases(user)
        .filter(Q(parties__person=person) | Q(service_requests__requester=person))
        .distinct()
        .select_related("form_type", "office")
        .order_by("-received_on", "receipt_number")
    )
    roles = CaseParty.objects.filter(person=person, case__in=[c.pk for c in cases])
    by_case: dict[int, list[CaseParty]] = {}
    for party in roles:
        by_case.setdefault(party.case_id, []).append(party)
    requests = _requests(user, person, cases, now=now)
    responses = list(
        policies.visible_responses(user)
        .filter(service_request__requester=person)
        .select_related("service_request", "author", "notification")
        .order_by("-created_at", "-id")[:MAX_ROWS]
    )
    today = timezone.localdate(now)
    representatives = list(
        Representation.objects.in_effect(today)
        .filter(case__in=[c.pk for c in cases])
        .select_related("account", "case")
        .order_by("case__receipt_number", "-accepted_on")
    )
    representative_parties = list(
        CaseParty.objects.filter(
            case__in=[c.pk for c in cases], role__in=sorted(REPRESENTATIVE_ROLES)
        )
        .filter(person__in=policies.visible_people(user))
        .select_related("person", "case")
    )
    return PersonProfile(
        person=person,
        cases=[CaseRole(case, by_case.get(case.pk, [])) for case in cases],
        requests=requests,
        responses=responses,
        representatives=representatives,
        representative_parties=representative_parties,
        country=country_name(person.country) if person.country else "",
    )


def _requests(
    user: Viewer, person: Person, cases: list[Case], *, now: dt.datetime
) -> list[ServiceRequest]:
    """Open requests, and those closed in the last RECENTLY_CLOSED_DAYS, newest first."""
    since = now - dt.timedelta(days=RECENTLY_CLOSED_DAYS)
    return list(
        policies.visible_requests(user)
        .filter(Q(requester=person) | Q(case__in=[c.pk for c in cases]))
        .filter(Q(status__in=sorted(OPEN_STATUSES)) | Q(closed_at__gte=since))
        .for_lists()
        .order_by("-created_at", "-id")[:MAX_ROWS]
    )


def record_person_view(person: Person, *, actor: Viewer) -> None:
    """Audit that `actor` was shown this person's details (as request views are)."""
    audit.record(
        actor=actor,
        action=AuditAction.PERSON_VIEWED,
        object_type="person",
        object_id=str(person.pk),
    )
