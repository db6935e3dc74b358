"""The search box: requests, cases and people the user may see, ranked.

Every source starts from the access querysets of service_requests.policies
(visible_requests, visible_cases, visible_people), so role, office scope and 8 U.S.C. 1367
apply to every result: to a user who is not cleared a protected case, its people and its
requests are not there at all, exactly as if they did not exist (ADR 16).

Ranking (ADR 29): tier first, then the score within the tier, then the most recent first.
  0. exact reference or receipt number (the request, the case and its requests);
  1. exact email address or phone number (the people, and the requests they made);
  2. name similarity (people);
  3. description text rank (requests).
Each source returns at most PER_SOURCE results; the page says when there may be more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from django.db import transaction
from django.db.models import Prefetch, Q

from srmt.accounts.actors import Viewer
from srmt.cases.models import Case, CaseParty, CaseQuerySet, Person
from srmt.search import text
from srmt.search.query import ParsedQuery, parse
from srmt.service_requests import policies
from srmt.service_requests.models import ServiceRequest, ServiceRequestQuerySet

PER_SOURCE = 100
# A name search that finds fewer people than this tries again, less strictly.
ENOUGH_NAMES = 10

Kind = Literal["request", "case", "person"]

TIER_EXACT = 0
TIER_CONTACT = 1
TIER_NAME = 2
TIER_TEXT = 3


@dataclass(frozen=True)
class Hit:
    """One result: what it is, why it matched, and the object itself."""

    kind: Kind
    tier: int
    score: float
    at: dt.datetime
    request: ServiceRequest | None = None
    case: Case | None = None
    person: Person | None = None

    @property
    def key(self) -> tuple[str, int]:
        target = self.request or self.case or self.person
        assert target is not None
        return (self.kind, target.pk)

    def sort_key(self) -> tuple[int, float, float]:
        return (self.tier, -self.score, -self.at.timestamp())


@dataclass(frozen=True)
class SearchResults:
    query: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    # A source returned PER_SOURCE results: there may be more; the user should narrow.
    truncated: bool = False

    def counts(self) -> dict[str, int]:
        counted = {"request": 0, "case": 0, "person": 0}
        for hit in self.hits:
            counted[hit.kind] += 1
        return counted


def search(user: Viewer, raw: str) -> SearchResults:
    """Everything `user` may see that matches `raw`, ranked and without duplicates."""
    query = parse(raw)
    if query.is_empty:
        return SearchResults(query=query)
    with transaction.atomic():
        text.prepare_connection()
        batches = _batches(user, query)
    best: dict[tuple[str, int], Hit] = {}
    for hit in (h for batch in batches for h in batch):
        if hit.key not in best or hit.sort_key() < best[hit.key].sort_key():
            best[hit.key] = hit
    return SearchResults(
        query=query,
        hits=sorted(best.values(), key=Hit.sort_key),
        truncated=any(len(batch) >= PER_SOURCE for batch in batches),
    )


def _batches(user: Viewer, query: ParsedQuery) -> list[list[Hit]]:
    batches: list[list[Hit]] = []
    if query.reference:
        batches.append(_requests_by_reference(user, query.reference))
    if query.receipt_number:
        batches.append(_cases_by_receipt(user, query.receipt_number))
        batches.append(_requests_by_receipt(user, query.receipt_number))
    if query.email or query.phone:
        contact = Q(email=query.email) if query.email else Q(phone=query.phone)
        batches.append(_people_by_contact(user, contact))
        batches.append(_requests_by_contact(user, contact))
    if query.words:
        people = _people_by_name(user, query)
        batches.append(people)
        batches.append(_requests_of_people(user, people))
        batches.append(_requests_by_text(user, query.words))
    return batches


# --- the sources --------------------------------------------------------------------------


RELATED = ("type", "office", "requester", "case", "case__form_type")


def _requests(user: Viewer) -> ServiceRequestQuerySet:
    return policies.visible_requests(user).select_related(*RELATED)


def _request_hits(rows: list[ServiceRequest], tier: int, scores: list[float]) -> list[Hit]:
    return [
        Hit("request", tier, score, sr.created_at, request=sr)
        for sr, score in zip(rows, scores, strict=True)
    ]


def _requests_by_reference(user: Viewer, reference: str) -> list[Hit]:
    rows = list(_requests(user).filter(reference=reference)[:1])
    return _request_hits(rows, TIER_EXACT, [1.0] * len(rows))


def _requests_by_receipt(user: Viewer, receipt_number: str) -> list[Hit]:
    rows = list(
        _requests(user)
        .filter(receipt_number=receipt_number)
        .order_by("-created_at", "-id")[:PER_SOURCE]
    )
    return _request_hits(rows, TIER_EXACT, [0.9] * len(rows))


def _with_parties(cases: CaseQuerySet, user: Viewer) -> CaseQuerySet:
    parties = CaseParty.objects.filter(person__in=policies.visible_people(user)).select_related(
        "person"
    )
    return cases.select_related("form_type", "office").prefetch_related(
        Prefetch("parties", queryset=parties, to_attr="visible_parties")
    )


def _cases_by_receipt(user: Viewer, receipt_number: str) -> list[Hit]:
    cases = _with_parties(policies.visible_cases(user).filter(receipt_number=receipt_number), user)
    return [Hit("case", TIER_EXACT, 1.0, case.created_at, case=case) for case in cases[:1]]


def _people_by_contact(user: Viewer, contact: Q) -> list[Hit]:
    people = policies.visible_people(user).filter(contact).order_by("-created_at", "-id")
    return [
        Hit("person", TIER_CONTACT, 1.0, person.created_at, person=person)
        for person in people[:PER_SOURCE]
    ]


def _requests_by_contact(user: Viewer, contact: Q) -> list[Hit]:
    people = Person.objects.filter(contact).values("pk")
    rows = list(
        _requests(user).filter(requester__in=people).order_by("-created_at", "-id")[:PER_SOURCE]
    )
    return _request_hits(rows, TIER_CONTACT, [0.9] * len(rows))


def _people_by_name(user: Viewer, query: ParsedQuery) -> list[Hit]:
    """The most similar names first; the strictest threshold that finds ENOUGH_NAMES."""
    found: list[Person] = []
    for threshold in text.name_thresholds():
        people = text.name_matches(
            policies.visible_people(user), query.text, query.words, threshold=threshold
        )
        found = list(people.order_by("-name_rank", "-created_at", "-id")[:PER_SOURCE])
        if len(found) >= ENOUGH_NAMES:
            break
    return [
        Hit(
            "person",
            TIER_NAME,
            float(getattr(person, "name_rank", 0.0)),
            person.created_at,
            person=person,
        )
        for person in found
    ]


def _requests_of_people(user: Viewer, people: list[Hit]) -> list[Hit]:
    """The requests of the people a name found, each just after its requester."""
    ranks = {hit.person.pk: hit.score for hit in people if hit.person is not None}
    if not ranks:
        return []
    rows = list(
        _requests(user)
        .filter(requester_id__in=list(ranks))
        .order_by("-created_at", "-id")[:PER_SOURCE]
    )
    return _request_hits(rows, TIER_NAME, [ranks[sr.requester_id] - 1e-6 for sr in rows])


def _requests_by_text(user: Viewer, words: tuple[str, ...]) -> list[Hit]:
    rows = list(
        text.description_matches(_requests(user), words)
        .select_related(*RELATED)  # the PostgreSQL path ranks a new queryset of candidates
        .order_by("-text_rank", "-created_at", "-id")[:PER_SOURCE]
    )
    return _request_hits(rows, TIER_TEXT, [float(sr.text_rank) for sr in rows])
