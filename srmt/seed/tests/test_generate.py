from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Q

from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.cases.models import Case, Person
from srmt.core.references import ALPHABET
from srmt.offices.models import Office
from srmt.seed.bulk import LoadPlan, generate
from srmt.seed.generate import Catalogue, SyntheticData, _datetimes, encode_reference
from srmt.service_requests import lifecycle
from srmt.service_requests.expedites import can_decide, criteria_in_force
from srmt.service_requests.models import (
    Escalation,
    ExpediteRequest,
    Response,
    ServiceRequest,
    StatusChange,
)
from srmt.sla.services import deadlines_for
from srmt.surveys.models import Survey
from srmt.testing.factories import make_service_request

pytestmark = pytest.mark.django_db
END = dt.datetime(2026, 10, 31, 23, 59, tzinfo=dt.UTC)
# Seed 22, 4,000 requests: 239 expedites, 7 on forms eligible for premium processing.
EXPEDITES_OF_4000, PREMIUM_EXPEDITES_OF_4000 = 239, 7
REFERENCE = re.compile(rf"^SR-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def _pure_references(seed: int, requests: int, batch_size: int = 100) -> list[str]:
    data = SyntheticData(
        seed=seed, requests=requests, end=END, catalogue=Catalogue.load(), batch_size=batch_size
    )
    return [row[3] for batch in data.batches() for row in batch.requests]


def test_generate_stores_exact_counts_and_one_audit_event(reference):
    report = generate(seed=5, requests=250, end=END, batch_size=100)
    assert ServiceRequest.objects.count() == 250
    assert Person.objects.count() == 250
    assert Case.objects.count() == report.counts["cases"]
    assert StatusChange.objects.count() == report.counts["status_changes"]
    assert report.counts["service_requests"] == 250
    assert report.method == ("copy" if connection.vendor == "postgresql" else "bulk")
    event = AuditEvent.objects.get(action="data.generated")
    assert event.object_id == "seed-5"
    assert event.changes == {
        "seed": 5,
        "end": END.isoformat(),
        "months": 12,
        **report.counts,
    }
    assert AuditEvent.objects.exclude(action="reference.loaded").count() == 1


def test_same_seed_gives_the_same_rows(reference):
    first = _pure_references(11, 300)
    assert first == _pure_references(11, 300, batch_size=300)
    assert first != _pure_references(12, 300)
    assert len(set(first)) == 300
    assert all(REFERENCE.match(ref) for ref in first)
    generate(seed=11, requests=300, end=END, batch_size=100)
    stored = list(ServiceRequest.objects.order_by("id").values_list("reference", flat=True))
    assert stored == first


def test_references_are_distinct_in_the_alphabet():
    assert encode_reference(0) == "SR-0000-0000"
    assert encode_reference(32**8 - 1) == "SR-ZZZZ-ZZZZ"
    assert encode_reference(33) == "SR-0000-0011"


def test_datetimes_made_in_bulk_are_the_moments_they_count():
    # given microseconds since the epoch: edges of days, months, leap days, years, and a
    # spread of moments over 60 years
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    edges = [
        dt.datetime(2024, 2, 29, 23, 59, 59, 999_999, tzinfo=dt.UTC),
        dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
        dt.datetime(2025, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 31, 12, 30, 15, 1, tzinfo=dt.UTC),
        epoch,
    ]
    counts = [(moment - epoch) // dt.timedelta(microseconds=1) for moment in edges]
    spread = np.random.default_rng(3).integers(0, 60 * 365 * 86_400_000_000, 5000)
    counts += [int(n) for n in spread]
    # when they are made in bulk
    made = _datetimes(np.array(counts, dtype=np.int64))
    # then each is the moment its count says, in UTC
    assert made == [epoch + dt.timedelta(microseconds=n) for n in counts]
    assert made[:6] == edges
    assert {moment.tzinfo for moment in made} == {dt.UTC}


def test_rows_follow_the_lifecycle_and_deadline_policies(reference):
    generate(seed=3, requests=200, end=END, batch_size=64)
    changes: dict[int, list[StatusChange]] = {}
    for change in StatusChange.objects.order_by("id"):
        changes.setdefault(change.service_request_id, []).append(change)
    requests = list(ServiceRequest.objects.select_related("type", "office", "case"))
    assert len(requests) == 200
    assert sorted(changes) == sorted(sr.pk for sr in requests)
    for sr in requests:
        history = changes[sr.pk]
        assert (history[0].from_status, history[0].to_status) == ("", "received")
        for before, after in itertools.pairwise(history):
            assert after.from_status == before.to_status
            # a transfer says it kept the clock (due dates count from creation)
            assert after.restarted_clock is (False if after.to_status == "transferred" else None)
            assert lifecycle.can_move(before.to_status, after.to_status)
            assert before.created_at <= after.created_at
        assert history[-1].to_status == sr.status
        assert history[0].created_at == sr.created_at
        assert (sr.closed_at is not None) == (sr.status in lifecycle.TERMINAL)
        assert sr.receipt_number == (sr.case.receipt_number if sr.case else "")
        assert sr.created_at <= END
    received = list(ServiceRequest.objects.select_related("type").filter(status="received")[:40])
    assert len(received) >= 5  # seed 3 gives 5 unanswered requests among 200
    for sr in received:
        expected = deadlines_for(
            sr.type.code, sr.urgency, start=sr.created_at, time_zone=sr.office.time_zone
        )
        assert (sr.first_response_due_at, sr.due_at, sr.deadline_policy_id) == (
            expected.first_response_due_at,
            expected.due_at,
            expected.policy_id,
        )
    statuses = set(ServiceRequest.objects.values_list("status", flat=True))
    assert {"received", "closed"} <= statuses


def test_services_keep_working_after_generation(reference):
    generate(seed=9, requests=50, end=END, batch_size=20)
    sr = make_service_request()
    assert ServiceRequest.objects.count() == 51
    assert sr.pk == ServiceRequest.objects.order_by("-id").values_list("id", flat=True)[0]
    assert sr.status_changes.count() == 1


def test_command_reports_counts(reference):
    output = StringIO()
    call_command(
        "generate", requests=30, seed=4, batch=10, end=END.date(), verbosity=0, stdout=output
    )
    assert ServiceRequest.objects.count() == 30
    assert "30 people, 30 service requests" in output.getvalue()
    assert "with seed 4" in output.getvalue()


def test_command_refuses_bad_arguments(reference):
    with pytest.raises(CommandError, match="must be at least 1"):
        call_command("generate", requests=0, verbosity=0)
    with pytest.raises(CommandError, match="--end must be a date"):
        call_command("generate", "--requests", "5", "--end", "soon", verbosity=0)
    assert ServiceRequest.objects.count() == 0
    assert not AuditEvent.objects.filter(action="data.generated").exists()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="COPY works on PostgreSQL")
def test_copy_needs_postgresql(reference):
    with pytest.raises(CommandError, match="COPY needs PostgreSQL"):
        call_command("generate", requests=5, method="copy", verbosity=0)
    assert ServiceRequest.objects.count() == 0
    assert not AuditEvent.objects.filter(action="data.generated").exists()


def _expedite_rows(data: SyntheticData) -> list[tuple[object, ...]]:
    """Each generated expedite with its request's reference instead of a batch position."""
    rows = []
    for batch in data.batches():
        for expedite in batch.expedites:
            reference = batch.requests[expedite[1]][3]
            rows.append((reference, *expedite[2:]))
    return rows


def _pure_expedites(seed: int, requests: int, batch_size: int) -> list[tuple[object, ...]]:
    catalogue = Catalogue.load()
    data = SyntheticData(
        seed=seed, requests=requests, end=END, catalogue=catalogue, batch_size=batch_size
    )
    return _expedite_rows(data)


def _stored_expedites() -> list[tuple[object, ...]]:
    rows = []
    for e in ExpediteRequest.objects.select_related("service_request", "decided_by").order_by(
        "service_request_id"
    ):
        decider = None
        if e.decided_by is not None:
            match = re.fullmatch(r"gen_(.+)_officer(\d)", e.decided_by.username)
            assert match is not None
            decider = (match[1].upper(), int(match[2]) - 1)
        rows.append(
            (
                e.service_request.reference,
                e.criterion_id,
                e.justification,
                e.status,
                decider,
                e.decided_at,
                e.decision_reason,
                e.created_at,
            )
        )
    return rows


def test_every_expedite_request_gets_its_expedite_details(reference):
    # when
    report = generate(seed=21, requests=1500, end=END, batch_size=400)
    # then one expedite per expedite request, and none for other requests
    expedite_srs = ServiceRequest.objects.filter(type__code="expedite_request")
    assert report.counts["expedite_requests"] == expedite_srs.count() == 89
    assert ExpediteRequest.objects.count() == 89
    assert set(ExpediteRequest.objects.values_list("service_request_id", flat=True)) == set(
        expedite_srs.values_list("id", flat=True)
    )
    event = AuditEvent.objects.get(action="data.generated")
    assert event.changes["expedite_requests"] == 89
    # a mix of decisions and of criteria
    assert Counter(ExpediteRequest.objects.values_list("status", flat=True)) == {
        "approved": 38,
        "denied": 27,
        "pending": 24,
    }
    assert Counter(ExpediteRequest.objects.values_list("criterion__code", flat=True)) == {
        "emergency_humanitarian": 36,
        "severe_financial_loss": 25,
        "uscis_error": 18,
        "us_government_interests": 8,
        "nonprofit": 2,
    }


def test_generated_expedites_follow_the_expedite_rules(reference):
    # given
    generate(seed=21, requests=1500, end=END, batch_size=400)
    expedites = ExpediteRequest.objects.select_related(
        "criterion", "decided_by", "service_request__case__form_type"
    )
    # then
    assert len(expedites) > 0
    for e in expedites:
        sr = e.service_request
        on = sr.created_at.date()
        # a criterion in force on the day of the request, allowed for the case's form
        assert e.criterion in criteria_in_force(on)
        if sr.case.form_type.is_premium_processing_eligible:
            assert e.criterion.code == "nonprofit"
        assert e.created_at == sr.created_at
        assert e.justification != ""
        # decided exactly when the office holding the case closed it with the decision
        decided = sr.status == "closed" and sr.office_id == sr.case.office_id
        assert e.is_decided == decided
        if decided:
            assert e.decided_by is not None
            assert e.decided_at == sr.closed_at
            assert can_decide(e.decided_by, sr)
            assert not e.decided_by.has_usable_password()
        else:
            assert (e.decided_by, e.decided_at, e.decision_reason) == (None, None, "")
        if e.status == "denied":
            assert e.decision_reason != ""


def test_expedites_are_the_same_for_the_same_seed(reference):
    # given the rows of seed 21 in memory (cases shared within a batch: same batch size)
    first = _pure_expedites(21, 600, batch_size=250)
    assert first == _pure_expedites(21, 600, batch_size=250)
    assert first != _pure_expedites(22, 600, batch_size=250)
    assert len(first) == 34
    # when they are stored
    generate(seed=21, requests=600, end=END, batch_size=250)
    # then the database holds the same rows, deciders included
    assert _stored_expedites() == sorted(first, key=lambda row: _ids_by_reference()[row[0]])


def _ids_by_reference() -> dict[str, int]:
    return dict(ServiceRequest.objects.values_list("reference", "id"))


def test_officers_are_created_once_and_reused(reference):
    # when two data sets are generated into one database
    generate(seed=21, requests=600, end=END, batch_size=250)
    generate(seed=22, requests=600, end=END, batch_size=250)
    # then each decider and response author is one user, on the staff of one office
    deciders = ExpediteRequest.objects.exclude(decided_by=None)
    used = set(deciders.values_list("decided_by_id", flat=True))
    used |= set(Response.objects.values_list("author_id", flat=True))
    generated_users = User.objects.filter(username__startswith="gen_")
    assert set(generated_users.values_list("id", flat=True)) == used
    for user in generated_users:
        assert user.role == "office_staff"
        assert user.offices.count() == 1


def _generated_expedites(seed: int, requests: int) -> list[tuple[str, str, bool]]:
    """(form, criterion, form eligible for premium processing) of each generated expedite."""
    catalogue = Catalogue.load()
    forms = {form_id: code for code, form_id in catalogue.forms.items()}
    criteria = {c.id: c.code for c in catalogue.criteria}
    data = SyntheticData(seed=seed, requests=requests, end=END, catalogue=catalogue)
    rows = []
    for batch in data.batches():
        for expedite in batch.expedites:
            case = batch.cases[batch.requests[expedite[1]][6]]
            rows.append((forms[case[4]], criteria[expedite[2]], case[4] in catalogue.premium_forms))
    return rows


def test_no_expedite_on_a_premium_processing_form_claims_another_criterion(reference):
    # given the expedites of 4,000 generated requests
    rows = _generated_expedites(seed=22, requests=4000)
    # then forms eligible for premium processing are expedited only under the nonprofit
    # criterion (expedites.check_submission), and such forms do appear
    premium = [(form, criterion) for form, criterion, eligible in rows if eligible]
    assert {criterion for _form, criterion in premium} == {"nonprofit"}
    assert (len(rows), len(premium)) == (EXPEDITES_OF_4000, PREMIUM_EXPEDITES_OF_4000)


def test_expedite_criteria_are_not_dominated_by_the_nonprofit_criterion(reference):
    # given the expedites of 4,000 generated requests
    criteria = Counter(criterion for _form, criterion, _eligible in _generated_expedites(22, 4000))
    # then the nonprofit criterion, a narrow one, is claimed by few (at most 1 in 10), and
    # emergencies and humanitarian reasons or financial loss lead
    assert criteria["nonprofit"] <= sum(criteria.values()) / 10
    assert criteria.most_common(2)[0][0] in {"emergency_humanitarian", "severe_financial_loss"}


# --- history (responses, reopenings, escalations, surveys, repeats) ----------------------


def _histories() -> dict[int, list[StatusChange]]:
    changes: dict[int, list[StatusChange]] = {}
    for change in StatusChange.objects.order_by("created_at", "id"):
        changes.setdefault(change.service_request_id, []).append(change)
    return changes


def test_generated_history_counts(reference):
    # when
    report = generate(seed=7, requests=1000, end=END, batch_size=500)
    # then every table holds what the report and the audit event say, and each kind appears
    assert {key: report.counts[key] for key in sorted(report.counts)} == {
        "cases": 616,
        "escalations": 605,
        "expedite_requests": 60,
        "people": 1000,
        "responses": 1597,
        "service_requests": 1000,
        "status_changes": 3776,
        "surveys": 590,
    }
    assert Response.objects.count() == 1597
    assert Escalation.objects.count() == 605
    assert Survey.objects.count() == 590
    assert Counter(Response.objects.values_list("kind", flat=True)) == {
        "final": 867,
        "initial": 691,
        "follow_up": 39,
    }
    assert Counter(StatusChange.objects.values_list("to_status", flat=True))["reopened"] == 56
    assert Counter(Escalation.objects.values_list("level", flat=True)) == {1: 550, 2: 55}
    assert ServiceRequest.objects.exclude(repeat_of=None).count() == 7
    assert Survey.objects.exclude(answered_at=None).count() == 186
    event = AuditEvent.objects.get(action="data.generated")
    assert event.changes["responses"] == 1597


def test_request_dates_match_their_history(reference):
    # given
    generate(seed=7, requests=600, end=END, batch_size=200)
    changes = _histories()
    responses: dict[int, list[Response]] = {}
    for response in Response.objects.order_by("created_at", "id"):
        responses.setdefault(response.service_request_id, []).append(response)
    reopened = 0
    # then
    for sr in ServiceRequest.objects.select_related("requester"):
        history, sent = changes[sr.pk], responses.get(sr.pk, [])
        closures = [c.created_at for c in history if c.to_status == "closed"]
        # closed_at is the last closure of a closed request; a reopened one has none
        if sr.status == "closed":
            assert sr.closed_at == closures[-1]
        elif sr.status in lifecycle.TERMINAL:
            assert sr.closed_at == history[-1].created_at
        else:
            assert sr.closed_at is None
        reopened += any(c.to_status == "reopened" for c in history)
        # a response for every answer, at its moment, of its kind
        answers = [c for c in history if c.to_status in ("responded", "closed")]
        assert [(r.created_at, r.kind) for r in sent] == [
            (c.created_at, "final" if c.to_status == "closed" else kind)
            for c, kind in zip(answers, ["initial"] + ["follow_up"] * len(answers), strict=False)
        ]
        # first_responded_at is the first response
        assert sr.first_responded_at == (sent[0].created_at if sent else None)
        for response in sent:
            office = next(
                c.to_office_id for c in reversed(history) if c.created_at <= response.created_at
            )
            assert response.author.offices.get().pk == office
            assert response.delivery_channel == ("email" if sr.requester.email else "mail")
        assert sr.transfer_count == sum(c.to_status == "transferred" for c in history)
        assert sr.version == len(history)
    assert reopened == 30


def test_escalations_follow_the_ladder(reference):
    # given
    generate(seed=7, requests=600, end=END, batch_size=200)
    changes = _histories()
    hq = Office.objects.get(code="HQ-SCOPS")
    escalations = list(Escalation.objects.select_related("service_request__case", "step"))
    assert len(escalations) == 372  # seed 7: every one checked below
    levels: dict[int, list[int]] = {}
    # then each level fell due while the request was running, at the step's office
    for e in escalations:
        sr = e.service_request
        levels.setdefault(sr.pk, []).append(e.level)
        due = {1: dt.timedelta(days=15), 2: dt.timedelta(days=36)}[e.level]
        assert e.escalated_at == sr.created_at + due <= END
        assert e.step.order == e.level
        status_then = [c for c in changes[sr.pk] if c.created_at <= e.escalated_at][-1]
        assert status_then.to_status not in {*lifecycle.TERMINAL, "awaiting_customer"}
        if e.level == 1:
            assert e.office_id == (sr.case.office_id if sr.case else status_then.to_office_id)
        else:
            assert e.office_id == hq.pk
    assert all(sorted(found) == list(range(1, len(found) + 1)) for found in levels.values())


def test_surveys_follow_final_responses(reference):
    # given
    generate(seed=7, requests=600, end=END, batch_size=200)
    finals = set(Response.objects.filter(kind="final").values_list("service_request", "created_at"))
    surveys = list(Survey.objects.select_related("service_request__requester"))
    assert len(surveys) == 367  # seed 7: every one checked below
    # then each survey went with a final response, in the customer's language
    for survey in surveys:
        assert (survey.service_request_id, survey.sent_at) in finals
        assert survey.expires_at == survey.sent_at + dt.timedelta(days=30)
        assert survey.language == survey.service_request.requester.language
        assert len(survey.nonce) == 22
        if survey.answered_at is None:
            assert survey.rating is None
        else:
            assert survey.sent_at <= survey.answered_at <= END
            assert 1 <= survey.rating <= 5
    assert len({s.nonce for s in surveys}) == len(surveys)


def test_repeats_are_threads_on_one_case_and_type(reference):
    # given
    generate(seed=7, requests=1000, end=END, batch_size=500)
    repeats = list(ServiceRequest.objects.exclude(repeat_of=None).select_related("repeat_of"))
    assert len(repeats) == 7
    # then a repeat is about the root's case, of its type, later, and the root is a root
    for sr in repeats:
        root = sr.repeat_of
        assert root.repeat_of_id is None
        assert (sr.case_id, sr.type_id) == (root.case_id, root.type_id)
        assert root.created_at < sr.created_at
    # and every request of a thread carries the thread's count of repeats
    threads = Counter(sr.repeat_of_id for sr in repeats)
    for root_id, count in threads.items():
        thread = ServiceRequest.objects.filter(Q(pk=root_id) | Q(repeat_of_id=root_id))
        assert set(thread.values_list("repeat_count", flat=True)) == {count}
    assert not ServiceRequest.objects.filter(repeat_of=None, repeat_count__gt=0).exclude(
        pk__in=threads
    )


def test_every_request_of_a_thread_carries_the_thread_count(reference):
    # given the requests of large batches (threads of more than one repeat appear)
    data = SyntheticData(
        seed=7, requests=6000, end=END, catalogue=Catalogue.load(), batch_size=3000
    )
    largest = 0
    for batch in data.batches():
        repeats = Counter(row[24] for row in batch.requests if row[24] is not None)
        largest = max(largest, *repeats.values())
        # then a root and each of its repeats carry the number of repeats, others 0
        for index, row in enumerate(batch.requests):
            root = index if row[24] is None else row[24]
            assert row[25] == repeats[root]
            if row[24] is not None:
                assert batch.requests[root][24] is None
    assert largest == 3


def _rows(data: SyntheticData, chunks: list[int] | None = None) -> list[tuple[object, ...]]:
    """Every request row (with its case, people and history counts) without batch positions."""
    rows = []
    for batch in data.batches(chunks=chunks):
        for row in batch.requests:
            rows.append((*row[1:6], *row[7:24], row[25]))
        rows.append((len(batch.changes), len(batch.responses), len(batch.surveys)))
    return rows


def test_chunks_give_the_same_rows_in_any_order(reference):
    # given 3 chunks of 70 requests
    def data() -> SyntheticData:
        return SyntheticData(
            seed=5, requests=200, end=END, catalogue=Catalogue.load(), batch_size=30, chunk_size=70
        )

    every = _rows(data())
    by_chunk = {chunk: _rows(data(), [chunk]) for chunk in (2, 0, 1)}
    # then any order gives the same rows, and the chunks differ
    assert every == by_chunk[0] + by_chunk[1] + by_chunk[2]
    assert len({row[2] for row in every if len(row) > 3}) == 200  # references
    # and the first chunk is the stream of a run without chunks
    assert [row[2] for row in by_chunk[0] if len(row) > 3] == _pure_references(5, 70, 30)


def test_several_workers_are_refused_where_they_cannot_run(reference):
    # when several workers are asked for inside a transaction (or on SQLite)
    expected = "Several workers cannot run inside a transaction."
    if connection.vendor != "postgresql":
        expected = "Several workers need PostgreSQL (COPY)."
    with pytest.raises(ValueError, match=re.escape(expected)):
        generate(seed=1, requests=10, end=END, workers=2)
    with pytest.raises(CommandError, match="--workers must be at least 1"):
        call_command("generate", requests=5, workers=0, verbosity=0)
    # then nothing was written
    assert ServiceRequest.objects.count() == 0
    assert not AuditEvent.objects.filter(action="data.generated").exists()


def _schema(tables: list[str]) -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated"
            " FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])"
            " UNION ALL SELECT tablename, indexname, indexdef, true FROM pg_indexes"
            " WHERE tablename = ANY(%s) ORDER BY 1, 2, 3",
            [tables, tables],
        )
        return [tuple(str(v) for v in row) for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL large load")
def test_a_large_load_makes_every_index_and_constraint_again(reference):
    # given the tables' indexes and constraints
    tables = LoadPlan().tables
    before = _schema(tables)
    assert len(before) > 40
    # when a load drops and remakes them
    report = generate(seed=7, requests=300, end=END, batch_size=100, rebuild_indexes=True)
    # then the schema is the same, every foreign key validated, and the rows are there
    assert _schema(tables) == before
    assert ServiceRequest.objects.count() == report.counts["service_requests"] == 300
    assert StatusChange.objects.count() == report.counts["status_changes"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL index builds")
def test_index_builds_run_longest_first(reference):
    # given generated rows: many more status changes than cases
    generate(seed=7, requests=300, end=END, batch_size=100)
    builds = [
        "CREATE INDEX a ON public.cases_case USING btree (office_id)",
        "ALTER TABLE service_requests_statuschange ADD CONSTRAINT b UNIQUE (id)",
        "CREATE INDEX c ON public.cases_person USING gin (name gin_trgm_ops)",
        "CREATE INDEX d ON public.service_requests_statuschange USING btree (created_at)",
    ]
    # when they are ordered
    ordered = LoadPlan().longest_first(builds)
    # then the GIN index comes first, then the larger table's builds, in their order
    assert ordered == [builds[2], builds[1], builds[3], builds[0]]


def test_days_spreads_the_requests_over_the_last_days(reference):
    # when one more day is generated
    call_command("generate", requests=40, seed=2, batch=20, end=END.date(), days=1, verbosity=0)
    # then every request and every event of its history falls on that day
    created = list(ServiceRequest.objects.values_list("created_at", flat=True))
    assert len(created) == 40
    assert all(END - dt.timedelta(days=1) <= moment <= END for moment in created)
    moments = StatusChange.objects.values_list("created_at", flat=True)
    assert all(END - dt.timedelta(days=1) <= moment <= END for moment in moments)
    assert not Escalation.objects.exists()  # none is 15 days old
    event = AuditEvent.objects.get(action="data.generated")
    assert (event.changes["days"], "months" in event.changes) == (1, False)
