from __future__ import annotations

import datetime as dt
import itertools
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from srmt.audit.models import AuditEvent
from srmt.cases.models import Case, Person
from srmt.core.references import ALPHABET
from srmt.seed.bulk import generate
from srmt.seed.generate import Catalogue, SyntheticData, encode_reference
from srmt.service_requests import lifecycle
from srmt.service_requests.models import ServiceRequest, StatusChange
from srmt.sla.services import deadlines_for
from srmt.testing.factories import make_service_request

pytestmark = pytest.mark.django_db
END = dt.datetime(2026, 10, 31, 23, 59, tzinfo=dt.UTC)
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


def test_rows_follow_the_lifecycle_and_deadline_policies(reference):
    generate(seed=3, requests=200, end=END, batch_size=64)
    changes: dict[int, list[StatusChange]] = {}
    for change in StatusChange.objects.order_by("id"):
        changes.setdefault(change.service_request_id, []).append(change)
    for sr in ServiceRequest.objects.select_related("type", "office", "case"):
        history = changes[sr.pk]
        assert (history[0].from_status, history[0].to_status) == ("", "received")
        for before, after in itertools.pairwise(history):
            assert after.from_status == before.to_status
            assert lifecycle.can_move(before.to_status, after.to_status)
            assert before.created_at <= after.created_at
        assert history[-1].to_status == sr.status
        assert history[0].created_at == sr.created_at
        assert (sr.closed_at is not None) == (sr.status in lifecycle.TERMINAL)
        assert sr.receipt_number == (sr.case.receipt_number if sr.case else "")
        assert sr.created_at <= END
    for sr in ServiceRequest.objects.select_related("type").filter(status="received")[:40]:
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
